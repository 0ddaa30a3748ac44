//! The whole of clause 6 through the UI only: a new workspace starts with clause 6 open on its
//! dashboard; its owner lists an AI system in scope, identifies, rates and treats its risks and
//! approves their treatment,
//! decides and justifies all 38 Annex A controls (evidencing A.10's one applicable control), writes, submits and approves the system's impact
//! assessment, and sets an AI objective. The dashboard then shows clause 6 complete with nothing
//! of it missing, and so does the dashboard of a viewer in another browser.

use fantoccini::{Locator, elements::Element};
use quorum_tests::cycle::treatment;
use quorum_tests::form::{pick_date, screenshot, select, wait_value};
use quorum_tests::workspace::{
    WAIT, create_workspace, join, open_from_nav, set_soa_status, wait_synced_and_saved, wait_until_text,
};
use quorum_tests::{Browser, Server};

const SYSTEM: &str = "CV screening assistant";
const CONTROLS: usize = 38;
const EVIDENCE: &str = "Supplier responsibilities matrix";
/// Annex A controls this organization does not need: it buys no AI services and has no customers
/// using its AI systems (A.10's supplier and customer controls).
const EXCLUDED: [&str; 2] = ["A.10.3", "A.10.4"];

#[tokio::test]
async fn a_new_workspace_reaches_clause_6_complete_through_the_ui() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;

    // The new workspace's dashboard: clause 6 is open, with its gaps listed.
    open_from_nav(&a, "/dashboard").await?;
    a.wait_for(Locator::Css(&clause_bar("6", "open")), WAIT).await?;
    assert!(!gaps_of_clause_6(&a).await?.is_empty(), "a new workspace has clause 6 gaps");

    // An AI system in scope, owned by Ada.
    open_from_nav(&a, "/inventory").await?;
    a.wait_for(Locator::Id("inventory-new-name"), WAIT)
        .await?
        .send_keys(&format!("{SYSTEM}\u{E007}"))
        .await?;
    a.wait_for(Locator::Id("system-purpose"), WAIT).await?.send_keys("Ranks job applications").await?;
    a.client.find(Locator::Id("system-owner")).await?.select_by_label("Ada").await?;
    a.client.find(Locator::Id("system-in-scope")).await?.click().await?;
    a.wait_for(Locator::Css("#system-in-scope:checked"), WAIT).await?;

    // Two risks against the default 5×5 criteria: one above the acceptance threshold, modified
    // with an Annex A control down to a residual level, and one low enough to retain.
    open_from_nav(&a, "/risks").await?;
    let criteria = a.wait_for(Locator::Css(".criteria-summary"), WAIT).await?;
    wait_until_text(&criteria, "5 × 5 matrix").await?;
    let high = add_risk(&a, "Screening rejects older applicants").await?;
    rate(&a, &high, "likelihood", "4", "consequence", "5").await?;
    select(&a, &format!("risk-{high}-system"), &system_id(&a, &high).await?).await?;
    a.client.find(Locator::Id(&format!("risk-{high}-owner"))).await?.select_by_label("Ada").await?;
    select(&a, &format!("risk-{high}-treatment"), "modify").await?;
    select(&a, &format!("risk-{high}-link-control"), "A.7.4").await?;
    a.wait_for(
        Locator::Css(&format!("li.risk[data-risk='{high}'] li.control-chip[data-control='A.7.4']")),
        WAIT,
    )
    .await?;
    rate(&a, &high, "residual-likelihood", "2", "residual-consequence", "3").await?;
    let low = add_risk(&a, "Recruiters over-trust the ranking").await?;
    rate(&a, &low, "likelihood", "2", "consequence", "2").await?;
    a.client.find(Locator::Id(&format!("risk-{low}-owner"))).await?.select_by_label("Ada").await?;
    select(&a, &format!("risk-{low}-treatment"), "retain").await?;
    a.wait_for(Locator::Css(&format!("li.risk[data-risk='{low}'][data-treatment='retain']")), WAIT).await?;
    // Ada, who owns both, approves their treatment and accepts what is left of each.
    treatment::approve_all(&a).await?;
    screenshot(&a, "scenario-risks.png").await?;

    // Every Annex A control decided and justified: two excluded, the rest applicable.
    open_from_nav(&a, "/soa").await?;
    a.wait_for(Locator::Css("li.soa-row"), WAIT).await?;
    let rows = a.client.find_all(Locator::Css("li.soa-row")).await?;
    assert_eq!(rows.len(), CONTROLS, "the SoA lists every Annex A control");
    for row in rows {
        let control = row.attr("data-control").await?.unwrap_or_default();
        let reason = if EXCLUDED.contains(&control.as_str()) {
            "Excluded: no AI supplier or customer relationship exists."
        } else {
            "Applicable: needed to treat the risks of the CV screening assistant."
        };
        row.find(Locator::Css("textarea.justification")).await?.send_keys(reason).await?;
        if EXCLUDED.contains(&control.as_str()) {
            row.find(Locator::Css("select.applicability")).await?.select_by_value("excluded").await?;
        }
    }
    for control in EXCLUDED {
        a.wait_for(
            Locator::Css(&format!("li[data-control='{control}'][data-applicability='excluded']")),
            WAIT,
        )
        .await?;
    }
    // A.10 done: its two exclusions, and A.10.2 implemented, owned and evidenced.
    set_soa_status(&a, "A.10.2", "implemented").await?;
    a.client.find(Locator::Id("soa-A.10.2-owner")).await?.select_by_label("Ada").await?;
    a.client
        .find(Locator::Css("li[data-control='A.10.2'] details.evidence-adder summary"))
        .await?
        .click()
        .await?;
    a.client.find(Locator::Id("soa-A.10.2-evidence-label")).await?.send_keys(EVIDENCE).await?;
    a.client
        .find(Locator::Id("soa-A.10.2-evidence-link"))
        .await?
        .send_keys("https://intranet.example/raci")
        .await?;
    a.client.find(Locator::Css("li[data-control='A.10.2'] form.evidence-add button")).await?.click().await?;
    a.wait_for(Locator::Css("li[data-control='A.10.2'][data-done='true'] li.evidence a"), WAIT).await?;
    a.wait_for(Locator::Css("li[data-control='A.7.4'] li.risk-chip"), WAIT).await?;
    a.wait_for(Locator::Css(&objective_progress("A.10", 3, 3)), WAIT).await?;
    // The filters: a search, then only what is still open (all but A.10's three).
    a.client.find(Locator::Id("soa-search")).await?.send_keys("customers").await?;
    a.wait_for(Locator::Css(".soa-shown[data-shown='1']"), WAIT).await?;
    assert!(a.client.find(Locator::Css("li[data-control='A.10.4']")).await?.is_displayed().await?);
    assert!(!a.client.find(Locator::Css("li[data-control='A.2.2']")).await?.is_displayed().await?);
    button(&a, "Show all").await?.click().await?;
    a.wait_for(Locator::Css(&format!(".soa-shown[data-shown='{CONTROLS}']")), WAIT).await?;
    a.client.find(Locator::Id("soa-filter-open")).await?.click().await?;
    a.wait_for(Locator::Css(&format!(".soa-shown[data-shown='{}']", CONTROLS - 3)), WAIT).await?;
    button(&a, "Show all").await?.click().await?;
    screenshot(&a, "scenario-soa.png").await?;

    // The system's impact assessment: written, submitted and approved.
    open_from_nav(&a, "/impact").await?;
    a.wait_for(Locator::Id("impact-new-subject"), WAIT).await?.select_by_label(SYSTEM).await?;
    a.client.find(Locator::Css("form.impact-new button[type=submit]")).await?.click().await?;
    a.wait_for(Locator::Css(".impact-assessment[data-status='draft']"), WAIT).await?;
    a.wait_for(Locator::Id("impact-section-6-2-narrative"), WAIT)
        .await?
        .send_keys("Screening of job applications at Acme, from 2027.")
        .await?;
    wait_value(&a, "#impact-section-6-2-narrative", "Screening of job applications at Acme, from 2027.")
        .await?;
    a.wait_for(Locator::Id("impact-new-description"), WAIT)
        .await?
        .send_keys("Older applicants are rejected more often")
        .await?;
    a.client.find(Locator::Css("form.impact-add button[type=submit]")).await?.click().await?;
    let impact = a
        .wait_for(Locator::Css("li.rated-impact"), WAIT)
        .await?
        .attr("data-impact")
        .await?
        .unwrap_or_default();
    select(&a, &format!("impact-{impact}-likelihood"), "3").await?;
    select(&a, &format!("impact-{impact}-severity"), "4").await?;
    a.wait_for(Locator::Css("li.rated-impact[data-likelihood='3'][data-severity='4']"), WAIT).await?;
    let assessment = a.client.current_url().await?.path().to_owned();
    pick_date(&a, "impact-review-date", "2027-06-30").await?;
    button(&a, "Submit for review").await?.click().await?;
    a.wait_for(Locator::Css(".impact-assessment[data-status='in-review']"), WAIT).await?;
    button(&a, "Approve").await?.click().await?;
    a.wait_for(Locator::Css(".impact-assessment[data-status='approved']"), WAIT).await?;
    screenshot(&a, "scenario-impact.png").await?;

    // An AI objective with its measure, target, owner and due date.
    open_from_nav(&a, "/objectives").await?;
    a.wait_for(Locator::Id("objective-new-title"), WAIT)
        .await?
        .send_keys("Fair screening across age groups\u{E007}")
        .await?;
    let objective = a.wait_for(Locator::Css("li.objective"), WAIT).await?;
    let id = objective.attr("data-objective").await?.unwrap_or_default();
    let field = |name: &str| format!("objective-{id}-{name}");
    a.client
        .find(Locator::Id(&field("measure")))
        .await?
        .send_keys("Selection-rate ratio, oldest to youngest band\t")
        .await?;
    a.client.find(Locator::Id(&field("target"))).await?.send_keys("At least 0.8\t").await?;
    a.client.find(Locator::Id(&field("owner"))).await?.select_by_label("Ada").await?;
    pick_date(&a, &field("due"), "2027-03-31").await?;
    wait_value(&a, &format!("#{}", field("due")), "2027-03-31").await?;
    wait_synced_and_saved(&a).await?;
    screenshot(&a, "scenario-objectives.png").await?;

    // The dashboard: clause 6 complete, and none of its gaps left.
    open_from_nav(&a, "/dashboard").await?;
    let bar = a.wait_for(Locator::Css(&clause_bar("6", "complete")), WAIT).await?;
    assert_eq!(bar.attr("data-met").await?, bar.attr("data-total").await?);
    let left = gaps_of_clause_6(&a).await?;
    assert!(left.is_empty(), "clause 6 still lists gaps: {left:?}");
    screenshot(&a, "scenario-dashboard.png").await?;

    // A viewer in another browser sees the same, after a reload from its own storage too.
    let b = Browser::launch().await?;
    join(&server, &a, &b, "viewer", "Vic").await?;
    open_from_nav(&b, "/dashboard").await?;
    b.wait_for(Locator::Css(&clause_bar("6", "complete")), WAIT).await?;
    b.client.refresh().await?;
    b.wait_for(Locator::Css(&clause_bar("6", "complete")), WAIT).await?;

    // The viewer sees A.10 complete, and the evidence that makes it so.
    b.wait_for(Locator::Css("li.progress-bar[data-bar='A.10'][data-state='complete']"), WAIT).await?;
    open_from_nav(&b, "/soa").await?;
    let evidence = b.wait_for(Locator::Css("li[data-control='A.10.2'] li.evidence a"), WAIT).await?;
    wait_until_text(&evidence, EVIDENCE).await?;
    b.wait_for(Locator::Css(&objective_progress("A.10", 3, 3)), WAIT).await?;

    // The viewer reads the approved assessment's rated impact, and can change none of it.
    b.client.goto(&server.url(&assessment)).await?;
    b.wait_for(Locator::Css(".impact-assessment[data-status='approved']"), WAIT).await?;
    let severity = b.wait_for(Locator::Id(&format!("impact-{impact}-severity")), WAIT).await?;
    wait_value(&b, &format!("#impact-{impact}-severity"), "4").await?;
    assert!(!severity.is_enabled().await?, "a viewer cannot rate an impact");
    assert!(b.client.find_all(Locator::Id("impact-new-description")).await?.is_empty());

    a.close().await?;
    b.close().await
}

/// An objective's progress in its SoA heading.
fn objective_progress(objective: &str, met: usize, total: usize) -> String {
    format!(
        "section[aria-labelledby='soa-objective-{objective}'] .soa-progress[data-met='{met}'][data-total='{total}']"
    )
}

fn clause_bar(clause: &str, state: &str) -> String {
    format!("li.progress-bar[data-bar='{clause}'][data-state='{state}']")
}

/// The texts of the dashboard's gaps under clause 6 and its subclauses.
async fn gaps_of_clause_6(browser: &Browser) -> anyhow::Result<Vec<String>> {
    let mut texts = Vec::new();
    for gap in browser.client.find_all(Locator::Css("li.gap[data-clause^='6.']")).await? {
        texts.push(gap.text().await?);
    }
    Ok(texts)
}

/// Adds a risk through the register's form and returns its id.
async fn add_risk(browser: &Browser, title: &str) -> anyhow::Result<String> {
    let before = browser.client.find_all(Locator::Css("li.risk")).await?.len();
    browser.wait_for(Locator::Id("new-risk-title"), WAIT).await?.send_keys(title).await?;
    browser.client.find(Locator::Css("form.add-risk button[type=submit]")).await?.click().await?;
    let deadline = std::time::Instant::now() + WAIT;
    while browser.client.find_all(Locator::Css("li.risk")).await?.len() <= before {
        anyhow::ensure!(std::time::Instant::now() < deadline, "the risk {title:?} was not added");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let last = browser.client.find_all(Locator::Css("li.risk")).await?.pop().expect("a risk is listed");
    wait_until_text(&last.find(Locator::Css("h3")).await?, title).await?;
    Ok(last.attr("data-risk").await?.unwrap_or_default())
}

/// Sets two ratings of a risk and waits until its row carries the first.
async fn rate(
    browser: &Browser,
    risk: &str,
    first: &str,
    first_value: &str,
    second: &str,
    second_value: &str,
) -> anyhow::Result<()> {
    select(browser, &format!("risk-{risk}-{first}"), first_value).await?;
    select(browser, &format!("risk-{risk}-{second}"), second_value).await?;
    wait_value(browser, &format!("#risk-{risk}-{second}"), second_value).await
}

/// The value of the inventory's one system in a risk's system picker.
async fn system_id(browser: &Browser, risk: &str) -> anyhow::Result<String> {
    let option = browser
        .wait_for(
            Locator::XPath(&format!(
                "//select[@id='risk-{risk}-system']/option[normalize-space()='{SYSTEM}']"
            )),
            WAIT,
        )
        .await?;
    Ok(option.attr("value").await?.unwrap_or_default())
}

async fn button(browser: &Browser, label: &str) -> anyhow::Result<Element> {
    browser.wait_for(Locator::XPath(&format!("//button[normalize-space()='{label}']")), WAIT).await
}
