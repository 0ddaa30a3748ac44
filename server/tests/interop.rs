//! Interop with the JS ecosystem: a Node automerge-repo peer (the npm packages in `tests/js/`)
//! and a samod peer share documents through the relay, each way, with tokens in the sync URL.
//!
//! The Node side needs `tests/js/node_modules`; `scripts/test` installs it with
//! `npm ci --prefix tests/js`.

mod support;

use quorum_server::Role;
use serde_json::Value;
use support::{Client, TestServer, get, heads, put, stored, wait_for};

/// Runs `node tests/js/<script> <server> <args...>` (through the tests' one runner,
/// `quorum_tests::js_peer`) and returns its JSON answer: `Err` with why when it failed.
async fn node(script: &str, server: &TestServer, args: &[&str]) -> Result<Value, String> {
    quorum_tests::js_peer::node(script, server.addr, args).await.map_err(|error| format!("{error:#}"))
}

fn hex_heads(doc: &impl support::client::Readable) -> Vec<String> {
    let mut hashes: Vec<String> = heads(doc).iter().map(ToString::to_string).collect();
    quorum_shared::order::sort(&mut hashes);
    hashes
}

fn js_heads(answer: &Value) -> Vec<String> {
    quorum_tests::js_peer::heads(answer).expect("the script reports heads")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_js_peer_creates_and_edits_a_document_that_a_samod_peer_sees() {
    let (_dir, server, owner) = TestServer::with_workspace().await;
    let editor = server.member(&owner, Role::Editor).await;

    let created = node("create.mjs", &server, &[&editor.token, "policy", "written in JS"])
        .await
        .expect("the JS peer creates a document through the relay");
    let id = created["documentId"].as_str().expect("a document id").to_owned();
    let edited = node("edit.mjs", &server, &[&editor.token, &id, "risk", "bias in hiring model"])
        .await
        .expect("a JS peer edits the document through the relay");
    assert_eq!(edited["doc"]["policy"], "written in JS");

    let samod = Client::connect(&server, &owner.token).await;
    let doc = samod.find(&id.parse().expect("a samod document id")).await.expect("samod receives it");
    wait_for(&doc, "risk", "bias in hiring model").await;
    assert_eq!(get(&doc, "policy").as_deref(), Some("written in JS"));
    assert_eq!(hex_heads(&doc), js_heads(&edited), "both peers hold the same history");
    let kept = stored(&server.state, doc.document_id()).await.expect("the relay stored it");
    assert_eq!(heads(&kept), heads(&doc), "and so does the relay's storage");

    samod.stop().await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_samod_peer_creates_and_edits_a_document_that_a_js_peer_sees_and_answers() {
    let (_dir, server, owner) = TestServer::with_workspace().await;
    let editor = server.member(&owner, Role::Editor).await;

    let samod = Client::connect(&server, &owner.token).await;
    let doc = samod.create("policy", "written in Rust").await;
    put(&doc, "risk", "model drift");
    samod.acknowledged(&doc).await;
    let id = doc.document_id().to_string();

    let read = node("read.mjs", &server, &[&editor.token, &id, "risk", "model drift"])
        .await
        .expect("the JS peer fetches the document through the relay");
    assert_eq!(read["doc"]["policy"], "written in Rust");
    assert_eq!(js_heads(&read), hex_heads(&doc), "both peers hold the same history");

    // And back: the JS peer's change reaches the samod peer, which is still connected.
    node("edit.mjs", &server, &[&editor.token, &id, "status", "approved"])
        .await
        .expect("the JS peer edits the document");
    wait_for(&doc, "status", "approved").await;

    samod.stop().await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_js_peer_needs_a_valid_token_of_the_documents_workspace() {
    let (_dir, server, owner) = TestServer::with_workspace().await;
    let outsider = server.workspace("Another company").await;
    let samod = Client::connect(&server, &owner.token).await;
    let doc = samod.create("policy", "confidential").await;
    samod.acknowledged(&doc).await;
    let id = doc.document_id().to_string();

    let forged = node("read.mjs", &server, &["q1.forged.token", &id, "policy", "confidential"]).await;
    assert!(forged.as_ref().is_err_and(|e| e.contains("401")), "a forged token is refused: {forged:?}");
    let other = node("read.mjs", &server, &[&outsider.token, &id, "policy", "confidential"]).await;
    assert!(
        other.as_ref().is_err_and(|e| e.contains("unavailable")),
        "another workspace's token cannot fetch the document: {other:?}"
    );

    samod.stop().await;
    server.stop().await;
}
