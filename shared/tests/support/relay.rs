//! The in-memory relay the sync tests talk to.

use std::collections::BTreeMap;

use automerge::AutoCommit;
use automerge::sync::{self, SyncDoc};
use quorum_shared::wire::{Message, PROTOCOL_V1, PeerMetadata};

/// A tiny automerge-repo relay, written for these tests from the protocol's rules: it answers
/// `join` with `peer`, keeps one sync state per connection and document, tells a peer that asks
/// for a document nobody has `doc-unavailable` (and sends it the document once somebody has),
/// and forwards ephemeral messages to the other peers on the document.
pub struct Relay {
    peer_id: String,
    pub docs: BTreeMap<String, AutoCommit>,
    conns: BTreeMap<u64, Conn>,
    next_conn: u64,
}

#[derive(Default)]
struct Conn {
    peer: Option<String>,
    /// The documents this connection follows, with their sync states.
    states: BTreeMap<String, sync::State>,
    outbox: Vec<Vec<u8>>,
}

impl Relay {
    pub fn new(peer_id: &str) -> Relay {
        Relay { peer_id: peer_id.to_owned(), docs: BTreeMap::new(), conns: BTreeMap::new(), next_conn: 0 }
    }

    pub fn restore(peer_id: &str, saved: &BTreeMap<String, Vec<u8>>) -> Relay {
        let mut relay = Relay::new(peer_id);
        for (id, bytes) in saved {
            relay.docs.insert(id.clone(), AutoCommit::load(bytes).unwrap());
        }
        relay
    }

    pub fn save(&mut self) -> BTreeMap<String, Vec<u8>> {
        self.docs.iter_mut().map(|(id, doc)| (id.clone(), doc.save())).collect()
    }

    pub fn accept(&mut self) -> u64 {
        self.next_conn += 1;
        self.conns.insert(self.next_conn, Conn::default());
        self.next_conn
    }

    pub fn close(&mut self, conn: u64) {
        self.conns.remove(&conn);
    }

    pub fn take(&mut self, conn: u64) -> Vec<Vec<u8>> {
        self.conns.get_mut(&conn).map(|c| std::mem::take(&mut c.outbox)).unwrap_or_default()
    }

    fn send(&mut self, conn: u64, message: impl FnOnce(String, String) -> Message) {
        let sender = self.peer_id.clone();
        let c = self.conns.get_mut(&conn).unwrap();
        let target = c.peer.clone().unwrap();
        c.outbox.push(message(sender, target).encode());
    }

    pub fn receive(&mut self, conn: u64, frame: &[u8]) {
        match Message::decode(frame).unwrap() {
            Message::Join { sender_id, supported_protocol_versions, .. } => {
                assert_eq!(supported_protocol_versions, Some(vec!["1".to_owned()]));
                self.conns.get_mut(&conn).unwrap().peer = Some(sender_id);
                self.send(conn, |sender_id, target_id| Message::Peer {
                    sender_id,
                    target_id,
                    selected_protocol_version: PROTOCOL_V1.into(),
                    peer_metadata: Some(PeerMetadata {
                        storage_id: Some("relay-storage".into()),
                        is_ephemeral: false,
                    }),
                });
            }
            Message::Sync { document_id, data, .. } => self.receive_sync(conn, document_id, &data, false),
            Message::Request { document_id, data, .. } => self.receive_sync(conn, document_id, &data, true),
            message @ Message::Ephemeral { .. } => {
                let Message::Ephemeral { document_id, .. } = &message else { unreachable!() };
                let followers: Vec<u64> = self
                    .conns
                    .iter()
                    .filter(|(id, c)| **id != conn && c.states.contains_key(document_id))
                    .map(|(id, _)| *id)
                    .collect();
                for other in followers {
                    let mut forwarded = message.clone();
                    if let Message::Ephemeral { target_id, .. } = &mut forwarded {
                        *target_id = self.conns[&other].peer.clone().unwrap();
                    }
                    self.conns.get_mut(&other).unwrap().outbox.push(forwarded.encode());
                }
            }
            Message::DocUnavailable { .. } => {}
            other => panic!("the relay did not expect {other:?}"),
        }
    }

    fn receive_sync(&mut self, conn: u64, document_id: String, data: &[u8], is_request: bool) {
        let message = sync::Message::decode(data).unwrap();
        let has_it = self.docs.get_mut(&document_id).is_some_and(|d| !d.get_heads().is_empty());
        let c = self.conns.get_mut(&conn).unwrap();
        let state = c.states.entry(document_id.clone()).or_default();
        if is_request && !has_it {
            self.send(conn, |sender_id, target_id| Message::DocUnavailable {
                sender_id,
                target_id,
                document_id,
            });
            return;
        }
        let doc = self.docs.entry(document_id.clone()).or_default();
        let before = doc.get_heads();
        doc.sync().receive_sync_message(state, message).unwrap();
        let changed = doc.get_heads() != before;
        let recipients: Vec<u64> = self
            .conns
            .iter()
            .filter(|(id, c)| **id == conn || (changed && c.states.contains_key(&document_id)))
            .map(|(id, _)| *id)
            .collect();
        for recipient in recipients {
            let c = self.conns.get_mut(&recipient).unwrap();
            let state = c.states.get_mut(&document_id).unwrap();
            if let Some(message) = doc.sync().generate_sync_message(state) {
                let frame = Message::Sync {
                    sender_id: self.peer_id.clone(),
                    target_id: c.peer.clone().unwrap(),
                    document_id: document_id.clone(),
                    data: message.encode(),
                };
                c.outbox.push(frame.encode());
            }
        }
    }
}
