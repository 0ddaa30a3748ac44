//! Scaffolding for the sync tests: an in-memory relay, a network of clients around it, and small
//! helpers for documents, frames and reproducible schedules.

pub mod net;
pub mod relay;

use automerge::sync::{self, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT, ReadDoc};
use quorum_shared::sync::Client;
use quorum_shared::wire::{Message, PROTOCOL_V1};

/// Random bytes that name a run of a client, distinct at each call, as the app passes fresh
/// ones from the browser: a counter, so that a run is repeatable.
pub fn run_id() -> [u8; 8] {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed).to_be_bytes()
}

/// A valid document id, distinct for each `n`.
pub fn doc_id(n: u8) -> String {
    bs58::encode([n; 16]).with_check().into_string()
}

/// A string field, whether a plain string or (as the JS library writes strings) a text object.
pub fn text(doc: &AutoCommit, key: &str) -> Option<String> {
    match doc.get(ROOT, key).unwrap()? {
        (automerge::Value::Object(automerge::ObjType::Text), id) => doc.text(&id).ok(),
        (value, _) => value.as_str().map(str::to_owned),
    }
}

/// What a peer with nothing says first.
pub fn empty_sync_message() -> Vec<u8> {
    let mut state = sync::State::new();
    AutoCommit::new().sync().generate_sync_message(&mut state).unwrap().encode()
}

/// An edit that sets `key` to `value` at the root.
pub fn put(key: &'static str, value: &'static str) -> impl FnOnce(&mut AutoCommit) {
    move |doc| doc.put(ROOT, key, value).unwrap()
}

/// A client that has finished the handshake with a relay called "relay".
pub fn connected(name: &str) -> Client {
    let mut client = Client::new(name, Some(format!("{name}-storage")), run_id());
    client.connect();
    let peer = Message::Peer {
        sender_id: "relay".into(),
        target_id: name.into(),
        selected_protocol_version: PROTOCOL_V1.into(),
        peer_metadata: None,
    };
    client.receive(&peer.encode()).unwrap();
    client
}

/// Frames the JS relay sent on one connection of the captured session.
pub fn js_frames_to(conn: &str) -> Vec<Vec<u8>> {
    include_str!("../fixtures/wire/js-automerge-repo-2.5.6.frames")
        .lines()
        .filter(|line| line.starts_with(&format!("{conn} server->client ")))
        .map(|line| {
            let hex = line.rsplit(' ').next().unwrap();
            (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
        })
        .collect()
}

/// splitmix64: a reproducible schedule from a seed, with no dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % n as u64) as usize
    }
}
