//! The wire format: round trips, real frames from the JS library, and malformed input.

use std::collections::BTreeMap;

use minicbor::Encoder;
use quorum_shared::wire::{Message, PROTOCOL_V1, PeerMetadata, RemoteHeads};

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

/// A value in a hand-made frame.
#[derive(Clone)]
enum V {
    Text(&'static str),
    Bytes(Vec<u8>),
    U(u64),
    I(i64),
    F64(f64),
    F32(f32),
    /// A half float, by its bits.
    F16(u16),
    Bool(bool),
    Null,
    Undefined,
    Array(Vec<V>),
    Map(Vec<(&'static str, V)>),
    /// A map written with indefinite length.
    IndefMap(Vec<(&'static str, V)>),
    Tagged(u64, Box<V>),
}

fn write(e: &mut Encoder<Vec<u8>>, value: &V) {
    match value {
        V::Text(s) => {
            e.str(s).unwrap();
        }
        V::Bytes(b) => {
            e.bytes(b).unwrap();
        }
        V::U(n) => {
            e.u64(*n).unwrap();
        }
        V::I(n) => {
            e.i64(*n).unwrap();
        }
        V::F64(n) => {
            e.f64(*n).unwrap();
        }
        V::F32(n) => {
            e.f32(*n).unwrap();
        }
        V::F16(bits) => {
            let mut raw = vec![0xf9];
            raw.extend(bits.to_be_bytes());
            e.writer_mut().extend(raw);
        }
        V::Bool(b) => {
            e.bool(*b).unwrap();
        }
        V::Null => {
            e.null().unwrap();
        }
        V::Undefined => {
            e.undefined().unwrap();
        }
        V::Array(items) => {
            e.array(items.len() as u64).unwrap();
            items.iter().for_each(|item| write(e, item));
        }
        V::Map(entries) => {
            e.map(entries.len() as u64).unwrap();
            for (key, value) in entries {
                e.str(key).unwrap();
                write(e, value);
            }
        }
        V::IndefMap(entries) => {
            e.begin_map().unwrap();
            for (key, value) in entries {
                e.str(key).unwrap();
                write(e, value);
            }
            e.end().unwrap();
        }
        V::Tagged(tag, inner) => {
            e.tag(minicbor::data::Tag::new(*tag)).unwrap();
            write(e, inner);
        }
    }
}

fn frame(entries: Vec<(&'static str, V)>) -> Vec<u8> {
    let mut e = Encoder::new(Vec::new());
    write(&mut e, &V::Map(entries));
    e.into_writer()
}

/// A frame of message type `kind` with these other fields.
fn typed(kind: &'static str, fields: Vec<(&'static str, V)>) -> Vec<u8> {
    let mut entries = vec![("type", V::Text(kind))];
    entries.extend(fields);
    frame(entries)
}

/// A well-formed `ephemeral` message with one field replaced (or, with `None`, removed).
fn ephemeral_with(field: &'static str, value: Option<V>) -> Vec<u8> {
    let mut entries = vec![
        ("type", V::Text("ephemeral")),
        ("senderId", V::Text("bob")),
        ("targetId", V::Text("relay")),
        ("documentId", V::Text(DOC)),
        ("sessionId", V::Text("s")),
        ("count", V::U(3)),
        ("data", V::Bytes(vec![1, 2, 3])),
    ];
    entries.retain(|(key, _)| *key != field);
    if let Some(value) = value {
        entries.push((field, value));
    }
    frame(entries)
}

fn count_of(bytes: &[u8]) -> u64 {
    match Message::decode(bytes).unwrap() {
        Message::Ephemeral { count, .. } => count,
        other => panic!("not ephemeral: {other:?}"),
    }
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

/// Checks that each frame is rejected with the error `expected` describes (its `Debug` text
/// starts with it).
fn check_rejected(cases: &[(&str, Vec<u8>, &str)]) {
    for (name, bytes, expected) in cases {
        match Message::decode(bytes) {
            Ok(message) => panic!("{name}: decoded {message:?}"),
            Err(e) => {
                let debug = format!("{e:?}");
                assert!(debug.starts_with(expected), "{name}: expected {expected}, got {debug} ({e})");
            }
        }
    }
}

#[test]
fn malformed_frames_are_typed_errors() {
    let good = ephemeral_with("count", Some(V::U(3)));
    let mut trailing = good.clone();
    trailing.push(0);
    let mut duplicate = typed("leave", vec![("senderId", V::Text("a"))]);
    // Make the map claim three entries and add a second senderId.
    duplicate[0] = 0xa3;
    duplicate.extend(frame(vec![("senderId", V::Text("b"))]).split_off(1));
    let int_key = vec![0xa1, 0x01, 0x01];
    let bad_utf8 = vec![0xa1, 0x64, b't', b'y', b'p', b'e', 0x62, 0xff, 0xfe];
    // Frames that are no message at all, or whose type is missing or unknown.
    check_rejected(&[
        ("empty", vec![], "Empty"),
        ("break byte", vec![0xff], "NotAMap"),
        ("reserved value", vec![0xa1, 0x61, b'x', 0x1c], "Cbor"),
        ("invalid utf-8", bad_utf8, "Cbor"),
        ("array", vec![0x80], "NotAMap"),
        ("text", vec![0x61, b'a'], "NotAMap"),
        ("truncated header", vec![0xb9, 0x00], "Truncated"),
        ("truncated map", good[..good.len() - 4].to_vec(), "Truncated"),
        ("trailing bytes", trailing, "TrailingBytes(1)"),
        ("duplicate field", duplicate, "DuplicateField"),
        ("integer key", int_key, "WrongType"),
        ("no type", frame(vec![("senderId", V::Text("a"))]), "MissingType"),
        ("type is a number", frame(vec![("type", V::U(1))]), "WrongType"),
        ("unknown type", typed("gossip", vec![]), "UnknownType"),
        ("type null", frame(vec![("type", V::Null)]), "MissingType"),
    ]);

    // A well-formed ephemeral message with one field removed (None) or replaced.
    let long_id = bs58::encode([1u8; 17]).with_check().into_string();
    let long_id: &'static str = Box::leak(long_id.into_boxed_str());
    let ephemeral = [
        ("no sender", "senderId", None, "MissingField"),
        ("no target", "targetId", None, "MissingField"),
        ("no document", "documentId", None, "MissingField"),
        ("no session", "sessionId", None, "MissingField"),
        ("no count", "count", None, "MissingField"),
        ("no data", "data", None, "MissingField"),
        ("null data", "data", Some(V::Null), "MissingField"),
        ("sender number", "senderId", Some(V::U(5)), "WrongType"),
        ("data as text", "data", Some(V::Text("AAE=")), "WrongType"),
        ("data as array", "data", Some(V::Array(vec![V::U(1)])), "WrongType"),
        ("data other tag", "data", Some(V::Tagged(2, Box::new(V::Bytes(vec![1])))), "InvalidValue"),
        ("count text", "count", Some(V::Text("3")), "WrongType"),
        ("count negative", "count", Some(V::I(-3)), "InvalidValue"),
        ("count fraction", "count", Some(V::F64(1.5)), "InvalidValue"),
        ("count NaN", "count", Some(V::F64(f64::NAN)), "InvalidValue"),
        ("count infinite", "count", Some(V::F16(0x7c00)), "InvalidValue"),
        ("count negative float", "count", Some(V::F32(-2.0)), "InvalidValue"),
        ("count huge", "count", Some(V::F64(1e300)), "InvalidValue"),
        ("count bool", "count", Some(V::Bool(true)), "WrongType"),
        ("document id checksum", "documentId", Some(V::Text("A5rc6NMHLXqZcF75LPxDdyPTuMv")), "InvalidValue"),
        ("document id length", "documentId", Some(V::Text(long_id)), "InvalidValue"),
        ("document id bytes", "documentId", Some(V::Bytes(vec![1; 15])), "InvalidValue"),
        ("document id number", "documentId", Some(V::U(1)), "WrongType"),
        (
            "document id uuid",
            "documentId",
            Some(V::Text("160ba0ec-2b99-4f5c-a12a-38489b4bf9c9")),
            "InvalidValue",
        ),
    ];
    check_rejected(
        &ephemeral.map(|(name, field, value, expected)| (name, ephemeral_with(field, value), expected)),
    );

    // The other message types, each with a field missing or of the wrong type.
    let join = |versions: V, metadata: V| {
        typed(
            "join",
            vec![
                ("senderId", V::Text("a")),
                ("supportedProtocolVersions", versions),
                ("peerMetadata", metadata),
            ],
        )
    };
    let ok_versions = || V::Array(vec![V::Text("1")]);
    let heads = |entry: V| {
        typed(
            "remote-heads-changed",
            vec![
                ("senderId", V::Text("a")),
                ("targetId", V::Text("b")),
                ("documentId", V::Text(DOC)),
                ("newHeads", V::Map(vec![("storage", entry)])),
            ],
        )
    };
    check_rejected(&[
        ("versions text", join(V::Text("1"), V::Map(vec![])), "WrongType"),
        ("versions of numbers", join(V::Array(vec![V::U(1)]), V::Map(vec![])), "WrongType"),
        ("metadata array", join(ok_versions(), V::Array(vec![])), "WrongType"),
        (
            "ephemeral flag text",
            join(ok_versions(), V::Map(vec![("isEphemeral", V::Text("no"))])),
            "WrongType",
        ),
        ("storage id number", join(ok_versions(), V::Map(vec![("storageId", V::U(1))])), "WrongType"),
        (
            "peer without version",
            typed("peer", vec![("senderId", V::Text("r")), ("targetId", V::Text("a"))]),
            "MissingField",
        ),
        (
            "peer without target",
            typed("peer", vec![("senderId", V::Text("r")), ("selectedProtocolVersion", V::Text("1"))]),
            "MissingField",
        ),
        ("leave without sender", typed("leave", vec![]), "MissingField"),
        ("error without message", typed("error", vec![]), "MissingField"),
        ("error message number", typed("error", vec![("message", V::U(1))]), "WrongType"),
        (
            "request without data",
            typed(
                "request",
                vec![("senderId", V::Text("a")), ("targetId", V::Text("b")), ("documentId", V::Text(DOC))],
            ),
            "MissingField",
        ),
        (
            "sync without document",
            typed(
                "sync",
                vec![("senderId", V::Text("a")), ("targetId", V::Text("b")), ("data", V::Bytes(vec![1]))],
            ),
            "MissingField",
        ),
        (
            "unavailable without target",
            typed("doc-unavailable", vec![("senderId", V::Text("a")), ("documentId", V::Text(DOC))]),
            "MissingField",
        ),
        (
            "heads without newHeads",
            typed(
                "remote-heads-changed",
                vec![("senderId", V::Text("a")), ("targetId", V::Text("b")), ("documentId", V::Text(DOC))],
            ),
            "MissingField",
        ),
        ("heads not a map", heads(V::Array(vec![])), "WrongType"),
        ("heads without timestamp", heads(V::Map(vec![("heads", V::Array(vec![]))])), "MissingField"),
        ("heads without heads", heads(V::Map(vec![("timestamp", V::U(1))])), "MissingField"),
        (
            "heads timestamp text",
            heads(V::Map(vec![("heads", V::Array(vec![])), ("timestamp", V::Text("now"))])),
            "WrongType",
        ),
        (
            "subscription add text",
            typed(
                "remote-subscription-change",
                vec![("senderId", V::Text("a")), ("targetId", V::Text("b")), ("add", V::Text("s"))],
            ),
            "WrongType",
        ),
    ]);
}

#[test]
fn every_prefix_of_every_real_frame_is_an_error() {
    for (conn, direction, kind, bytes) in fixture_frames() {
        for end in 0..bytes.len() {
            assert!(
                Message::decode(&bytes[..end]).is_err(),
                "connection {conn} {direction} {kind}: prefix of {end} bytes decoded"
            );
        }
    }
}

#[test]
fn random_corruption_never_panics() {
    // A small xorshift generator: reproducible without a dependency.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let frames = fixture_frames();
    let mut decoded = 0;
    for _ in 0..20_000 {
        let (.., original) = &frames[(next() % frames.len() as u64) as usize];
        let mut bytes = original.clone();
        for _ in 0..=(next() % 4) {
            let at = (next() % bytes.len() as u64) as usize;
            bytes[at] = next() as u8;
        }
        // Whatever comes back, nothing panics, and a frame that decodes also round-trips.
        if let Ok(message) = Message::decode(&bytes) {
            decoded += 1;
            assert_eq!(Message::decode(&message.encode()).unwrap(), message);
        }
    }
    assert!(decoded > 0, "some corruptions only touch payload bytes");
    for len in 0..64 {
        let junk: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let _ = Message::decode(&junk);
    }
}

#[test]
fn errors_read_as_sentences() {
    let e = Message::decode(&ephemeral_with("count", None)).unwrap_err();
    assert_eq!(e.to_string(), "ephemeral message has no count");
    let e = Message::decode(&ephemeral_with("data", Some(V::Text("x")))).unwrap_err();
    assert_eq!(e.to_string(), "data is a cbor string, expected bytes");
}
