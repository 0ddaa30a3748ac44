//! Two tabs of one browser see each other's edits at once over BroadcastChannel, with the relay
//! stopped: the second tab opens from the service worker and IndexedDB, and neither reloads.

use fantoccini::Locator;
use quorum_tests::workspace::{WAIT, create_workspace, set_soa_status, wait_synced_and_saved};
use quorum_tests::{Browser, Server};

#[tokio::test]
async fn two_tabs_exchange_edits_with_no_server() -> anyhow::Result<()> {
    let mut server = Server::start().await?;
    let browser = Browser::launch().await?;
    let client = &browser.client;

    // Tab 1 creates the workspace and holds it in IndexedDB; the shell is cached.
    create_workspace(&server, &browser).await?;
    browser.wait_for(Locator::Css("li[data-control='A.9.4']"), WAIT).await?;
    wait_synced_and_saved(&browser).await?;
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
    set_soa_status(&browser, "A.9.4", "in-progress").await?;
    client.switch_to_window(second.clone()).await?;
    browser.wait_for(Locator::Css("li[data-control='A.9.4'][data-status='in-progress']"), WAIT).await?;

    // ...and one in tab 2 appears in tab 1, both without a reload.
    set_soa_status(&browser, "A.6.2.4", "implemented").await?;
    client.switch_to_window(first).await?;
    browser.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='implemented']"), WAIT).await?;
    browser.wait_for(Locator::Css("li[data-control='A.9.4'][data-status='in-progress']"), WAIT).await?;
    let status = client.find(Locator::Css(".sync-status")).await?.attr("data-state").await?;
    assert_ne!(status.as_deref(), Some("synced"), "the relay is down: this came from the other tab");

    browser.close().await
}
