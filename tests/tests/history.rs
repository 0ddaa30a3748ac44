//! History, time travel, compare and restore in two real browsers through the real relay: A and
//! B edit the same control; A opens the SoA's history and sees B's change attributed to B, alone
//! under a filter by member, and compared with A's own; A views the SoA as it was before it
//! (read-only, under a banner) and goes back to now; A compares that point with now and
//! restores the old status, and B sees it restored, as a change of A's in B's own history.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use quorum_tests::form::screenshot;
use quorum_tests::workspace::{
    WAIT, create_workspace, join, set_soa_status, wait_synced_and_saved, wait_until_text,
};
use quorum_tests::{Browser, Server};

/// The "View as it was" button of the history entry whose sentence contains `sentence`.
fn view_button(sentence: &str) -> String {
    format!(
        "//li[contains(@class,'history-entry')][contains(., '{sentence}')]//button[contains(@class,'history-view')]"
    )
}

#[tokio::test]
async fn a_past_value_is_seen_compared_and_restored_and_the_other_browser_gets_it() -> anyhow::Result<()> {
    let started = Instant::now();
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    set_soa_status(&a, "A.6.2.4", "planned").await?;
    wait_synced_and_saved(&a).await?;
    let b = Browser::launch().await?;
    join(&server, &a, &b, "editor", "Bea").await?;
    set_soa_status(&b, "A.6.2.4", "implemented").await?;
    a.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='implemented']"), WAIT).await?;

    // A opens the SoA's history: B's change first, in words, attributed to Bea.
    a.wait_for(Locator::Id("history-toggle"), WAIT).await?.click().await?;
    let newest = a.wait_for(Locator::Css("#history-panel li.history-entry"), WAIT).await?;
    wait_until_text(&newest, "Bea set A.6.2.4 to implemented").await?;
    wait_until_text(&newest, "device ").await?;
    a.wait_for(Locator::XPath(&view_button("Ada set A.6.2.4 to planned")), WAIT).await?;

    // Filtered by member, only Bea's changes are listed.
    let bea = a.client.find(Locator::XPath("//select[@id='history-member']/option[.='Bea']")).await?;
    let bea_id = bea.attr("value").await?.unwrap_or_default();
    a.client.find(Locator::Id("history-member")).await?.select_by_value(&bea_id).await?;
    quorum_tests::wait::wait_until("only Bea's changes", WAIT, async |seen| {
        let entries = a.client.find_all(Locator::Css("#history-panel li.history-entry")).await?;
        let mut texts = Vec::new();
        for entry in &entries {
            texts.push(entry.text().await?);
        }
        *seen = format!("{texts:?}");
        Ok((!texts.is_empty() && texts.iter().all(|t| t.starts_with("Bea "))).then_some(()))
    })
    .await?;
    a.client.find(Locator::Id("history-member")).await?.select_by_value("").await?;

    // Two past points compared: A picks its own change, then compares Bea's with it.
    let entry = |sentence: &str, button: &str| {
        format!(
            "//li[contains(@class,'history-entry')][contains(., '{sentence}')]//button[contains(@class,'{button}')]"
        )
    };
    a.wait_for(Locator::XPath(&entry("Ada set A.6.2.4 to planned", "history-pick")), WAIT)
        .await?
        .click()
        .await?;
    a.wait_for(Locator::XPath(&entry("Bea set A.6.2.4", "history-compare-picked")), WAIT)
        .await?
        .click()
        .await?;
    let between = a.wait_for(Locator::Css(".difference[data-record='rows/A.6.2.4']"), WAIT).await?;
    wait_until_text(&between, "then: planned").await?;
    wait_until_text(&between, "later: implemented").await?;
    assert!(
        between.find_all(Locator::Css("button.history-restore")).await?.is_empty(),
        "only now is restored"
    );
    a.client.find(Locator::Id("history-back-to-list")).await?.click().await?;

    // A views the SoA as it was after A's own change: planned, read-only, under a banner.
    a.wait_for(Locator::XPath(&view_button("Ada set A.6.2.4 to planned")), WAIT).await?.click().await?;
    let banner = a.wait_for(Locator::Css(".time-travel-banner"), WAIT).await?;
    wait_until_text(&banner, "Statement of Applicability as of ").await?;
    wait_until_text(&banner, "after Ada's change").await?;
    let past = a.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='planned']"), WAIT).await?;
    let select = past.find(Locator::Css("select.status")).await?;
    assert!(!select.is_enabled().await?, "a past version is read-only");
    screenshot(&a, "history-past.png").await?;

    // Back to now, and the present is editable again.
    a.client.find(Locator::Id("history-back-to-now")).await?.click().await?;
    let now = a.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='implemented']"), WAIT).await?;
    assert!(now.find(Locator::Css("select.status")).await?.is_enabled().await?);
    assert!(a.client.find_all(Locator::Css(".time-travel-banner")).await?.is_empty());

    // A compares that point with now: the status, then and now; restoring it is a new change.
    a.wait_for(Locator::XPath(&view_button("Ada set A.6.2.4 to planned")), WAIT).await?.click().await?;
    a.wait_for(Locator::Id("history-compare-now"), WAIT).await?.click().await?;
    let difference = a.wait_for(Locator::Css(".difference[data-record='rows/A.6.2.4']"), WAIT).await?;
    let field = difference.find(Locator::Css(".field-difference[data-field='status']")).await?;
    wait_until_text(&field, "then: planned").await?;
    wait_until_text(&field, "now: implemented").await?;
    screenshot(&a, "history-compare.png").await?;
    field.find(Locator::Css("button.history-restore")).await?.click().await?;
    let notice = a.wait_for(Locator::Css(".history-notice"), WAIT).await?;
    wait_until_text(&notice, "Restored the status of A.6.2.4").await?;
    let restored =
        a.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='planned']"), WAIT).await?;
    assert!(restored.find(Locator::Css("select.status")).await?.is_enabled().await?);
    assert!(a.client.find_all(Locator::Css(".time-travel-banner")).await?.is_empty());
    wait_synced_and_saved(&a).await?;

    // B sees the status restored, and the restore in its own history as Ada's.
    b.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='planned']"), WAIT).await?;
    b.wait_for(Locator::Id("history-toggle"), WAIT).await?.click().await?;
    let newest = b.wait_for(Locator::Css("#history-panel li.history-entry"), WAIT).await?;
    wait_until_text(&newest, "Ada restore status of A.6.2.4").await?;
    screenshot(&b, "history-list.png").await?;

    a.close().await?;
    b.close().await?;
    let took = started.elapsed();
    println!("history e2e took {:.1} s", took.as_secs_f64());
    anyhow::ensure!(took < Duration::from_secs(180), "took {took:?}");
    Ok(())
}
