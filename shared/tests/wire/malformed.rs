//! Malformed input: every kind of wrong frame is a typed error, never a panic.

use quorum_shared::wire::Message;

use super::frames::{V, ephemeral_with, frame, typed};
use crate::{DOC, fixture_frames};

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
