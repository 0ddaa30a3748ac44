//! Presence and undo across two browsers on the real relay: A sees who else is on the SoA and in
//! which field, sees them leave, and undoes a change of its own, which B sees undone too.

use fantoccini::Locator;
use quorum_tests::Browser;
use quorum_tests::wait::wait_until;
use quorum_tests::workspace::{WAIT, ada_and_bea, open_from_nav, set_soa_status};

const B_FIELD: &str = "li[data-control='A.5.2'] textarea.justification";
const STATUS_CONTROL: &str = "A.6.2.4";
const STATUS_ROW: &str = "li[data-control='A.6.2.4']";

#[tokio::test]
async fn others_show_on_the_page_and_in_their_field_and_an_undo_reaches_everyone() -> anyhow::Result<()> {
    let (_server, a, b) = ada_and_bea("editor").await?;

    // B goes into a justification field: A sees Bea in the header and her outline on that field.
    b.wait_for(Locator::Css(B_FIELD), WAIT).await?.click().await?;
    let avatar = a.wait_for(Locator::Css(".presence-avatar[data-presence-member='Bea']"), WAIT).await?;
    assert_eq!(avatar.text().await?, "B");
    let outlined = format!("{B_FIELD}.presence-field[data-presence-name='Bea']");
    a.wait_for(Locator::Css(&outlined), WAIT).await?;
    let label = avatar.attr("aria-label").await?.unwrap_or_default();
    assert_eq!(label, "Bea is on this page, editing Justification");
    // B sees nobody but A (Ada) on the page: not herself.
    let b_avatar = b.wait_for(Locator::Css(".presence-avatar[data-presence-member='Ada']"), WAIT).await?;
    assert_eq!(b_avatar.text().await?, "A");
    assert!(
        b.client.find_all(Locator::Css(".presence-avatar[data-presence-member='Bea']")).await?.is_empty()
    );

    // B leaves for the catalog: her avatar and her outline go.
    open_from_nav(&b, "/catalog").await?;
    wait_until_gone(&a, ".presence-avatar").await?;
    wait_until_gone(&a, ".presence-field").await?;

    // A changes a status; B, back on the SoA, sees it.
    open_from_nav(&b, "/soa").await?;
    set_soa_status(&a, STATUS_CONTROL, "implemented").await?;
    b.wait_for(Locator::Css(&format!("{STATUS_ROW}[data-status='implemented']")), WAIT).await?;

    // A's Undo names what it will undo, and undoes it in both browsers.
    let undo = a.wait_for(Locator::Css(".undo-button"), WAIT).await?;
    let label = undo.attr("aria-label").await?.unwrap_or_default();
    assert!(label.contains("set A.6.2.4 to implemented"), "the button says what it undoes: {label:?}");
    undo.click().await?;
    let not_started = format!("{STATUS_ROW}[data-status='not-started']");
    a.wait_for(Locator::Css(&not_started), WAIT).await?;
    b.wait_for(Locator::Css(&not_started), WAIT).await?;
    // That was A's only change of its own: nothing is left to undo.
    a.wait_for(Locator::Css(".undo-button:disabled"), WAIT).await?;
    // B made no change, so B has nothing to undo either.
    b.wait_for(Locator::Css(".undo-button:disabled"), WAIT).await?;

    a.close().await?;
    b.close().await
}

/// Another tab's announcement says who and what colour it is; the page shows the name the
/// workspace lists for its device and the member's own colour instead, so a forged name cannot
/// pass for someone and a "colour" of `url(...)` never reaches a style (where it would fetch).
#[tokio::test]
async fn a_forged_announcement_cannot_pass_for_a_member_or_reach_a_style() -> anyhow::Result<()> {
    let (_server, a, b) = ada_and_bea("editor").await?;
    // Ada goes elsewhere, so that on B's page only the forged tab can stand for her.
    open_from_nav(&a, "/catalog").await?;
    let ada = a
        .client
        .execute("return JSON.parse(localStorage.getItem('quorum.membership')).member_id;", vec![])
        .await?;
    b.client
        .execute(
            r#"
            const [ada] = arguments;
            const m = JSON.parse(localStorage.getItem('quorum.membership'));
            const forged = { v: 1, tab: 'forged-tab', member: 'nobody-' + ada, name: 'Ada',
                device: 'ffff', colour: 'url(/forged-fetch)', path: location.pathname, field: null };
            new BroadcastChannel('quorum-tabs-' + m.workspace_id).postMessage({
                from: 'forged-tab', kind: 'presence',
                bytes: new TextEncoder().encode(JSON.stringify(forged)) });
            "#,
            vec![ada],
        )
        .await?;
    // A member and device nobody lists claims Ada's name: the page says so.
    let selector = ".presence-avatar[data-presence-member='Ada (not listed)']";
    let avatar = b.wait_for(Locator::Css(selector), WAIT).await?;
    let style = avatar.attr("style").await?.unwrap_or_default();
    assert!(style.contains("rgb(") && !style.contains("url("), "the member's own colour: {style}");
    assert!(b.client.find_all(Locator::Css("[data-presence-member='Ada']")).await?.is_empty());
    a.close().await?;
    b.close().await
}

/// Waits until nothing on the page matches `css`.
async fn wait_until_gone(browser: &Browser, css: &str) -> anyhow::Result<()> {
    wait_until(&format!("{css} to leave the page"), WAIT, async |_| {
        Ok(browser.client.find_all(Locator::Css(css)).await?.is_empty().then_some(()))
    })
    .await
}
