//! Documents travel between peers through the server and survive its restart.

use quorum_server::Role;

use crate::support::{Client, TestServer, get, heads, put, stored, wait_for, within};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_peers_sync_through_the_server_and_a_third_joins_later() {
    let (_dir, server, owner) = TestServer::with_workspace().await;
    let editor = server.member(&owner, Role::Editor).await;

    let alice = Client::connect(&server, &owner.token).await;
    let bob = Client::connect(&server, &editor.token).await;
    let alice_doc = alice.create("policy", "draft 1").await;
    alice.acknowledged(&alice_doc).await;

    let bob_doc = bob.find(alice_doc.document_id()).await.expect("bob receives alice's document");
    assert_eq!(get(&bob_doc, "policy").as_deref(), Some("draft 1"));
    put(&bob_doc, "risk", "bias in hiring model");
    wait_for(&alice_doc, "risk", "bias in hiring model").await;
    put(&alice_doc, "policy", "draft 2");
    wait_for(&bob_doc, "policy", "draft 2").await;
    alice.acknowledged(&alice_doc).await;
    bob.acknowledged(&bob_doc).await;

    let carol = Client::connect(&server, &server.member(&owner, Role::Editor).await.token).await;
    let carol_doc = carol.find(alice_doc.document_id()).await.expect("a later peer receives the document");
    wait_for(&carol_doc, "policy", "draft 2").await;
    assert_eq!(get(&carol_doc, "risk").as_deref(), Some("bias in hiring model"));
    // Every change was committed, none failed.
    let metrics = server.state.render_metrics();
    assert_eq!(super::access::metric(&metrics, "quorum_write_failures_total"), 0, "{metrics}");
    assert!(super::access::metric(&metrics, "quorum_writes_committed_total") >= 3, "{metrics}");
    assert!(super::access::metric(&metrics, "quorum_messages_out_total") > 0, "{metrics}");

    for client in [alice, bob, carol] {
        client.stop().await;
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_root_document_made_with_the_workspace_reaches_its_members() {
    let (_dir, server, owner) = TestServer::with_workspace().await;
    let url: samod::AutomergeUrl = owner.root_document_url.parse().expect("an automerge URL");
    let alice = Client::connect(&server, &owner.token).await;
    assert!(alice.find(url.document_id()).await.is_some());
    alice.stop().await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_server_keeps_the_document_with_identical_heads() {
    let (dir, server, owner) = TestServer::with_workspace().await;
    let alice = Client::connect(&server, &owner.token).await;
    let doc = alice.create("policy", "approved").await;
    for i in 0..20 {
        put(&doc, &format!("control-{i}"), "applicable");
    }
    alice.acknowledged(&doc).await;
    let expected = heads(&doc);
    let id = doc.document_id().clone();
    alice.stop().await;
    server.stop().await;

    let server = TestServer::start(dir.path()).await;
    let stored = within("the restarted server loads the document", stored(&server.state, &id))
        .await
        .expect("the document is in storage");
    assert_eq!(heads(&stored), expected);

    // The same token still works, and a fresh peer gets the same document.
    let again = Client::connect(&server, &owner.token).await;
    let fetched = again.find(&id).await.expect("the document is served after a restart");
    wait_for(&fetched, "control-19", "applicable").await;
    assert_eq!(heads(&fetched), expected);
    again.stop().await;
    server.stop().await;
}
