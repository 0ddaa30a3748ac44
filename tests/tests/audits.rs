//! Internal audit in two real browsers through the real relay: A plans an audit and B sees it;
//! A starts it and both fill the same checklist row; a minor nonconformity found is recorded in
//! the nonconformity register and linked from the audit; closing is refused without a
//! conclusion, then accepted; a reload keeps everything. Then the certification cycle's step
//! holds a full audit, which covers every clause and applicable control.

use std::time::Instant;

use fantoccini::Locator;
use quorum_tests::cycle::audit::hold_audit;
use quorum_tests::form::{self, screenshot, wait_value};
use quorum_tests::wait::wait_until;
use quorum_tests::workspace::{
    WAIT, create_workspace, join, open_from_nav, wait_synced_and_saved, wait_until_text,
};
use quorum_tests::{Browser, Server};

#[tokio::test]
async fn an_audit_is_planned_held_together_and_closed() -> anyhow::Result<()> {
    let started = Instant::now();
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    let b = Browser::launch().await?;
    join(&server, &a, &b, "editor", "Bea").await?;

    // A plans an audit of leadership and of control A.2.2; B sees it with its scope.
    open_from_nav(&a, "/audits").await?;
    open_from_nav(&b, "/audits").await?;
    b.wait_for(Locator::Css("[data-empty='planned-audits']"), WAIT).await?;
    a.wait_for(Locator::Id("planned-audit-new-title"), WAIT).await?.send_keys("Leadership").await?;
    a.client.find(Locator::Id("planned-audit-add")).await?.click().await?;
    let planned = a.wait_for(Locator::Css("li.planned-audit"), WAIT).await?;
    let id = planned.attr("data-planned").await?.unwrap_or_default();
    let field = |name: &str| format!("planned-{id}-{name}");
    a.wait_for(Locator::Id(&field("scope-editor-scope-5")), WAIT).await?.click().await?;
    a.wait_for(Locator::Id(&field("scope-editor-scope-A.2.2")), WAIT).await?.click().await?;
    a.wait_for(Locator::Css(&format!("li[data-planned='{id}'] .audit-scope[data-scope-count='2']")), WAIT)
        .await?;
    a.client.find(Locator::Id(&field("auditor"))).await?.select_by_label("Bea").await?;
    let uncovered = a.wait_for(Locator::Css(".audit-coverage [data-uncovered='clauses']"), WAIT).await?;
    wait_until_text(&uncovered, "4, 6, 7, 8, 9, 10").await?;
    b.wait_for(Locator::Css(&format!("li[data-planned='{id}'] .audit-scope[data-scope-count='2']")), WAIT)
        .await?;
    wait_value(&b, &format!("#{}", field("title")), "Leadership").await?;
    screenshot(&a, "audits-programme.png").await?;

    // A starts it; B opens it from the programme.
    a.wait_for(Locator::Id(&field("start")), WAIT).await?.click().await?;
    a.wait_for(Locator::Css(".audit[data-status='open']"), WAIT).await?;
    let open = b
        .wait_for(
            Locator::Css(&format!("li[data-planned='{id}'][data-status='in-progress'] a.planned-open")),
            WAIT,
        )
        .await?;
    open.click().await?;
    b.wait_for(Locator::Css(".audit[data-status='open']"), WAIT).await?;
    b.wait_for(Locator::Css("li.checklist-row[data-item='A.2.2']"), WAIT).await?;

    // Both fill row 5: A its verdict and notes, B its evidence and more notes.
    form::select(&a, "audit-row-5-verdict", "conforms").await?;
    a.wait_for(Locator::Id("audit-row-5-notes"), WAIT).await?.send_keys("Policy approved.").await?;
    b.wait_for(Locator::Css("li.checklist-row[data-item='5'][data-verdict='conforms']"), WAIT).await?;
    wait_value(&b, "#audit-row-5-notes", "Policy approved.").await?;
    b.client.find(Locator::Id("audit-row-5-notes")).await?.send_keys(" Minutes seen.").await?;
    b.client.find(Locator::Id("audit-row-5-evidence")).await?.send_keys("/policy").await?;
    wait_value(&a, "#audit-row-5-notes", "Policy approved. Minutes seen.").await?;
    wait_value(&a, "#audit-row-5-evidence", "/policy").await?;

    // B judges A.2.2 a minor nonconformity and records its finding: the record is made in the
    // nonconformity register and linked from the audit, in both browsers.
    form::select(&b, "audit-row-A.2.2-verdict", "minor-nonconformity").await?;
    b.wait_for(Locator::Id("audit-row-A.2.2-record-finding"), WAIT).await?.click().await?;
    b.wait_for(Locator::Id("finding-new-summary"), WAIT).await?.send_keys("Policy not communicated").await?;
    b.client.find(Locator::Id("finding-add")).await?.click().await?;
    let link = b.wait_for(Locator::Css(".finding-nonconformity[data-nc-state='recorded']"), WAIT).await?;
    let nc = link.attr("data-nc").await?.unwrap_or_default();
    let href = link.find(Locator::Css("a")).await?.attr("href").await?.unwrap_or_default();
    assert_eq!(href, format!("/improvement#nc-{nc}"));
    a.wait_for(
        Locator::Css(&format!(".finding-nonconformity[data-nc='{nc}'][data-nc-state='recorded']")),
        WAIT,
    )
    .await?;
    a.wait_for(Locator::Css("li.finding[data-kind='minor-nonconformity']"), WAIT).await?;

    // Closing is refused without a conclusion, then accepted.
    a.wait_for(Locator::Css(".audit-checklist [data-judged='2']"), WAIT).await?;
    a.client.find(Locator::Id("audit-close")).await?.click().await?;
    let refusal = a.wait_for(Locator::Id("audit-close-error"), WAIT).await?;
    wait_until_text(&refusal, "without a conclusion").await?;
    a.client.find(Locator::Css(".audit[data-status='open']")).await?;
    a.client
        .find(Locator::Id("audit-conclusion"))
        .await?
        .send_keys("Leadership conforms; communication lags.")
        .await?;
    a.client.find(Locator::Id("audit-close")).await?.click().await?;
    a.wait_for(Locator::Css(".audit[data-status='closed']"), WAIT).await?;
    b.wait_for(Locator::Css(".audit[data-status='closed']"), WAIT).await?;
    screenshot(&b, "audits-audit.png").await?;

    // A reload keeps everything.
    wait_synced_and_saved(&a).await?;
    wait_synced_and_saved(&b).await?;
    b.client.refresh().await?;
    b.wait_for(Locator::Css(".audit[data-status='closed']"), WAIT).await?;
    wait_value(&b, "#audit-row-5-notes", "Policy approved. Minutes seen.").await?;
    b.wait_for(Locator::Css("li.checklist-row[data-item='A.2.2'][data-verdict='minor-nonconformity']"), WAIT)
        .await?;
    b.wait_for(
        Locator::Css(&format!(".finding-nonconformity[data-nc='{nc}'][data-nc-state='recorded']")),
        WAIT,
    )
    .await?;
    wait_value(&b, "#audit-conclusion", "Leadership conforms; communication lags.").await?;

    // The cycle's step: a full audit, after which the programme covers everything.
    hold_audit(&a, "Risk owners missing").await?;
    open_from_nav(&a, "/audits").await?;
    a.wait_for(Locator::Css(".audit-coverage[data-complete='true']"), WAIT).await?;
    a.wait_for(Locator::Css("li.planned-audit[data-status='closed']"), WAIT).await?;
    screenshot(&a, "audits-programme-complete.png").await?;
    open_from_nav(&a, "/dashboard").await?;
    a.wait_for(Locator::Css(".clause-gaps li.gap"), WAIT).await?;
    wait_until("the dashboard's gaps under 9.2 to go", WAIT, async |_| {
        let gaps = a
            .client
            .find_all(Locator::Css("li.gap[data-clause='9.2.1'], li.gap[data-clause='9.2.2']"))
            .await?;
        Ok(gaps.is_empty().then_some(()))
    })
    .await?;
    open_from_nav(&a, "/audits").await?;
    a.wait_for(Locator::Css(".audit-coverage[data-complete='true']"), WAIT).await?;
    a.client.set_window_size(800, 900).await?;
    screenshot_narrow(&a, "audits-programme-800.png").await?;

    println!("audits e2e: {:.1} s", started.elapsed().as_secs_f64());
    a.close().await?;
    b.close().await?;
    Ok(())
}

/// A picture at the current (narrow) window width, when screenshots are asked for.
async fn screenshot_narrow(browser: &Browser, name: &str) -> anyhow::Result<()> {
    let Ok(dir) = std::env::var("QUORUM_SCREENSHOT_DIR") else { return Ok(()) };
    std::fs::write(std::path::Path::new(&dir).join(name), browser.client.screenshot().await?)?;
    Ok(())
}
