//! Two people type into the same control's justification at the same time, in two real browsers
//! through the real relay, without waiting for each other: both keep every character they typed,
//! in both browsers, and the merged text survives a reload.
//!
//! Ada leaves the field now and then while she types (as a person does who looks at another
//! field), and Bea types on. A field that shows the stored value reactively, instead of going
//! through the collaborative `Prose` editor, lets Ada's saved words arrive in Bea's browser and
//! overwrite what Bea is still typing; this test catches that.

use fantoccini::{Locator, key::Key};
use quorum_tests::form::wait_value;
use quorum_tests::workspace::{WAIT, create_workspace, join, wait_synced_and_saved};
use quorum_tests::{Browser, Server};

const CONTROL: &str = "A.5.2";
const FIELD: &str = "li[data-control='A.5.2'] textarea.justification";
const FIRST: &str = "Applies to all AI systems.";
const BY_A: &str = "Ada: we build models. ";
const BY_B: &str = " Bea: and we buy some.";

#[tokio::test]
async fn two_people_typing_one_justification_at_once_both_keep_their_words() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    let b = Browser::launch().await?;
    join(&server, &a, &b, "editor", "Bea").await?;

    // Ada writes a first sentence and leaves the field; Bea sees it.
    let text_a = a.wait_for(Locator::Css(FIELD), WAIT).await?;
    let text_b = b.wait_for(Locator::Css(FIELD), WAIT).await?;
    text_a.send_keys(&format!("{FIRST}{}", char::from(Key::Tab))).await?;
    wait_value(&b, FIELD, FIRST).await?;

    // Both type at once, a few characters each in turn: Ada at the start, leaving the field after
    // each few characters and coming back to where she was; Bea at the end, without pause.
    place_cursor(&b, FIRST.encode_utf16().count()).await?;
    let (mut by_a, mut by_b) = (BY_A.chars(), BY_B.chars());
    let mut typed_a = 0;
    loop {
        let chunk_a: String = by_a.by_ref().take(3).collect();
        let chunk_b: String = by_b.by_ref().take(3).collect();
        if chunk_a.is_empty() && chunk_b.is_empty() {
            break;
        }
        if !chunk_a.is_empty() {
            place_cursor(&a, typed_a).await?;
            text_a.send_keys(&format!("{chunk_a}{}", char::from(Key::Tab))).await?;
            typed_a += chunk_a.encode_utf16().count();
        }
        if !chunk_b.is_empty() {
            text_b.send_keys(&chunk_b).await?;
        }
    }
    text_b.send_keys(&char::from(Key::Tab).to_string()).await?;

    // Once both are synced, both browsers show both people's words.
    let merged = format!("{BY_A}{FIRST}{BY_B}");
    wait_synced_and_saved(&a).await?;
    wait_synced_and_saved(&b).await?;
    wait_value(&a, FIELD, &merged).await?;
    wait_value(&b, FIELD, &merged).await?;

    // A reload in each browser reads the same text back from storage.
    for browser in [&a, &b] {
        browser.client.refresh().await?;
        browser.wait_for(Locator::Css(&format!("li[data-control='{CONTROL}']")), WAIT).await?;
        wait_value(browser, FIELD, &merged).await?;
    }

    a.close().await?;
    b.close().await
}

/// Focuses the justification and puts its cursor at `at` (UTF-16 offset), as a click would; later
/// keys are typed there while the field keeps its focus.
async fn place_cursor(browser: &Browser, at: usize) -> anyhow::Result<()> {
    let script = "const t = document.querySelector(arguments[0]); t.focus(); t.setSelectionRange(arguments[1], arguments[1]);";
    browser.client.execute(script, vec![serde_json::json!(FIELD), serde_json::json!(at)]).await?;
    Ok(())
}
