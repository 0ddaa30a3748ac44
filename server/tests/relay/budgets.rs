//! What the relay holds in memory for its peers stays bounded however they behave: a peer that
//! stops reading during a flood is closed once its queue passes its share, and while storage is
//! stuck the relay stops taking messages at a bounded write queue, then takes them all, losing
//! none, when storage comes back.

use std::time::Duration;

use automerge::{ROOT, ReadDoc, ScalarValue, transaction::Transactable};
use futures::SinkExt;
use quorum_server::{Limits, Role};
use quorum_shared::wire;
use tokio_tungstenite::tungstenite::Message;

use super::bad_input::{connect, empty_sync_message, join, next_frame};
use super::metrics::metric;
use crate::support::{Client, TestServer, get, put, stored, within};

/// Incompressible bytes, so that what is queued is what was written.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_that_stops_reading_during_a_flood_is_closed_and_its_queue_freed() {
    let dir = tempfile::tempdir().unwrap();
    let share = 256 * 1024;
    let limits = Limits { outbox_bytes_per_connection: share, ..Limits::default() };
    let server = TestServer::start_with(dir.path(), limits).await;
    let owner = server.workspace("Acme AIMS").await;
    let editor = server.member(&owner, Role::Editor).await;
    let alice = Client::connect(&server, &owner.token).await;
    let doc = alice.create("title", "flooded").await;
    alice.acknowledged(&doc).await;

    // A raw peer opens the document, then never reads again.
    let mut stalled = connect(&server, &editor.token, None).await;
    stalled.send(Message::Binary(join("stalled").into())).await.unwrap();
    let reply = next_frame(&mut stalled).await.expect("the relay answers the join");
    let Ok(wire::Message::Peer { sender_id: relay, .. }) = wire::Message::decode(&reply) else {
        panic!("a peer message")
    };
    let request = wire::Message::Request {
        sender_id: "stalled".into(),
        target_id: relay,
        document_id: doc.document_id().to_string(),
        data: empty_sync_message(),
    };
    stalled.send(Message::Binary(request.encode().into())).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    // Far more than the socket buffers and the peer's share together. What is queued to the
    // peers never passes its share and one frame (a frame to an empty queue always goes); with
    // no budget, this flood queued 419 MB to the stalled peer.
    let mut most_queued = 0;
    for part in 0..32 {
        let bytes = noise(part + 1, 1 << 20);
        doc.with_document(|d| {
            d.transact(|tx| tx.put(ROOT, format!("part-{part}"), ScalarValue::Bytes(bytes))).unwrap()
        });
        alice.acknowledged(&doc).await;
        most_queued = most_queued.max(metric(&server, "outbound_queued_bytes"));
    }
    let bound = share + Limits::default().max_frame_bytes;
    assert!(most_queued <= bound as u64, "{most_queued} bytes were queued");

    within("the stalled peer is closed", async {
        while metric(&server, "slow_peers_total") == 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(
        metric(&server, "outbound_queued_bytes") <= share as u64,
        "what was queued to it no longer counts"
    );
    // The writer never noticed: its last change is stored.
    assert!(stored(&server.state, doc.document_id()).await.unwrap().get(ROOT, "part-31").unwrap().is_some());
    drop(stalled);
    alice.stop().await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_storage_is_stuck_the_write_queue_stays_bounded_and_nothing_is_lost() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { max_pending_writes: 2, ..Limits::default() };
    let server = TestServer::start_with(dir.path(), limits).await;
    let owner = server.workspace("Acme AIMS").await;
    let alice = Client::connect(&server, &owner.token).await;
    let mut docs = Vec::new();
    for i in 0..6 {
        let doc = alice.create("title", &format!("doc {i}")).await;
        alice.acknowledged(&doc).await;
        docs.push(doc);
    }

    // A stuck disk: another connection holds the database's write lock.
    let blocker = rusqlite::Connection::open(dir.path().join(quorum_server::DATABASE_FILE)).unwrap();
    blocker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    for doc in &docs {
        put(doc, "during", "stuck");
    }
    within("the write queue fills", async {
        while metric(&server, "write_queue_full_total") == 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(metric(&server, "pending_writes") <= 2, "the queue holds at most its limit");

    drop(blocker);
    for doc in &docs {
        alice.acknowledged(doc).await;
        let kept = stored(&server.state, doc.document_id()).await.expect("stored");
        assert_eq!(get(&kept, "during").as_deref(), Some("stuck"), "every change held back is stored");
    }
    alice.stop().await;
    server.stop().await;
}
