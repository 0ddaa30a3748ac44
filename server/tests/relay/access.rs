//! Who may connect, and what each connection may reach.

use std::time::Duration;

use futures::StreamExt;
use quorum_server::{Claims, Role, TokenKind};
use tokio_tungstenite::tungstenite::{self, http::StatusCode};

use crate::support::{Client, TestServer, get, put, stored, wait_for, within};

/// Tries a WebSocket upgrade with `token` and returns the HTTP status the server answered.
async fn upgrade_status(server: &TestServer, token: Option<&str>) -> StatusCode {
    let url = match token {
        Some(token) => server.sync_url(token),
        None => format!("ws://{}/sync", server.addr),
    };
    match within("the upgrade", tokio_tungstenite::connect_async(url)).await {
        Ok((_, response)) => response.status(),
        Err(tungstenite::Error::Http(response)) => response.status(),
        Err(other) => panic!("unexpected failure: {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_refuses_missing_forged_expired_invite_and_revoked_tokens() {
    let (_dir, server, owner) = TestServer::with_workspace().await;
    let member = server.member(&owner, Role::Editor).await;

    let elsewhere = tempfile::tempdir().unwrap();
    let other_server = TestServer::start(elsewhere.path()).await;
    let forged = other_server.workspace("Acme AIMS").await.token;
    let claims = |kind, expires_at| Claims {
        kind,
        workspace: owner.workspace_id.clone(),
        role: Role::Owner,
        subject: owner.member_id.clone(),
        expires_at,
    };
    let now = quorum_server::token::now();
    let expired = server.state.sign(&claims(TokenKind::Access, now - 1));
    let invite = server.state.sign(&claims(TokenKind::Invite, now + 60));

    assert_eq!(upgrade_status(&server, None).await, StatusCode::UNAUTHORIZED, "no token");
    assert_eq!(upgrade_status(&server, Some("garbage")).await, StatusCode::UNAUTHORIZED, "garbage");
    assert_eq!(upgrade_status(&server, Some(&forged)).await, StatusCode::UNAUTHORIZED, "forged");
    assert_eq!(upgrade_status(&server, Some(&expired)).await, StatusCode::UNAUTHORIZED, "expired");
    assert_eq!(upgrade_status(&server, Some(&invite)).await, StatusCode::UNAUTHORIZED, "an invite");
    assert_eq!(upgrade_status(&server, Some(&member.token)).await, StatusCode::SWITCHING_PROTOCOLS, "valid");

    // Revoking closes the member's open connection and refuses the next one.
    let connected = Client::connect(&server, &member.token).await;
    let mut events = connected.dialer.events();
    let revoked = server.state.revoke(&owner.workspace_id, &member.member_id).await;
    revoked.expect("the owner revokes the member");
    within("the revoked member is disconnected", async {
        while connected.dialer.is_connected() {
            events.next().await;
        }
    })
    .await;
    drop(events);
    assert_eq!(upgrade_status(&server, Some(&member.token)).await, StatusCode::UNAUTHORIZED, "revoked");
    assert_eq!(upgrade_status(&server, Some(&owner.token)).await, StatusCode::SWITCHING_PROTOCOLS, "owner");

    let metrics = server.state.render_metrics();
    let rejected = metric(&metrics, "quorum_rejected_connections_total");
    assert!(rejected >= 6, "{metrics}");

    connected.stop().await;
    other_server.stop().await;
    server.stop().await;
}

pub fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {text}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_of_another_workspace_cannot_fetch_its_documents() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let a = server.workspace("Workspace A").await;
    let b = server.workspace("Workspace B").await;
    let alice = Client::connect(&server, &a.token).await;
    let mallory = Client::connect(&server, &b.token).await;

    let secret = alice.create("risk", "confidential").await;
    alice.acknowledged(&secret).await;
    assert!(mallory.find(secret.document_id()).await.is_none(), "a document of A reached B");
    let root: samod::AutomergeUrl = a.root_document_url.parse().unwrap();
    assert!(mallory.find(root.document_id()).await.is_none(), "A's root document reached B");

    // B's own documents still sync, and A's keep working.
    let own = mallory.create("risk", "ours").await;
    mallory.acknowledged(&own).await;
    put(&secret, "risk", "still confidential");
    alice.acknowledged(&secret).await;
    assert!(alice.find(own.document_id()).await.is_none(), "a document of B reached A");

    alice.stop().await;
    mallory.stop().await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewers_changes_are_neither_stored_nor_relayed() {
    let (_dir, server, owner) = TestServer::with_workspace().await;
    let viewer = server.member(&owner, Role::Viewer).await;
    let alice = Client::connect(&server, &owner.token).await;
    let victor = Client::connect(&server, &viewer.token).await;

    let doc = alice.create("policy", "approved").await;
    alice.acknowledged(&doc).await;
    let seen = victor.find(doc.document_id()).await.expect("a viewer can read");
    assert_eq!(get(&seen, "policy").as_deref(), Some("approved"));

    put(&seen, "policy", "vandalised");
    put(&seen, "viewer-note", "should not travel");
    // Later changes from the owner still reach the viewer: the connection stays useful.
    put(&doc, "owner-note", "after the viewer's edit");
    wait_for(&seen, "owner-note", "after the viewer's edit").await;

    // Nothing the viewer wrote reaches the owner within a generous window, nor the server.
    let mut changes = doc.changes();
    let waited = tokio::time::timeout(Duration::from_millis(500), async {
        loop {
            if get(&doc, "viewer-note").is_some() {
                break;
            }
            changes.next().await;
        }
    })
    .await;
    assert!(waited.is_err(), "the viewer's change reached the owner");
    assert_eq!(get(&doc, "policy").as_deref(), Some("approved"));
    let stored = stored(&server.state, doc.document_id()).await.unwrap();
    assert_eq!(get(&stored, "viewer-note"), None);
    assert_eq!(get(&stored, "policy").as_deref(), Some("approved"));

    // A document a viewer makes up is not taken into the workspace.
    let invented = victor.create("policy", "mine").await;
    assert!(alice.find(invented.document_id()).await.is_none());

    alice.stop().await;
    victor.stop().await;
    server.stop().await;
}
