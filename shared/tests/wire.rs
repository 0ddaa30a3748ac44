//! The wire format: round trips, real frames from the JS library, what real peers send
//! differently, and (in `wire/malformed.rs`) malformed input.

use std::collections::BTreeMap;

use quorum_shared::wire::{Message, PROTOCOL_V1, PeerMetadata, RemoteHeads};

mod wire {
    pub mod frames;
    mod malformed;
}
use minicbor::Encoder;
use wire::frames::{V, count_of, ephemeral_with, frame, write};

const DOC: &str = "A5rc6NMHLXqZcF75LPxDdyPTuMu";
const MISSING_DOC: &str = "48eNHzF1ui6qWaKy285v7htZVPPv";

/// The frames of the captured JS session, as (connection, direction, type, bytes).
fn fixture_frames() -> Vec<(u32, String, String, Vec<u8>)> {
    let text = include_str!("fixtures/wire/js-automerge-repo-2.5.6.frames");
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let parts: Vec<&str> = line.split(' ').collect();
            assert_eq!(parts.len(), 4, "fixture line {line:?}");
            (parts[0].parse().unwrap(), parts[1].to_owned(), parts[2].to_owned(), hex(parts[3]))
        })
        .collect()
}

fn hex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

fn all_messages() -> Vec<Message> {
    let mut new_heads = BTreeMap::new();
    new_heads.insert(
        "9d3bcd5c-36d1-4b2d-a2a2-8cc6a5d7b2a6".to_owned(),
        RemoteHeads {
            heads: vec!["2TfZ1v8LK5Jmfg9hJ9jkTZzAPcKTLFkwbNWGWXmcA535Ddzmiz".into()],
            timestamp: 1_795_833_919_756,
        },
    );
    new_heads.insert("empty".to_owned(), RemoteHeads::default());
    vec![
        Message::Join {
            sender_id: "alice".into(),
            supported_protocol_versions: Some(vec![PROTOCOL_V1.into()]),
            peer_metadata: Some(PeerMetadata { storage_id: Some("storage".into()), is_ephemeral: false }),
        },
        Message::Join { sender_id: "old".into(), supported_protocol_versions: None, peer_metadata: None },
        Message::Peer {
            sender_id: "relay".into(),
            target_id: "alice".into(),
            selected_protocol_version: PROTOCOL_V1.into(),
            peer_metadata: Some(PeerMetadata { storage_id: None, is_ephemeral: true }),
        },
        Message::Peer {
            sender_id: "relay".into(),
            target_id: "alice".into(),
            selected_protocol_version: PROTOCOL_V1.into(),
            peer_metadata: None,
        },
        Message::Leave { sender_id: "alice".into() },
        Message::Request {
            sender_id: "bob".into(),
            target_id: "relay".into(),
            document_id: DOC.into(),
            data: vec![0x42, 0, 1, 2],
        },
        Message::Sync {
            sender_id: "relay".into(),
            target_id: "bob".into(),
            document_id: DOC.into(),
            data: vec![0x42; 300],
        },
        Message::DocUnavailable {
            sender_id: "relay".into(),
            target_id: "bob".into(),
            document_id: MISSING_DOC.into(),
        },
        Message::Ephemeral {
            sender_id: "bob".into(),
            target_id: "relay".into(),
            document_id: DOC.into(),
            session_id: "b2w0zaebzq6".into(),
            count: u64::MAX,
            data: vec![],
        },
        Message::RemoteSubscriptionChange {
            sender_id: "alice".into(),
            target_id: "relay".into(),
            add: vec!["a".into(), "b".into()],
            remove: vec![],
        },
        Message::RemoteHeadsChanged {
            sender_id: "relay".into(),
            target_id: "alice".into(),
            document_id: DOC.into(),
            new_heads,
        },
        Message::Error {
            sender_id: Some("relay".into()),
            target_id: Some("carol".into()),
            message: "unsupported protocol version".into(),
        },
        Message::Error { sender_id: None, target_id: None, message: "".into() },
    ]
}

#[test]
fn every_message_round_trips() {
    let messages = all_messages();
    let kinds: std::collections::BTreeSet<_> = messages.iter().map(Message::type_name).collect();
    assert_eq!(kinds.len(), 10, "every message type is covered");
    for message in messages {
        let frame = message.encode();
        assert_eq!(Message::decode(&frame).unwrap(), message);
    }
}

#[test]
fn real_frames_from_the_js_library_decode() {
    let frames = fixture_frames();
    assert_eq!(frames.len(), 32);
    let mut kinds = std::collections::BTreeSet::new();
    for (conn, direction, kind, bytes) in &frames {
        let message =
            Message::decode(bytes).unwrap_or_else(|e| panic!("connection {conn} {direction} {kind}: {e}"));
        assert_eq!(message.type_name(), kind);
        // What we write from it reads back the same, though the bytes differ (cbor-x writes
        // 16-bit map headers and a float64 timestamp).
        assert_eq!(Message::decode(&message.encode()).unwrap(), message);
        kinds.insert(kind.clone());
    }
    assert_eq!(kinds.len(), 10, "the fixture holds every message type");

    let decoded: Vec<Message> = frames.iter().map(|(.., bytes)| Message::decode(bytes).unwrap()).collect();
    assert_eq!(
        decoded[0],
        Message::Join {
            sender_id: "alice".into(),
            supported_protocol_versions: Some(vec!["1".into()]),
            peer_metadata: Some(PeerMetadata {
                storage_id: Some("160ba0ec-2b99-4f5c-a12a-38489b4bf9c9".into()),
                is_ephemeral: false,
            }),
        }
    );
    assert_eq!(
        decoded[1],
        Message::Peer {
            sender_id: "relay".into(),
            target_id: "alice".into(),
            selected_protocol_version: "1".into(),
            peer_metadata: Some(PeerMetadata {
                storage_id: Some("7f5dccbc-38f0-439c-8e27-d38e05d3837e".into()),
                is_ephemeral: false,
            }),
        }
    );
    assert!(decoded.contains(&Message::DocUnavailable {
        sender_id: "relay".into(),
        target_id: "bob".into(),
        document_id: MISSING_DOC.into(),
    }));
    assert!(decoded.contains(&Message::RemoteSubscriptionChange {
        sender_id: "alice".into(),
        target_id: "relay".into(),
        add: vec!["9d3bcd5c-36d1-4b2d-a2a2-8cc6a5d7b2a6".into()],
        remove: vec![],
    }));
    assert!(decoded.contains(&Message::Error {
        sender_id: Some("relay".into()),
        target_id: Some("carol".into()),
        message: "unsupported protocol version".into(),
    }));
    assert_eq!(decoded.last(), Some(&Message::Leave { sender_id: "alice".into() }));
    let timestamps: Vec<u64> = decoded
        .iter()
        .filter_map(|m| match m {
            Message::RemoteHeadsChanged { new_heads, .. } => {
                Some(new_heads.values().map(|h| h.timestamp).sum())
            }
            _ => None,
        })
        .collect();
    assert_eq!(timestamps, [1_795_833_919_756, 1_795_833_920_205]);
    let ephemeral = decoded.iter().find(|m| m.type_name() == "ephemeral").unwrap();
    let Message::Ephemeral { sender_id, session_id, count, data, .. } = ephemeral else { unreachable!() };
    assert_eq!((sender_id.as_str(), session_id.as_str(), *count), ("bob", "b2w0zaebzq6", 1));
    assert!(!data.is_empty());
}

#[test]
fn numbers_may_arrive_as_floats() {
    assert_eq!(count_of(&ephemeral_with("count", Some(V::F64(7.0)))), 7);
    assert_eq!(count_of(&ephemeral_with("count", Some(V::F32(8.0)))), 8);
    // 0x4800 is 8.0 in half precision.
    assert_eq!(count_of(&ephemeral_with("count", Some(V::F16(0x4800)))), 8);
    assert_eq!(
        count_of(&ephemeral_with("count", Some(V::F64(9_007_199_254_740_991.0)))),
        9_007_199_254_740_991
    );
}

#[test]
fn lenient_where_real_peers_differ() {
    let doc_bytes = bs58::decode(DOC).with_check(None).into_vec().unwrap();
    let sync = |extra: Vec<(&'static str, V)>| {
        let mut entries =
            vec![("type", V::Text("sync")), ("senderId", V::Text("relay")), ("targetId", V::Text("bob"))];
        entries.extend(extra);
        Message::decode(&frame(entries)).unwrap()
    };
    let expected = Message::Sync {
        sender_id: "relay".into(),
        target_id: "bob".into(),
        document_id: DOC.into(),
        data: vec![9],
    };
    // A document id as raw bytes, data tagged as a typed array, unknown fields of any shape.
    assert_eq!(
        sync(vec![
            ("documentId", V::Bytes(doc_bytes)),
            ("data", V::Tagged(64, Box::new(V::Bytes(vec![9])))),
            ("future", V::Map(vec![("x", V::Array(vec![V::Null, V::I(-1)]))])),
        ]),
        expected
    );
    // Optional fields that JS writes as undefined or null are absent.
    let join = frame(vec![
        ("type", V::Text("join")),
        ("senderId", V::Text("bob")),
        ("supportedProtocolVersions", V::Undefined),
        ("peerMetadata", V::Map(vec![("storageId", V::Undefined), ("isEphemeral", V::Null)])),
    ]);
    assert_eq!(
        Message::decode(&join).unwrap(),
        Message::Join {
            sender_id: "bob".into(),
            supported_protocol_versions: None,
            peer_metadata: Some(PeerMetadata::default()),
        }
    );
    // An empty metadata map, as a JS peer sends when given none; an indefinite-length map.
    let peer = V::IndefMap(vec![
        ("type", V::Text("peer")),
        ("senderId", V::Text("relay")),
        ("targetId", V::Text("bob")),
        ("selectedProtocolVersion", V::Text("1")),
        ("peerMetadata", V::Map(vec![])),
    ]);
    let mut e = Encoder::new(Vec::new());
    write(&mut e, &peer);
    assert_eq!(
        Message::decode(&e.into_writer()).unwrap(),
        Message::Peer {
            sender_id: "relay".into(),
            target_id: "bob".into(),
            selected_protocol_version: "1".into(),
            peer_metadata: Some(PeerMetadata::default()),
        }
    );
    // remote-subscription-change with only one of its lists.
    let change = frame(vec![
        ("type", V::Text("remote-subscription-change")),
        ("senderId", V::Text("a")),
        ("targetId", V::Text("b")),
        ("remove", V::Array(vec![V::Text("s")])),
        ("add", V::Undefined),
    ]);
    assert_eq!(
        Message::decode(&change).unwrap(),
        Message::RemoteSubscriptionChange {
            sender_id: "a".into(),
            target_id: "b".into(),
            add: vec![],
            remove: vec!["s".into()],
        }
    );
}
