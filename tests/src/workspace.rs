//! What most end-to-end tests do first: create a workspace in one browser, bring a second one in
//! by invite, and wait for what the person would wait for.

use std::time::Duration;

use fantoccini::{Locator, elements::Element};

use crate::wait::wait_until;
use crate::{Browser, Server, http};

/// How long a test waits for anything the app should show.
pub const WAIT: Duration = Duration::from_secs(30);

/// The browser creates the workspace "Acme AIMS" owned by "Ada" through the home page, and lands
/// on its Statement of Applicability.
pub async fn create_workspace(server: &Server, browser: &Browser) -> anyhow::Result<()> {
    browser.client.goto(&server.url("/")).await?;
    browser.wait_for(Locator::Id("workspace-name"), WAIT).await?.send_keys("Acme AIMS").await?;
    browser.client.find(Locator::Id("your-name")).await?.send_keys("Ada").await?;
    browser.client.find(Locator::Css("form button[type=submit]")).await?.click().await?;
    browser.wait_for(Locator::Css("li.soa-row"), WAIT).await?;
    Ok(())
}

/// The owner in browser `owner` invites `role` ("editor" or "viewer") through the API, with the
/// token `owner` keeps, and browser `joiner` joins as `name` through the invite link.
pub async fn join(
    server: &Server,
    owner: &Browser,
    joiner: &Browser,
    role: &str,
    name: &str,
) -> anyhow::Result<()> {
    let membership =
        owner.client.execute("return JSON.parse(localStorage.getItem('quorum.membership'))", vec![]).await?;
    let token = membership["token"].as_str().unwrap_or_default();
    let path = format!("/api/workspaces/{}/invites", membership["workspace_id"].as_str().unwrap_or_default());
    let (status, invite) =
        http::post_json(server.addr, &path, Some(token), &serde_json::json!({ "role": role })).await?;
    anyhow::ensure!(status == 201, "invite not created: {status} {invite}");
    let invite = invite["invite"].as_str().unwrap_or_default();

    joiner.client.goto(&server.url(&format!("/join?invite={invite}"))).await?;
    joiner.wait_for(Locator::Id("your-name"), WAIT).await?.send_keys(name).await?;
    joiner.client.find(Locator::Css("form button[type=submit]")).await?.click().await?;
    joiner.wait_for(Locator::Css("li.soa-row"), WAIT).await?;
    Ok(())
}

/// The start most two-browser tests share: a server, Ada's workspace in browser A, and Bea in
/// browser B as `role`, each with everything saved and synced.
pub async fn ada_and_bea(role: &str) -> anyhow::Result<(Server, Browser, Browser)> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    wait_synced_and_saved(&a).await?;
    let b = Browser::launch().await?;
    join(&server, &a, &b, role, "Bea").await?;
    wait_synced_and_saved(&b).await?;
    Ok((server, a, b))
}

/// Waits until the header says every edit is both in IndexedDB and at the relay.
pub async fn wait_synced_and_saved(browser: &Browser) -> anyhow::Result<()> {
    browser.wait_for(Locator::Css(".sync-status[data-state='synced']"), WAIT).await?;
    browser.wait_for(Locator::Css(".save-state[data-state='saved']"), WAIT).await?;
    Ok(())
}

/// Waits until the element's text contains `expected`.
pub async fn wait_until_text(element: &Element, expected: &str) -> anyhow::Result<()> {
    wait_until(&format!("the text {expected:?}"), WAIT, async |seen| {
        let text = element.text().await?;
        let done = text.contains(expected);
        *seen = format!("{text:?}");
        Ok(done.then_some(()))
    })
    .await
}

/// Follows the header's link to `href`, as a person would (a client-side navigation, no reload).
pub async fn open_from_nav(browser: &Browser, href: &str) -> anyhow::Result<()> {
    let link = browser.wait_for(Locator::Css(&format!("header nav a[href='{href}']")), WAIT).await?;
    link.click().await?;
    Ok(())
}

/// Sets an SoA control's implementation status through its select, and waits until the row
/// shows it.
pub async fn set_soa_status(browser: &Browser, control: &str, status: &str) -> anyhow::Result<()> {
    let row = browser.wait_for(Locator::Css(&format!("li[data-control='{control}']")), WAIT).await?;
    row.find(Locator::Css("select.status")).await?.select_by_value(status).await?;
    browser
        .wait_for(Locator::Css(&format!("li[data-control='{control}'][data-status='{status}']")), WAIT)
        .await?;
    Ok(())
}
