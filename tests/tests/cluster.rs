//! Several `quorum` relays sharing one PostgreSQL (issue 19), as real processes on loopback:
//! clients spread over the relays co-edit and converge; access holds on every relay; a relay
//! killed mid-burst loses nothing it acknowledged; the JS automerge-repo peer syncs through the
//! cluster; and a database that goes away holds edits back until it returns. Every wait is on a
//! condition, bounded; the one window of time (the database being down) only bounds how long a
//! test looks for what must not happen.

use std::time::Duration;

use automerge::{AutoCommit, ROOT, transaction::Transactable};
use quorum_shared::{model::DocumentId, model::Role, order};
use quorum_tests::cluster::{Cluster, HEALTH_WAIT};
use quorum_tests::js_peer::{self, node};
use quorum_tests::postgres::Postgres;
use quorum_tests::sync_peer::{SyncPeer, converged, fresh_bytes, run_until, share, text};
use quorum_tests::wait::wait_until;

mod cluster {
    mod crash;
    mod gap;
}

/// A new document `{key: value}` and an id for it, as a client makes one.
fn new_doc(key: &str, value: &str) -> anyhow::Result<(String, AutoCommit)> {
    let mut doc = AutoCommit::new();
    doc.put(ROOT, key, value)?;
    Ok((DocumentId::from_bytes(fresh_bytes()).to_string(), doc))
}

fn put(peer: &mut SyncPeer, doc: &str, key: &str, value: &str) -> anyhow::Result<()> {
    peer.client.change(doc, |d| d.put(ROOT, key, value))??;
    Ok(())
}

#[tokio::test]
async fn a_private_postgres_starts_keeps_its_data_across_a_restart_and_stops() -> anyhow::Result<()> {
    let mut postgres = Postgres::start().await?;
    assert_eq!(postgres.psql("select 1").await?, "1");
    postgres.psql("create table kept (note text); insert into kept values ('committed')").await?;
    postgres.stop().await?;
    assert!(postgres.psql("select 1").await.is_err(), "a stopped server answered");
    postgres.restart().await?;
    assert_eq!(postgres.psql("select note from kept").await?, "committed");
    Ok(())
}

#[tokio::test]
async fn clients_spread_over_three_relays_co_edit_one_document_and_converge() -> anyhow::Result<()> {
    let cluster = Cluster::start(3).await?;
    let owner = cluster.workspace("Acme AIMS").await?;
    let mut tokens = vec![owner.token.clone()];
    for _ in 0..2 {
        tokens.push(cluster.member(&owner, Role::Editor).await?.token);
    }
    let mut peers = Vec::new();
    for (relay, token) in tokens.iter().enumerate() {
        peers.push(SyncPeer::connect(cluster.relays[relay].addr, token, &format!("peer-{relay}")).await?);
    }
    let mut all: Vec<&mut SyncPeer> = peers.iter_mut().collect();

    // The workspace's root document, which the operator's command wrote to the database: each
    // relay reads it from there.
    let root = owner.root_id();
    for peer in all.iter_mut() {
        peer.client.open(root)?;
        peer.flush().await?;
    }
    run_until(&mut all, "every relay to serve the root document", |p| converged(p, root)).await?;

    // Each client writes keys of its own, none waiting to hear of the others' edits.
    for round in 0..5 {
        for (i, peer) in all.iter_mut().enumerate() {
            put(peer, root, &format!("edit-{i}-{round}"), "written")?;
            peer.flush().await?;
        }
    }
    run_until(&mut all, "the three clients to converge", |p| converged(p, root)).await?;
    for peer in &all {
        for (i, round) in (0..3).flat_map(|i| (0..5).map(move |round| (i, round))) {
            assert_eq!(text(peer, root, &format!("edit-{i}-{round}")).as_deref(), Some("written"));
        }
    }

    // A document made on relay 1 reaches the clients of relays 2 and 3.
    let (id, doc) = new_doc("policy", "draft")?;
    let [first, rest @ ..] = &mut all[..] else { unreachable!("three peers") };
    share(first, rest, &id, doc).await?;
    assert!(all.iter().all(|peer| text(peer, &id, "policy").as_deref() == Some("draft")));
    Ok(())
}

#[tokio::test]
async fn access_holds_on_every_relay_of_the_cluster() -> anyhow::Result<()> {
    let cluster = Cluster::start(3).await?;
    let owner = cluster.workspace("Acme AIMS").await?;
    let viewer = cluster.member(&owner, Role::Viewer).await?;
    let editor = cluster.member(&owner, Role::Editor).await?;
    let mut ada = SyncPeer::connect(cluster.relays[0].addr, &owner.token, "peer-ada").await?;
    let mut vic = SyncPeer::connect(cluster.relays[1].addr, &viewer.token, "peer-vic").await?;
    let mut cem = SyncPeer::connect(cluster.relays[2].addr, &editor.token, "peer-cem").await?;
    let (id, doc) = new_doc("policy", "approved")?;
    share(&mut ada, &mut [&mut vic, &mut cem], &id, doc).await?;

    // The viewer writes on relay 2; the owner's later edit still reaches everyone.
    put(&mut vic, &id, "viewer-note", "should not travel")?;
    vic.flush().await?;
    put(&mut ada, &id, "owner-note", "after the viewer's edit")?;
    ada.flush().await?;
    run_until(&mut [&mut ada, &mut vic, &mut cem], "the owner's edit to reach every client", |p| {
        p.iter().all(|peer| text(peer, &id, "owner-note").is_some())
    })
    .await?;
    // Nothing the viewer wrote reaches the owner or the third client within a generous look.
    let leaked = tokio::time::timeout(
        Duration::from_secs(2),
        run_until(&mut [&mut ada, &mut vic, &mut cem], "the viewer's edit to travel", |p| {
            text(p[0], &id, "viewer-note").is_some() || text(p[2], &id, "viewer-note").is_some()
        }),
    )
    .await;
    assert!(!matches!(leaked, Ok(Ok(()))), "the viewer's change reached a client of another relay");
    // Nor the database: a client that never held the document loads it, and it is the owner's.
    let mut reader = SyncPeer::connect(cluster.relays[2].addr, &editor.token, "peer-reader").await?;
    reader.client.open(&id)?;
    reader.flush().await?;
    run_until(&mut [&mut ada, &mut reader], "a fresh reader to load the document", |p| converged(p, &id))
        .await?;
    assert_eq!(text(&reader, &id, "viewer-note"), None);
    assert_eq!(text(&reader, &id, "policy").as_deref(), Some("approved"));

    // A member of another workspace, on relay 3, reads neither the document nor A's root.
    let other = cluster.workspace("Another company").await?;
    let mut mallory = SyncPeer::connect(cluster.relays[2].addr, &other.token, "peer-mallory").await?;
    for doc in [id.as_str(), owner.root_id()] {
        mallory.client.open(doc)?;
    }
    mallory.flush().await?;
    let refused = |peer: &SyncPeer, doc: &str| {
        peer.events.iter().any(|e| {
            matches!(e, quorum_shared::sync::Event::DocumentUnavailable { document_id } if document_id == doc)
        })
    };
    run_until(&mut [&mut mallory], "both of A's documents to be refused", |p| {
        refused(p[0], &id) && refused(p[0], owner.root_id())
    })
    .await?;
    assert_eq!(text(&mallory, &id, "policy"), None, "a document of A reached B");
    assert!(mallory.client.doc_mut(owner.root_id()).is_some_and(|d| d.get_heads().is_empty()));
    Ok(())
}

#[tokio::test]
async fn a_js_peer_on_one_relay_and_a_rust_client_on_another_see_each_others_changes() -> anyhow::Result<()> {
    let cluster = Cluster::start(2).await?;
    let owner = cluster.workspace("Acme AIMS").await?;
    let editor = cluster.member(&owner, Role::Editor).await?;
    let js_relay = cluster.relays[0].addr;

    let created = node("create.mjs", js_relay, &[&editor.token, "policy", "written in JS"]).await?;
    let id = created["documentId"].as_str().unwrap_or_default().to_owned();
    let mut rust = SyncPeer::connect(cluster.relays[1].addr, &owner.token, "peer-rust").await?;
    rust.client.open(&id)?;
    rust.flush().await?;
    run_until(&mut [&mut rust], "the JS peer's document to reach the other relay", |p| {
        text(p[0], &id, "policy").as_deref() == Some("written in JS") && p[0].client.is_synced(&id)
    })
    .await?;
    let rust_heads = |peer: &mut SyncPeer| {
        let mut heads: Vec<String> = peer
            .client
            .doc_mut(&id)
            .map(|d| d.get_heads())
            .unwrap_or_default()
            .iter()
            .map(|h| h.to_string())
            .collect();
        order::sort(&mut heads);
        heads
    };
    assert_eq!(rust_heads(&mut rust), js_peer::heads(&created)?, "both hold the same history");

    put(&mut rust, &id, "risk", "model drift")?;
    rust.flush().await?;
    run_until(&mut [&mut rust], "the relay to acknowledge the Rust edit", |p| p[0].client.is_synced(&id))
        .await?;
    let read = node("read.mjs", js_relay, &[&editor.token, &id, "risk", "model drift"]).await?;
    assert_eq!(read["doc"]["policy"], "written in JS");
    assert_eq!(js_peer::heads(&read)?, rust_heads(&mut rust));

    node("edit.mjs", js_relay, &[&editor.token, &id, "status", "approved"]).await?;
    run_until(&mut [&mut rust], "the JS edit to reach the Rust client", |p| {
        text(p[0], &id, "status").as_deref() == Some("approved")
    })
    .await?;
    Ok(())
}

#[tokio::test]
async fn relays_hold_edits_while_postgres_is_down_and_store_them_once_it_is_back() -> anyhow::Result<()> {
    let mut cluster = Cluster::start(2).await?;
    let owner = cluster.workspace("Acme AIMS").await?;
    let editor = cluster.member(&owner, Role::Editor).await?;
    let mut ada = SyncPeer::connect(cluster.relays[0].addr, &owner.token, "peer-ada").await?;
    let mut bea = SyncPeer::connect(cluster.relays[1].addr, &editor.token, "peer-bea").await?;
    let (id, doc) = new_doc("policy", "draft")?;
    share(&mut ada, &mut [&mut bea], &id, doc).await?;
    for relay in 0..2 {
        assert_eq!(cluster.metric(relay, "quorum_database_up").await?, 1.0);
    }

    cluster.postgres.stop().await?;
    cluster.wait_health(503).await?;
    for relay in 0..2 {
        assert_eq!(cluster.metric(relay, "quorum_database_up").await?, 0.0, "relay {relay}");
    }
    put(&mut ada, &id, "held", "while the database was down")?;
    ada.flush().await?;
    let acknowledged = tokio::time::timeout(
        Duration::from_secs(3),
        run_until(&mut [&mut ada, &mut bea], "the edit to be acknowledged", |p| {
            p[0].client.is_synced(&id) || text(p[1], &id, "held").is_some()
        }),
    )
    .await;
    assert!(!matches!(acknowledged, Ok(Ok(()))), "an edit was acknowledged with the database down");

    cluster.postgres.restart().await?;
    cluster.wait_health(200).await?;
    // The relays held the edit and kept their clients: nobody needs to connect again.
    assert!(ada.is_connected() && bea.is_connected(), "a relay dropped its clients during the outage");
    run_until(&mut [&mut ada, &mut bea], "the held edit to be stored and reach the other relay", |p| {
        p[0].client.is_synced(&id) && text(p[1], &id, "held").is_some()
    })
    .await?;
    for relay in 0..2 {
        assert_eq!(cluster.metric(relay, "quorum_database_up").await?, 1.0, "relay {relay}");
        wait_until("the relay to read the whole change log", HEALTH_WAIT, async |seen| {
            let lag = cluster.metric(relay, "quorum_change_log_lag").await?;
            *seen = format!("relay {relay} {lag} entries behind");
            Ok((lag == 0.0).then_some(()))
        })
        .await?;
    }
    Ok(())
}
