//! Clause 5 through the policy and roles pages: a policy written, approved and given a review
//! date; every AIMS process with Ada accountable; a way to report concerns.

use fantoccini::Locator;

use crate::Browser;
use crate::form::{pick_date, wait_value};
use crate::wait::wait_until;
use crate::workspace::{WAIT, open_from_nav};

const POLICY: &str =
    "Acme uses AI only where it treats people fairly, and explains every decision it informs.";
const CONCERNS: &str =
    "Anyone may raise a concern about an AI system with the ethics desk, anonymously if they wish.";

/// Writes the AI policy, proposes it as version 1, approves it and sets its next review.
pub async fn approve_policy(browser: &Browser) -> anyhow::Result<()> {
    open_from_nav(browser, "/policy").await?;
    browser.wait_for(Locator::Id("policy-text"), WAIT).await?.send_keys(POLICY).await?;
    wait_value(browser, "#policy-text", POLICY).await?;
    pick_date(browser, "policy-review-date", "2027-12-01").await?;
    wait_value(browser, "#policy-review-date", "2027-12-01").await?;
    browser.client.find(Locator::Id("policy-version-label")).await?.send_keys("First issue").await?;
    browser.wait_for(Locator::Css("button.propose-version"), WAIT).await?.click().await?;
    browser.wait_for(Locator::Css("button.approve-version"), WAIT).await?.click().await?;
    browser.wait_for(Locator::Css(".policy-standing[data-standing='in-force']"), WAIT).await?;
    Ok(())
}

/// Makes the sole member accountable for every AIMS process and writes how concerns are raised.
pub async fn assign_roles(browser: &Browser) -> anyhow::Result<()> {
    open_from_nav(browser, "/roles").await?;
    let header = browser.wait_for(Locator::Css("th.raci-member"), WAIT).await?;
    let member = header.attr("data-member").await?.unwrap_or_default();
    let cell = format!("td[data-member='{member}']");
    let rows = browser.client.find_all(Locator::Css("tr.raci-row")).await?;
    anyhow::ensure!(!rows.is_empty(), "the roles page lists the AIMS processes");
    for row in rows {
        row.find(Locator::Css(&format!("{cell} select"))).await?.select_by_value("A").await?;
    }
    let missing = format!("tr.raci-row {cell}:not([data-raci='A'])");
    wait_until("every process to have its accountable person", WAIT, async |_| {
        Ok(browser.client.find_all(Locator::Css(&missing)).await?.is_empty().then_some(()))
    })
    .await?;
    browser.wait_for(Locator::Id("concern-reporting"), WAIT).await?.send_keys(CONCERNS).await?;
    wait_value(browser, "#concern-reporting", CONCERNS).await?;
    browser.client.find(Locator::Id("concern-contact")).await?.send_keys("ethics@example.org\t").await?;
    wait_value(browser, "#concern-contact", "ethics@example.org").await
}
