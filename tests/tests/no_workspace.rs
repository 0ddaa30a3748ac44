//! A browser with no workspace yet: every page of a workspace says what to do first, in the
//! page's own words, instead of an empty page; once a workspace is made, the same addresses show
//! the pages.

use fantoccini::Locator;
use quorum_tests::wait::wait_until;
use quorum_tests::workspace::{WAIT, create_workspace, wait_until_text};
use quorum_tests::{Browser, Server};

#[tokio::test]
async fn pages_say_what_to_do_first_until_there_is_a_workspace() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    for (path, purpose) in [
        ("/soa", "to edit its Statement of Applicability"),
        ("/dashboard", "to see how ready its AI management system is"),
        ("/monitoring", "to track its indicators"),
        ("/audits/2BHgUequGS6sSncHJSFfxYd5riqY", "to plan and hold its internal audits"),
        ("/inventory/1", "to keep its AI system inventory"),
    ] {
        a.client.goto(&server.url(path)).await?;
        let empty = a.wait_for(Locator::Css("main section.empty-state"), WAIT).await?;
        wait_until_text(&empty, "No workspace yet").await?;
        wait_until_text(&empty, purpose).await?;
        empty.find(Locator::Css("a[href='/']")).await?;
    }

    // The catalog needs no workspace.
    a.client.goto(&server.url("/catalog")).await?;
    a.wait_for(Locator::Css("main .catalog"), WAIT).await?;
    assert!(a.client.find_all(Locator::Css("main section.empty-state")).await?.is_empty());

    // With a workspace, the same address shows its page.
    create_workspace(&server, &a).await?;
    a.client.goto(&server.url("/monitoring")).await?;
    // Found afresh on each look: the page may draw its heading again as the workspace opens.
    wait_until("the monitoring page's heading", WAIT, async |seen| {
        let text = match a.client.find(Locator::Css("main h1")).await {
            Ok(heading) => heading.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        let done = text.contains("Monitoring and measurement");
        *seen = format!("{text:?}");
        Ok(done.then_some(()))
    })
    .await?;
    assert!(a.client.find_all(Locator::Css("main section.empty-state")).await?.is_empty());

    a.close().await
}
