//! A revoked member who comes back: the relay refuses their WebSocket upgrade with a 401 the
//! browser cannot read, so the app asks the relay's API why, stops retrying, says what happened
//! and whom to ask, and keeps what this browser holds readable. And access tokens near their
//! expiry: refreshed on open; one already expired gets the same kind of message.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use quorum_tests::wait::wait_until;
use quorum_tests::workspace::{
    WAIT, create_workspace, join, open_from_nav, set_soa_status, wait_synced_and_saved, wait_until_text,
};
use quorum_tests::{Browser, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn a_revoked_member_who_reloads_is_told_why_stops_retrying_and_keeps_the_data() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    set_soa_status(&a, "A.6.2.4", "implemented").await?;
    wait_synced_and_saved(&a).await?;

    // B joins as an editor, sees A's edit and makes one of its own.
    let b = Browser::launch().await?;
    join(&server, &a, &b, "editor", "Bea").await?;
    b.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='implemented']"), WAIT).await?;
    set_soa_status(&b, "A.2.2", "in-progress").await?;
    wait_synced_and_saved(&b).await?;
    a.wait_for(Locator::Css("li[data-control='A.2.2'][data-status='in-progress']"), WAIT).await?;

    // A revokes B on the members page.
    open_from_nav(&a, "/members").await?;
    let bea = "li.member[data-member-name='Bea'][data-revoked='false']";
    a.wait_for(Locator::Css(bea), WAIT).await?.find(Locator::Css("button.revoke")).await?.click().await?;
    a.wait_for(Locator::Css(&format!("{bea} button.revoke-confirm")), WAIT).await?.click().await?;
    a.wait_for(Locator::Css("li.member[data-member-name='Bea'][data-revoked='true']"), WAIT).await?;

    // B reloads: the upgrade is refused, and the header says why and what to do.
    b.client.goto(&server.url("/soa")).await?;
    let status = b.wait_for(Locator::Css(".sync-status[data-state='error']"), WAIT).await?;
    wait_until_text(&status, "An owner has removed your access to this workspace").await?;
    wait_until_text(&status, "ask an owner for a new invite").await?;

    // It stays so: no "connecting" between retries, because there are none. The app's backoff
    // would have tried again within a few seconds.
    let refused_before = rejected_connections(&server).await?;
    let until = Instant::now() + Duration::from_secs(5);
    while Instant::now() < until {
        let state = status.attr("data-state").await?.unwrap_or_default();
        assert_eq!(state, "error", "the header keeps the error");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    wait_until_text(&status, "An owner has removed your access").await?;
    assert_eq!(rejected_connections(&server).await?, refused_before, "B stopped connecting");

    // What B holds is still there to read: A's edit and B's own, from this browser's storage.
    b.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='implemented']"), WAIT).await?;
    b.wait_for(Locator::Css("li[data-control='A.2.2'][data-status='in-progress']"), WAIT).await?;
    if let Ok(path) = std::env::var("QUORUM_SCREENSHOT") {
        std::fs::write(format!("{path}-revoked-reload.png"), b.client.screenshot().await?)?;
    }

    a.close().await?;
    b.close().await
}

#[tokio::test]
async fn a_token_near_its_expiry_is_refreshed_on_open_and_an_expired_one_is_explained() -> anyhow::Result<()>
{
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    set_soa_status(&a, "A.6.2.4", "implemented").await?;
    wait_synced_and_saved(&a).await?;
    let kept = stored_membership(&a).await?;
    let now = unix_now();
    let day = 24 * 3600;

    // The owner's token as if issued long ago: ten days left. On open it is traded for a fresh
    // one, kept for the next visit, and the workspace syncs with it.
    let ending = sign_access_token(&server, &a, &kept, now + 10 * day).await?;
    store_token(&a, &ending, now + 10 * day).await?;
    a.client.goto(&server.url("/soa")).await?;
    let fresh = wait_until("the token to be refreshed", WAIT, async |seen| {
        let stored = stored_membership(&a).await?;
        *seen = stored.to_string();
        Ok((stored["token"] != ending.as_str()).then_some(stored))
    })
    .await?;
    let expires_at = fresh["expires_at"].as_u64().unwrap_or_default();
    assert!(expires_at > now + 80 * day, "a fresh token lasts the full term: {fresh}");
    for field in ["workspace_id", "member_id", "role", "root_document_url"] {
        assert_eq!(fresh[field], kept[field], "the same membership: {field}");
    }
    wait_synced_and_saved(&a).await?;
    let listed =
        a.client.execute("return JSON.parse(localStorage.getItem('quorum.memberships'))", vec![]).await?;
    assert_eq!(listed[0]["token"], fresh["token"], "the list of workspaces keeps the fresh token too");

    // A token that expired yesterday cannot be refreshed: the header says so, and the data stays.
    let expired = sign_access_token(&server, &a, &kept, now - day).await?;
    store_token(&a, &expired, now - day).await?;
    a.client.goto(&server.url("/soa")).await?;
    let status = a.wait_for(Locator::Css(".sync-status[data-state='error']"), WAIT).await?;
    wait_until_text(&status, "Your access to this workspace has expired").await?;
    wait_until_text(&status, "ask an owner for a new invite").await?;
    a.wait_for(Locator::Css("li[data-control='A.6.2.4'][data-status='implemented']"), WAIT).await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(status.attr("data-state").await?.as_deref(), Some("error"), "and no retries change that");

    a.close().await
}

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

async fn stored_membership(browser: &Browser) -> anyhow::Result<serde_json::Value> {
    Ok(browser.client.execute("return JSON.parse(localStorage.getItem('quorum.membership'))", vec![]).await?)
}

/// Puts `token` in place of the open membership's, as a browser that kept it for months would
/// have it.
async fn store_token(browser: &Browser, token: &str, expires_at: u64) -> anyhow::Result<()> {
    let script = "const m = JSON.parse(localStorage.getItem('quorum.membership'));
         m.token = arguments[0]; m.expires_at = arguments[1];
         localStorage.setItem('quorum.membership', JSON.stringify(m));";
    browser.client.execute(script, vec![token.into(), expires_at.into()]).await?;
    Ok(())
}

/// An access token for the membership's member that expires at `expires_at`, signed as the
/// relay signs them (`q1.<claims>.<HMAC-SHA256>`, base64url) with the key in its data directory;
/// the page's WebCrypto computes the HMAC.
async fn sign_access_token(
    server: &Server,
    browser: &Browser,
    membership: &serde_json::Value,
    expires_at: u64,
) -> anyhow::Result<String> {
    let key = std::fs::read(server.data_dir().join("token-key"))?;
    let claims = serde_json::json!({
        "kind": "access",
        "workspace": membership["workspace_id"],
        "role": membership["role"],
        "subject": membership["member_id"],
        "expires_at": expires_at,
    });
    let script = "const [key, claims, done] = arguments;
        const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
            .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
        const body = b64(new TextEncoder().encode(JSON.stringify(claims)));
        crypto.subtle.importKey('raw', new Uint8Array(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
            .then((k) => crypto.subtle.sign('HMAC', k, new TextEncoder().encode('q1.' + body)))
            .then((signature) => done('q1.' + body + '.' + b64(signature)));";
    let token = browser.client.execute_async(script, vec![serde_json::json!(key), claims]).await?;
    token.as_str().map(str::to_owned).ok_or_else(|| anyhow::anyhow!("no token signed: {token}"))
}

/// The relay's count of sync upgrades it refused, from `/metrics`.
async fn rejected_connections(server: &Server) -> anyhow::Result<u64> {
    let mut stream = tokio::net::TcpStream::connect(server.addr).await?;
    let request = format!("GET /metrics HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", server.addr);
    stream.write_all(request.as_bytes()).await?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await?;
    let line = reply
        .lines()
        .find(|line| line.starts_with("quorum_rejected_connections_total "))
        .ok_or_else(|| anyhow::anyhow!("no rejected_connections_total in /metrics: {reply}"))?;
    Ok(line.rsplit(' ').next().unwrap_or_default().trim().parse()?)
}
