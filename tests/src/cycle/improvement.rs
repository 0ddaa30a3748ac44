//! Working a nonconformity through to closure, and logging an improvement, through the UI, so
//! that 10.1 and 10.2 are met.

use fantoccini::{Locator, key::Key};

use crate::Browser;
use crate::form::{pick_date, wait_value};
use crate::wait::wait_until;
use crate::workspace::{WAIT, open_from_nav};

/// Closes the open nonconformity titled `title` (raised by an audit, in the cycle) in `browser`,
/// whose member "Ada" owns the workspace: writes its root cause, adds a corrective action owned
/// by Ada with a due date and marks it done, records an effectiveness review that found it
/// effective, and closes it.
pub async fn close_nonconformity(browser: &Browser, title: &str) -> anyhow::Result<()> {
    open_from_nav(browser, "/improvement").await?;
    let id = nonconformity_id(browser, title).await?;
    let card = format!("li.nonconformity[data-nonconformity='{id}']");
    let root_cause = browser.wait_for(Locator::Id(&format!("nc-{id}-root-cause")), WAIT).await?;
    root_cause.send_keys("Owners were optional when risks were added.").await?;
    let new_action = browser.client.find(Locator::Id(&format!("nc-{id}-new-action"))).await?;
    new_action.send_keys(&format!("Make the owner a required step{}", char::from(Key::Enter))).await?;
    let row = browser.wait_for(Locator::Css(&format!("{card} li.nc-action")), WAIT).await?;
    let action = row.attr("data-action").await?.ok_or_else(|| anyhow::anyhow!("the action has no id"))?;
    browser.wait_for(Locator::Id(&format!("ca-{action}-owner")), WAIT).await?.select_by_label("Ada").await?;
    pick_date(browser, &format!("ca-{action}-due"), "2026-07-31").await?;
    wait_value(browser, &format!("#ca-{action}-due"), "2026-07-31").await?;
    browser.client.find(Locator::Id(&format!("ca-{action}-done"))).await?.click().await?;
    browser.wait_for(Locator::Css(&format!("{card}[data-stage='awaiting-review']")), WAIT).await?;
    let checked = browser.client.find(Locator::Id(&format!("nc-{id}-checked"))).await?;
    checked.send_keys("Sampled the risks added since the fix: every one has an owner.").await?;
    browser.client.find(Locator::Id(&format!("nc-{id}-reviewed-by"))).await?.select_by_label("Ada").await?;
    pick_date(browser, &format!("nc-{id}-reviewed-on"), "2026-08-15").await?;
    wait_value(browser, &format!("#nc-{id}-reviewed-on"), "2026-08-15").await?;
    browser
        .client
        .find(Locator::Id(&format!("nc-{id}-effective")))
        .await?
        .select_by_value("effective")
        .await?;
    browser.wait_for(Locator::Css(&format!("{card}[data-stage='ready-to-close']")), WAIT).await?;
    browser.client.find(Locator::Id(&format!("nc-{id}-close"))).await?.click().await?;
    browser.wait_for(Locator::Css(&format!("{card}[data-stage='closed']")), WAIT).await?;
    Ok(())
}

/// Adds one entry to the improvement log in `browser` and waits until it shows.
pub async fn log_improvement(browser: &Browser) -> anyhow::Result<()> {
    open_from_nav(browser, "/improvement").await?;
    let before = browser.client.find_all(Locator::Css("li.improvement-entry")).await?.len();
    let title = browser.wait_for(Locator::Id("improvement-new-title"), WAIT).await?;
    title
        .send_keys(&format!("Monthly bias dashboard for the screening model{}", char::from(Key::Enter)))
        .await?;
    wait_until("the improvement to show", WAIT, async |_| {
        Ok((browser.client.find_all(Locator::Css("li.improvement-entry")).await?.len() > before)
            .then_some(()))
    })
    .await
}

/// The id of the nonconformity whose card is headed `title`.
pub async fn nonconformity_id(browser: &Browser, title: &str) -> anyhow::Result<String> {
    wait_until(&format!("a nonconformity titled {title:?}"), WAIT, async |_| {
        for card in browser.client.find_all(Locator::Css("li.nonconformity")).await? {
            if card.find(Locator::Css("h3")).await?.text().await?.trim() == title {
                let id = card.attr("data-nonconformity").await?.ok_or_else(|| anyhow::anyhow!("no id"))?;
                return Ok(Some(id));
            }
        }
        Ok(None)
    })
    .await
}
