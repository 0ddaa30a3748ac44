//! The context, the AI system inventory and the AI objectives in two real browsers against the
//! real relay: what A records (an external issue, an interested party with a requirement, the
//! scope, an AI system) reaches B; both edit the same system's purpose and end with the same
//! text; B's objective reaches A; and after a reload A still has all of it.
//!
//! With `QUORUM_SCREENSHOT_DIR` set, the pages are saved there as PNGs to look at.

use fantoccini::Locator;
use quorum_tests::form::{screenshot, wait_value};
use quorum_tests::wait::wait_until;
use quorum_tests::workspace::{WAIT, create_workspace, join, open_from_nav, wait_synced_and_saved};
use quorum_tests::{Browser, Server};

const ISSUE: &str = "EU AI Act obligations for high-risk systems";
const PARTY: &str = "Job applicants";
const REQUIREMENT: &str = "An explanation of every automated rejection";
const SCOPE: &str = "Hiring AI used by Acme in the EU";
const SYSTEM: &str = "CV screener";
const OBJECTIVE: &str = "Explain every automated rejection";

#[tokio::test]
async fn context_inventory_and_objectives_reach_the_other_browser_and_survive_a_reload() -> anyhow::Result<()>
{
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    let b = Browser::launch().await?;
    join(&server, &a, &b, "editor", "Bea").await?;

    // A records an external issue, an interested party with a requirement, and the scope.
    open_from_nav(&a, "/context").await?;
    a.wait_for(Locator::Css("[data-empty='issues']"), WAIT).await?;
    a.client.find(Locator::Id("issue-new-kind")).await?.select_by_value("external").await?;
    // An issue with no title is refused with a reason beside the field.
    submit(&a, "#issue-new-title").await?;
    wait_text(&a, "#issue-new-error", "title").await?;
    a.client.find(Locator::Id("issue-new-title")).await?.send_keys(ISSUE).await?;
    submit(&a, "#issue-new-title").await?;
    a.wait_for(Locator::Css("li.issue[data-kind='external']"), WAIT).await?;
    wait_value(&a, "li.issue input.title", ISSUE).await?;

    a.client.find(Locator::Id("party-new-name")).await?.send_keys(PARTY).await?;
    submit(&a, "#party-new-name").await?;
    let requirement = a.wait_for(Locator::Css("li.party input[id$='-new-requirement']"), WAIT).await?;
    requirement.send_keys(REQUIREMENT).await?;
    submit(&a, "li.party input[id$='-new-requirement']").await?;
    a.wait_for(Locator::Css("li.party li.requirement[data-addressed='false']"), WAIT).await?;
    a.client.find(Locator::Css("li.requirement input[type='checkbox']")).await?.click().await?;
    a.wait_for(Locator::Css("li.requirement[data-addressed='true']"), WAIT).await?;

    a.client.find(Locator::Id("scope")).await?.send_keys(SCOPE).await?;
    wait_value(&a, "#scope", SCOPE).await?;

    // A adds an AI system, lands on its page and sets its stage and owner.
    open_from_nav(&a, "/inventory").await?;
    a.wait_for(Locator::Css("[data-empty='systems']"), WAIT).await?;
    a.client.find(Locator::Id("inventory-new-name")).await?.send_keys(SYSTEM).await?;
    submit(&a, "#inventory-new-name").await?;
    a.wait_for(Locator::Id("system-purpose"), WAIT).await?;
    a.client.find(Locator::Id("system-stage")).await?.select_by_value("operation").await?;
    let owner = a.client.find(Locator::Id("system-owner")).await?;
    owner.select_by_label("Ada").await?;
    a.client.find(Locator::Id("system-in-scope")).await?.click().await?;
    wait_synced_and_saved(&a).await?;

    // B sees all of it.
    open_from_nav(&b, "/context").await?;
    b.wait_for(Locator::Css("li.issue[data-kind='external']"), WAIT).await?;
    wait_value(&b, "li.issue input.title", ISSUE).await?;
    wait_value(&b, "li.party input.name", PARTY).await?;
    wait_value(&b, "li.requirement[data-addressed='true'] input.summary", REQUIREMENT).await?;
    wait_value(&b, "#scope", SCOPE).await?;
    wait_text(&b, ".boundary-inside", SYSTEM).await?;

    open_from_nav(&b, "/inventory").await?;
    let row =
        b.wait_for(Locator::Css("tr.system[data-stage='operation'][data-status='in-scope']"), WAIT).await?;
    assert!(row.text().await?.contains("Ada"), "the register shows the owner's name");
    // Search and filters narrow the register; nothing matching says so.
    b.client.find(Locator::Id("inventory-search")).await?.send_keys("payroll").await?;
    b.wait_for(Locator::Css("[data-empty='matches']"), WAIT).await?;
    // Backspaces, as a person would: WebDriver's clear() fires no input event.
    b.client
        .find(Locator::Id("inventory-search"))
        .await?
        .send_keys(&"\u{E003}".repeat("payroll".len()))
        .await?;
    b.client.find(Locator::Id("inventory-stage")).await?.select_by_value("operation").await?;
    b.client.find(Locator::Id("inventory-status")).await?.select_by_value("in-scope").await?;
    let link = b.wait_for(Locator::Css("tr.system th a"), WAIT).await?;
    link.click().await?;
    b.wait_for(Locator::Id("system-purpose"), WAIT).await?;
    wait_value(&b, "#system-name", SYSTEM).await?;

    // Both edit the purpose, one after the other, and both end with the same text.
    a.client.find(Locator::Id("system-purpose")).await?.send_keys("Ranks CVs").await?;
    wait_value(&b, "#system-purpose", "Ranks CVs").await?;
    let b_purpose = b.client.find(Locator::Id("system-purpose")).await?;
    b_purpose.send_keys(" for recruiters").await?;
    wait_value(&a, "#system-purpose", "Ranks CVs for recruiters").await?;
    wait_value(&b, "#system-purpose", "Ranks CVs for recruiters").await?;

    // B adds an objective; A sees it.
    open_from_nav(&b, "/objectives").await?;
    b.wait_for(Locator::Css("[data-empty='objectives']"), WAIT).await?;
    b.client.find(Locator::Id("objective-new-title")).await?.send_keys(OBJECTIVE).await?;
    submit(&b, "#objective-new-title").await?;
    b.wait_for(Locator::Css("li.objective"), WAIT).await?;
    let progress = b.client.find(Locator::Css("li.objective input.progress")).await?;
    progress.send_keys("140\t").await?;
    wait_text(&b, "li.objective .field-error", "0 to 100").await?;
    progress.clear().await?;
    progress.send_keys("40\t").await?;
    b.wait_for(Locator::Css("li.objective svg[aria-label='Progress: 40%']"), WAIT).await?;
    wait_synced_and_saved(&b).await?;

    open_from_nav(&a, "/objectives").await?;
    wait_value(&a, "li.objective input.title", OBJECTIVE).await?;
    a.wait_for(Locator::Css("li.objective svg[aria-label='Progress: 40%']"), WAIT).await?;
    wait_synced_and_saved(&a).await?;

    // A reloads: everything is there.
    a.client.refresh().await?;
    wait_value(&a, "li.objective input.title", OBJECTIVE).await?;
    screenshot(&a, "objectives.png").await?;
    open_from_nav(&a, "/context").await?;
    wait_value(&a, "li.issue[data-kind='external'] input.title", ISSUE).await?;
    wait_value(&a, "li.party input.name", PARTY).await?;
    wait_value(&a, "li.requirement input.summary", REQUIREMENT).await?;
    wait_value(&a, "#scope", SCOPE).await?;
    screenshot(&a, "context.png").await?;
    open_from_nav(&a, "/inventory").await?;
    a.wait_for(Locator::Css("tr.system[data-stage='operation']"), WAIT).await?;
    screenshot(&a, "inventory.png").await?;
    a.client.find(Locator::Css("tr.system th a")).await?.click().await?;
    wait_value(&a, "#system-purpose", "Ranks CVs for recruiters").await?;
    screenshot(&a, "system.png").await?;

    a.close().await?;
    b.close().await
}

/// Submits the form that holds `field`, as pressing Enter in it does.
async fn submit(browser: &Browser, field: &str) -> anyhow::Result<()> {
    let field = browser.client.find(Locator::Css(field)).await?;
    field.send_keys("\u{E007}").await?;
    Ok(())
}

/// Waits until the element matched by `css` is there and its text contains `expected`.
async fn wait_text(browser: &Browser, css: &str, expected: &str) -> anyhow::Result<()> {
    wait_until(&format!("{css} to show the text {expected:?}"), WAIT, async |_| {
        if let Ok(element) = browser.client.find(Locator::Css(css)).await
            && element.text().await?.contains(expected)
        {
            return Ok(Some(()));
        }
        Ok(None)
    })
    .await
}
