//! The first end-to-end slice: a workspace created in browser A, its Statement of Applicability
//! edited there, saved to IndexedDB and synced through the real relay to browser B, which joins
//! by invite, edits back, and A still has everything after a reload.

use fantoccini::{Locator, elements::Element};
use quorum_tests::workspace::{
    WAIT, create_workspace, join, set_soa_status, wait_synced_and_saved, wait_until_text,
};
use quorum_tests::{Browser, Server};
const JUSTIFICATION: &str = "We buy no AI services from third parties";

#[tokio::test]
async fn an_soa_edit_in_one_browser_reaches_another_and_survives_a_reload() -> anyhow::Result<()> {
    let server = Server::start().await?;

    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    let row = a.wait_for(Locator::Css("li[data-control='A.10.4']"), WAIT).await?;

    // A excludes A.10.4: first without a justification, which the model refuses...
    choose(&row, "select.applicability", "excluded").await?;
    let error = a.wait_for(Locator::Css("li[data-control='A.10.4'] .field-error"), WAIT).await?;
    wait_until_text(&error, "needs a justification").await?;
    assert_eq!(row.attr("data-applicability").await?.as_deref(), Some("applicable"));
    // ...then with one.
    row.find(Locator::Css("textarea.justification")).await?.send_keys(JUSTIFICATION).await?;
    choose(&row, "select.applicability", "excluded").await?;
    a.wait_for(Locator::Css("li[data-control='A.10.4'][data-applicability='excluded']"), WAIT).await?;
    wait_synced_and_saved(&a).await?;

    // B joins by an invite from A and sees A's exclusion with its justification.
    let b = Browser::launch().await?;
    join(&server, &a, &b, "editor", "Bea").await?;
    let b_row =
        b.wait_for(Locator::Css("li[data-control='A.10.4'][data-applicability='excluded']"), WAIT).await?;
    let text = b_row.find(Locator::Css("textarea.justification")).await?.prop("value").await?;
    assert_eq!(text.as_deref(), Some(JUSTIFICATION));

    // B sets a status; A sees it.
    set_soa_status(&b, "A.6.2.4", "implemented").await?;
    a.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='implemented']"), WAIT).await?;
    wait_synced_and_saved(&a).await?;

    // A reloads: everything is still there.
    a.client.refresh().await?;
    let row =
        a.wait_for(Locator::Css("li[data-control='A.10.4'][data-applicability='excluded']"), WAIT).await?;
    let text = row.find(Locator::Css("textarea.justification")).await?.prop("value").await?;
    assert_eq!(text.as_deref(), Some(JUSTIFICATION));
    a.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='implemented']"), WAIT).await?;
    let name = a.wait_for(Locator::Css(".workspace-name"), WAIT).await?;
    wait_until_text(&name, "Acme AIMS").await?;

    a.close().await?;
    b.close().await
}

#[tokio::test]
async fn edits_made_while_the_relay_is_down_reach_the_other_browser_when_it_returns() -> anyhow::Result<()> {
    let mut server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    a.wait_for(Locator::Css("li[data-control='A.9.4']"), WAIT).await?;
    wait_synced_and_saved(&a).await?;
    let b = Browser::launch().await?;
    join(&server, &a, &b, "editor", "Bea").await?;
    b.wait_for(Locator::Css("li[data-control='A.9.4']"), WAIT).await?;
    wait_synced_and_saved(&b).await?;
    // The service worker must hold the shell before the relay (which serves it) goes away.
    a.wait_for_service_worker().await?;

    server.kill();
    a.wait_for(Locator::Css(".sync-status:not([data-state='synced'])"), WAIT).await?;
    set_soa_status(&a, "A.9.4", "in-progress").await?;
    a.wait_for(Locator::Css(".save-state[data-state='saved']"), WAIT).await?;
    let status = a.client.find(Locator::Css(".sync-status")).await?.attr("data-state").await?;
    assert_ne!(status.as_deref(), Some("synced"), "with the relay down, the edit is not synced");

    // A reloads with no relay: the shell comes from the service worker, the edit from IndexedDB.
    a.client.refresh().await?;
    a.wait_for(Locator::Css("li[data-control='A.9.4'][data-status='in-progress']"), WAIT).await?;

    // The relay returns on the same port; both browsers reconnect by themselves.
    server.restart().await?;
    wait_synced_and_saved(&a).await?;
    b.wait_for(Locator::Css("li[data-control='A.9.4'][data-status='in-progress']"), WAIT).await?;

    a.close().await?;
    b.close().await
}

/// Picks an option of a select in a row, as a person would with the keyboard or mouse.
async fn choose(row: &Element, select: &str, value: &str) -> anyhow::Result<()> {
    let select = row.find(Locator::Css(select)).await?;
    select.select_by_value(value).await?;
    Ok(())
}
