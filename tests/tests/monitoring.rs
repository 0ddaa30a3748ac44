//! Monitoring and measurement in two real browsers through the real relay: A adds an indicator
//! linked to an AI objective and records readings, B sees them and the chart, both edit the same
//! indicator at once and both keep their edit, a deleted reading goes for both, a reload keeps
//! everything, and the objective shows its indicator's latest reading against the target.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use quorum_tests::cycle::monitoring::{INDICATOR, measure};
use quorum_tests::form::{pick_date, screenshot, wait_value};
use quorum_tests::wait::wait_until;
use quorum_tests::workspace::{
    WAIT, create_workspace, join, open_from_nav, wait_synced_and_saved, wait_until_text,
};
use quorum_tests::{Browser, Server};

const OBJECTIVE: &str = "Explain every automated shortlist decision";

#[tokio::test]
async fn indicators_and_readings_are_shared_charted_and_shown_on_their_objective() -> anyhow::Result<()> {
    let started = Instant::now();
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    let b = Browser::launch().await?;
    join(&server, &a, &b, "editor", "Bea").await?;

    // The step's precondition: an AI objective. Then A measures it.
    open_from_nav(&a, "/objectives").await?;
    a.wait_for(Locator::Id("objective-new-title"), WAIT)
        .await?
        .send_keys(&format!("{OBJECTIVE}\u{E007}"))
        .await?;
    a.wait_for(Locator::Css("li.objective"), WAIT).await?;
    open_from_nav(&a, "/dashboard").await?;
    a.wait_for(Locator::Css("li.gap[data-clause='9.1']"), WAIT).await?;
    measure(&a).await?;
    let id = a
        .wait_for(Locator::Css("li.indicator"), WAIT)
        .await?
        .attr("data-indicator")
        .await?
        .unwrap_or_default();
    let card = format!("li.indicator[data-indicator='{id}']");
    let field = |name: &str| format!("indicator-{id}-{name}");
    a.wait_for(Locator::Css(".monitoring-summary[data-overdue-count='0']"), WAIT).await?;
    // The step meets 9.1: the dashboard no longer lists it.
    open_from_nav(&a, "/dashboard").await?;
    a.wait_for(Locator::Css("li.gap[data-clause='9.2.1']"), WAIT).await?;
    wait_count(&a, "li.gap[data-clause='9.1']", 0).await?;
    open_from_nav(&a, "/monitoring").await?;

    // An indicator measured since 2020 with no reading is flagged overdue and counted; A deletes it.
    a.wait_for(Locator::Id("indicator-new-name"), WAIT)
        .await?
        .send_keys("Complaints answered\u{E007}")
        .await?;
    wait_count(&a, "li.indicator", 2).await?;
    let late = a.client.find_all(Locator::Css("li.indicator")).await?[1]
        .attr("data-indicator")
        .await?
        .unwrap_or_default();
    pick_date(&a, &format!("indicator-{late}-since"), "2020-01-01").await?;
    let late_card = format!("li.indicator[data-indicator='{late}'][data-overdue='true']");
    let due =
        a.wait_for(Locator::Css(&format!("{late_card} .indicator-due[data-due='overdue']")), WAIT).await?;
    wait_until_text(&due, "Overdue: no reading yet").await?;
    a.wait_for(Locator::Css(".monitoring-summary[data-overdue-count='1'] .overdue-badge"), WAIT).await?;
    screenshot(&a, "monitoring-overdue.png").await?;
    a.client.find(Locator::Css(&format!("{late_card} > button.delete"))).await?.click().await?;
    wait_count(&a, "li.indicator", 1).await?;
    a.wait_for(Locator::Css(".monitoring-summary[data-overdue-count='0']"), WAIT).await?;

    // A records an older reading that missed the target.
    pick_date(&a, &field("reading-date"), "2020-01-15").await?;
    a.client.find(Locator::Id(&field("reading-value"))).await?.send_keys("90").await?;
    a.client.find(Locator::Id(&field("reading-note"))).await?.send_keys("First sample").await?;
    a.client.find(Locator::Id(&field("reading-add"))).await?.click().await?;
    a.wait_for(Locator::Css(&format!("{card} li.reading[data-meets='misses']")), WAIT).await?;

    // B sees the indicator, both readings and the chart with its target line and summary.
    open_from_nav(&b, "/monitoring").await?;
    wait_value(&b, &format!("#{}", field("name")), INDICATOR).await?;
    wait_value(&b, &format!("#{}", field("target")), "95").await?;
    wait_count(&b, &format!("{card} li.reading"), 2).await?;
    b.wait_for(Locator::Css(&format!("{card} svg[role='img'] line[data-target-line]")), WAIT).await?;
    let title = b.wait_for(Locator::Css(&format!("{card} svg[role='img'] title")), WAIT).await?;
    let summary = title.prop("textContent").await?.unwrap_or_default();
    assert!(
        summary.contains("2 readings") && summary.contains("meets the target of 95 % or more"),
        "{summary:?}"
    );
    let points =
        b.client.find(Locator::Css(&format!("{card} polyline.chart-line"))).await?.attr("points").await?;
    assert_eq!(points.unwrap_or_default().split(' ').count(), 2, "one point per reading");
    let note =
        b.client.find(Locator::Css(&format!("{card} li.reading[data-meets='misses'] .reading-note"))).await?;
    wait_until_text(&note, "First sample").await?;

    // Both edit the same indicator at once: A its method, B its target
    // and frequency; each sees the other's.
    let method_a = a.client.find(Locator::Id(&field("method"))).await?;
    method_a.clear().await?;
    let target_b = b.client.find(Locator::Id(&field("target"))).await?;
    target_b.clear().await?;
    method_a.send_keys("Count from the case system\t").await?;
    target_b.send_keys("92\t").await?;
    b.client.find(Locator::Id(&field("frequency"))).await?.select_by_value("quarterly").await?;
    wait_value(&a, &format!("#{}", field("target")), "92").await?;
    wait_value(&a, &format!("#{}", field("frequency")), "quarterly").await?;
    wait_value(&b, &format!("#{}", field("method")), "Count from the case system").await?;
    wait_value(&a, &format!("#{}", field("method")), "Count from the case system").await?;

    // B deletes the old reading; A sees it go.
    let old = b
        .wait_for(Locator::Css(&format!("{card} li.reading[data-meets='misses'] button.delete")), WAIT)
        .await?;
    old.click().await?;
    wait_count(&a, &format!("{card} li.reading"), 1).await?;
    screenshot(&a, "monitoring.png").await?;
    screenshot_at(&a, 800, "monitoring-800.png").await?;

    // A reloads: every edit and the remaining reading are there.
    wait_synced_and_saved(&a).await?;
    wait_synced_and_saved(&b).await?;
    a.client.refresh().await?;
    wait_value(&a, &format!("#{}", field("name")), INDICATOR).await?;
    wait_value(&a, &format!("#{}", field("target")), "92").await?;
    wait_value(&a, &format!("#{}", field("method")), "Count from the case system").await?;
    wait_value(&a, &format!("#{}", field("frequency")), "quarterly").await?;
    wait_value(&a, &format!("#{}", field("owner")), &a_owner(&a, &field("owner")).await?).await?;
    wait_count(&a, &format!("{card} li.reading[data-meets='meets']"), 1).await?;
    a.wait_for(Locator::Css(&format!("{card}[data-overdue='false']")), WAIT).await?;

    // The objective shows its indicator's latest reading, meeting the target.
    open_from_nav(&a, "/objectives").await?;
    let line = a
        .wait_for(
            Locator::Css(&format!("li.objective li[data-linked-indicator='{id}'][data-meets='meets']")),
            WAIT,
        )
        .await?;
    wait_until_text(&line, INDICATOR).await?;
    wait_until_text(&line, "96 % on ").await?;
    wait_until_text(&line, "meets the target").await?;
    screenshot(&a, "objectives-measured.png").await?;

    a.close().await?;
    b.close().await?;
    eprintln!("monitoring e2e took {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The owner select's value once it names Ada, which the step chose.
async fn a_owner(browser: &Browser, id: &str) -> anyhow::Result<String> {
    wait_until(&format!("{id} to show an owner"), WAIT, async |_| {
        let select = browser.wait_for(Locator::Id(id), WAIT).await?;
        let value = select.prop("value").await?.unwrap_or_default();
        if value.is_empty() {
            return Ok(None);
        }
        let label = select.find(Locator::Css(&format!("option[value='{value}']"))).await?.text().await?;
        anyhow::ensure!(label == "Ada", "owner is {label:?}");
        Ok(Some(value))
    })
    .await
}

/// Waits until exactly `n` elements match `css`.
async fn wait_count(browser: &Browser, css: &str, n: usize) -> anyhow::Result<()> {
    wait_until(&format!("{css} to match {n}"), WAIT, async |seen| {
        let found = browser.client.find_all(Locator::Css(css)).await?.len();
        *seen = found.to_string();
        Ok((found == n).then_some(()))
    })
    .await
}

/// A screenshot of the page `width` pixels wide, as tall as the page.
async fn screenshot_at(browser: &Browser, width: u32, name: &str) -> anyhow::Result<()> {
    let Ok(dir) = std::env::var("QUORUM_SCREENSHOT_DIR") else { return Ok(()) };
    browser.client.set_window_size(width, 900).await?;
    let height = browser.client.execute("return document.documentElement.scrollHeight", vec![]).await?;
    let height = height.as_u64().unwrap_or(900).clamp(600, 4000) as u32;
    browser.client.set_window_size(width, height).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    std::fs::write(std::path::Path::new(&dir).join(name), browser.client.screenshot().await?)?;
    browser.client.set_window_size(1280, 900).await?;
    Ok(())
}
