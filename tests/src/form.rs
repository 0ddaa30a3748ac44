//! Filling in and reading the app's forms as a person would, for the page tests: a value typed,
//! a date picked, a field that settles on what another browser wrote, and a picture of the page.

use std::time::Duration;

use fantoccini::Locator;

use crate::Browser;
use crate::wait::wait_until;
use crate::workspace::WAIT;

/// Picks `value` in the select with this id, once it is there.
pub async fn select(browser: &Browser, id: &str, value: &str) -> anyhow::Result<()> {
    browser.wait_for(Locator::Id(id), WAIT).await?.select_by_value(value).await?;
    Ok(())
}

/// Sets a date input as a date picker would: typing into one depends on the browser's locale.
pub async fn pick_date(browser: &Browser, id: &str, date: &str) -> anyhow::Result<()> {
    browser.wait_for(Locator::Id(id), WAIT).await?;
    browser
        .client
        .execute(
            "const input = document.getElementById(arguments[0]); input.value = arguments[1]; \
             input.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![id.into(), date.into()],
        )
        .await?;
    Ok(())
}

/// Waits until the field matched by `css` holds `expected`.
pub async fn wait_value(browser: &Browser, css: &str, expected: &str) -> anyhow::Result<()> {
    wait_until(&format!("{css} to hold {expected:?}"), WAIT, async |seen| {
        let value = match browser.client.find(Locator::Css(css)).await {
            Ok(element) => element.prop("value").await?.unwrap_or_default(),
            Err(_) => String::new(),
        };
        let done = value == expected;
        *seen = format!("{value:?}");
        Ok(done.then_some(()))
    })
    .await
}

/// Saves the whole page (the window made as tall as it) as `name` in `QUORUM_SCREENSHOT_DIR`,
/// when that is set, so that a person can look at what the test saw.
pub async fn screenshot(browser: &Browser, name: &str) -> anyhow::Result<()> {
    screenshot_at(browser, name, 1280).await
}

/// [`screenshot`] with the window `width` pixels wide, to see how a page reads on a narrow screen.
pub async fn screenshot_at(browser: &Browser, name: &str, width: u32) -> anyhow::Result<()> {
    let Ok(dir) = std::env::var("QUORUM_SCREENSHOT_DIR") else { return Ok(()) };
    browser.client.set_window_size(width, 900).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let height = browser.client.execute("return document.documentElement.scrollHeight", vec![]).await?;
    let height = height.as_u64().unwrap_or(900).clamp(600, 4000) as u32;
    browser.client.set_window_size(width, height).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    std::fs::write(std::path::Path::new(&dir).join(name), browser.client.screenshot().await?)?;
    browser.client.set_window_size(1280, 900).await?;
    Ok(())
}
