//! Risk treatment approval in two real browsers through the real relay: A makes a risk owned by
//! Ada, treats it and approves its treatment; B, the editor Bea, sees it approved by Ada and has
//! no button to approve it; B re-rates the likelihood and A sees the approval changed since, with
//! what the likelihood was; A approves again, the treatment plan view agrees, and a reload keeps
//! the approval.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use quorum_tests::cycle::treatment::{approve_all, approved};
use quorum_tests::form::{screenshot, select, wait_value};
use quorum_tests::workspace::{
    WAIT, create_workspace, join, open_from_nav, wait_synced_and_saved, wait_until_text,
};
use quorum_tests::{Browser, Server};

const TITLE: &str = "Chatbot gives wrong benefit advice";
const ACTION: &str = "Review answers weekly";

#[tokio::test]
async fn the_owner_approves_a_treatment_and_an_edit_elsewhere_shows_as_changed_since() -> anyhow::Result<()> {
    let started = Instant::now();
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    wait_synced_and_saved(&a).await?;
    let b = Browser::launch().await?;
    join(&server, &a, &b, "editor", "Bea").await?;

    // A makes a risk owned by Ada, modified with a control and an action down to a residual level.
    open_from_nav(&a, "/risks").await?;
    a.wait_for(Locator::Id("new-risk-title"), WAIT).await?.send_keys(TITLE).await?;
    a.client.find(Locator::Css("form.add-risk button[type=submit]")).await?.click().await?;
    let risk = a.wait_for(Locator::Css("li.risk"), WAIT).await?.attr("data-risk").await?.unwrap_or_default();
    let row = format!("li.risk[data-risk='{risk}']");
    let state = format!("#risk-{risk}-approval");
    // Not approved yet, and the owner cannot approve an undecided treatment.
    wait_until_text(&a.wait_for(Locator::Css(&state), WAIT).await?, "Not approved").await?;
    a.client.find(Locator::Id(&format!("risk-{risk}-owner"))).await?.select_by_label("Ada").await?;
    a.wait_for(Locator::Id(&format!("risk-{risk}-approve")), WAIT).await?.click().await?;
    let refusal = a.wait_for(Locator::Css(&format!("{row} .treatment-approval .field-error")), WAIT).await?;
    wait_until_text(&refusal, "Choose how the risk is treated").await?;
    select(&a, &format!("risk-{risk}-likelihood"), "3").await?;
    select(&a, &format!("risk-{risk}-consequence"), "4").await?;
    select(&a, &format!("risk-{risk}-treatment"), "modify").await?;
    select(&a, &format!("risk-{risk}-link-control"), "A.6.2.6").await?;
    a.wait_for(Locator::Css(&format!("{row} li.control-chip[data-control='A.6.2.6']")), WAIT).await?;
    a.client.find(Locator::Id(&format!("risk-{risk}-new-action"))).await?.send_keys(ACTION).await?;
    a.client.find(Locator::Css(&format!("{row} form.add-action button[type=submit]"))).await?.click().await?;
    a.wait_for(Locator::Css(&format!("{row} li.treatment-action")), WAIT).await?;
    select(&a, &format!("risk-{risk}-residual-likelihood"), "2").await?;
    select(&a, &format!("risk-{risk}-residual-consequence"), "2").await?;
    wait_value(&a, &format!("#risk-{risk}-residual-consequence"), "2").await?;
    a.client.find(Locator::Id(&format!("risk-{risk}-approval-note"))).await?.send_keys("Accepted").await?;
    a.client.find(Locator::Id(&format!("risk-{risk}-approve"))).await?.click().await?;
    a.wait_for(Locator::Css(&approved(&risk)), WAIT).await?;
    wait_until_text(&a.client.find(Locator::Css(&state)).await?, "Treatment approved by Ada on ").await?;
    a.wait_for(Locator::Css(".approval-summary[data-approved='1'][data-awaiting='0']"), WAIT).await?;
    wait_synced_and_saved(&a).await?;
    screenshot(&a, "treatment-approved.png").await?;

    // B, an editor but not the owner, sees it approved by Ada, the approval signed by Ada's device
    // and verified, and cannot approve it.
    open_from_nav(&b, "/risks").await?;
    b.wait_for(Locator::Css(&approved(&risk)), WAIT).await?;
    let verdict =
        b.wait_for(Locator::Css(&format!("{row} .approval-verdict[data-verdict='verified']")), WAIT).await?;
    wait_until_text(&verdict, "signature verified").await?;
    wait_until_text(&b.client.find(Locator::Css(&state)).await?, "Treatment approved by Ada on ").await?;
    wait_until_text(&b.client.find(Locator::Css(&format!("{row} .approval-note"))).await?, "Accepted")
        .await?;
    assert!(b.client.find_all(Locator::Id(&format!("risk-{risk}-approve"))).await?.is_empty());

    // B re-rates the likelihood: A sees the approval changed since, and what it was.
    select(&b, &format!("risk-{risk}-likelihood"), "5").await?;
    let changed = format!("{row} section.treatment-approval[data-approval='changed']");
    b.wait_for(Locator::Css(&changed), WAIT).await?;
    let hint = b.wait_for(Locator::Css(&format!("{row} .treatment-approval .hint")), WAIT).await?;
    wait_until_text(&hint, "Only its owner, Ada, can approve").await?;
    assert!(b.client.find_all(Locator::Id(&format!("risk-{risk}-approve"))).await?.is_empty());
    a.wait_for(Locator::Css(&changed), WAIT).await?;
    wait_until_text(&a.client.find(Locator::Css(&state)).await?, "Changed since Ada's approval: likelihood")
        .await?;
    let was = a.client.find(Locator::Css(&format!("{row} .approval-was"))).await?;
    wait_until_text(&was, "likelihood was 3").await?;
    a.wait_for(Locator::Css(".approval-summary[data-approved='0'][data-changed='1']"), WAIT).await?;
    screenshot(&a, "treatment-changed.png").await?;

    // A approves again, through the cycle's step; B sees it approved again.
    approve_all(&a).await?;
    b.wait_for(Locator::Css(&approved(&risk)), WAIT).await?;
    wait_synced_and_saved(&a).await?;

    // The treatment plan view lists the risk with its treatment, action, control and approval.
    a.client.find(Locator::Id("risks-view-plan")).await?.click().await?;
    let item = a
        .wait_for(Locator::Css(&format!("li.plan-item[data-risk='{risk}'][data-approval='approved']")), WAIT)
        .await?;
    for expected in ["modify", ACTION, "A.6.2.6", "Low (4, acceptable)", "Treatment approved by Ada"] {
        wait_until_text(&item, expected).await?;
    }
    screenshot(&a, "treatment-plan.png").await?;

    // A reload keeps the approval.
    a.client.refresh().await?;
    a.wait_for(Locator::Css(&approved(&risk)), WAIT).await?;
    wait_until_text(&a.client.find(Locator::Css(&state)).await?, "Treatment approved by Ada on ").await?;
    assert!(a.client.find_all(Locator::Id(&format!("risk-{risk}-approve"))).await?.is_empty());

    a.close().await?;
    b.close().await?;
    let took = started.elapsed();
    println!("treatment e2e took {:.1} s", took.as_secs_f64());
    anyhow::ensure!(took < Duration::from_secs(180), "took {took:?}");
    Ok(())
}
