//! The relay core's own rules, each on its own: fan-out by dirty peers, acknowledgement only of
//! what is committed, failed writes retried and held to their document, viewers read-only,
//! documents unloaded and folded into snapshots, unreadable chunks skipped, presence forwarded
//! within limits, bad frames refused with a typed reason, and changes that would inflate past the
//! limit refused before they are inflated.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT};
use quorum_shared::relay::{Config, Refusal};
use quorum_shared::wire::Message;

use crate::support::net::Net;
use crate::support::relay::Relay;
use crate::support::{doc_id, put, text};

/// `n` peers connected and holding one document that the first created.
fn group(n: usize, id: &str) -> Net {
    let names: Vec<String> = (0..n).map(|i| format!("peer-{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut net = Net::new(&names);
    net.client(0).open_with(id, AutoCommit::new()).unwrap();
    net.change(0, id, put("title", "AI policy"));
    net.connect_all();
    for peer in 1..n {
        net.client(peer).open(id).unwrap();
        net.pump(peer);
    }
    net.run_until_quiescent();
    net
}

#[test]
fn one_edit_in_a_group_of_ten_generates_one_message_per_other_peer_and_the_reply() {
    let id = doc_id(40);
    let mut net = group(10, &id);
    net.assert_converged(&id);
    let before = net.relay.stats().sync_messages_generated;
    net.change(3, &id, put("scope", "hiring"));
    net.run_until_quiescent();
    net.assert_converged(&id);
    let generated = net.relay.stats().sync_messages_generated - before;
    assert!((9..=10).contains(&generated), "{generated} sync messages for one edit among ten peers");

    // Acknowledgements that change nothing cost nothing.
    let before = net.relay.stats().sync_messages_generated;
    net.run_until_quiescent();
    assert_eq!(net.relay.stats().sync_messages_generated, before);
}

#[test]
fn nothing_is_acknowledged_before_it_is_committed_and_a_failed_write_is_retried() {
    let id = doc_id(41);
    let mut net = group(2, &id);
    net.relay.auto_storage = false;
    net.change(0, &id, put("owner", "Ada"));
    net.deliver_all_up(0);
    assert_eq!(net.relay.stats().held_frames, 2, "the reply and the news wait for the write");
    assert!(net.peers[1].link.as_ref().unwrap().down.is_empty(), "bob hears nothing yet");

    assert!(net.relay_step(Relay::fail_one));
    let stats = net.relay.stats();
    assert_eq!((stats.write_failures, stats.held_frames, stats.pending_writes), (1, 2, 1));
    // Retried after its backoff, then committed: the frames go.
    net.relay_step(|relay| {
        relay.tick(1_000);
        true
    });
    assert!(net.relay_step(Relay::commit_one));
    assert_eq!(net.relay.stats().held_frames, 0);
    net.run_until_quiescent();
    net.assert_converged(&id);
    assert_eq!(text(&net.relay.doc(&id), "owner").as_deref(), Some("Ada"));
}

#[test]
fn a_write_that_keeps_failing_holds_back_only_its_own_document() {
    let (stuck, free) = (doc_id(42), doc_id(43));
    let mut net = group(2, &stuck);
    net.client(0).open_with(&free, AutoCommit::new()).unwrap();
    net.change(0, &free, put("title", "free"));
    net.client(1).open(&free).unwrap();
    net.pump(1);
    net.run_until_quiescent();
    net.relay.auto_storage = false;

    net.change(0, &stuck, put("owner", "stuck"));
    net.deliver_all_up(0);
    net.change(0, &free, put("owner", "free"));
    net.deliver_all_up(0);
    assert!(net.relay_step(Relay::fail_one), "the stuck document's write fails");
    assert!(net.relay_step(Relay::commit_one), "the other one commits");
    net.run_until_quiescent_without_storage();
    assert_eq!(text(net.client(1).doc(&free).unwrap(), "owner").as_deref(), Some("free"));
    assert_eq!(text(net.client(1).doc(&stuck).unwrap(), "owner"), None, "not acknowledged, not sent");
}

#[test]
fn a_viewers_changes_are_neither_applied_stored_nor_forwarded() {
    let id = doc_id(44);
    let mut net = Net::new(&["owner", "viewer"]);
    net.client(0).open_with(&id, AutoCommit::new()).unwrap();
    net.change(0, &id, put("title", "AI policy"));
    net.connect(0);
    net.relay.next_is_viewer();
    net.connect(1);
    net.client(1).open(&id).unwrap();
    net.pump(1);
    net.run_until_quiescent();
    assert_eq!(text(net.client(1).doc(&id).unwrap(), "title").as_deref(), Some("AI policy"));

    net.change(1, &id, put("title", "defaced"));
    net.run_until_quiescent();
    assert_eq!(text(&net.relay.doc(&id), "title").as_deref(), Some("AI policy"));
    assert_eq!(text(net.client(0).doc(&id).unwrap(), "title").as_deref(), Some("AI policy"));
    assert!(net.relay.refused.is_empty(), "the viewer stays connected");
}

#[test]
fn an_idle_document_leaves_memory_and_comes_back_from_storage() {
    let id = doc_id(45);
    let config = Config { unload_after_ms: 1_000, compact_after: 4, ..Config::default() };
    let mut net = Net::new(&["alice", "bob"]);
    net.relay = Relay::with_config("relay", config);
    net.client(0).open_with(&id, AutoCommit::new()).unwrap();
    net.connect_all();
    for i in 0..10 {
        net.change(0, &id, move |doc| doc.put(ROOT, format!("control-{i}"), "applicable").unwrap());
        net.run_until_quiescent();
    }
    let keys: Vec<&String> = net.relay.store.chunks.keys().collect();
    let incrementals = keys.iter().filter(|k| k.contains("/incremental/")).count();
    assert!(keys.iter().any(|k| k.contains("/snapshot/")), "{keys:?}");
    assert!(incrementals < 4, "incrementals are folded into a snapshot: {keys:?}");

    net.disconnect(0);
    net.relay_step(|relay| {
        relay.tick(999);
        true
    });
    assert_eq!(net.relay.stats().documents, 1, "still within its grace");
    net.relay_step(|relay| {
        relay.tick(1);
        true
    });
    assert_eq!(net.relay.stats().documents, 0);
    assert_eq!(net.relay.stats().documents_unloaded, 1);

    net.client(1).open(&id).unwrap();
    net.pump(1);
    net.run_until_quiescent();
    assert_eq!(net.heads(1, &id), net.heads(0, &id), "read back whole from its snapshot");
}

#[test]
fn an_unreadable_chunk_is_skipped_and_the_rest_of_the_document_loads() {
    let id = doc_id(46);
    let mut net = group(1, &id);
    let heads = net.heads(0, &id);
    net.disconnect(0);
    net.relay.restart("relay-2");
    // Read first (keys are read in order), where Automerge says it cannot parse it; read into a
    // document that has content already, it would add nothing and say nothing.
    net.relay.store.chunks.insert(format!("{id}/incremental/-garbage"), b"not automerge".to_vec());
    net.connect(0);
    net.run_until_quiescent();
    assert_eq!(net.relay.stats().unreadable_chunks, 1);
    net.assert_converged(&id);
    assert_eq!(net.heads(0, &id), heads);
}

#[test]
fn presence_goes_to_the_documents_peers_within_the_senders_rate() {
    let id = doc_id(47);
    let mut net = group(3, &id);
    let other = doc_id(49);
    net.client(2).open_with(&other, AutoCommit::new()).unwrap();
    net.change(2, &other, put("title", "elsewhere"));
    net.run_until_quiescent();
    for peer in 0..3 {
        net.take_events(peer);
    }
    for _ in 0..100 {
        net.client(0).broadcast(&id, vec![1]).unwrap();
    }
    net.client(0).broadcast(&other, vec![2]).unwrap();
    net.pump(0);
    net.run_until_quiescent();
    let stats = net.relay.stats();
    let seen = |net: &mut Net, peer| {
        net.take_events(peer)
            .iter()
            .filter(|e| matches!(e, quorum_shared::sync::Event::Ephemeral { .. }))
            .count()
    };
    assert_eq!(seen(&mut net, 1), 40, "a burst of twice the default 20 a second");
    assert_eq!(seen(&mut net, 2), 40, "and nothing about a document the sender does not have open");
    assert_eq!(stats.ephemeral_forwarded, 80);
    assert_eq!(stats.ephemeral_dropped, 61);
}

#[test]
fn presence_passed_on_under_another_peers_id_is_dropped_not_forwarded_nor_fatal() {
    let id = doc_id(50);
    let mut net = group(3, &id);
    for peer in 0..3 {
        net.take_events(peer);
    }
    // What an automerge-repo peer does with presence it heard: sends it on under the first
    // sender's id.
    let passed_on = Message::Ephemeral {
        sender_id: "peer-0".into(),
        target_id: "relay".into(),
        document_id: id.clone(),
        session_id: "s".into(),
        count: 1,
        data: vec![9],
    };
    let conn = net.peers[1].link.as_ref().unwrap().conn;
    net.peers[1].link.as_mut().unwrap().up.push_back(passed_on.encode());
    net.run_until_quiescent();
    assert!(!net.relay.refused.contains_key(&conn), "the connection stays");
    let heard = net
        .take_events(2)
        .iter()
        .filter(|e| matches!(e, quorum_shared::sync::Event::Ephemeral { .. }))
        .count();
    assert_eq!(heard, 0, "nothing goes out under an id its connection does not hold");
    assert_eq!(net.relay.stats().ephemeral_dropped, 1);
}

/// What a refusal must be.
type Expected = fn(&Refusal) -> bool;

#[test]
fn frames_that_break_the_rules_close_only_their_connection() {
    let id = doc_id(48);
    let cases: Vec<(Vec<u8>, Expected)> = vec![
        (vec![0xff, 0x00], |r| matches!(r, Refusal::Frame(_))),
        (
            Message::Join {
                sender_id: "peer-1".into(),
                supported_protocol_versions: None,
                peer_metadata: None,
            }
            .encode(),
            |r| matches!(r, Refusal::Unexpected("join")),
        ),
        (
            Message::Sync {
                sender_id: "peer-0".into(),
                target_id: "relay".into(),
                document_id: id.clone(),
                data: vec![1],
            }
            .encode(),
            |r| matches!(r, Refusal::Sender { .. }),
        ),
        (
            Message::Sync {
                sender_id: "peer-1".into(),
                target_id: "relay".into(),
                document_id: id.clone(),
                data: vec![1, 2],
            }
            .encode(),
            |r| matches!(r, Refusal::SyncMessage { .. }),
        ),
    ];
    for (frame, expected) in cases {
        let mut net = group(2, &id);
        let conn = net.peers[1].link.as_ref().unwrap().conn;
        net.peers[1].link.as_mut().unwrap().up.push_back(frame);
        net.run_until_quiescent();
        let refusal = net.relay.refused.get(&conn).expect("the connection is closed");
        assert!(expected(refusal), "{refusal:?}");
        assert!(net.peers[1].link.is_none());
        // The other peer goes on.
        net.change(0, &id, put("after", "still syncing"));
        net.run_until_quiescent();
        assert_eq!(text(&net.relay.doc(&id), "after").as_deref(), Some("still syncing"));
    }
}

/// A sync message whose one change is a compressed chunk that inflates to `zeros` zero bytes.
fn bomb(zeros: usize) -> Vec<u8> {
    use std::io::Write;
    let mut deflater = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..zeros / 65_536 {
        deflater.write_all(&[0; 65_536]).unwrap();
    }
    let deflated = deflater.finish().unwrap();
    let mut chunk = vec![0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 2];
    let mut length = deflated.len();
    while length >= 0x80 {
        chunk.push((length as u8 & 0x7f) | 0x80);
        length >>= 7;
    }
    chunk.push(length as u8);
    chunk.extend(deflated);
    let message = automerge::sync::Message {
        heads: Vec::new(),
        need: Vec::new(),
        have: Vec::new(),
        changes: chunk.into(),
        flags: None,
        version: automerge::sync::MessageVersion::V1,
    };
    message.encode()
}

#[test]
fn a_writers_decompression_bomb_closes_its_connection_and_a_viewers_is_not_even_inflated() {
    let id = doc_id(49);
    let mut net = Net::new(&["writer", "viewer", "editor"]);
    net.relay = Relay::with_config("relay", Config { max_inflated_bytes: 1 << 20, ..Config::default() });
    net.client(0).open_with(&id, AutoCommit::new()).unwrap();
    net.change(0, &id, put("title", "AI policy"));
    net.connect(0);
    net.relay.next_is_viewer();
    net.connect(1);
    net.connect(2);
    for peer in [1, 2] {
        net.client(peer).open(&id).unwrap();
        net.pump(peer);
    }
    net.run_until_quiescent();
    let bomb = bomb(4 << 20);
    for (peer, name) in [(1, "viewer"), (0, "writer")] {
        let frame = Message::Sync {
            sender_id: name.into(),
            target_id: "relay".into(),
            document_id: id.clone(),
            data: bomb.clone(),
        };
        net.peers[peer].link.as_mut().unwrap().up.push_back(frame.encode());
        net.run_until_quiescent();
    }
    assert!(net.peers[1].link.is_some(), "a viewer's changes are never taken in, so never inflated");
    assert!(net.peers[0].link.is_none());
    let refused: Vec<&Refusal> = net.relay.refused.values().collect();
    assert!(matches!(refused[..], [Refusal::Inflation { limit: 1_048_576, .. }]), "{refused:?}");
    assert_eq!(net.relay.stats().inflation_refused, 1);
    // The others go on.
    net.change(2, &id, put("after", "still syncing"));
    net.run_until_quiescent();
    assert_eq!(text(&net.relay.doc(&id), "after").as_deref(), Some("still syncing"));
    assert_eq!(text(net.client(1).doc(&id).unwrap(), "after").as_deref(), Some("still syncing"));
}

#[test]
fn two_messages_from_one_peer_taken_in_together_still_get_their_answer() {
    // Automerge's sync state assumes a reply is generated after each message it receives: a
    // message that brings nothing and names the heads the relay already has marks them as sent.
    // Taken in behind the message that brought those heads, before any reply, it would leave
    // the sender never told the relay has its change.
    let id = doc_id(50);
    let mut net = group(2, &id);
    net.change(0, &id, put("step", "one"));
    net.deliver_all_up(0);
    net.change(0, &id, put("step", "two"));
    // The relay's answer to the first lets the client send again: the second change's heads,
    // with no changes (it has sent them).
    net.deliver_down(0);
    assert_eq!(net.peers[0].link.as_ref().unwrap().up.len(), 2);
    net.deliver_all_up_at_once();
    net.run_until_quiescent();
    net.assert_converged(&id);
}

#[test]
fn heads_gossip_the_relay_does_not_offer_is_taken_no_notice_of() {
    // automerge-repo peers may subscribe to remote heads; a relay without that gossip, like a
    // JS repo without it, says nothing and keeps the connection.
    let id = doc_id(52);
    let mut net = group(2, &id);
    let subscribe = Message::RemoteSubscriptionChange {
        sender_id: "peer-1".into(),
        target_id: "relay".into(),
        add: vec!["some-storage".into()],
        remove: Vec::new(),
    };
    let report = Message::RemoteHeadsChanged {
        sender_id: "peer-1".into(),
        target_id: "relay".into(),
        document_id: id.clone(),
        new_heads: Default::default(),
    };
    let link = net.peers[1].link.as_mut().unwrap();
    link.up.extend([subscribe.encode(), report.encode()]);
    net.run_until_quiescent();
    assert!(net.relay.refused.is_empty());
    net.change(1, &id, put("after", "gossip"));
    net.run_until_quiescent();
    net.assert_converged(&id);
}

#[test]
fn a_change_in_another_members_actor_is_refused_before_and_after_a_restart() {
    let id = doc_id(49);
    let mut net = Net::new(&["ada", "mallory"]);
    net.client(0).open_with(&id, AutoCommit::new()).unwrap();
    net.change(0, &id, put("title", "AI policy"));
    net.relay.next_is_member("ada");
    net.connect(0);
    net.relay.next_is_member("mallory");
    net.connect(1);
    net.client(1).open(&id).unwrap();
    net.pump(1);
    net.run_until_quiescent();
    let ada = net.client(0).doc(&id).unwrap().get_actor().clone();
    assert!(net.relay.store.bindings.iter().any(|b| b.id == ada.to_bytes() && b.member == "ada"));

    // Mallory's own changes are hers and pass.
    net.change(1, &id, put("scope", "hiring"));
    net.run_until_quiescent();
    assert_eq!(text(&net.relay.doc(&id), "scope").as_deref(), Some("hiring"));

    for restart in [false, true] {
        if restart {
            net.disconnect(0);
            net.disconnect(1);
            net.relay.restart("relay-2");
            net.relay.next_is_member("ada");
            net.connect(0);
            net.relay.next_is_member("mallory");
            net.connect(1);
            net.run_until_quiescent();
        }
        let mallory = net.client(1).doc(&id).unwrap().get_actor().clone();
        net.change(1, &id, |doc| {
            doc.set_actor(ada.clone());
            doc.put(ROOT, "title", "Ada resigns").unwrap();
        });
        // Storage commits whatever it is handed, and held frames go: the forged change must
        // have been neither.
        net.run_until_quiescent();
        let refused = net.relay.refused.values().last().cloned();
        assert!(
            matches!(refused, Some(Refusal::Forged { ref actor, .. }) if *actor == ada.to_hex_string()),
            "{refused:?}"
        );
        assert_eq!(text(&net.relay.doc(&id), "title").as_deref(), Some("AI policy"), "not stored");
        assert_eq!(
            text(net.client(0).doc(&id).unwrap(), "title").as_deref(),
            Some("AI policy"),
            "not forwarded"
        );
        // Mallory's copy is hers to mend: a fresh replica for the next round.
        net.relay.refused.clear();
        let relay_copy = net.relay.doc(&id);
        let client = net.client(1);
        client.close(&id);
        client.open_with(&id, relay_copy.with_actor(mallory)).unwrap();
    }
    assert_eq!(net.relay.stats().forged_refused, 1, "counted since the last start");
}

#[test]
fn a_change_that_waits_for_its_dependency_is_stored_with_the_binding_it_made() {
    use automerge::{ActorId, sync};
    let id = doc_id(51);
    let mut net = group(2, &id);
    let mut base = net.relay.doc(&id);
    let (first, second) =
        (ActorId::from(b"first-actor".as_slice()), ActorId::from(b"second-actor".as_slice()));
    let mut doc = base.fork().with_actor(first.clone());
    doc.put(ROOT, "scope", "hiring").unwrap();
    doc.commit();
    let c1 = doc.get_last_local_change().unwrap().raw_bytes().to_vec();
    doc.set_actor(second.clone());
    doc.put(ROOT, "owner", "Ada").unwrap();
    doc.commit();
    let c2 = doc.get_last_local_change().unwrap().raw_bytes().to_vec();
    let heads = doc.get_heads();
    let sends = |net: &mut Net, change: Vec<u8>| {
        let message = sync::Message {
            heads: heads.clone(),
            need: vec![],
            have: vec![],
            changes: vec![change].into(),
            flags: None,
            version: sync::MessageVersion::V1,
        };
        let frame = Message::Sync {
            sender_id: "peer-1".into(),
            target_id: "relay".into(),
            document_id: id.clone(),
            data: message.encode(),
        };
        net.peers[1].link.as_mut().unwrap().up.push_back(frame.encode());
        net.run_until_quiescent();
    };
    let stored =
        |net: &Net, actor: &ActorId| net.relay.store.bindings.iter().any(|b| b.id == actor.to_bytes());

    sends(&mut net, c2);
    assert!(net.relay.refused.is_empty(), "{:?}", net.relay.refused);
    assert!(!stored(&net, &second), "the change waits, unstored, and so does its binding");
    sends(&mut net, c1);
    assert_eq!(text(&net.relay.doc(&id), "owner").as_deref(), Some("Ada"), "both changes stored");
    assert!(stored(&net, &first) && stored(&net, &second), "{:?}", net.relay.store.bindings);
}
