//! The readiness dashboard in a real browser against the real relay: a new workspace's Annex A
//! progress, then a control excluded on the SoA page moves its objective's bar, leaves the list
//! of what is missing, and shows in the recent changes with who made it.

use fantoccini::Locator;
use quorum_tests::wait::wait_until;
use quorum_tests::workspace::{WAIT, create_workspace, open_from_nav};
use quorum_tests::{Browser, Server};

#[tokio::test]
async fn excluding_a_control_shows_on_the_dashboard() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;

    create_workspace(&server, &a).await?;

    // The dashboard: nothing decided yet, so A.10 has none of its controls done.
    open_from_nav(&a, "/dashboard").await?;
    let bar = a.wait_for(Locator::Css("li.progress-bar[data-bar='A.10']"), WAIT).await?;
    let total: usize = bar.attr("data-total").await?.unwrap_or_default().parse()?;
    assert_eq!(bar.attr("data-met").await?.as_deref(), Some("0"));
    assert_eq!(total, 3, "A.10 has three controls");
    let label =
        bar.find(Locator::Css("svg[role='img']")).await?.attr("aria-label").await?.unwrap_or_default();
    assert!(label.contains(&format!("0 of {total}")), "the bar's label states its numbers: {label}");
    a.client.find(Locator::Css(".control-gap-list li[data-control='A.10.4']")).await?;
    let ring = a.client.find(Locator::Css(".readiness-ring")).await?;
    let overall_before: usize = ring.attr("data-met").await?.unwrap_or_default().parse()?;
    // Gaps link to the page where they are fixed, and only to pages the header offers.
    a.client.find(Locator::Css(".control-gap-list a.fix[href='/soa']")).await?;
    a.client.find(Locator::Css(".gap-group[data-clause='6'] a.fix[href='/risks']")).await?;
    let mut pages = Vec::new();
    for link in a.client.find_all(Locator::Css("header nav a")).await? {
        pages.push(link.attr("href").await?.unwrap_or_default());
    }
    for fix in a.client.find_all(Locator::Css(".dashboard a.fix")).await? {
        let href = fix.attr("href").await?.unwrap_or_default();
        assert!(pages.contains(&href), "a gap links to {href:?}, which is no page of the header");
    }

    // Exclude A.10.4 with a justification on the SoA page.
    open_from_nav(&a, "/soa").await?;
    let row = a.wait_for(Locator::Css("li[data-control='A.10.4']"), WAIT).await?;
    row.find(Locator::Css("textarea.justification")).await?.send_keys("We buy no AI services").await?;
    row.find(Locator::Css("select.applicability")).await?.select_by_value("excluded").await?;
    a.wait_for(Locator::Css("li[data-control='A.10.4'][data-applicability='excluded']"), WAIT).await?;

    // Back on the dashboard, A.10 has one more control done and A.10.4 is no longer missing.
    open_from_nav(&a, "/dashboard").await?;
    a.wait_for(Locator::Css("li.progress-bar[data-bar='A.10'][data-met='1']"), WAIT).await?;
    let ring = a.client.find(Locator::Css(".readiness-ring")).await?;
    assert_eq!(ring.attr("data-met").await?, Some((overall_before + 1).to_string()));
    let still_missing =
        a.client.find_all(Locator::Css(".control-gap-list li[data-control='A.10.4']")).await?;
    assert!(still_missing.is_empty(), "A.10.4 left the list of what is missing");
    a.client.find(Locator::Css(".control-gap-list li[data-control='A.10.3']")).await?;

    // The recent changes name the exclusion and who made it.
    wait_until("a recent change naming the exclusion", WAIT, async |_| {
        let mut found = false;
        for change in a.client.find_all(Locator::Css(".recent-changes li.change")).await? {
            let text = change.text().await?;
            if text.contains("Exclude A.10.4") {
                assert!(text.contains("Ada"), "the change names its author: {text:?}");
                found = true;
            }
        }
        Ok(found.then_some(()))
    })
    .await?;
    if let Ok(path) = std::env::var("QUORUM_SCREENSHOT") {
        std::fs::write(path, a.client.screenshot().await?)?;
    }

    a.close().await
}
