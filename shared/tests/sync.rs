//! The sync client against an in-memory relay: the handshake, two and three peers converging,
//! dropped connections, restarts from saved bytes, presence, real JS frames, and (in
//! `sync/random.rs`) seeded random schedules. No sockets and no sleeps: every test runs the network until it is quiescent.

#[path = "sync/random.rs"]
mod random;
#[path = "sync/relay.rs"]
mod relay_core;
#[path = "sync/relays.rs"]
mod relays;
mod support;
#[path = "sync/tabs.rs"]
mod tabs;

use automerge::sync::{self, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT, ReadDoc};
use quorum_shared::sync::{Client, Event, SyncError};
use quorum_shared::wire::{Message, PeerMetadata};
use support::net::Net;
use support::{Rng, connected, doc_id, empty_sync_message, js_frames_to, put, run_id, text};

#[test]
fn handshake_and_protocol_errors() {
    let mut client = Client::new("alice", Some("alice-storage".into()), run_id());
    let id = doc_id(1);
    assert!(matches!(client.receive(&[0xa0]), Err(SyncError::Frame(_))));
    let leave = Message::Leave { sender_id: "relay".into() }.encode();
    assert!(matches!(client.receive(&leave), Err(SyncError::NotConnected)));
    assert!(matches!(client.open("not an id"), Err(SyncError::InvalidDocumentId { .. })));
    assert!(matches!(client.change(&id, |_| ()), Err(SyncError::NotOpen(_))));
    assert!(matches!(client.broadcast(&id, vec![1]), Err(SyncError::NotConnected)));

    let join = client.connect();
    assert_eq!(
        Message::decode(&join[0]).unwrap(),
        Message::Join {
            sender_id: "alice".into(),
            supported_protocol_versions: Some(vec!["1".into()]),
            peer_metadata: Some(PeerMetadata {
                storage_id: Some("alice-storage".into()),
                is_ephemeral: false,
            }),
        }
    );
    let sync = Message::Sync {
        sender_id: "relay".into(),
        target_id: "alice".into(),
        document_id: id.clone(),
        data: empty_sync_message(),
    }
    .encode();
    assert!(matches!(client.receive(&sync), Err(SyncError::BeforeHandshake("sync"))));
    let peer = |version: &str| {
        Message::Peer {
            sender_id: "relay".into(),
            target_id: "alice".into(),
            selected_protocol_version: version.into(),
            peer_metadata: None,
        }
        .encode()
    };
    assert!(matches!(
        client.receive(&peer("2")),
        Err(SyncError::UnsupportedVersion(v)) if v == "2"
    ));
    assert!(!client.is_connected());
    assert_eq!(
        client.receive(&peer("1")).unwrap(),
        [Event::Connected { remote_peer_id: "relay".into(), remote_metadata: None }]
    );
    assert!(client.is_connected());

    // A broken frame or a broken sync message is an error; the connection goes on.
    assert!(matches!(client.receive(b"\xa1\x64type\x64sync"), Err(SyncError::Frame(_))));
    let garbage = Message::Sync {
        sender_id: "relay".into(),
        target_id: "alice".into(),
        document_id: id.clone(),
        data: vec![0x42, 0xff, 0xff],
    }
    .encode();
    assert!(matches!(client.receive(&garbage), Err(SyncError::MalformedSyncMessage { .. })));
    assert!(client.doc(&id).is_none(), "a bad frame opens nothing");
    let join_again =
        Message::Join { sender_id: "relay".into(), supported_protocol_versions: None, peer_metadata: None }
            .encode();
    assert!(matches!(client.receive(&join_again), Err(SyncError::Unexpected("join"))));
    assert!(client.is_connected());

    let error = Message::Error { sender_id: None, target_id: None, message: "not allowed".into() }.encode();
    assert_eq!(client.receive(&error).unwrap(), [Event::Closed { error: Some("not allowed".into()) }]);
    assert!(!client.is_connected());
    assert!(client.drain_outgoing().is_empty());
}

#[test]
fn an_ephemeral_client_says_so() {
    let mut client = Client::new("kiosk", None, run_id());
    let Message::Join { peer_metadata, .. } = Message::decode(&client.connect()[0]).unwrap() else {
        panic!("not a join")
    };
    assert_eq!(peer_metadata, Some(PeerMetadata { storage_id: None, is_ephemeral: true }));
}

#[test]
fn a_new_peer_id_is_taken_between_connections_only() {
    let mut client = Client::new("squatted", Some("store".into()), run_id());
    client.connect();
    assert!(!client.renew_peer_id("fresh"), "not while a connection is open");
    client.disconnected();
    assert!(client.renew_peer_id("fresh"));
    let Message::Join { sender_id, .. } = Message::decode(&client.connect()[0]).unwrap() else {
        panic!("not a join")
    };
    assert_eq!((sender_id.as_str(), client.peer_id()), ("fresh", "fresh"));
}

#[test]
fn two_peers_converge_after_concurrent_edits() {
    let mut net = Net::new(&["alice", "bob"]);
    let id = doc_id(1);
    net.client(0).open_with(&id, AutoCommit::new()).unwrap();
    net.change(0, &id, put("title", "AI policy"));
    net.connect_all();
    net.client(1).open(&id).unwrap();
    net.pump(1);
    net.run_until_quiescent();
    net.assert_converged(&id);
    assert!(net.take_events(1).contains(&Event::DocumentChanged { document_id: id.clone() }));
    assert_eq!(text(net.client(1).doc(&id).unwrap(), "title").as_deref(), Some("AI policy"));

    // Both edit before either hears of the other's edit.
    net.change(0, &id, put("title", "AI policy v2"));
    net.change(1, &id, put("owner", "bob"));
    net.run_until_quiescent();
    net.assert_converged(&id);
    for peer in 0..2 {
        let doc = net.client(peer).doc(&id).unwrap();
        assert_eq!(text(doc, "title").as_deref(), Some("AI policy v2"));
        assert_eq!(text(doc, "owner").as_deref(), Some("bob"));
    }
}

#[test]
fn three_peers_converge_after_editing_offline() {
    let mut net = Net::new(&["alice", "bob", "carol"]);
    let id = doc_id(2);
    net.client(0).open_with(&id, AutoCommit::new()).unwrap();
    net.change(0, &id, |doc| {
        doc.put_object(ROOT, "notes", automerge::ObjType::Text).unwrap();
    });
    net.connect_all();
    for peer in 1..3 {
        net.client(peer).open(&id).unwrap();
        net.pump(peer);
    }
    net.run_until_quiescent();
    net.assert_converged(&id);

    // Everyone goes offline and types into the same text.
    for peer in 0..3 {
        net.disconnect(peer);
    }
    for (peer, words) in ["alpha ", "beta ", "gamma "].into_iter().enumerate() {
        net.change(peer, &id, |doc| {
            let (_, notes) = doc.get(ROOT, "notes").unwrap().unwrap();
            doc.splice_text(&notes, 0, 0, words).unwrap();
        });
    }
    net.connect_all();
    net.run_until_quiescent();
    net.assert_converged(&id);
    let doc = net.client(2).doc(&id).unwrap();
    let (_, notes) = doc.get(ROOT, "notes").unwrap().unwrap();
    let notes = doc.text(&notes).unwrap();
    for word in ["alpha", "beta", "gamma"] {
        assert!(notes.contains(word), "{notes:?} has {word}");
    }
}

#[test]
fn a_missing_document_is_unavailable_until_someone_creates_it() {
    let mut net = Net::new(&["alice", "bob"]);
    let id = doc_id(3);
    net.connect_all();
    net.client(1).open(&id).unwrap();
    net.pump(1);
    net.run_until_quiescent();
    assert_eq!(
        net.take_events(1),
        [
            Event::Connected {
                remote_peer_id: "relay".into(),
                remote_metadata: Some(PeerMetadata {
                    storage_id: Some("relay-storage".into()),
                    is_ephemeral: false
                })
            },
            Event::DocumentUnavailable { document_id: id.clone() }
        ]
    );
    assert!(net.client(1).is_synced(&id), "nothing to do for now");

    net.client(0).open_with(&id, AutoCommit::new()).unwrap();
    net.change(0, &id, put("title", "created later"));
    net.run_until_quiescent();
    net.assert_converged(&id);
    assert_eq!(net.take_events(1), [Event::DocumentChanged { document_id: id.clone() }]);
}

/// A document with `n` changes of incompressible values, so that resending it would show.
fn big_document(n: usize) -> AutoCommit {
    let mut rng = Rng(n as u64);
    let mut doc = AutoCommit::new();
    for i in 0..n {
        let value: String = (0..64).map(|_| char::from(b'a' + rng.below(26) as u8)).collect();
        doc.put(ROOT, format!("k{i}"), value).unwrap();
        doc.commit();
    }
    doc
}

#[test]
fn a_dropped_connection_mid_sync_recovers() {
    let mut net = Net::new(&["alice", "bob"]);
    let id = doc_id(4);
    net.client(0).open_with(&id, big_document(50)).unwrap();
    net.connect_all();
    net.client(1).open(&id).unwrap();
    net.pump(1);
    // Only part of the exchange happens before bob's socket dies.
    for _ in 0..3 {
        net.deliver_up(0);
        net.deliver_down(0);
        net.deliver_up(1);
    }
    net.disconnect(1);
    net.change(0, &id, put("while", "bob was away"));
    net.run_until_quiescent();
    net.connect(1);
    net.run_until_quiescent();
    net.assert_converged(&id);
    assert_eq!(text(net.client(1).doc(&id).unwrap(), "while").as_deref(), Some("bob was away"));
}

#[test]
fn a_reconnect_resumes_without_resending_everything() {
    let mut net = Net::new(&["alice"]);
    let id = doc_id(5);
    net.client(0).open_with(&id, big_document(200)).unwrap();
    net.connect(0);
    net.run_until_quiescent();
    net.assert_converged(&id);
    let size = net.client(0).doc_mut(&id).unwrap().save().len();
    assert!(net.sync_bytes > size / 2, "the first sync carries the document");

    net.disconnect(0);
    net.change(0, &id, put("after", "reconnect"));
    net.sync_bytes = 0;
    net.connect(0);
    net.run_until_quiescent();
    net.assert_converged(&id);
    assert!(net.sync_bytes < size / 4, "resuming carried {} bytes for a document of {size}", net.sync_bytes);
}

#[test]
fn a_client_restarts_from_saved_bytes() {
    let mut net = Net::new(&["alice", "bob"]);
    let id = doc_id(6);
    net.client(0).open_with(&id, AutoCommit::new()).unwrap();
    net.change(0, &id, put("title", "before"));
    net.connect_all();
    net.client(1).open(&id).unwrap();
    net.pump(1);
    net.run_until_quiescent();

    // Bob's tab closes with an edit that never left it, and opens again from storage.
    net.change(1, &id, put("draft", "unsent"));
    net.disconnect(1);
    let saved = net.client(1).doc_mut(&id).unwrap().save();
    net.peers[1].client = Client::new("bob", Some("bob-storage".into()), run_id());
    net.change(0, &id, put("title", "after"));
    net.client(1).open_with(&id, AutoCommit::load(&saved).unwrap()).unwrap();
    net.connect(1);
    net.run_until_quiescent();
    net.assert_converged(&id);
    let doc = net.client(0).doc(&id).unwrap();
    assert_eq!(text(doc, "draft").as_deref(), Some("unsent"));
    assert_eq!(text(doc, "title").as_deref(), Some("after"));
}

#[test]
fn the_relay_restarts_from_saved_bytes() {
    let mut net = Net::new(&["alice", "bob"]);
    let id = doc_id(7);
    net.client(0).open_with(&id, big_document(20)).unwrap();
    net.connect_all();
    net.client(1).open(&id).unwrap();
    net.pump(1);
    net.run_until_quiescent();

    for peer in 0..2 {
        net.disconnect(peer);
    }
    net.relay.restart("relay-2");
    net.change(0, &id, put("a", "offline"));
    net.change(1, &id, put("b", "offline"));
    net.connect_all();
    net.run_until_quiescent();
    net.assert_converged(&id);
}

#[test]
fn presence_reaches_the_other_peers_once() {
    let mut net = Net::new(&["alice", "bob", "carol"]);
    let id = doc_id(8);
    net.client(0).open_with(&id, AutoCommit::new()).unwrap();
    net.change(0, &id, put("title", "x"));
    net.connect_all();
    for peer in 1..3 {
        net.client(peer).open(&id).unwrap();
        net.pump(peer);
    }
    net.run_until_quiescent();
    for peer in 0..3 {
        net.take_events(peer);
    }

    net.client(0).broadcast(&id, b"field=title".to_vec()).unwrap();
    let frame = net.client(0).drain_outgoing();
    net.peers[0].link.as_mut().unwrap().up.extend(frame);
    net.run_until_quiescent();
    let presence = Event::Ephemeral {
        document_id: id.clone(),
        sender_id: "alice".into(),
        data: b"field=title".to_vec(),
    };
    assert_eq!(net.take_events(0), []);
    for peer in 1..3 {
        assert_eq!(net.take_events(peer), std::slice::from_ref(&presence));
    }

    // A repeat (a gossiping peer echoes what it hears) is dropped, a newer count gets through,
    // and our own messages coming back are ignored.
    let from = |sender: &str, count| {
        Message::Ephemeral {
            sender_id: sender.into(),
            target_id: "bob".into(),
            document_id: id.clone(),
            session_id: "s".into(),
            count,
            data: vec![1],
        }
        .encode()
    };
    let bob = net.client(1);
    assert_eq!(bob.receive(&from("carol", 1)).unwrap().len(), 1);
    assert_eq!(bob.receive(&from("carol", 1)).unwrap(), []);
    assert_eq!(bob.receive(&from("carol", 2)).unwrap().len(), 1);
    assert_eq!(bob.receive(&from("bob", 9)).unwrap(), []);
}

#[test]
fn the_relay_may_ask_the_client_for_documents() {
    let mut client = connected("alice");
    let (have, missing) = (doc_id(20), doc_id(21));
    let mut doc = AutoCommit::new();
    doc.put(ROOT, "title", "here").unwrap();
    client.open_with(&have, doc).unwrap();
    client.drain_outgoing();
    let request = |id: &str| {
        Message::Request {
            sender_id: "relay".into(),
            target_id: "alice".into(),
            document_id: id.into(),
            data: empty_sync_message(),
        }
        .encode()
    };

    assert_eq!(client.receive(&request(&missing)).unwrap(), []);
    let replies: Vec<Message> = client.drain_outgoing().iter().map(|f| Message::decode(f).unwrap()).collect();
    assert_eq!(
        replies,
        [Message::DocUnavailable {
            sender_id: "alice".into(),
            target_id: "relay".into(),
            document_id: missing.clone(),
        }]
    );
    assert!(client.doc(&missing).is_none());

    assert_eq!(client.receive(&request(&have)).unwrap(), []);
    let replies = client.drain_outgoing();
    let Ok(Message::Sync { document_id, data, .. }) = Message::decode(&replies[0]) else {
        panic!("expected a sync reply")
    };
    assert_eq!(document_id, have);
    let mut relay_doc = AutoCommit::new();
    let mut state = sync::State::new();
    relay_doc.sync().receive_sync_message(&mut state, sync::Message::decode(&data).unwrap()).unwrap();
    assert_eq!(text(&relay_doc, "title").as_deref(), Some("here"));
}

#[test]
fn a_real_js_relay_session_replays() {
    let (doc, missing) = ("A5rc6NMHLXqZcF75LPxDdyPTuMu", "48eNHzF1ui6qWaKy285v7htZVPPv");
    let mut bob = Client::new("bob", Some("bob-storage".into()), run_id());
    bob.open(doc).unwrap();
    bob.open(missing).unwrap();
    bob.connect();
    let mut events = Vec::new();
    for frame in js_frames_to("2") {
        events.extend(bob.receive(&frame).unwrap());
        bob.drain_outgoing();
    }
    assert!(matches!(&events[0], Event::Connected { remote_peer_id, .. } if remote_peer_id == "relay"));
    assert!(events.contains(&Event::DocumentChanged { document_id: doc.into() }));
    assert!(events.contains(&Event::DocumentUnavailable { document_id: missing.into() }));
    assert_eq!(text(bob.doc(doc).unwrap(), "title").as_deref(), Some("AI policy v3"));

    let mut alice = Client::new("alice", Some("alice-storage".into()), run_id());
    alice.open(doc).unwrap();
    alice.connect();
    let mut events = Vec::new();
    for frame in js_frames_to("1") {
        events.extend(alice.receive(&frame).unwrap());
    }
    let presence: Vec<&Event> = events
        .iter()
        .filter(|e| matches!(e, Event::Ephemeral { sender_id, .. } if sender_id == "bob"))
        .collect();
    assert_eq!(presence.len(), 1);
    let heads: Vec<(&str, u64)> = events
        .iter()
        .filter_map(|e| match e {
            Event::RemoteHeadsChanged { storage_id, heads, .. } => {
                Some((storage_id.as_str(), heads.timestamp))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        heads,
        [
            ("9d3bcd5c-36d1-4b2d-a2a2-8cc6a5d7b2a6", 1_795_833_919_756),
            ("9d3bcd5c-36d1-4b2d-a2a2-8cc6a5d7b2a6", 1_795_833_920_205)
        ]
    );

    let mut carol = Client::new("carol", None, run_id());
    carol.connect();
    assert_eq!(
        carol.receive(&js_frames_to("3")[0]).unwrap(),
        [Event::Closed { error: Some("unsupported protocol version".into()) }]
    );
}
