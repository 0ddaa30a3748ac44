//! The documented information register and the planned changes in two real browsers through
//! the real relay: a record made in one shows in the other, both edit the same record at once and
//! keep every field, a reload keeps everything, and the workspace's own documents (the AI policy
//! first) are listed by themselves, with an owner set in one browser shown in the other. Then the
//! certification cycle's steps for 6.3 and 7.5 run and the dashboard has no gap left under them.

use std::time::Duration;

use fantoccini::Locator;
use quorum_tests::cycle::records::{plan_change, register_documents, select_member, set_text};
use quorum_tests::form::{pick_date, screenshot, wait_value};
use quorum_tests::wait::wait_until;
use quorum_tests::workspace::{
    WAIT, create_workspace, join, open_from_nav, wait_synced_and_saved, wait_until_text,
};
use quorum_tests::{Browser, Server};

#[tokio::test]
async fn records_are_made_shared_edited_together_and_kept() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    let b = Browser::launch().await?;
    join(&server, &a, &b, "editor", "Bea").await?;

    // Planned changes: A adds one, B sees it; both edit it at once.
    open_from_nav(&a, "/changes").await?;
    open_from_nav(&b, "/changes").await?;
    b.wait_for(Locator::Css("[data-empty='changes']"), WAIT).await?;
    a.wait_for(Locator::Id("change-new-title"), WAIT).await?.send_keys("Second reviewer").await?;
    a.client.find(Locator::Css("form.add-record button[type=submit]")).await?.click().await?;
    let card = b.wait_for(Locator::Css("li.planned-change"), WAIT).await?;
    let change = card.attr("data-change").await?.unwrap_or_default();
    let id = |name: &str| format!("change-{change}-{name}");
    wait_value(&b, &format!("#{}", id("title")), "Second reviewer").await?;
    select_member(&a, &id("owner"), "Ada").await?;
    set_text(&b, &id("resources"), "Two days a month").await?;
    pick_date(&b, &id("due"), "2031-03-31").await?;
    a.wait_for(Locator::Id(&id("purpose")), WAIT).await?.send_keys("Fewer errors.").await?;
    b.wait_for(Locator::Id(&id("consequences")), WAIT).await?.send_keys("Slower approvals.").await?;
    a.client.find(Locator::Id(&id("status"))).await?.select_by_value("approved").await?;
    for browser in [&a, &b] {
        wait_value(browser, &format!("#{}", id("resources")), "Two days a month").await?;
        wait_value(browser, &format!("#{}", id("due")), "2031-03-31").await?;
        wait_value(browser, &format!("#{}", id("purpose")), "Fewer errors.").await?;
        wait_value(browser, &format!("#{}", id("consequences")), "Slower approvals.").await?;
        wait_value(browser, &format!("#{}", id("status")), "approved").await?;
        browser
            .wait_for(Locator::Css(&format!("#{} option:checked:not([value=''])", id("owner"))), WAIT)
            .await?;
    }
    screenshot(&a, "changes.png").await?;

    // An impact assessment made on its page is listed in the register by itself, approved or
    // not on its own page: a draft is not approved.
    open_from_nav(&a, "/impact").await?;
    a.wait_for(Locator::Id("impact-new-title"), WAIT).await?.send_keys("CV screening").await?;
    a.client.find(Locator::Css("form.impact-new button[type=submit]")).await?.click().await?;
    a.wait_for(Locator::Css(".impact-assessment[data-status='draft']"), WAIT).await?;
    open_from_nav(&b, "/documents").await?;
    let impact = "li.document-row[data-kind='impact-assessment'][data-flags~='no-approval']";
    let impact = b.wait_for(Locator::Css(impact), WAIT).await?;
    wait_until_text(&impact, "CV screening").await?;
    wait_until_text(&impact.find(Locator::Css(".own-approval")).await?, "Draft").await?;

    // Documented information: the AI policy is listed by itself; A gives it an owner, B sees it.
    open_from_nav(&a, "/documents").await?;
    let policy_a = a.wait_for(Locator::Css("li.document-row[data-kind='policy']"), WAIT).await?;
    wait_until_text(&policy_a, "AI policy").await?;
    let policy = policy_a.attr("data-row").await?.unwrap_or_default();
    let field = |row: &str, name: &str| format!("documented-{row}-{name}");
    let flags_b = b.wait_for(Locator::Css(&format!("li.document-row[data-row='{policy}']")), WAIT).await?;
    assert!(flags_b.attr("data-flags").await?.unwrap_or_default().contains("no-owner"));
    select_member(&a, &field(&policy, "owner"), "Ada").await?;
    let ada =
        a.client.find(Locator::Id(&field(&policy, "owner"))).await?.prop("value").await?.unwrap_or_default();
    assert!(!ada.is_empty());
    wait_value(&b, &format!("#{}", field(&policy, "owner")), &ada).await?;
    b.wait_for(
        Locator::Css(&format!("li.document-row[data-row='{policy}']:not([data-flags~='no-owner'])")),
        WAIT,
    )
    .await?;
    // Its approval is the policy's own, not recorded here.
    let own = b
        .wait_for(Locator::Css(&format!("li.document-row[data-row='{policy}'] .own-approval")), WAIT)
        .await?;
    wait_until_text(&own, "No approved version").await?;

    // A adds an external document; B sees it; both fill the same entry at once.
    a.wait_for(Locator::Id("documented-new-title"), WAIT).await?.send_keys("Supplier model card").await?;
    a.client.find(Locator::Css(".documented form.add-record button[type=submit]")).await?.click().await?;
    let entry = b.wait_for(Locator::Css("li.document-row[data-kind='external']"), WAIT).await?;
    let entry = entry.attr("data-row").await?.unwrap_or_default();
    wait_value(&b, &format!("#{}", field(&entry, "title")), "Supplier model card").await?;
    set_text(&a, &field(&entry, "location"), "Vendor portal").await?;
    set_text(&b, &field(&entry, "retention"), "Seven years").await?;
    set_text(&a, &field(&entry, "reference"), "https://vendor.example/card").await?;
    select_member(&b, &field(&entry, "approved-by"), "Bea").await?;
    pick_date(&a, &field(&entry, "review-on"), "2020-01-31").await?;
    for browser in [&a, &b] {
        wait_value(browser, &format!("#{}", field(&entry, "location")), "Vendor portal").await?;
        wait_value(browser, &format!("#{}", field(&entry, "retention")), "Seven years").await?;
        wait_value(browser, &format!("#{}", field(&entry, "reference")), "https://vendor.example/card")
            .await?;
        wait_value(browser, &format!("#{}", field(&entry, "review-on")), "2020-01-31").await?;
        // A review date in the past is flagged, and counted at the top.
        browser
            .wait_for(
                Locator::Css(&format!(
                    "li.document-row[data-row='{entry}'][data-flags='overdue-review no-owner']"
                )),
                WAIT,
            )
            .await?;
        browser
            .wait_for(Locator::Css(".document-count[data-flag='overdue-review'][data-count='1']"), WAIT)
            .await?;
    }
    screenshot(&a, "documented.png").await?;

    // A reload keeps everything, in both registers.
    wait_synced_and_saved(&a).await?;
    wait_synced_and_saved(&b).await?;
    a.client.refresh().await?;
    wait_value(&a, &format!("#{}", field(&policy, "owner")), &ada).await?;
    wait_value(&a, &format!("#{}", field(&entry, "location")), "Vendor portal").await?;
    wait_value(&a, &format!("#{}", field(&entry, "retention")), "Seven years").await?;
    a.wait_for(
        Locator::Css(&format!("li.document-row[data-row='{entry}'][data-flags='overdue-review no-owner']")),
        WAIT,
    )
    .await?;
    open_from_nav(&a, "/changes").await?;
    wait_value(&a, &format!("#{}", id("purpose")), "Fewer errors.").await?;
    wait_value(&a, &format!("#{}", id("resources")), "Two days a month").await?;
    wait_value(&a, &format!("#{}", id("status")), "approved").await?;

    a.close().await?;
    b.close().await
}

#[tokio::test]
async fn the_cycle_steps_meet_every_check_of_6_3_and_7_5() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;

    // The policy is approved on its own page, as the cycle does before the register.
    open_from_nav(&a, "/policy").await?;
    a.wait_for(Locator::Id("policy-text"), WAIT).await?.send_keys("We use AI where it helps people.").await?;
    a.wait_for(Locator::Id("policy-version-label"), WAIT).await?.send_keys("First issue").await?;
    a.wait_for(Locator::Css("button.propose-version"), WAIT).await?.click().await?;
    a.wait_for(Locator::Css("button.approve-version"), WAIT).await?.click().await?;
    a.wait_for(Locator::Css(".policy-standing[data-standing='in-force']"), WAIT).await?;

    plan_change(&a).await?;
    register_documents(&a).await?;
    screenshot(&a, "documented-complete.png").await?;
    if let Ok(dir) = std::env::var("QUORUM_SCREENSHOT_DIR") {
        a.client.set_window_size(800, 1400).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        std::fs::write(format!("{dir}/documented-800.png"), a.client.screenshot().await?)?;
        a.client.set_window_size(1280, 900).await?;
    }

    // The dashboard lists gaps as the documents it reads open: wait for those of 6.3 and 7.5 to go.
    open_from_nav(&a, "/dashboard").await?;
    a.wait_for(Locator::Css("li.gap"), WAIT).await?;
    wait_until("the gaps of 6.3 and 7.5 to go", WAIT, async |seen| {
        let mut left = Vec::new();
        for clause in ["6.3", "7.5.1", "7.5.2", "7.5.3"] {
            let gaps = a.client.find_all(Locator::Css(&format!("li.gap[data-clause='{clause}']"))).await?;
            for gap in gaps {
                left.push(gap.text().await?);
            }
        }
        *seen = format!("gaps left: {left:?}");
        Ok(left.is_empty().then_some(()))
    })
    .await?;
    a.close().await
}
