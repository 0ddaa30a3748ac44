//! Monitoring and measurement (9.1) in the certification cycle.

use fantoccini::Locator;

use crate::Browser;
use crate::wait::wait_until;
use crate::workspace::{WAIT, open_from_nav, wait_synced_and_saved};

/// The name of the indicator [`measure`] adds.
pub const INDICATOR: &str = "Shortlist decisions explained";

/// Adds an indicator on /monitoring linked to the workspace's first AI objective, owned by Ada,
/// read monthly, with a target of 95 % (higher is better), and records a reading of 96 % dated
/// today, so that 9.1 is met: every indicator measured and none overdue.
///
/// Precondition: the workspace has at least one AI objective (made on /objectives), and Ada is
/// a member; the browser is an owner or editor.
pub async fn measure(browser: &Browser) -> anyhow::Result<()> {
    open_from_nav(browser, "/monitoring").await?;
    // A workspace made before the monitoring register existed starts it from the page.
    if let Ok(start) = browser.client.find(Locator::Css("button.start-document")).await {
        start.click().await?;
    }
    let name = browser.wait_for(Locator::Id("indicator-new-name"), WAIT).await?;
    let before = browser.client.find_all(Locator::Css("li.indicator")).await?.len();
    name.send_keys(&format!("{INDICATOR}\u{E007}")).await?;
    let id = wait_until("the new indicator's card", WAIT, async |_| {
        let cards = browser.client.find_all(Locator::Css("li.indicator")).await?;
        match cards.last() {
            Some(last) if cards.len() > before => {
                Ok(Some(last.attr("data-indicator").await?.unwrap_or_default()))
            }
            _ => Ok(None),
        }
    })
    .await?;
    let field = |name: &str| format!("indicator-{id}-{name}");

    let link = browser.wait_for(Locator::Id(&field("link")), WAIT).await?;
    let objective = link
        .find(Locator::Css("option[value^='objective:']"))
        .await
        .map_err(|_| anyhow::anyhow!("no AI objective to link: add one on /objectives first"))?;
    let objective = objective.attr("value").await?.unwrap_or_default();
    link.select_by_value(&objective).await?;
    browser.client.find(Locator::Id(&field("owner"))).await?.select_by_label("Ada").await?;
    browser.client.find(Locator::Id(&field("frequency"))).await?.select_by_value("monthly").await?;
    browser.client.find(Locator::Id(&field("direction"))).await?.select_by_value("higher").await?;
    browser.client.find(Locator::Id(&field("unit"))).await?.send_keys("%\t").await?;
    browser.client.find(Locator::Id(&field("target"))).await?.send_keys("95\t").await?;
    browser
        .client
        .find(Locator::Id(&field("method")))
        .await?
        .send_keys("Sample of 50 decisions a month\t")
        .await?;

    // The reading's date starts as today; the value is what was measured.
    let date = browser.client.find(Locator::Id(&field("reading-date"))).await?.prop("value").await?;
    anyhow::ensure!(date.is_some_and(|d| !d.is_empty()), "the reading's date should start as today");
    browser.client.find(Locator::Id(&field("reading-value"))).await?.send_keys("96").await?;
    browser.client.find(Locator::Id(&field("reading-add"))).await?.click().await?;

    let card = format!("li.indicator[data-indicator='{id}'][data-overdue='false']");
    browser.wait_for(Locator::Css(&format!("{card} li.reading[data-meets='meets']")), WAIT).await?;
    browser.wait_for(Locator::Css(&format!("{card} figure.indicator-chart svg[role='img']")), WAIT).await?;
    wait_synced_and_saved(browser).await
}
