//! A revoked member who comes back: the relay refuses their WebSocket upgrade with a 401 the
//! browser cannot read, so the app asks the relay's API why, stops retrying, says what happened
//! and whom to ask, and keeps what this browser holds readable.

use std::time::{Duration, Instant};

use fantoccini::Locator;
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
