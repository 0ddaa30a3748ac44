//! What a hostile caller might try at the front door, each refused with a clear answer while
//! everyone else carries on: too many connections from one member or address, slow headers,
//! signups where they are closed or too frequent, a stale role in a token, a flood of new
//! documents, a decompression bomb in a sync message, a stranger reading the metrics, a revoked
//! peer that stops reading; and the files and headers a fresh server has.

use std::{net::SocketAddr, time::Duration};

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{Request, StatusCode, header},
};
use http_body_util::BodyExt;
use quorum_server::{AppState, Config, Limits, Role, Signup, token::Claims};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpSocket, TcpStream},
};
use tokio_tungstenite::tungstenite::{self, protocol::frame::coding::CloseCode};
use tower::ServiceExt;

use futures::SinkExt;
use tokio_tungstenite::tungstenite::Message;

use super::bad_input::{closed, connect, empty_sync_message, join, next_frame};
use crate::support::{Client, TestServer, put, within};

/// A request made in-process as if it came from `from` through the server's listener.
async fn call(
    state: &AppState,
    method: &str,
    path: &str,
    from: &str,
    bearer: Option<&str>,
    body: Option<serde_json::Value>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = bearer {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let body = match body {
        Some(json) => {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    let mut request = request.body(body).unwrap();
    request.extensions_mut().insert(ConnectInfo(from.parse::<SocketAddr>().unwrap()));
    let response = quorum_server::app(state.clone()).oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = String::from_utf8(body.collect().await.unwrap().to_bytes().to_vec()).unwrap();
    (parts.status, parts.headers, body)
}

fn create_body(name: &str) -> Option<serde_json::Value> {
    Some(serde_json::json!({ "name": name, "owner_name": "Olga" }))
}

async fn upgrade_status(server: &TestServer, token: &str) -> Result<(), StatusCode> {
    match within("an upgrade", tokio_tungstenite::connect_async(server.sync_url(token))).await {
        Ok(_) => Ok(()),
        Err(tungstenite::Error::Http(response)) => Err(response.status()),
        Err(other) => panic!("unexpected failure: {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_member_cannot_open_every_connection() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { connections_per_member: 2, ..Limits::default() };
    let server = TestServer::start_with(dir.path(), limits).await;
    let owner = server.workspace("Acme AIMS").await;
    let editor = server.member(&owner, Role::Editor).await;
    let _first = connect(&server, &owner.token, Some("tab-1")).await;
    let _second = connect(&server, &owner.token, Some("tab-2")).await;
    assert_eq!(upgrade_status(&server, &owner.token).await, Err(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(upgrade_status(&server, &editor.token).await, Ok(()), "another member still connects");
    let metrics = server.state.render_metrics();
    assert!(metrics.lines().any(|l| l == "quorum_rejected_connections_total 1"), "{metrics}");
    server.stop().await;
}

/// A socket from `source`, a loopback address of its own (all of 127/8 reaches this machine).
pub(super) async fn dial_from(source: &str, server: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{source}:0").parse().unwrap()).unwrap();
    socket.connect(server).await.unwrap()
}

pub(super) async fn healthz_from(source: &str, server: SocketAddr) -> String {
    let mut stream = dial_from(source, server).await;
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: quorum\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut answer = String::new();
    within("/healthz answers", stream.read_to_string(&mut answer)).await.unwrap();
    answer
}

/// Whether the server closes `stream` (end of file or reset) within `limit`.
pub(super) async fn closes_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let mut byte = [0u8; 1024];
    match tokio::time::timeout(limit, async {
        loop {
            match stream.read(&mut byte).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    {
        Ok(()) => true,
        Err(_) => false,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_is_capped_and_slow_headers_are_cut_off_while_others_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        connections_per_address: 20,
        header_read_timeout: Duration::from_millis(500),
        ..Limits::default()
    };
    let server = TestServer::start_with(dir.path(), limits).await;

    // Slowloris: twenty sockets that each send half a request line and then dribble.
    let mut slow = Vec::new();
    for _ in 0..20 {
        let mut stream = dial_from("127.0.0.1", server.addr).await;
        stream.write_all(b"GET /healthz HT").await.unwrap();
        slow.push(stream);
    }
    // The twenty-first from the same address is closed at once, unanswered.
    let mut extra = dial_from("127.0.0.1", server.addr).await;
    assert!(closes_within(&mut extra, Duration::from_secs(5)).await, "the address's cap holds");
    // Another address is served meanwhile.
    assert!(healthz_from("127.0.0.2", server.addr).await.starts_with("HTTP/1.1 200"));
    // The slow ones are closed at the header deadline, well before the test's patience ends.
    for stream in &mut slow {
        let _ = stream.write_all(b"T").await;
        assert!(closes_within(stream, Duration::from_secs(5)).await, "a slow sender is cut off");
    }
    // Their places are free again.
    assert!(healthz_from("127.0.0.1", server.addr).await.starts_with("HTTP/1.1 200"));
    let metrics = server.state.render_metrics();
    assert!(metrics.lines().any(|l| l == "quorum_refused_by_address_total 1"), "{metrics}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_that_never_joins_is_closed_at_the_join_deadline_not_the_idle_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { join_timeout: Duration::from_millis(300), ..Limits::default() };
    let server = TestServer::start_with(dir.path(), limits).await;
    let owner = server.workspace("Acme AIMS").await;
    let started = std::time::Instant::now();
    let mut silent = connect(&server, &owner.token, None).await;
    let (error, code) = closed(&mut silent).await;
    assert_eq!(code, Some(CloseCode::Normal));
    assert!(error.unwrap().contains("no join message"));
    assert!(started.elapsed() < Limits::default().idle_timeout, "closed at the join deadline");
    server.stop().await;
}

#[tokio::test]
async fn closed_signup_needs_a_signup_token_and_every_address_is_rate_limited() {
    let scratch = tempfile::tempdir().unwrap();
    let mut config = Config::new(scratch.path(), scratch.path().join("no-static-files"));
    config.signup = Signup::Closed;
    config.limits.workspaces_per_hour = 2;
    let state = AppState::open(config).await.unwrap();
    let from = "203.0.113.7:5000";

    let (status, _, body) = call(&state, "POST", "/api/workspaces", from, None, create_body("A")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body.contains("signup token"), "{body}");
    let access = state.create_workspace("Operator's", "Op").await.unwrap().token;
    let (status, _, body) =
        call(&state, "POST", "/api/workspaces", from, Some(&access), create_body("A")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an access token is no signup token: {body}");

    let signup = state.signup_token(Duration::from_secs(3600));
    for name in ["A", "B"] {
        let (status, _, body) =
            call(&state, "POST", "/api/workspaces", from, Some(&signup), create_body(name)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, _, body) =
        call(&state, "POST", "/api/workspaces", from, Some(&signup), create_body("C")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert!(body.contains("try again in"), "{body}");
    let (status, _, _) =
        call(&state, "POST", "/api/workspaces", "198.51.100.9:5000", Some(&signup), create_body("C")).await;
    assert_eq!(status, StatusCode::CREATED, "another address has its own allowance");
    let metrics = state.render_metrics();
    assert!(metrics.lines().any(|l| l == "quorum_signups_refused_total 3"), "{metrics}");
    state.shutdown().await;
}

#[tokio::test]
async fn metrics_answer_loopback_or_the_operators_token_only() {
    let scratch = tempfile::tempdir().unwrap();
    let mut config = Config::new(scratch.path(), scratch.path().join("no-static-files"));
    config.metrics_token = Some("s3cret-metrics".into());
    let state = AppState::open(config).await.unwrap();
    let (status, _, _) = call(&state, "GET", "/metrics", "127.0.0.1:4000", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, body) = call(&state, "GET", "/metrics", "203.0.113.7:4000", None, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _, _) = call(&state, "GET", "/metrics", "203.0.113.7:4000", Some("wrong"), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, body) =
        call(&state, "GET", "/metrics", "203.0.113.7:4000", Some("s3cret-metrics"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("quorum_connections"));

    // Through a proxy on this machine the caller is loopback, but the proxy says whom it forwards.
    for (name, value) in [("x-forwarded-for", "203.0.113.7"), ("forwarded", "for=203.0.113.7")] {
        let forwarded = |token: Option<&str>| {
            let mut request = Request::builder().uri("/metrics").header(name, value);
            if let Some(token) = token {
                request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
            let mut request = request.body(Body::empty()).unwrap();
            request.extensions_mut().insert(ConnectInfo("127.0.0.1:4000".parse::<SocketAddr>().unwrap()));
            quorum_server::app(state.clone()).oneshot(request)
        };
        assert_eq!(forwarded(None).await.unwrap().status(), StatusCode::FORBIDDEN, "{name}");
        assert_eq!(forwarded(Some("s3cret-metrics")).await.unwrap().status(), StatusCode::OK, "{name}");
    }
    state.shutdown().await;
}

#[tokio::test]
async fn the_role_comes_from_the_tables_not_from_the_token() {
    let state = AppState::ephemeral("no-static-files").await.unwrap();
    let owner = state.create_workspace("Acme", "Olga").await.unwrap();
    let editor = state.add_member(&owner.workspace_id, Role::Editor, "Ed").await.unwrap();
    // A token that claims more than the member has: signed by the server (as a token minted
    // before a change of role would be), but the tables say editor.
    let inflated = state.sign(&Claims {
        kind: quorum_server::TokenKind::Access,
        workspace: editor.workspace_id.clone(),
        role: Role::Owner,
        subject: editor.member_id.clone(),
        expires_at: editor.expires_at,
    });
    let path = format!("/api/workspaces/{}/invites", owner.workspace_id);
    let invite = Some(serde_json::json!({ "role": "owner" }));
    let (status, _, body) = call(&state, "POST", &path, "127.0.0.1:1", Some(&inflated), invite.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _, body) = call(&state, "GET", "/api/session", "127.0.0.1:1", Some(&inflated), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("\"role\":\"editor\""), "{body}");
    let (status, _, _) = call(&state, "POST", &path, "127.0.0.1:1", Some(&owner.token), invite).await;
    assert_eq!(status, StatusCode::CREATED);
    state.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workspace_cannot_claim_more_documents_than_its_quota() {
    let dir = tempfile::tempdir().unwrap();
    // The root document and one more.
    let limits = Limits { documents_per_workspace: 2, ..Limits::default() };
    let server = TestServer::start_with(dir.path(), limits).await;
    let owner = server.workspace("Acme AIMS").await;
    let client = Client::connect(&server, &owner.token).await;
    let kept = client.create("policy", "first").await;
    client.acknowledged(&kept).await;
    let refused = client.create("policy", "one too many").await;
    within("the refusal is counted", async {
        while !server.state.render_metrics().lines().any(|l| l == "quorum_documents_refused_total 1") {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    assert!(crate::support::stored(&server.state, refused.document_id()).await.is_none(), "nothing stored");
    assert!(crate::support::stored(&server.state, kept.document_id()).await.is_some());
    client.stop().await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decompression_bomb_is_refused_before_it_is_inflated_while_others_sync() {
    use automerge::{ROOT, ReadDoc, ScalarValue, transaction::Transactable};

    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { max_inflated_bytes: 1 << 20, ..Limits::default() };
    let server = TestServer::start_with(dir.path(), limits).await;
    let owner = server.workspace("Acme AIMS").await;
    let other = server.workspace("Elsewhere").await;
    let elsewhere = Client::connect(&server, &other.token).await;
    let doc = elsewhere.create("round", "0").await;
    elsewhere.acknowledged(&doc).await;

    // A real change that Automerge would take in: 4 MiB of zeros, which it compresses to a few
    // KiB, under a limit of 1 MiB.
    let mut bomb = automerge::AutoCommit::new();
    bomb.put(ROOT, "bomb", ScalarValue::Bytes(vec![0; 4 << 20])).unwrap();
    let mut change = bomb.get_last_local_change().unwrap();
    let compressed = change.bytes().into_owned();
    assert!(compressed.len() < 64 * 1024, "{} bytes", compressed.len());
    let data = automerge::sync::Message {
        heads: vec![change.hash()],
        need: Vec::new(),
        have: Vec::new(),
        changes: compressed.into(),
        flags: None,
        version: automerge::sync::MessageVersion::V1,
    }
    .encode();
    let root: samod::AutomergeUrl = owner.root_document_url.parse().unwrap();
    let root = root.document_id().to_string();
    let mut raw = connect(&server, &owner.token, Some("bomber")).await;
    let sync = quorum_shared::wire::Message::Sync {
        sender_id: "bomber".into(),
        target_id: "relay".into(),
        document_id: root.clone(),
        data,
    };
    raw.send(Message::Binary(sync.encode().into())).await.unwrap();
    let (error, code) = closed(&mut raw).await;
    assert_eq!(code, Some(CloseCode::Size));
    let error = error.expect("the peer is told why");
    assert!(error.contains("inflate to more than 1048576 bytes"), "{error}");

    let stored = server.state.find_document(&root).await.unwrap().expect("the root document");
    assert!(stored.get(ROOT, "bomb").unwrap().is_none(), "nothing of it is stored");
    put(&doc, "round", "1");
    elsewhere.acknowledged(&doc).await;
    let metrics = server.state.render_metrics();
    assert!(metrics.lines().any(|l| l == "quorum_inflation_refused_total 1"), "{metrics}");
    elsewhere.stop().await;
    server.stop().await;
}

#[tokio::test]
async fn every_response_carries_the_security_headers_and_the_page_its_script_hashes() {
    let dist = tempfile::tempdir().unwrap();
    let script = "\nimport init from '/quorum-app-0123456789abcdef.js';\nawait init();\n";
    std::fs::write(
        dist.path().join("index.html"),
        format!("<!doctype html><title>Quorum</title><script type=\"module\">{script}</script>"),
    )
    .unwrap();
    let state = AppState::ephemeral(dist.path()).await.unwrap();
    let (status, headers, _) = call(&state, "GET", "/controls/A.5.2", "127.0.0.1:1", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let policy = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script.as_bytes()));
    for part in [
        format!("'sha256-{hash}'"),
        "'wasm-unsafe-eval'".to_owned(),
        "frame-ancestors 'none'".to_owned(),
        "img-src 'self' data: blob:".to_owned(),
        "object-src 'none'".to_owned(),
    ] {
        assert!(policy.contains(&part), "{part} in {policy}");
    }
    assert!(!policy.contains("script-src 'self' 'unsafe-inline'"), "{policy}");
    // A revalidation answered 304 leaves the kept page's policy alone: one for "anything else"
    // there would replace it, and the page's scripts would no longer run after a reload.
    let modified = headers[header::LAST_MODIFIED].to_str().unwrap().to_owned();
    let mut request =
        Request::builder().uri("/").header(header::IF_MODIFIED_SINCE, modified).body(Body::empty()).unwrap();
    request.extensions_mut().insert(ConnectInfo("127.0.0.1:1".parse::<SocketAddr>().unwrap()));
    let revalidated = quorum_server::app(state.clone()).oneshot(request).await.unwrap();
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);
    assert!(revalidated.headers().get(header::CONTENT_SECURITY_POLICY).is_none());
    for response in [headers, call(&state, "GET", "/api/session", "127.0.0.1:1", None, None).await.1] {
        assert_eq!(response[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(response[header::REFERRER_POLICY], "no-referrer");
        assert!(
            response[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("frame-ancestors 'none'")
        );
    }
    state.shutdown().await;
}

#[cfg(unix)]
#[tokio::test]
async fn a_fresh_data_directory_is_private_to_the_server() {
    use std::os::unix::fs::PermissionsExt;
    let scratch = tempfile::tempdir().unwrap();
    let data = scratch.path().join("data");
    let state = AppState::open(Config::new(&data, "no-static-files")).await.unwrap();
    state.create_workspace("Acme", "Olga").await.unwrap();
    let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700, "the data directory");
    let mut files = 0;
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
        files += 1;
    }
    assert!(files >= 3, "the database, its log and the token key");
    state.shutdown().await;
}

/// The relay's first sync message to a peer holds the whole document; a document bigger than
/// what the kernel buffers for a socket leaves the server's write to a peer that does not read
/// blocked, which is where a revoke used to wait.
const BIG_DOCUMENT_MIB: usize = 12;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_peer_that_stopped_reading_gets_nothing_more_stored() {
    use automerge::{ROOT, ScalarValue, sync::SyncDoc, transaction::Transactable};
    use quorum_shared::wire;

    let (_dir, server, owner) = TestServer::with_workspace().await;
    let editor = server.member(&owner, Role::Editor).await;
    let alice = Client::connect(&server, &owner.token).await;
    let big = alice.create("title", "big").await;
    let mut noise = 0x9e37_79b9_7f4a_7c15_u64;
    for part in 0..BIG_DOCUMENT_MIB {
        let bytes: Vec<u8> = (0..1 << 20)
            .map(|_| {
                noise ^= noise << 13;
                noise ^= noise >> 7;
                noise ^= noise << 17;
                noise as u8
            })
            .collect();
        big.with_document(|doc| {
            doc.transact(|tx| tx.put(ROOT, format!("part-{part}"), ScalarValue::Bytes(bytes))).unwrap();
        });
    }
    alice.acknowledged(&big).await;

    // The editor's raw connection asks for the big document and then never reads again.
    let mut stalled = connect(&server, &editor.token, None).await;
    stalled.send(Message::Binary(join("stalled").into())).await.unwrap();
    let reply = next_frame(&mut stalled).await.expect("the relay answers the join");
    let Ok(wire::Message::Peer { sender_id: relay_peer, .. }) = wire::Message::decode(&reply) else {
        panic!("a peer message")
    };
    let ask = |document_id: String, data: Vec<u8>| wire::Message::Request {
        sender_id: "stalled".into(),
        target_id: relay_peer.clone(),
        document_id,
        data,
    };
    let request = ask(big.document_id().to_string(), empty_sync_message());
    stalled.send(Message::Binary(request.encode().into())).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    server.state.revoke(&owner.workspace_id, &editor.member_id).await.unwrap();
    // After the revoke it offers a new document: once the reader has stopped, nothing of it
    // reaches the core or storage.
    let new_doc = quorum_shared::model::DocumentId::from_bytes([7; 16]).to_string();
    let mut doc = automerge::Automerge::new();
    doc.transact(|tx| tx.put(ROOT, "after", "revoke")).unwrap();
    let mut state = automerge::sync::State::new();
    let data = doc.generate_sync_message(&mut state).unwrap().encode();
    let _ = stalled.send(Message::Binary(ask(new_doc.clone(), data).encode().into())).await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    let kept = server.state.find_document(&new_doc).await.unwrap();
    assert!(kept.is_none(), "a revoked peer's later change was stored");
    let metrics = server.state.render_metrics();
    assert!(metrics.lines().any(|l| l == "quorum_documents_known 2"), "nor claimed:\n{metrics}");
    drop(stalled);
    alice.stop().await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_apps_token_travels_as_a_subprotocol_not_in_the_url() {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let (_dir, server, owner) = TestServer::with_workspace().await;
    let offer = |token: &str| {
        let mut request = format!("ws://{}/sync", server.addr).into_client_request().unwrap();
        let protocols = format!("quorum-sync, quorum-token.{token}");
        request.headers_mut().insert(header::SEC_WEBSOCKET_PROTOCOL, protocols.parse().unwrap());
        request
    };
    let (_ws, response) =
        within("an upgrade", tokio_tungstenite::connect_async(offer(&owner.token))).await.unwrap();
    assert_eq!(response.headers()[header::SEC_WEBSOCKET_PROTOCOL], "quorum-sync", "the relay selects it");
    match within("a refused upgrade", tokio_tungstenite::connect_async(offer("q1.not.valid"))).await {
        Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), StatusCode::UNAUTHORIZED),
        other => panic!("expected a 401, got {other:?}"),
    }
    server.stop().await;
}
