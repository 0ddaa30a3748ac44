//! Floods at scale, each while a member of another workspace keeps editing: 10,000 requests for
//! random document ids, and slowloris on 2,000 sockets. The limits hold and the bystander's edits
//! are still acknowledged; the bystander's round trips are printed (medians, before and during),
//! never asserted on, as a busy machine is no failure.

use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use quorum_server::{Limits, Role};
use quorum_shared::{model::DocumentId, wire};
use tokio::io::AsyncWriteExt;
use tokio_tungstenite::tungstenite::Message;

use super::bad_input::{connect, empty_sync_message, join, next_frame};
use super::hardening::{closes_within, dial_from, healthz_from};
use super::metrics::metric;
use crate::support::{Client, TestServer, put, within};

/// The median time for `rounds` edits by `client` to be acknowledged, one at a time.
async fn round_trip(client: &Client, doc: &samod::DocHandle, rounds: usize) -> Duration {
    let mut times = Vec::with_capacity(rounds);
    for i in 0..rounds {
        let started = Instant::now();
        put(doc, "edit", &i.to_string());
        client.acknowledged(doc).await;
        times.push(started.elapsed());
    }
    quorum_shared::order::sort(&mut times);
    times[times.len() / 2]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_requests_for_random_documents_hit_the_quota_while_others_edit() {
    let dir = tempfile::tempdir().unwrap();
    // A fast sender, so that the flood is one of documents, not of time.
    let limits = Limits { documents_per_workspace: 100, messages_per_second: 100_000, ..Limits::default() };
    let server = TestServer::start_with(dir.path(), limits).await;
    let flooder = server.workspace("Flood").await;
    let flooder = server.member(&flooder, Role::Editor).await;
    let bystander = server.workspace("Bystander").await;
    let alice = Client::connect(&server, &bystander.token).await;
    let doc = alice.create("title", "bystander").await;
    alice.acknowledged(&doc).await;
    let before = round_trip(&alice, &doc, 20).await;

    let mut raw = connect(&server, &flooder.token, None).await;
    raw.send(Message::Binary(join("flooder").into())).await.unwrap();
    let reply = next_frame(&mut raw).await.expect("the relay answers the join");
    let Ok(wire::Message::Peer { sender_id: relay, .. }) = wire::Message::decode(&reply) else {
        panic!("a peer message")
    };
    let requests = 10_000u32;
    let flood = tokio::spawn(async move {
        let data = empty_sync_message();
        for n in 0..requests {
            let mut id = [0u8; 16];
            id[..4].copy_from_slice(&n.to_be_bytes());
            id[4..8].copy_from_slice(&0x51ed_f00du32.to_be_bytes());
            let request = wire::Message::Request {
                sender_id: "flooder".into(),
                target_id: relay.clone(),
                document_id: DocumentId::from_bytes(id).to_string(),
                data: data.clone(),
            };
            if raw.feed(Message::Binary(request.encode().into())).await.is_err() {
                break;
            }
        }
        let _ = raw.flush().await;
        // Read the answers, so the relay never counts this peer as not reading.
        let answered = async { while let Some(Ok(_)) = raw.next().await {} };
        let _ = tokio::time::timeout(Duration::from_secs(5), answered).await;
    });
    let during = round_trip(&alice, &doc, 20).await;
    within("the flood is sent", flood).await.unwrap();
    within("every request beyond the quota is refused", async {
        // The root document and 99 more are the workspace's; the rest were refused.
        while metric(&server, "documents_refused_total") < u64::from(requests) - 99 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    let known = metric(&server, "documents_known");
    // Two roots, the bystander's document and the flooder's 99.
    assert_eq!(known, 2 + 1 + 99, "the quota holds");
    eprintln!("bystander's median round trip: {before:?} before the flood, {during:?} during it");
    alice.stop().await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slowloris_on_two_thousand_sockets_is_cut_off_while_healthz_answers() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { header_read_timeout: Duration::from_millis(1_000), ..Limits::default() };
    let server = TestServer::start_with(dir.path(), limits).await;
    let bystander = server.workspace("Bystander").await;
    let alice = Client::connect(&server, &bystander.token).await;
    let doc = alice.create("title", "bystander").await;
    alice.acknowledged(&doc).await;

    // 2,000 sockets from eight addresses (each under its cap of 256), each with half a request.
    let mut slow = Vec::new();
    for n in 0..2_000 {
        let source = format!("127.0.1.{}", 1 + n % 8);
        let mut stream = dial_from(&source, server.addr).await;
        stream.write_all(b"GET /healthz HT").await.unwrap();
        slow.push(stream);
    }
    assert!(healthz_from("127.0.2.1", server.addr).await.starts_with("HTTP/1.1 200"), "health answers");
    let started = Instant::now();
    put(&doc, "during", "slowloris");
    alice.acknowledged(&doc).await;
    eprintln!("the bystander's edit was acknowledged in {:?} among 2,000 slow sockets", started.elapsed());
    for stream in &mut slow {
        assert!(closes_within(stream, Duration::from_secs(10)).await, "a slow sender is cut off");
    }
    assert!(
        healthz_from("127.0.1.1", server.addr).await.starts_with("HTTP/1.1 200"),
        "their places are free"
    );
    alice.stop().await;
    server.stop().await;
}
