//! Clients wired to the in-memory relay by queues of frames that a test delivers one at a time,
//! so that every interleaving a real network allows can be played, with no sockets and no sleeps.

use std::collections::VecDeque;

use automerge::{AutoCommit, ChangeHash};
use quorum_shared::sync::{Client, Event};
use quorum_shared::wire::Message;

use super::relay::Relay;

/// A client, its socket to the relay if it has one, and the events it has seen.
pub struct Peer {
    pub client: Client,
    pub link: Option<Link>,
    pub events: Vec<Event>,
}

/// One connection: frames on their way up to the relay and down to the client, in order.
pub struct Link {
    pub conn: u64,
    pub up: VecDeque<Vec<u8>>,
    pub down: VecDeque<Vec<u8>>,
}

/// The relay and its clients, with every frame in flight.
pub struct Net {
    pub relay: Relay,
    pub peers: Vec<Peer>,
    /// Bytes of Automerge sync data carried so far, both ways.
    pub sync_bytes: usize,
    /// Bytes of Automerge changes each peer has sent up to the relay so far, by peer.
    pub uploaded_change_bytes: Vec<usize>,
}

impl Net {
    pub fn new(names: &[&str]) -> Net {
        Net {
            relay: Relay::new("relay"),
            peers: names
                .iter()
                .map(|name| Peer {
                    client: Client::new(*name, Some(format!("{name}-storage")), super::run_id()),
                    link: None,
                    events: Vec::new(),
                })
                .collect(),
            sync_bytes: 0,
            uploaded_change_bytes: vec![0; names.len()],
        }
    }

    pub fn client(&mut self, peer: usize) -> &mut Client {
        &mut self.peers[peer].client
    }

    pub fn connect(&mut self, peer: usize) {
        self.disconnect(peer);
        let conn = self.relay.accept();
        let up = self.peers[peer].client.connect().into();
        self.peers[peer].link = Some(Link { conn, up, down: VecDeque::new() });
    }

    /// Drops the connection with whatever it still carries.
    pub fn disconnect(&mut self, peer: usize) {
        if let Some(link) = self.peers[peer].link.take() {
            self.relay.close(link.conn);
        }
        self.peers[peer].client.disconnected();
    }

    pub fn connect_all(&mut self) {
        for peer in 0..self.peers.len() {
            if self.peers[peer].link.is_none() {
                self.connect(peer);
            }
        }
    }

    /// Moves what the client has queued onto its socket.
    pub fn pump(&mut self, peer: usize) {
        let Peer { client, link, .. } = &mut self.peers[peer];
        let frames = client.drain_outgoing();
        if let Some(link) = link {
            link.up.extend(frames);
        }
    }

    pub fn change(&mut self, peer: usize, doc: &str, edit: impl FnOnce(&mut AutoCommit)) {
        self.client(peer).change(doc, edit).unwrap();
        self.pump(peer);
    }

    /// Delivers everything one peer has on its way up (and nothing else).
    pub fn deliver_all_up(&mut self, peer: usize) {
        while self.deliver_up(peer) {}
    }

    fn count_sync_bytes(&mut self, frame: &[u8]) {
        if let Ok(Message::Sync { data, .. } | Message::Request { data, .. }) = Message::decode(frame) {
            self.sync_bytes += data.len();
        }
    }

    /// Delivers the oldest frame on the way up; false if there is none.
    pub fn deliver_up(&mut self, peer: usize) -> bool {
        let Some(link) = &mut self.peers[peer].link else {
            return false;
        };
        let Some(frame) = link.up.pop_front() else {
            return false;
        };
        let conn = link.conn;
        self.count_sync_bytes(&frame);
        self.uploaded_change_bytes[peer] += change_bytes(&frame);
        self.relay.receive(conn, &frame);
        self.collect();
        true
    }

    /// Delivers everything on its way up from every peer at once, before the relay flushes.
    pub fn deliver_all_up_at_once(&mut self) -> bool {
        let mut frames = Vec::new();
        for peer in 0..self.peers.len() {
            let Some(link) = &mut self.peers[peer].link else { continue };
            let conn = link.conn;
            frames.extend(link.up.drain(..).map(|frame| (conn, frame)));
        }
        if frames.is_empty() {
            return false;
        }
        self.relay.receive_all(frames);
        self.collect();
        true
    }

    /// Does something to the relay (a commit, a failed write, time passing) and routes what it
    /// hands out; says what `step` said.
    pub fn relay_step(&mut self, step: impl FnOnce(&mut Relay) -> bool) -> bool {
        let done = step(&mut self.relay);
        self.collect();
        done
    }

    /// Moves the relay's frames onto the links; a connection the relay refused is dropped.
    fn collect(&mut self) {
        for peer in 0..self.peers.len() {
            let Some(link) = &mut self.peers[peer].link else { continue };
            link.down.extend(self.relay.take(link.conn));
            if self.relay.refused.contains_key(&link.conn) {
                self.disconnect(peer);
            }
        }
    }

    /// Delivers the oldest frame on the way down; false if there is none.
    pub fn deliver_down(&mut self, peer: usize) -> bool {
        let Some(frame) = self.peers[peer].link.as_mut().and_then(|l| l.down.pop_front()) else {
            return false;
        };
        self.count_sync_bytes(&frame);
        let events = self.peers[peer].client.receive(&frame).unwrap();
        self.peers[peer].events.extend(events);
        self.pump(peer);
        true
    }

    pub fn run_until_quiescent(&mut self) {
        self.run(true);
    }

    /// Delivers frames until there are none, leaving storage's queue as it is.
    pub fn run_until_quiescent_without_storage(&mut self) {
        self.run(false);
    }

    fn run(&mut self, with_storage: bool) {
        for _ in 0..100_000 {
            let mut progress = false;
            for peer in 0..self.peers.len() {
                progress |= self.deliver_up(peer);
                progress |= self.deliver_down(peer);
            }
            if with_storage {
                progress |= self.relay_step(|relay| relay.answer_load() | relay.commit_one());
            }
            if !progress {
                return;
            }
        }
        panic!("the network did not become quiescent");
    }

    pub fn heads(&mut self, peer: usize, doc: &str) -> Vec<ChangeHash> {
        self.client(peer).doc_mut(doc).unwrap().get_heads()
    }

    /// Every peer and the relay hold the same document, and each peer knows it is in sync.
    pub fn assert_converged(&mut self, doc: &str) {
        let relay_heads = self.relay.doc(doc).get_heads();
        for peer in 0..self.peers.len() {
            assert_eq!(self.heads(peer, doc), relay_heads, "peer {peer} on {doc}");
            assert!(self.client(peer).is_synced(doc), "peer {peer} knows {doc} is synced");
        }
    }

    pub fn take_events(&mut self, peer: usize) -> Vec<Event> {
        std::mem::take(&mut self.peers[peer].events)
    }
}

/// The bytes of Automerge changes a frame carries (none for anything but a sync message).
fn change_bytes(frame: &[u8]) -> usize {
    let Ok(Message::Sync { data, .. } | Message::Request { data, .. }) = Message::decode(frame) else {
        return 0;
    };
    // A test may send a malformed one on purpose.
    let Ok(message) = automerge::sync::Message::decode(&data) else { return 0 };
    message.changes.iter().map(<[u8]>::len).sum()
}
