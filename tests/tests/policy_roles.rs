//! The AI policy and the RACI matrix in two real browsers through the real relay: typing reaches
//! the other browser, two people typing into the policy at once both keep their words, an
//! approval names its member (and a second member co-signs), is signed by each member's device and
//! verified in the other browser, keeps the approved text readable after later edits, and shows
//! what changed since; the members page lists the certified keys; a RACI assignment reaches the
//! other browser, and a reload keeps everything.

use fantoccini::{Locator, elements::Element, key::Key};
use quorum_tests::wait::wait_until;
use quorum_tests::workspace::{
    WAIT, create_workspace, join, open_from_nav, wait_synced_and_saved, wait_until_text,
};
use quorum_tests::{Browser, Server};

const FIRST: &str = "We use AI where it helps people.";
const BY_A: &str = "Purpose: ";
const BY_B: &str = " Reviewed yearly.";
const AMENDED: &str = " Bea adds this.";

#[tokio::test]
async fn the_policy_and_roles_are_edited_together_approved_and_kept() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    let b = Browser::launch().await?;
    join(&server, &a, &b, "editor", "Bea").await?;

    // A types the policy; B sees it.
    open_from_nav(&a, "/policy").await?;
    open_from_nav(&b, "/policy").await?;
    let text_a = a.wait_for(Locator::Id("policy-text"), WAIT).await?;
    let text_b = b.wait_for(Locator::Id("policy-text"), WAIT).await?;
    a.wait_for(Locator::Css(".policy-standing[data-standing='never-proposed']"), WAIT).await?;
    text_a.send_keys(FIRST).await?;
    wait_until_value(&text_b, FIRST).await?;

    // Both type at once: A at the start, B at the end, a few characters each in turn.
    place_cursor(&a, 0).await?;
    place_cursor(&b, FIRST.encode_utf16().count()).await?;
    let (mut by_a, mut by_b) = (BY_A.chars(), BY_B.chars());
    loop {
        let chunk_a: String = by_a.by_ref().take(3).collect();
        let chunk_b: String = by_b.by_ref().take(3).collect();
        if chunk_a.is_empty() && chunk_b.is_empty() {
            break;
        }
        if !chunk_a.is_empty() {
            text_a.send_keys(&chunk_a).await?;
        }
        if !chunk_b.is_empty() {
            text_b.send_keys(&chunk_b).await?;
        }
    }
    let merged = format!("{BY_A}{FIRST}{BY_B}");
    wait_until_value(&text_a, &merged).await?;
    wait_until_value(&text_b, &merged).await?;

    // A proposes the text as version 1 and approves it; B sees the approval with A's name.
    a.wait_for(Locator::Id("policy-version-label"), WAIT).await?.send_keys("First issue").await?;
    click(&a, "button.propose-version").await?;
    a.wait_for(Locator::Css(".policy-standing[data-standing='awaiting-approval']"), WAIT).await?;
    click(&a, "button.approve-version").await?;
    a.wait_for(Locator::Css(".policy-standing[data-standing='in-force']"), WAIT).await?;
    let standing_b = b.wait_for(Locator::Css(".policy-standing[data-standing='in-force']"), WAIT).await?;
    wait_until_text(&standing_b, "Version 1 is in force, approved by Ada on").await?;
    b.wait_for(Locator::Css("li.policy-version[data-version='1'][data-approved='true']"), WAIT).await?;

    // B co-signs version 1; A sees both names, and has no approve button left for it.
    let also = b.wait_for(Locator::Css("button.approve-version"), WAIT).await?;
    wait_until_text(&also, "Also approve version 1").await?;
    also.click().await?;
    let standing_a = a.wait_for(Locator::Css(".policy-standing[data-standing='in-force']"), WAIT).await?;
    wait_until_text(&standing_a, " and Bea on ").await?;
    assert!(
        a.client.find_all(Locator::Css("button.approve-version")).await?.is_empty(),
        "Ada approved already"
    );
    // Each approval was signed by its member's device; A checks both against the keys the
    // relay certified.
    wait_until("both approvals verified in A", WAIT, async |seen| {
        let signatures = a
            .client
            .find_all(Locator::Css("li.policy-version[data-version='1'] li.approval-signature"))
            .await?;
        let mut found = Vec::new();
        for signature in &signatures {
            let verdict = signature.attr("data-verdict").await?.unwrap_or_default();
            found.push((verdict, signature.prop("textContent").await?.unwrap_or_default()));
        }
        *seen = format!("{found:?}");
        let verified = |name: &str| {
            found.iter().any(|(verdict, text)| {
                verdict == "verified" && text.starts_with(&format!("{name}: signature verified"))
            })
        };
        Ok((found.len() == 2 && verified("Ada") && verified("Bea")).then_some(()))
    })
    .await?;

    // B edits further: the policy now differs from version 1, whose text stays as approved.
    text_b.send_keys(AMENDED).await?;
    let amended = format!("{merged}{AMENDED}");
    wait_until_value(&text_a, &amended).await?;
    let standing_a =
        a.wait_for(Locator::Css(".policy-standing[data-standing='draft-changes']"), WAIT).await?;
    wait_until_text(&standing_a, "Draft changes since version 1, approved by Ada on").await?;
    assert_version_text(&b, 1, &merged).await?;
    let summary =
        b.client.find(Locator::Css("li.policy-version[data-version='1'] summary")).await?.text().await?;
    assert!(summary.contains("First issue") && summary.contains("approved by Ada"), "{summary:?}");
    // What changed since the approval, from the approved version to now, character by character.
    a.wait_for(Locator::Id("policy-changed-since"), WAIT).await?.click().await?;
    let added = a
        .wait_for(Locator::Css("#history-panel .field-difference[data-field='text'] .prose-diff ins"), WAIT)
        .await?;
    wait_until_text(&added, AMENDED.trim()).await?;
    a.client.find(Locator::Id("history-toggle")).await?.click().await?;

    // Screenshots of the policy page with data, when asked for.
    let shots = std::env::var("QUORUM_SCREENSHOT_DIR").ok();
    if let Some(dir) = &shots {
        std::fs::write(format!("{dir}/policy.png"), a.client.screenshot().await?)?;
    }

    // A makes Ada accountable for internal audit; B sees it, and the row's warning goes.
    open_from_nav(&a, "/roles").await?;
    open_from_nav(&b, "/roles").await?;
    let row = "tr.raci-row[data-name='Internal audit']";
    a.wait_for(Locator::Css(&format!("{row}[data-warning='true']")), WAIT).await?;
    let ada = member_column(&a, "Ada").await?;
    let bea = member_column(&a, "Bea").await?;
    let cell = |member: &str| format!("{row} td[data-member='{member}']");
    a.client.find(Locator::Css(&format!("{} select", cell(&ada)))).await?.select_by_value("A").await?;
    a.client.find(Locator::Css(&format!("{} select", cell(&bea)))).await?.select_by_value("R").await?;
    b.wait_for(Locator::Css(&format!("{}[data-raci='A']", cell(&ada))), WAIT).await?;
    b.wait_for(Locator::Css(&format!("{}[data-raci='R']", cell(&bea))), WAIT).await?;
    b.wait_for(Locator::Css(&format!("{row}[data-warning='false']")), WAIT).await?;
    let selected =
        b.client.find(Locator::Css(&format!("{} select", cell(&ada)))).await?.prop("value").await?;
    assert_eq!(selected.as_deref(), Some("A"));
    // Rows the rule still flags say so.
    let warning =
        b.client.find(Locator::Css("tr.raci-row[data-name='Management review'] .raci-warning")).await?;
    wait_until_text(&warning, "No one is accountable yet").await?;

    // B gives the concern channel a contact; A sees it.
    let contact = b.wait_for(Locator::Id("concern-contact"), WAIT).await?;
    contact.send_keys(&format!("ethics@example.org{}", char::from(Key::Tab))).await?;
    wait_until_value(&a.wait_for(Locator::Id("concern-contact"), WAIT).await?, "ethics@example.org").await?;
    if let Some(dir) = &shots {
        std::fs::write(format!("{dir}/roles.png"), a.client.screenshot().await?)?;
    }

    // A reloads: the assignment, the contact, the amended text and the approved version remain.
    wait_synced_and_saved(&a).await?;
    a.client.refresh().await?;
    a.wait_for(Locator::Css(&format!("{}[data-raci='A']", cell(&ada))), WAIT).await?;
    a.wait_for(Locator::Css(&format!("{}[data-raci='R']", cell(&bea))), WAIT).await?;
    wait_until_value(&a.wait_for(Locator::Id("concern-contact"), WAIT).await?, "ethics@example.org").await?;
    open_from_nav(&a, "/policy").await?;
    wait_until_value(&a.wait_for(Locator::Id("policy-text"), WAIT).await?, &amended).await?;
    a.wait_for(Locator::Css(".policy-standing[data-standing='draft-changes']"), WAIT).await?;
    assert_version_text(&a, 1, &merged).await?;

    // The members page lists both devices' certified keys.
    open_from_nav(&a, "/members").await?;
    wait_until("two certified keys", WAIT, async |seen| {
        let keys = a.client.find_all(Locator::Css("li.device-key")).await?;
        *seen = format!("{} keys", keys.len());
        Ok((keys.len() == 2).then_some(()))
    })
    .await?;

    a.close().await?;
    b.close().await
}

/// Puts the textarea's cursor at `at` (UTF-16 offset) with the field focused, as a click would;
/// later keys are typed there because the field keeps its focus.
async fn place_cursor(browser: &Browser, at: usize) -> anyhow::Result<()> {
    let script = "const t = document.getElementById('policy-text'); t.focus(); t.setSelectionRange(arguments[0], arguments[0]);";
    browser.client.execute(script, vec![serde_json::json!(at)]).await?;
    Ok(())
}

/// Opens version `number` in the list and checks its text.
async fn assert_version_text(browser: &Browser, number: usize, expected: &str) -> anyhow::Result<()> {
    let version = format!("li.policy-version[data-version='{number}']");
    let summary = browser.wait_for(Locator::Css(&format!("{version} summary")), WAIT).await?;
    let open = browser.client.find(Locator::Css(&format!("{version} details"))).await?.attr("open").await?;
    if open.is_none() {
        summary.click().await?;
    }
    let text = browser.wait_for(Locator::Css(&format!("{version} .policy-version-text")), WAIT).await?;
    wait_until_text(&text, expected).await?;
    assert_eq!(text.text().await?, expected, "version {number} reads as it was approved");
    Ok(())
}

/// The member id of the matrix's column headed `name`.
async fn member_column(browser: &Browser, name: &str) -> anyhow::Result<String> {
    for header in browser.client.find_all(Locator::Css("th.raci-member")).await? {
        if header.text().await?.trim() == name {
            return header
                .attr("data-member")
                .await?
                .ok_or_else(|| anyhow::anyhow!("{name}'s column has no id"));
        }
    }
    anyhow::bail!("no column for {name}")
}

async fn click(browser: &Browser, css: &str) -> anyhow::Result<()> {
    browser.wait_for(Locator::Css(css), WAIT).await?.click().await?;
    Ok(())
}

/// Waits until a field's value is exactly `expected`.
async fn wait_until_value(element: &Element, expected: &str) -> anyhow::Result<()> {
    wait_until(&format!("the value {expected:?}"), WAIT, async |seen| {
        let value = element.prop("value").await?.unwrap_or_default();
        *seen = format!("{value:?}");
        Ok((value == expected).then_some(()))
    })
    .await
}
