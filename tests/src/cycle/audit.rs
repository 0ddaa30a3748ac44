//! Internal audit (9.2): a programme whose planned audit covers every clause 4 to 10 and every
//! applicable control, and an audit held from it, judged row by row, concluded and closed.

use fantoccini::Locator;

use crate::Browser;
use crate::form;
use crate::wait::wait_until;
use crate::workspace::{WAIT, open_from_nav, wait_synced_and_saved};

/// In a workspace whose SoA is fully decided (the browser is its sole member "Ada", owner):
/// plans an audit on `/audits` covering every clause 4 to 10 and every applicable control
/// ("Select all"), with Ada as auditor, starts it, gives every checklist row a verdict (the
/// first a minor nonconformity, whose finding, summarized as `nonconformity`, is recorded in the
/// nonconformity register), writes a conclusion and closes it: 9.2.1 and 9.2.2 are met.
pub async fn hold_audit(browser: &Browser, nonconformity: &str) -> anyhow::Result<()> {
    open_from_nav(browser, "/audits").await?;
    let title = browser.wait_for(Locator::Id("planned-audit-new-title"), WAIT).await?;
    let before = browser.client.find_all(Locator::Css("li.planned-audit")).await?.len();
    set_value(browser, "audit-cycle-start", "2026").await?;
    title.send_keys("Audit of the whole AIMS").await?;
    browser.client.find(Locator::Id("planned-audit-add")).await?.click().await?;
    let planned = wait_count(browser, "li.planned-audit", before + 1).await?;
    let id =
        planned.last().expect("one planned audit at least").attr("data-planned").await?.unwrap_or_default();
    let field = |name: &str| format!("planned-{id}-{name}");

    browser.wait_for(Locator::Id(&field("scope-editor-scope-all")), WAIT).await?.click().await?;
    browser.wait_for(Locator::Css(".audit-coverage[data-complete='true']"), WAIT).await?;
    browser.wait_for(Locator::Id(&field("auditor")), WAIT).await?.select_by_label("Ada").await?;
    browser
        .wait_for(Locator::Id(&field("criteria")), WAIT)
        .await?
        .send_keys("ISO/IEC 42001 clauses 4 to 10, the applicable Annex A controls, our AI policy")
        .await?;
    form::pick_date(browser, &field("from"), "2026-03-02").await?;
    browser.wait_for(Locator::Id(&field("start")), WAIT).await?.click().await?;
    browser.wait_for(Locator::Css(".audit[data-status='open']"), WAIT).await?;

    // Every row of the checklist gets a verdict: the first a minor nonconformity.
    let count: usize = browser
        .wait_for(Locator::Css(".audit-scope[data-scope-count]"), WAIT)
        .await?
        .attr("data-scope-count")
        .await?
        .unwrap_or_default()
        .parse()?;
    anyhow::ensure!(count > 7, "the scope holds the clauses and the applicable controls, found {count}");
    let rows = wait_count(browser, "li.checklist-row", count).await?;
    let mut items = Vec::new();
    for row in rows {
        items.push(row.attr("data-item").await?.unwrap_or_default());
    }
    let first = items[0].clone();
    form::select(browser, &format!("audit-row-{first}-verdict"), "minor-nonconformity").await?;
    browser.wait_for(Locator::Id(&format!("audit-row-{first}-record-finding")), WAIT).await?.click().await?;
    browser.wait_for(Locator::Id("finding-new-summary"), WAIT).await?.send_keys(nonconformity).await?;
    browser.client.find(Locator::Id("finding-add")).await?.click().await?;
    browser.wait_for(Locator::Css("li.finding[data-kind='minor-nonconformity']"), WAIT).await?;
    browser.wait_for(Locator::Css(".finding-nonconformity[data-nc-state='recorded']"), WAIT).await?;
    for item in &items[1..] {
        form::select(browser, &format!("audit-row-{item}-verdict"), "conforms").await?;
    }
    browser.wait_for(Locator::Css(&format!(".audit-checklist [data-judged='{count}']")), WAIT).await?;

    browser
        .wait_for(Locator::Id("audit-conclusion"), WAIT)
        .await?
        .send_keys("The AIMS conforms and is effective, but for one minor nonconformity to correct.")
        .await?;
    browser.client.find(Locator::Id("audit-close")).await?.click().await?;
    browser.wait_for(Locator::Css(".audit[data-status='closed']"), WAIT).await?;
    wait_synced_and_saved(browser).await?;
    Ok(())
}

/// Sets an input's value and fires its change event, as a person leaving the field would.
async fn set_value(browser: &Browser, id: &str, value: &str) -> anyhow::Result<()> {
    form::pick_date(browser, id, value).await
}

/// Waits until `css` matches exactly `n` elements, and returns them.
async fn wait_count(
    browser: &Browser,
    css: &str,
    n: usize,
) -> anyhow::Result<Vec<fantoccini::elements::Element>> {
    wait_until(&format!("{css} to match {n}"), WAIT, async |seen| {
        let found = browser.client.find_all(Locator::Css(css)).await?;
        *seen = found.len().to_string();
        Ok((found.len() == n).then_some(found))
    })
    .await
}
