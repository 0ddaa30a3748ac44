//! Clauses 6 and 8 through the UI: an AI system in scope, its risks rated, treated (with an owned
//! and dated action) and their treatment approved, every Annex A control decided and justified (A.10's one applicable control
//! evidenced), the system's impact assessment approved, and an AI objective.

use fantoccini::{Locator, elements::Element};

use crate::Browser;
use crate::cycle::treatment;
use crate::form::{pick_date, screenshot, select, wait_value};
use crate::wait::wait_until;
use crate::workspace::{WAIT, open_from_nav, set_soa_status, wait_synced_and_saved, wait_until_text};

/// The AI system the cycle is about.
pub const SYSTEM: &str = "CV screening assistant";
/// The Annex A controls.
pub const CONTROLS: usize = 38;
/// The evidence A.10.2 is implemented with.
pub const EVIDENCE: &str = "Supplier responsibilities matrix";
/// Annex A controls this organization does not need: it buys no AI services and has no customers
/// using its AI systems (A.10's supplier and customer controls).
pub const EXCLUDED: [&str; 2] = ["A.10.3", "A.10.4"];

/// Lists the AI system, in scope and owned by Ada.
pub async fn list_system(browser: &Browser) -> anyhow::Result<()> {
    open_from_nav(browser, "/inventory").await?;
    browser
        .wait_for(Locator::Id("inventory-new-name"), WAIT)
        .await?
        .send_keys(&format!("{SYSTEM}\u{E007}"))
        .await?;
    browser.wait_for(Locator::Id("system-purpose"), WAIT).await?.send_keys("Ranks job applications").await?;
    browser.client.find(Locator::Id("system-owner")).await?.select_by_label("Ada").await?;
    browser.client.find(Locator::Id("system-in-scope")).await?.click().await?;
    browser.wait_for(Locator::Css("#system-in-scope:checked"), WAIT).await?;
    Ok(())
}

/// Two risks against the default criteria, rated, treated and their treatment approved.
pub async fn assess_risks(browser: &Browser) -> anyhow::Result<()> {
    // Two risks against the default 5×5 criteria: one above the acceptance threshold, modified
    // with an Annex A control down to a residual level, and one low enough to retain.
    open_from_nav(browser, "/risks").await?;
    let criteria = browser.wait_for(Locator::Css(".criteria-summary"), WAIT).await?;
    wait_until_text(&criteria, "5 × 5 matrix").await?;
    let high = add_risk(browser, "Screening rejects older applicants").await?;
    rate(browser, &high, "likelihood", "4", "consequence", "5").await?;
    select(browser, &format!("risk-{high}-system"), &system_id(browser, &high).await?).await?;
    browser.client.find(Locator::Id(&format!("risk-{high}-owner"))).await?.select_by_label("Ada").await?;
    select(browser, &format!("risk-{high}-treatment"), "modify").await?;
    select(browser, &format!("risk-{high}-link-control"), "A.7.4").await?;
    browser
        .wait_for(
            Locator::Css(&format!("li.risk[data-risk='{high}'] li.control-chip[data-control='A.7.4']")),
            WAIT,
        )
        .await?;
    rate(browser, &high, "residual-likelihood", "2", "residual-consequence", "3").await?;
    // Its treatment action, owned and due (8.3).
    let row = format!("li.risk[data-risk='{high}']");
    browser
        .client
        .find(Locator::Id(&format!("risk-{high}-new-action")))
        .await?
        .send_keys("Test the ranking on every age band before each release")
        .await?;
    browser
        .client
        .find(Locator::Css(&format!("{row} form.add-action button[type=submit]")))
        .await?
        .click()
        .await?;
    let action = browser.wait_for(Locator::Css(&format!("{row} li.treatment-action")), WAIT).await?;
    let action = action.attr("data-action").await?.unwrap_or_default();
    browser.client.find(Locator::Id(&format!("action-{action}-owner"))).await?.select_by_label("Ada").await?;
    pick_date(browser, &format!("action-{action}-due"), "2027-01-31").await?;
    wait_value(browser, &format!("#action-{action}-due"), "2027-01-31").await?;
    let low = add_risk(browser, "Recruiters over-trust the ranking").await?;
    rate(browser, &low, "likelihood", "2", "consequence", "2").await?;
    browser.client.find(Locator::Id(&format!("risk-{low}-owner"))).await?.select_by_label("Ada").await?;
    select(browser, &format!("risk-{low}-treatment"), "retain").await?;
    browser
        .wait_for(Locator::Css(&format!("li.risk[data-risk='{low}'][data-treatment='retain']")), WAIT)
        .await?;
    // Ada, who owns both, approves their treatment and accepts what is left of each.
    treatment::approve_all(browser).await?;
    screenshot(browser, "scenario-risks.png").await
}

/// Decides and justifies every Annex A control: two excluded, A.10.2 implemented and evidenced.
pub async fn decide_soa(browser: &Browser) -> anyhow::Result<()> {
    open_from_nav(browser, "/soa").await?;
    browser.wait_for(Locator::Css("li.soa-row"), WAIT).await?;
    let rows = browser.client.find_all(Locator::Css("li.soa-row")).await?;
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
        browser
            .wait_for(
                Locator::Css(&format!("li[data-control='{control}'][data-applicability='excluded']")),
                WAIT,
            )
            .await?;
    }
    // A.10 done: its two exclusions, and A.10.2 implemented, owned and evidenced.
    set_soa_status(browser, "A.10.2", "implemented").await?;
    browser.client.find(Locator::Id("soa-A.10.2-owner")).await?.select_by_label("Ada").await?;
    browser
        .client
        .find(Locator::Css("li[data-control='A.10.2'] details.evidence-adder summary"))
        .await?
        .click()
        .await?;
    browser.client.find(Locator::Id("soa-A.10.2-evidence-label")).await?.send_keys(EVIDENCE).await?;
    browser
        .client
        .find(Locator::Id("soa-A.10.2-evidence-link"))
        .await?
        .send_keys("https://intranet.example/raci")
        .await?;
    browser
        .client
        .find(Locator::Css("li[data-control='A.10.2'] form.evidence-add button"))
        .await?
        .click()
        .await?;
    browser.wait_for(Locator::Css("li[data-control='A.10.2'][data-done='true'] li.evidence a"), WAIT).await?;
    browser.wait_for(Locator::Css("li[data-control='A.7.4'] li.risk-chip"), WAIT).await?;
    browser.wait_for(Locator::Css(&objective_progress("A.10", 3, 3)), WAIT).await?;
    // The filters: a search, then only what is still open (all but A.10's three).
    browser.client.find(Locator::Id("soa-search")).await?.send_keys("customers").await?;
    browser.wait_for(Locator::Css(".soa-shown[data-shown='1']"), WAIT).await?;
    assert!(browser.client.find(Locator::Css("li[data-control='A.10.4']")).await?.is_displayed().await?);
    assert!(!browser.client.find(Locator::Css("li[data-control='A.2.2']")).await?.is_displayed().await?);
    button(browser, "Show all").await?.click().await?;
    browser.wait_for(Locator::Css(&format!(".soa-shown[data-shown='{CONTROLS}']")), WAIT).await?;
    browser.client.find(Locator::Id("soa-filter-open")).await?.click().await?;
    browser.wait_for(Locator::Css(&format!(".soa-shown[data-shown='{}']", CONTROLS - 3)), WAIT).await?;
    button(browser, "Show all").await?.click().await?;
    screenshot(browser, "scenario-soa.png").await?;

    Ok(())
}

/// Writes, submits and approves the system's impact assessment; returns its path and its one
/// rated impact's id.
pub async fn approve_impact_assessment(browser: &Browser) -> anyhow::Result<(String, String)> {
    open_from_nav(browser, "/impact").await?;
    browser.wait_for(Locator::Id("impact-new-subject"), WAIT).await?.select_by_label(SYSTEM).await?;
    browser.client.find(Locator::Css("form.impact-new button[type=submit]")).await?.click().await?;
    browser.wait_for(Locator::Css(".impact-assessment[data-status='draft']"), WAIT).await?;
    browser
        .wait_for(Locator::Id("impact-section-6-2-narrative"), WAIT)
        .await?
        .send_keys("Screening of job applications at Acme, from 2027.")
        .await?;
    wait_value(browser, "#impact-section-6-2-narrative", "Screening of job applications at Acme, from 2027.")
        .await?;
    browser
        .wait_for(Locator::Id("impact-new-description"), WAIT)
        .await?
        .send_keys("Older applicants are rejected more often")
        .await?;
    browser.client.find(Locator::Css("form.impact-add button[type=submit]")).await?.click().await?;
    let impact = browser
        .wait_for(Locator::Css("li.rated-impact"), WAIT)
        .await?
        .attr("data-impact")
        .await?
        .unwrap_or_default();
    select(browser, &format!("impact-{impact}-likelihood"), "3").await?;
    select(browser, &format!("impact-{impact}-severity"), "4").await?;
    browser.wait_for(Locator::Css("li.rated-impact[data-likelihood='3'][data-severity='4']"), WAIT).await?;
    let assessment = browser.client.current_url().await?.path().to_owned();
    pick_date(browser, "impact-review-date", "2027-06-30").await?;
    button(browser, "Submit for review").await?.click().await?;
    browser.wait_for(Locator::Css(".impact-assessment[data-status='in-review']"), WAIT).await?;
    button(browser, "Approve").await?.click().await?;
    browser.wait_for(Locator::Css(".impact-assessment[data-status='approved']"), WAIT).await?;
    screenshot(browser, "scenario-impact.png").await?;

    Ok((assessment, impact))
}

/// An AI objective with its measure, target, owner and due date.
pub async fn set_objective(browser: &Browser) -> anyhow::Result<()> {
    open_from_nav(browser, "/objectives").await?;
    browser
        .wait_for(Locator::Id("objective-new-title"), WAIT)
        .await?
        .send_keys("Fair screening across age groups\u{E007}")
        .await?;
    let objective = browser.wait_for(Locator::Css("li.objective"), WAIT).await?;
    let id = objective.attr("data-objective").await?.unwrap_or_default();
    let field = |name: &str| format!("objective-{id}-{name}");
    browser
        .client
        .find(Locator::Id(&field("measure")))
        .await?
        .send_keys("Selection-rate ratio, oldest to youngest band\t")
        .await?;
    browser.client.find(Locator::Id(&field("target"))).await?.send_keys("At least 0.8\t").await?;
    browser.client.find(Locator::Id(&field("owner"))).await?.select_by_label("Ada").await?;
    pick_date(browser, &field("due"), "2027-03-31").await?;
    wait_value(browser, &format!("#{}", field("due")), "2027-03-31").await?;
    wait_synced_and_saved(browser).await?;
    screenshot(browser, "scenario-objectives.png").await
}

/// An objective's progress in its SoA heading.
pub fn objective_progress(objective: &str, met: usize, total: usize) -> String {
    format!(
        "section[aria-labelledby='soa-objective-{objective}'] .soa-progress[data-met='{met}'][data-total='{total}']"
    )
}

/// A clause's bar on the dashboard, in a state (`open`, `complete`).
pub fn clause_bar(clause: &str, state: &str) -> String {
    format!("li.progress-bar[data-bar='{clause}'][data-state='{state}']")
}

/// The texts of the dashboard's gaps under a clause and its subclauses.
pub async fn gaps_of_clause(browser: &Browser, clause: &str) -> anyhow::Result<Vec<String>> {
    let mut texts = Vec::new();
    let css = format!("li.gap[data-clause='{clause}'], li.gap[data-clause^='{clause}.']");
    for gap in browser.client.find_all(Locator::Css(&css)).await? {
        texts.push(gap.text().await?);
    }
    Ok(texts)
}

/// Adds a risk through the register's form and returns its id.
async fn add_risk(browser: &Browser, title: &str) -> anyhow::Result<String> {
    let before = browser.client.find_all(Locator::Css("li.risk")).await?.len();
    browser.wait_for(Locator::Id("new-risk-title"), WAIT).await?.send_keys(title).await?;
    browser.client.find(Locator::Css("form.add-risk button[type=submit]")).await?.click().await?;
    wait_until(&format!("the risk {title:?} to be added"), WAIT, async |_| {
        Ok((browser.client.find_all(Locator::Css("li.risk")).await?.len() > before).then_some(()))
    })
    .await?;
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

pub async fn button(browser: &Browser, label: &str) -> anyhow::Result<Element> {
    browser.wait_for(Locator::XPath(&format!("//button[normalize-space()='{label}']")), WAIT).await
}
