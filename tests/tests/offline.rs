//! Once loaded, the app opens with the server gone: the service worker keeps the shell, and in
//! the shipped build every page's chunk with it.

use std::time::Duration;

use fantoccini::Locator;
use quorum_tests::{Browser, Server};

#[tokio::test]
async fn the_app_reopens_from_the_service_worker_with_the_server_stopped() -> anyhow::Result<()> {
    let mut server = Server::start().await?;
    let browser = Browser::launch().await?;
    browser.client.goto(&server.url("/catalog")).await?;
    browser.wait_for(Locator::Css("li.control"), Duration::from_secs(30)).await?;

    // Wait until the worker has installed (it caches the shell before it activates).
    browser.wait_for_service_worker().await?;

    server.kill();
    browser.client.refresh().await?;
    browser.wait_for(Locator::Css("li.control"), Duration::from_secs(30)).await?;
    assert_eq!(browser.client.find_all(Locator::Css("li.control")).await?.len(), 38);

    // A deep link works offline too: every app route is the same shell.
    browser.client.goto(&server.url("/catalog?offline")).await?;
    browser.wait_for(Locator::Css("li.control"), Duration::from_secs(30)).await?;

    // A page never opened online: in the shipped build its code is a chunk of its own, which
    // the worker kept at install because index.html names it.
    browser.client.goto(&server.url("/verify")).await?;
    browser.wait_for(Locator::Id("verify-file"), Duration::from_secs(30)).await?;
    browser.close().await
}
