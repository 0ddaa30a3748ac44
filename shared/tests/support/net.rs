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
        for p in &mut self.peers {
            if let Some(link) = &mut p.link {
                link.down.extend(self.relay.take(link.conn));
            }
        }
        true
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
        for _ in 0..100_000 {
            let mut progress = false;
            for peer in 0..self.peers.len() {
                progress |= self.deliver_up(peer);
                progress |= self.deliver_down(peer);
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
        let relay_heads = self.relay.docs.get_mut(doc).unwrap().get_heads();
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
    let message = automerge::sync::Message::decode(&data).unwrap();
    message.changes.iter().map(<[u8]>::len).sum()
}
