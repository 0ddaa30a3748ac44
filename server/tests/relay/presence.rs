//! Presence from a hostile peer, on the real relay: 10,000 announcements under as many session
//! ids, one far over the size allowed, and one in another peer's name. The flood is cut to the
//! sender's rate (a viewer's presence is allowed, and capped like anyone's), the oversized and
//! the forged ones go nowhere, a sync message in another's name closes only its connection, the
//! relay keeps no state per session id, and the document's other peers carry on (the samod peer
//! among them passes the presence it hears back to the relay, as automerge-repo peers do, and
//! keeps its connection).

use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use quorum_server::Role;
use quorum_shared::wire;
use tokio_tungstenite::tungstenite::{Message, protocol::frame::coding::CloseCode};

use super::bad_input::{Raw, closed, connect, empty_sync_message, join, next_frame};
use super::metrics::metric;
use crate::support::{Client, TestServer, put, within};

/// A raw peer that has joined as `peer` and opened `document`; returns it with the relay's id.
pub(super) async fn peer_of(server: &TestServer, token: &str, peer: &str, document: &str) -> (Raw, String) {
    let mut raw = connect(server, token, None).await;
    raw.send(Message::Binary(join(peer).into())).await.unwrap();
    let reply = next_frame(&mut raw).await.expect("the relay answers the join");
    let Ok(wire::Message::Peer { sender_id: relay, .. }) = wire::Message::decode(&reply) else {
        panic!("a peer message")
    };
    let request = wire::Message::Request {
        sender_id: peer.into(),
        target_id: relay.clone(),
        document_id: document.into(),
        data: empty_sync_message(),
    };
    raw.send(Message::Binary(request.encode().into())).await.unwrap();
    // Its sync reply: the peer is now one of the document's.
    next_frame(&mut raw).await.expect("the document's first sync");
    (raw, relay)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_presence_flood_is_capped_oversized_and_forged_presence_go_nowhere() {
    // A fast sender, so that the flood is one of announcements, not of time.
    let dir = tempfile::tempdir().unwrap();
    let limits = quorum_server::Limits { messages_per_second: 100_000, ..quorum_server::Limits::default() };
    let server = TestServer::start_with(dir.path(), limits).await;
    let owner = server.workspace("Acme AIMS").await;
    let viewer = server.member(&owner, Role::Viewer).await;
    let alice = Client::connect(&server, &owner.token).await;
    let doc = alice.create("title", "watched").await;
    alice.acknowledged(&doc).await;
    let document = doc.document_id().to_string();
    let (mut listener, _) = peer_of(&server, &owner.token, "listener", &document).await;
    let (mut flooder, relay) = peer_of(&server, &viewer.token, "flooder", &document).await;
    let peer_states = metric(&server, "peer_states");

    let announcement = |sender: &str, session: u32, data: Vec<u8>| wire::Message::Ephemeral {
        sender_id: sender.into(),
        target_id: relay.clone(),
        document_id: document.clone(),
        session_id: format!("session-{session}"),
        count: 1,
        data,
    };
    let started = Instant::now();
    for session in 0..10_000 {
        let frame = announcement("flooder", session, vec![1; 16]).encode();
        flooder.feed(Message::Binary(frame.into())).await.unwrap();
    }
    flooder.flush().await.unwrap();
    // Far over the 16 KiB a presence message may carry.
    let oversized = announcement("flooder", 10_000, vec![2; 1 << 20]).encode();
    flooder.send(Message::Binary(oversized.into())).await.unwrap();
    within("the flood is taken in", async {
        while metric(&server, "ephemeral_dropped_total") < 9_000 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;

    // What reached the listener: the sender's burst and rate, nothing more, none oversized.
    let mut heard = 0u64;
    let _ = tokio::time::timeout(Duration::from_millis(500), async {
        while let Some(Ok(Message::Binary(frame))) = listener.next().await {
            if let Ok(wire::Message::Ephemeral { data, .. }) = wire::Message::decode(&frame) {
                assert!(data.len() <= 16 * 1024, "an oversized announcement was forwarded");
                heard += 1;
            }
        }
    })
    .await;
    let seconds = started.elapsed().as_secs_f64();
    let allowed = 40 + (20.0 * seconds).ceil() as u64;
    assert!(heard > 0 && heard <= allowed, "heard {heard}, at most {allowed} in {seconds:.1} s");
    assert_eq!(
        metric(&server, "peer_states"),
        peer_states,
        "no state kept per session id: {}",
        server.state.render_metrics()
    );

    // Presence in another peer's name goes nowhere (automerge-repo peers pass on what they hear
    // that way, so it is not fatal); a sync message in another's name closes the connection.
    // Once the flooder's rate has refilled, its forged announcement [3] and then a genuine one
    // [4] go out in that order: the listener hears [4] and never [3].
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let forged = announcement("listener", 1, vec![3]).encode();
    flooder.send(Message::Binary(forged.into())).await.unwrap();
    let genuine = announcement("flooder", 1, vec![4]).encode();
    flooder.send(Message::Binary(genuine.into())).await.unwrap();
    within("the genuine announcement is heard, the forged one never", async {
        while let Some(Ok(frame)) = listener.next().await {
            if let Message::Binary(frame) = frame
                && let Ok(wire::Message::Ephemeral { sender_id, data, .. }) = wire::Message::decode(&frame)
            {
                assert_ne!(data, [3], "the forged announcement was forwarded");
                if data == [4] {
                    assert_eq!(sender_id, "flooder");
                    return;
                }
            }
        }
        panic!("the listener's connection ended");
    })
    .await;
    let forged_sync = wire::Message::Sync {
        sender_id: "listener".into(),
        target_id: relay.clone(),
        document_id: document.clone(),
        data: empty_sync_message(),
    };
    flooder.send(Message::Binary(forged_sync.encode().into())).await.unwrap();
    let (error, code) = closed(&mut flooder).await;
    assert_eq!(code, Some(CloseCode::Policy), "{error:?}");
    put(&doc, "after", "the flood");
    alice.acknowledged(&doc).await;
    drop(listener);
    alice.stop().await;
    server.stop().await;
}
