//! The built app, served by the real server, shows the whole Annex A catalog in Chromium.

use std::time::Duration;

use fantoccini::Locator;
use quorum_tests::{Browser, Server};

#[tokio::test]
async fn the_served_app_renders_all_38_annex_a_controls() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let browser = Browser::launch().await?;
    browser.client.goto(&server.url("/catalog")).await?;

    // The wasm loads and renders asynchronously: wait for the first control, then count.
    browser.wait_for(Locator::Css("li.control"), Duration::from_secs(30)).await?;
    let controls = browser.client.find_all(Locator::Css("li.control")).await?;
    assert_eq!(controls.len(), 38);
    let a_5_2 = browser.client.find(Locator::Css("li.control[data-control='A.5.2']")).await?;
    assert!(a_5_2.text().await?.contains("AI system impact assessment process"));
    let clauses = browser.client.find_all(Locator::Css(".clause-tree [data-clause]")).await?;
    assert_eq!(clauses.len(), quorum_shared::catalog::clauses().len(), "every clause is in the tree");

    // A deep link is answered by the app, not by a 404.
    browser.client.goto(&server.url("/no/such/page")).await?;
    let heading = browser.wait_for(Locator::Css("main h1"), Duration::from_secs(30)).await?;
    assert_eq!(heading.text().await?, "Page not found");
    browser.close().await
}
