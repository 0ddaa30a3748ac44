//! The support page in two real browsers through the real relay: a competence made in one
//! browser reaches the other, two people editing the same training record both keep their
//! field, an editor acknowledging the AI policy in force leaves the other browser's list of who
//! has not yet, a reload keeps everything, and the cycle step makes clauses 7.1 to 7.4 met.

use std::time::{Duration, Instant};

use fantoccini::{Locator, key::Key};
use quorum_tests::cycle::support::{complete, wait_gone};
use quorum_tests::workspace::{
    WAIT, create_workspace, join, open_from_nav, wait_synced_and_saved, wait_until_text,
};
use quorum_tests::{Browser, Server, form};

const SUPPORT_CLAUSES: [&str; 4] = ["7.1", "7.2", "7.3", "7.4"];

#[tokio::test]
async fn support_is_edited_together_acknowledged_and_kept() -> anyhow::Result<()> {
    let started = Instant::now();
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    let b = Browser::launch().await?;
    join(&server, &a, &b, "editor", "Bea").await?;
    let tab = char::from(Key::Tab);

    // A new workspace shows every gap of 7.1 to 7.4.
    open_from_nav(&a, "/dashboard").await?;
    for clause in SUPPORT_CLAUSES {
        a.wait_for(Locator::Css(&format!("li.gap[data-clause='{clause}']")), WAIT).await?;
    }

    // Before a policy version is approved, the page says to approve one first.
    open_from_nav(&a, "/support").await?;
    a.wait_for(Locator::Css("[data-empty='policy-version']"), WAIT).await?;
    a.wait_for(Locator::Css("[data-empty='systems']"), WAIT).await?;

    // A approves version 1 of the policy and adds an AI system.
    open_from_nav(&a, "/policy").await?;
    a.wait_for(Locator::Id("policy-text"), WAIT).await?.send_keys("We use AI where it helps people.").await?;
    a.wait_for(Locator::Id("policy-version-label"), WAIT).await?.send_keys("First issue").await?;
    a.wait_for(Locator::Css("button.propose-version"), WAIT).await?.click().await?;
    a.wait_for(Locator::Css("button.approve-version"), WAIT).await?.click().await?;
    a.wait_for(Locator::Css(".policy-standing[data-standing='in-force']"), WAIT).await?;
    open_from_nav(&a, "/inventory").await?;
    a.wait_for(Locator::Id("inventory-new-name"), WAIT).await?.send_keys("CV screener\u{E007}").await?;
    a.wait_for(Locator::Id("system-purpose"), WAIT).await?;

    // Both open the support page: both members have yet to read version 1.
    open_from_nav(&a, "/support").await?;
    open_from_nav(&b, "/support").await?;
    let awaiting = a.wait_for(Locator::Css("#support-awaiting[data-awaiting='2']"), WAIT).await?;
    wait_until_text(&awaiting, "Bea").await?;
    let bea = a
        .wait_for(Locator::XPath("//li[contains(@class, 'awaiting-member')][normalize-space()='Bea']"), WAIT)
        .await?
        .attr("data-member")
        .await?
        .unwrap_or_default();

    // A adds a competence; B sees it.
    a.wait_for(Locator::Id("support-new-competence"), WAIT).await?.send_keys("Data quality\u{E007}").await?;
    let competence = b.wait_for(Locator::Css("li.competence"), WAIT).await?;
    let competence = competence.attr("data-competence").await?.unwrap_or_default();
    form::wait_value(&b, &format!("#support-competence-{competence}-name"), "Data quality").await?;

    // A adds a training record for Bea; both edit it at once, each a different field.
    a.wait_for(Locator::Id("support-new-training-member"), WAIT).await?.select_by_label("Bea").await?;
    form::select(&a, "support-new-training-competence", &competence).await?;
    a.client
        .find(Locator::Id("support-new-training-course"))
        .await?
        .send_keys("Data workshop\u{E007}")
        .await?;
    let record =
        b.wait_for(Locator::Css("li.training"), WAIT).await?.attr("data-training").await?.unwrap_or_default();
    let field = |name: &str| format!("support-{record}-{name}");
    a.wait_for(Locator::Id(&field("course")), WAIT).await?;
    let course_a = a.client.find(Locator::Id(&field("course"))).await?;
    let evidence_b = b.client.find(Locator::Id(&field("evidence"))).await?;
    course_a.send_keys(" 2026").await?;
    evidence_b.send_keys("https://lms.example/cert/7").await?;
    course_a.send_keys(&tab.to_string()).await?;
    evidence_b.send_keys(&tab.to_string()).await?;
    form::pick_date(&b, &field("expires"), "2020-01-31").await?;
    for browser in [&a, &b] {
        form::wait_value(browser, &format!("#{}", field("course")), "Data workshop 2026").await?;
        form::wait_value(browser, &format!("#{}", field("evidence")), "https://lms.example/cert/7").await?;
        form::wait_value(browser, &format!("#{}", field("expires")), "2020-01-31").await?;
    }
    // The record expired: it says so in words.
    let expired = a
        .wait_for(Locator::Css(&format!("li.training[data-training='{record}'] .support-warning")), WAIT)
        .await?;
    wait_until_text(&expired, "Expired on 2020-01-31").await?;

    // B (Bea) reads version 1; A sees Bea leave the list, Ada still on it.
    b.wait_for(Locator::Css("button.acknowledge-policy"), WAIT).await?.click().await?;
    b.wait_for(Locator::Css(".acknowledged[data-acknowledged='true']"), WAIT).await?;
    wait_gone(&a, &format!("li.awaiting-member[data-member='{bea}']")).await?;
    a.wait_for(Locator::Css("#support-awaiting[data-awaiting='1']"), WAIT).await?;

    // A reloads: the record's fields and Bea's acknowledgement remain.
    wait_synced_and_saved(&a).await?;
    a.client.refresh().await?;
    form::wait_value(&a, &format!("#{}", field("course")), "Data workshop 2026").await?;
    form::wait_value(&a, &format!("#{}", field("evidence")), "https://lms.example/cert/7").await?;
    form::wait_value(&a, &format!("#{}", field("expires")), "2020-01-31").await?;
    a.wait_for(Locator::Css("#support-awaiting[data-awaiting='1']"), WAIT).await?;
    assert!(
        a.client
            .find_all(Locator::Css(&format!("li.awaiting-member[data-member='{bea}']")))
            .await?
            .is_empty()
    );

    // The cycle step fills in 7.1 to 7.4 as Ada; the dashboard then shows none of their gaps.
    complete(&a).await?;
    form::screenshot(&a, "support.png").await?;
    if let Ok(dir) = std::env::var("QUORUM_SCREENSHOT_DIR") {
        a.client.set_window_size(800, 3600).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        std::fs::write(format!("{dir}/support-800.png"), a.client.screenshot().await?)?;
        a.client.set_window_size(1280, 900).await?;
    }
    open_from_nav(&a, "/dashboard").await?;
    a.wait_for(Locator::Css("li.progress-bar[data-bar='7']"), WAIT).await?;
    for clause in SUPPORT_CLAUSES {
        wait_gone(&a, &format!("li.gap[data-clause='{clause}']")).await?;
    }
    // B sees the same readiness.
    open_from_nav(&b, "/dashboard").await?;
    b.wait_for(Locator::Css("li.progress-bar[data-bar='7']"), WAIT).await?;
    for clause in SUPPORT_CLAUSES {
        wait_gone(&b, &format!("li.gap[data-clause='{clause}']")).await?;
    }

    println!("support e2e: {:.1} s", started.elapsed().as_secs_f64());
    a.close().await?;
    b.close().await
}
