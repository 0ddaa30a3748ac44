//! The first end-to-end slice: a workspace created in browser A, its Statement of Applicability
//! edited there, saved to IndexedDB and synced through the real relay to browser B, which joins
//! by invite, edits back, and A still has everything after a reload.

use std::time::Duration;

use fantoccini::{Locator, elements::Element};
use quorum_tests::{Browser, Server, http};

const WAIT: Duration = Duration::from_secs(30);
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
    join(&server, &a, &b).await?;
    let b_row =
        b.wait_for(Locator::Css("li[data-control='A.10.4'][data-applicability='excluded']"), WAIT).await?;
    let text = b_row.find(Locator::Css("textarea.justification")).await?.prop("value").await?;
    assert_eq!(text.as_deref(), Some(JUSTIFICATION));

    // B sets a status; A sees it.
    let b_other = b.wait_for(Locator::Css("li[data-control='A.6.2.4']"), WAIT).await?;
    choose(&b_other, "select.status", "implemented").await?;
    b.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='implemented']"), WAIT).await?;
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
    join(&server, &a, &b).await?;
    b.wait_for(Locator::Css("li[data-control='A.9.4']"), WAIT).await?;
    wait_synced_and_saved(&b).await?;
    // The service worker must hold the shell before the relay (which serves it) goes away.
    a.wait_for_service_worker().await?;

    server.kill();
    a.wait_for(Locator::Css(".sync-status:not([data-state='synced'])"), WAIT).await?;
    let row = a.wait_for(Locator::Css("li[data-control='A.9.4']"), WAIT).await?;
    choose(&row, "select.status", "in-progress").await?;
    a.wait_for(Locator::Css("li[data-control='A.9.4'][data-status='in-progress']"), WAIT).await?;
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

/// Browser `a` creates a workspace through the home page and lands on its SoA.
async fn create_workspace(server: &Server, a: &Browser) -> anyhow::Result<()> {
    a.client.goto(&server.url("/")).await?;
    a.wait_for(Locator::Id("workspace-name"), WAIT).await?.send_keys("Acme AIMS").await?;
    a.client.find(Locator::Id("your-name")).await?.send_keys("Ada").await?;
    a.client.find(Locator::Css("form button[type=submit]")).await?.click().await?;
    a.wait_for(Locator::Css("li.soa-row"), WAIT).await?;
    Ok(())
}

/// The owner in browser `a` invites an editor (through the API, with the token `a` keeps), and
/// browser `b` joins through the invite link.
async fn join(server: &Server, a: &Browser, b: &Browser) -> anyhow::Result<()> {
    let membership =
        a.client.execute("return JSON.parse(localStorage.getItem('quorum.membership'))", vec![]).await?;
    let token = membership["token"].as_str().unwrap_or_default();
    let path = format!("/api/workspaces/{}/invites", membership["workspace_id"].as_str().unwrap_or_default());
    let (status, invite) =
        http::post_json(server.addr, &path, Some(token), &serde_json::json!({ "role": "editor" })).await?;
    assert_eq!(status, 201, "invite created: {invite}");
    let invite = invite["invite"].as_str().unwrap_or_default();

    b.client.goto(&server.url(&format!("/join?invite={invite}"))).await?;
    b.wait_for(Locator::Id("your-name"), WAIT).await?.send_keys("Bea").await?;
    b.client.find(Locator::Css("form button[type=submit]")).await?.click().await?;
    b.wait_for(Locator::Css("li.soa-row"), WAIT).await?;
    Ok(())
}

/// Picks an option of a select in a row, as a person would with the keyboard or mouse.
async fn choose(row: &Element, select: &str, value: &str) -> anyhow::Result<()> {
    let select = row.find(Locator::Css(select)).await?;
    select.select_by_value(value).await?;
    Ok(())
}

async fn wait_synced_and_saved(browser: &Browser) -> anyhow::Result<()> {
    browser.wait_for(Locator::Css(".sync-status[data-state='synced']"), WAIT).await?;
    browser.wait_for(Locator::Css(".save-state[data-state='saved']"), WAIT).await?;
    Ok(())
}

async fn wait_until_text(element: &Element, expected: &str) -> anyhow::Result<()> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let text = element.text().await?;
        if text.contains(expected) {
            return Ok(());
        }
        anyhow::ensure!(std::time::Instant::now() < deadline, "expected {expected:?}, found {text:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
