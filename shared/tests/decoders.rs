//! Every decoder that reads bytes from outside, fed arbitrary and mutated input: none panics,
//! each bad input is a typed error (or is refused by the relay core as a closed connection), and
//! what was valid before a decode is still there after it.
//!
//! The suite runs a short pass; `QUORUM_PROPTEST_CASES=100000 cargo test -p quorum-shared
//! --test decoders --release` is the long run.

use automerge::{AutoCommit, ROOT, sync::SyncDoc, transaction::Transactable};
use proptest::prelude::*;
use quorum_shared::{
    api, model,
    readiness::{self, Evidence, Readiness},
    relay::{Author, Config, InflationError, Output, Relay, inflated_size, load_chunks},
    sync::Client,
    wire::Message,
};

fn cases() -> u32 {
    std::env::var("QUORUM_PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2_000)
}

/// The document the frames are about.
fn doc_id() -> String {
    quorum_shared::model::DocumentId::from_bytes([3; 16]).to_string()
}

/// Frames of every kind a peer sends, well formed, to mutate.
fn valid_frames() -> Vec<Vec<u8>> {
    let mut doc = AutoCommit::new();
    doc.put(ROOT, "title", "AI policy").unwrap();
    let mut state = automerge::sync::State::new();
    let data = doc.sync().generate_sync_message(&mut state).unwrap().encode();
    vec![
        Message::Join {
            sender_id: "a".into(),
            supported_protocol_versions: Some(vec!["1".into()]),
            peer_metadata: None,
        }
        .encode(),
        Message::Request {
            sender_id: "a".into(),
            target_id: "r".into(),
            document_id: doc_id(),
            data: data.clone(),
        }
        .encode(),
        Message::Sync { sender_id: "a".into(), target_id: "r".into(), document_id: doc_id(), data }.encode(),
        // Changes that Automerge inflates: a compressed change, deflated columns.
        Message::Sync {
            sender_id: "a".into(),
            target_id: "r".into(),
            document_id: doc_id(),
            data: automerge::sync::Message {
                heads: Vec::new(),
                need: Vec::new(),
                have: Vec::new(),
                changes: deflated_chunks().into_iter().take(3).collect::<Vec<_>>().into(),
                flags: None,
                version: automerge::sync::MessageVersion::V1,
            }
            .encode(),
        }
        .encode(),
        Message::Ephemeral {
            sender_id: "a".into(),
            target_id: "r".into(),
            document_id: doc_id(),
            session_id: "s".into(),
            count: 1,
            data: b"{}".to_vec(),
        }
        .encode(),
    ]
}

/// A valid frame with some bytes changed, some cut off or some added.
fn mutated_frame() -> impl Strategy<Value = Vec<u8>> {
    let frames = valid_frames();
    (
        0..frames.len(),
        proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
        any::<u16>(),
        any::<bool>(),
    )
        .prop_map(move |(which, flips, cut, grow)| {
            let mut frame = frames[which].clone();
            for (at, byte) in flips {
                let len = frame.len();
                frame[at % len] = byte;
            }
            if grow {
                frame.extend_from_slice(&cut.to_le_bytes());
            } else {
                frame.truncate(frame.len().saturating_sub(usize::from(cut) % 16));
            }
            frame
        })
}

/// Chunks of every kind that hold deflated data, well formed, to mutate: a compressed change, a
/// document with deflated columns, a bundle with deflated columns, and the three in a row.
fn deflated_chunks() -> Vec<Vec<u8>> {
    let mut doc = AutoCommit::new();
    for i in 0..300 {
        doc.put(ROOT, format!("control-{i}"), format!("A.{}.{}", i / 10, i % 10)).unwrap();
    }
    doc.put(ROOT, "statement", "The organization commits to responsible AI. ".repeat(40)).unwrap();
    doc.commit();
    let compressed = doc.get_last_local_change().unwrap().bytes().into_owned();
    let saved = doc.save();
    let hashes = doc.get_changes(&[]).iter().map(|change| change.hash()).collect::<Vec<_>>();
    let bundle = doc.bundle(hashes).unwrap().bytes().to_vec();
    let all = [&compressed[..], &saved, &bundle].concat();
    vec![compressed, saved, bundle, all]
}

/// A chunk from [`deflated_chunks`] with some bytes changed, some cut off or some added.
fn mutated_chunks() -> impl Strategy<Value = Vec<u8>> {
    let chunks = deflated_chunks();
    (
        0..chunks.len(),
        proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
        any::<u16>(),
        any::<bool>(),
    )
        .prop_map(move |(which, flips, cut, grow)| {
            let mut chunk = chunks[which].clone();
            for (at, byte) in flips {
                let len = chunk.len();
                chunk[at % len] = byte;
            }
            if grow {
                chunk.extend_from_slice(&cut.to_le_bytes());
            } else {
                chunk.truncate(chunk.len().saturating_sub(usize::from(cut) % 64));
            }
            chunk
        })
}

/// What counting the inflated size of `bytes` must hold to, whatever they are: a count or a
/// typed error, never a panic, and a count that a limit just below it refuses.
fn check_inflation(bytes: &[u8]) -> Result<(), TestCaseError> {
    match inflated_size(bytes, u64::MAX) {
        Ok(inflated) => {
            prop_assert_eq!(inflated_size(bytes, inflated), Ok(inflated));
            if inflated > 0 {
                let limit = inflated - 1;
                prop_assert_eq!(inflated_size(bytes, limit), Err(InflationError::OverLimit { limit }));
            }
        }
        Err(error) => prop_assert!(matches!(error, InflationError::Malformed(_)), "{error}"),
    }
    Ok(())
}

fn arbitrary_bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..256)
}

/// A relay core with one writer joined, and the outputs of that drained.
fn joined_relay() -> Relay {
    let mut relay = Relay::new("relay", "storage", Config::default());
    let join = Message::Join {
        sender_id: "a".into(),
        supported_protocol_versions: Some(vec!["1".into()]),
        peer_metadata: None,
    };
    relay.connect(0, 1, &join, Some(Author { scope: "acme".into(), member: "ada".into(), binds_from_s: 0 }));
    relay.drain();
    relay
}

/// A workspace root with a member and a document as the app keeps it in IndexedDB: saved.
fn saved_workspace() -> Vec<u8> {
    let mut doc = model::new_document();
    let device = doc.get_actor().clone();
    model::create_workspace(&mut doc, 0, [1; 16], "Acme", "Ada", &device).unwrap();
    model::add_member(&mut doc, 1_000, [2; 16], "Bea", model::Role::Editor).unwrap();
    let soa = model::DocumentId::from_bytes([3; 16]);
    model::register_document(&mut doc, 2_000, soa, model::DocumentKind::StatementOfApplicability, "SoA")
        .unwrap();
    doc.save()
}

/// A saved document with a few bytes changed, as a damaged disk or a hostile tab might leave it.
fn mutated_document() -> impl Strategy<Value = Vec<u8>> {
    let saved = saved_workspace();
    let len = saved.len();
    proptest::collection::vec((0..len, any::<u8>()), 1..8).prop_map(move |flips| {
        let mut bytes = saved.clone();
        for (at, byte) in flips {
            bytes[at] = byte;
        }
        bytes
    })
}

/// A readiness snapshot as the dashboard keeps it for its next open.
fn snapshot() -> String {
    let mut doc = model::new_document();
    model::create_soa(&mut doc, 0).unwrap();
    let soa = model::StatementOfApplicability::load(&doc).unwrap();
    readiness::assess(&Evidence { soa: Some(soa), ..Evidence::default() }).to_snapshot()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn the_wire_decoder_gives_a_message_or_a_typed_error(bytes in arbitrary_bytes()) {
        if let Ok(message) = Message::decode(&bytes) {
            // Whatever it read, it can write again and read back the same.
            prop_assert_eq!(Message::decode(&message.encode()).ok(), Some(message));
        }
    }

    #[test]
    fn the_wire_decoder_takes_mutated_frames_without_panicking(frame in mutated_frame()) {
        if let Ok(message) = Message::decode(&frame) {
            prop_assert_eq!(Message::decode(&message.encode()).ok(), Some(message));
        }
    }

    #[test]
    fn the_client_refuses_what_it_cannot_read_and_keeps_its_documents(frame in mutated_frame()) {
        let mut client = Client::new("a", None, [7; 8]);
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "kept", "yes").unwrap();
        client.open_with(&doc_id(), doc).unwrap();
        client.connect();
        let _ = client.receive(&frame);
        let kept = client.doc(&doc_id()).and_then(|d| {
            use automerge::ReadDoc;
            d.get(ROOT, "kept").ok().flatten().map(|(value, _)| value.to_string())
        });
        prop_assert_eq!(kept.as_deref(), Some("\"yes\""));
    }

    #[test]
    fn the_relay_core_closes_a_connection_that_sends_garbage_and_nothing_else(frame in mutated_frame()) {
        let mut relay = joined_relay();
        relay.receive(1, 1, &frame);
        relay.flush(1);
        for output in relay.drain() {
            // A garbage frame may close its own connection; it never reaches another's.
            match output {
                Output::Close { connection, .. } | Output::Send { connection, .. } => prop_assert_eq!(connection, 1),
                _ => {}
            }
        }
    }

    #[test]
    fn stored_chunks_that_are_damaged_are_named_not_taken_in(bytes in arbitrary_bytes(), flip in any::<(usize, u8)>()) {
        let mut doc = AutoCommit::new();
        doc.put(ROOT, "title", "kept").unwrap();
        let good = doc.save();
        let mut damaged = good.clone();
        let at = flip.0 % damaged.len();
        damaged[at] ^= flip.1 | 1;
        let (loaded, unreadable) = load_chunks(&[&good, &damaged, &bytes]);
        use automerge::ReadDoc;
        prop_assert!(loaded.get(ROOT, "title").ok().flatten().is_some(), "the good chunk is read");
        prop_assert!(unreadable.iter().all(|&i| i < 3));
    }

    #[test]
    fn inflation_is_counted_or_refused_for_arbitrary_bytes(bytes in arbitrary_bytes()) {
        check_inflation(&bytes)?;
    }

    #[test]
    fn inflation_is_counted_or_refused_for_mutated_chunks(chunk in mutated_chunks()) {
        check_inflation(&chunk)?;
    }

    #[test]
    fn api_bodies_are_read_or_refused(text in ".{0,200}") {
        let _ = serde_json::from_str::<api::Membership>(&text);
        let _ = serde_json::from_str::<api::CreateWorkspace>(&text);
        let _ = serde_json::from_str::<api::AcceptInvite>(&text);
        let _ = serde_json::from_str::<api::Invite>(&text);
        let _ = serde_json::from_str::<api::PendingInvites>(&text);
        let _ = serde_json::from_str::<api::Members>(&text);
        let _ = serde_json::from_str::<api::RegisterKey>(&text);
    }

    #[test]
    fn a_stored_document_loads_or_is_refused_and_what_loads_reads_record_by_record(bytes in mutated_document()) {
        // What loads must read without a panic: the whole root, its damaged records, and each
        // page's view of it.
        if let Ok(doc) = model::load_document(&bytes) {
            let _ = model::Workspace::load(&doc);
            let _ = model::damaged(&doc);
        }
    }

    #[test]
    fn arbitrary_bytes_are_no_stored_document(bytes in arbitrary_bytes()) {
        if let Ok(doc) = model::load_document(&bytes) {
            let _ = model::damaged(&doc);
        }
    }

    #[test]
    fn a_readiness_snapshot_reads_back_or_is_refused(cut in 0usize..4096, flip in any::<(usize, char)>(), text in ".{0,300}") {
        let good = snapshot();
        let mut damaged: String = good.chars().take(cut).collect();
        let at = flip.0 % (damaged.chars().count() + 1);
        damaged = damaged.chars().take(at).chain([flip.1]).chain(damaged.chars().skip(at + 1)).collect();
        let _ = Readiness::from_snapshot(&damaged);
        let _ = Readiness::from_snapshot(&text);
        prop_assert!(Readiness::from_snapshot(&good).is_ok());
    }

    #[test]
    fn one_poisoned_member_never_hides_the_others(
        victim in 0usize..2,
        field in prop_oneof![Just("name".to_owned()), Just("role".to_owned()), Just("devices".to_owned()), "[a-z]{1,8}"],
        value in prop_oneof![
            any::<i64>().prop_map(automerge::ScalarValue::Int),
            any::<bool>().prop_map(automerge::ScalarValue::Boolean),
            ".{0,12}".prop_map(|s| automerge::ScalarValue::Str(s.into())),
            Just(automerge::ScalarValue::Null),
        ],
    ) {
        use automerge::ReadDoc;
        let mut doc = model::load_document(&saved_workspace()).unwrap();
        let members = doc.get(ROOT, "members").unwrap().unwrap().1;
        let keys: Vec<String> = doc.keys(&members).collect();
        let poisoned = doc.get(&members, keys[victim].as_str()).unwrap().unwrap().1;
        doc.put(&poisoned, field.as_str(), value).unwrap();
        doc.commit();

        let workspace = model::Workspace::load(&doc).expect("the root still reads");
        let other: model::MemberId = keys[1 - victim].parse().unwrap();
        prop_assert!(workspace.members.contains_key(&other), "the sound member is kept");
        let damaged = model::damaged(&doc);
        for key in &keys {
            let read = workspace.members.contains_key(&key.parse::<model::MemberId>().unwrap());
            let named = damaged.iter().any(|d| d.path.first().map(String::as_str) == Some("members") && d.path.get(1) == Some(key));
            prop_assert!(read || named, "a member left out is named as damaged: {damaged:?}");
        }
    }
}
