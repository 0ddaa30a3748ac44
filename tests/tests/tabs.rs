//! Two tabs of one browser see each other's edits at once over BroadcastChannel, with the relay
//! stopped: the second tab opens from the service worker and IndexedDB, and neither reloads.

use std::time::Duration;

use fantoccini::{Locator, elements::Element};
use quorum_tests::{Browser, Server};

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn two_tabs_exchange_edits_with_no_server() -> anyhow::Result<()> {
    let mut server = Server::start().await?;
    let browser = Browser::launch().await?;
    let client = &browser.client;

    // Tab 1 creates the workspace and holds it in IndexedDB; the shell is cached.
    client.goto(&server.url("/")).await?;
    browser.wait_for(Locator::Id("workspace-name"), WAIT).await?.send_keys("Acme AIMS").await?;
    client.find(Locator::Id("your-name")).await?.send_keys("Ada").await?;
    client.find(Locator::Css("form button[type=submit]")).await?.click().await?;
    browser.wait_for(Locator::Css("li[data-control='A.9.4']"), WAIT).await?;
    browser.wait_for(Locator::Css(".sync-status[data-state='synced']"), WAIT).await?;
    browser.wait_for(Locator::Css(".save-state[data-state='saved']"), WAIT).await?;
    browser.wait_for_service_worker().await?;
    let first = client.window().await?;

    server.kill();

    // Tab 2 opens the SoA with no server at all.
    let second = client.new_window(true).await?.handle;
    client.switch_to_window(second.clone()).await?;
    client.goto(&server.url("/soa")).await?;
    browser.wait_for(Locator::Css("li[data-control='A.9.4']"), WAIT).await?;

    // An edit in tab 1 appears in tab 2...
    client.switch_to_window(first.clone()).await?;
    choose(&browser, "A.9.4", "select.status", "in-progress").await?;
    browser.wait_for(Locator::Css("li[data-control='A.9.4'][data-status='in-progress']"), WAIT).await?;
    client.switch_to_window(second.clone()).await?;
    browser.wait_for(Locator::Css("li[data-control='A.9.4'][data-status='in-progress']"), WAIT).await?;

    // ...and one in tab 2 appears in tab 1, both without a reload.
    choose(&browser, "A.6.2.4", "select.status", "implemented").await?;
    browser.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='implemented']"), WAIT).await?;
    client.switch_to_window(first).await?;
    browser.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='implemented']"), WAIT).await?;
    browser.wait_for(Locator::Css("li[data-control='A.9.4'][data-status='in-progress']"), WAIT).await?;
    let status = client.find(Locator::Css(".sync-status")).await?.attr("data-state").await?;
    assert_ne!(status.as_deref(), Some("synced"), "the relay is down: this came from the other tab");

    browser.close().await
}

/// Picks an option of a select in a control's row of the SoA page of the current tab.
async fn choose(browser: &Browser, control: &str, select: &str, value: &str) -> anyhow::Result<()> {
    let row: Element = browser.wait_for(Locator::Css(&format!("li[data-control='{control}']")), WAIT).await?;
    row.find(Locator::Css(select)).await?.select_by_value(value).await?;
    Ok(())
}
