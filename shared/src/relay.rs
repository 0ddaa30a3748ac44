//! The relay side of automerge-repo's sync protocol as a sans-IO state machine: frames, storage
//! results and the time in; frames to send, chunks to load and write, and connections to close
//! out ([`Output`]). It owns no socket, reads no clock and makes nothing random, so the server
//! drives it from tokio and tests drive it from memory, with the client ([`crate::sync`]) on the
//! other side of the same [`crate::wire`] codec.
//!
//! Three rules make it what a thin sync server should be:
//!
//! - **Fan-out by dirty peers.** Taking in a message only marks peers: its sender is due a reply,
//!   and if the document's heads moved every other peer of the document is due the news. Nothing
//!   is generated until [`Relay::flush`], which the driver calls once it has fed in everything
//!   queued; then each marked peer costs one generation, and a peer with nothing to receive costs
//!   nothing. A document is attached only to the connections that asked for it.
//! - **Acknowledged means durable.** Every change taken in becomes a [`Write`] at once. A sync
//!   message generated while writes of its document are outstanding is held until they have
//!   committed, because it advertises the document's heads, and a peer told the relay has a
//!   change may drop its own copy's urgency. A write that fails is counted, retried with backoff
//!   at [`Relay::tick`], and holds its frames back until it commits; one that never succeeds
//!   holds back only its own document.
//! - **Bounded memory.** A document nobody has open is dropped after a grace period and read
//!   again from storage on demand; its incrementals are folded into one snapshot as they pile up.
//!
//! Access is the driver's: it checks that a connection may see a document before handing the
//! message in, and says at [`Relay::connect`] whom the connection writes as ([`Author`]), or
//! that it may not write. A viewer's changes are neither applied, stored nor forwarded; a
//! writer's new changes must be by actors that are its member's (`relay/attribution.rs`).
//!
//! ```
//! use quorum_shared::relay::{Author, Config, Output, Relay};
//! use quorum_shared::sync::Client;
//! use quorum_shared::wire::Message;
//!
//! let mut relay = Relay::new("relay", "relay-storage", Config::default());
//! let mut client = Client::new("alice", None, [1; 8]);
//! let join = Message::decode(&client.connect()[0]).unwrap();
//! relay.connect(0, 1, &join, Some(Author { scope: "acme".into(), member: "ada".into(), binds_from_s: 0 }));
//! relay.flush(0);
//! let Output::Send { frame, .. } = &relay.drain()[0] else { panic!() };
//! client.receive(frame).unwrap(); // the relay's `peer`: the handshake is done
//! assert!(client.is_connected());
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap};

use automerge::sync::{self, SyncDoc};

use crate::wire::{self, Message, PeerMetadata};

mod attribution;
mod bucket;
mod chunks;
mod document;
mod inflation;
mod output;
mod presence;
mod storage;

use attribution::Bindings;
pub use attribution::{Author, Binding, Bound, DEVICE_BYTES, DeviceRefused, MAX_ACTOR_BYTES, MAX_NEW_ACTORS};
use bucket::Bucket;
use document::{Held, Slot, Waiting};
pub use document::{chunk_key, load_chunks};
pub use inflation::{InflationError, MalformedChunk, inflated_size, message_inflated_size};
use output::PendingWrite;
pub use output::{ConnectionId, Output, Presence, Refusal, Stats, Write, WriteId};

/// The relay's tunables. Times are in milliseconds of the driver's clock.
#[derive(Debug, Clone)]
pub struct Config {
    /// How long a document nobody has open stays in memory.
    pub unload_after_ms: u64,
    /// Incrementals a document may have in storage before they are folded into a snapshot.
    pub compact_after: usize,
    /// Ephemeral messages (presence) a connection may send per second, in bursts of twice that;
    /// beyond it they are dropped.
    pub ephemeral_per_second: u32,
    /// The largest ephemeral message forwarded.
    pub max_ephemeral_bytes: usize,
    /// The first retry of a failed write or load waits this long, doubling up to `max_retry_ms`.
    pub first_retry_ms: u64,
    pub max_retry_ms: u64,
    /// The most a writer's sync message may inflate to (its compressed changes and deflated
    /// columns together); one that would inflate further closes its connection before Automerge
    /// inflates any of it.
    pub max_inflated_bytes: u64,
    /// Whether presence is also handed out to pass on to other relays ([`Output::Presence`]):
    /// for relays sharing one store.
    pub share_presence: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            unload_after_ms: 30_000,
            compact_after: 64,
            ephemeral_per_second: 20,
            max_ephemeral_bytes: 16 * 1024,
            first_retry_ms: 10,
            max_retry_ms: 5_000,
            max_inflated_bytes: MAX_INFLATED_BYTES,
            share_presence: false,
        }
    }
}

/// The default for [`Config::max_inflated_bytes`]. Automerge's columns are already run-length
/// and delta encoded, so deflate gains only about 3.5 times on a real document: measured on
/// documents of 20,000 changes (register rows and typed prose: 250 to 350 KB saved, 0.9 to
/// 1.1 MB inflated) and of 100,000 (1.8 MB saved, 5.6 MB inflated). A document filling a whole
/// 16 MiB frame would so inflate to about 56 MiB, and 256 MiB leaves four times that; a bomb in
/// the same frame would reach 16 GiB. Repeated text deflates much further (a paragraph pasted
/// 20,000 times, 134 times) but stays small (2 MB). Counting a bomb up to the limit takes
/// about 15 ms in a release build.
pub const MAX_INFLATED_BYTES: u64 = 256 * 1024 * 1024;

/// One connection after its handshake.
struct Connection {
    peer_id: String,
    /// Whom its changes are taken from; a viewer's are not taken.
    author: Option<Author>,
    /// The documents it has asked for or sent.
    documents: BTreeSet<String>,
    ephemeral: Bucket,
}

/// The relay core. See the module documentation for how to drive it.
pub struct Relay {
    peer_id: String,
    storage_id: String,
    config: Config,
    connections: HashMap<ConnectionId, Connection>,
    documents: BTreeMap<String, Slot>,
    /// Documents with a peer marked dirty since the last flush.
    dirty: BTreeSet<String>,
    writes: BTreeMap<WriteId, PendingWrite>,
    next_write: WriteId,
    /// Whose each actor id is (see `attribution.rs`).
    bindings: Bindings,
    outputs: Vec<Output>,
    stats: Stats,
    /// The latest time an input brought.
    now: u64,
}

impl Relay {
    /// A relay answering as `peer_id`, whose storage is known to peers as `storage_id`.
    pub fn new(peer_id: impl Into<String>, storage_id: impl Into<String>, config: Config) -> Relay {
        Relay {
            peer_id: peer_id.into(),
            storage_id: storage_id.into(),
            config,
            connections: HashMap::new(),
            documents: BTreeMap::new(),
            dirty: BTreeSet::new(),
            writes: BTreeMap::new(),
            next_write: 0,
            bindings: Bindings::default(),
            outputs: Vec::new(),
            stats: Stats::default(),
            now: 0,
        }
    }

    pub fn peer_id(&self) -> &str {
        &self.peer_id
    }

    /// The counters, as of now.
    pub fn stats(&self) -> Stats {
        Stats {
            connections: self.connections.len(),
            documents: self.documents.len(),
            pending_writes: self.writes.len(),
            bindings: self.bindings.len(),
            ..self.stats.clone()
        }
    }

    /// Writes handed out and not yet committed (failed ones included): what the driver bounds.
    /// The documents in memory and ready.
    pub fn open_documents(&self) -> Vec<String> {
        let ready = self.documents.iter().filter(|(_, slot)| matches!(slot, Slot::Ready(_)));
        ready.map(|(id, _)| id.clone()).collect()
    }

    pub fn pending_writes(&self) -> usize {
        self.writes.len()
    }

    /// Everything to do, oldest first.
    pub fn drain(&mut self) -> Vec<Output> {
        std::mem::take(&mut self.outputs)
    }

    /// Records a binding the driver has stored: one that came with a [`Write`], as the relay
    /// starts, or a device's, once its registration is stored.
    pub fn bind(&mut self, binding: Binding) {
        self.bindings.insert(binding);
    }

    /// Whether `member` may register `device` in `scope` ahead of any change by it: the binding
    /// to store (and then hand to [`Relay::bind`]), or why not. Until it is stored, the device
    /// covers nothing, so no change is taken on the strength of a binding that might be lost.
    pub fn device_binding(&self, scope: &str, device: &[u8], member: &str) -> Result<Binding, DeviceRefused> {
        self.bindings.device(scope, device, member)
    }

    /// Takes a new connection whose first frame was `join` (the driver has read it, to bind the
    /// peer id to the connection's grant) and answers with `peer`. Its changes are taken as
    /// `author`'s; with none (a viewer), not at all.
    pub fn connect(&mut self, now: u64, connection: ConnectionId, join: &Message, author: Option<Author>) {
        self.now = self.now.max(now);
        let Message::Join { sender_id, supported_protocol_versions, .. } = join else {
            return self.refuse(connection, Refusal::Unexpected(join.type_name()));
        };
        let speaks_v1 = supported_protocol_versions
            .as_ref()
            .is_none_or(|versions| versions.iter().any(|v| v == wire::PROTOCOL_V1));
        if !speaks_v1 {
            return self.refuse(connection, Refusal::Version);
        }
        let peer = Message::Peer {
            sender_id: self.peer_id.clone(),
            target_id: sender_id.clone(),
            selected_protocol_version: wire::PROTOCOL_V1.to_owned(),
            peer_metadata: Some(PeerMetadata {
                storage_id: Some(self.storage_id.clone()),
                is_ephemeral: false,
            }),
        };
        self.connections.insert(
            connection,
            Connection {
                peer_id: sender_id.clone(),
                author,
                documents: BTreeSet::new(),
                ephemeral: Bucket::new(self.config.ephemeral_per_second, now),
            },
        );
        self.send(connection, peer.encode());
    }

    /// Takes in one frame from a connection. A frame the core refuses closes the connection
    /// (an [`Output::Close`]); the others' state is untouched.
    pub fn receive(&mut self, now: u64, connection: ConnectionId, frame: &[u8]) {
        match Message::decode(frame) {
            Ok(message) => self.receive_message(now, connection, message),
            Err(error) => self.refuse(connection, error.into()),
        }
    }

    /// Takes in one decoded message from a connection.
    pub fn receive_message(&mut self, now: u64, connection: ConnectionId, message: Message) {
        self.now = self.now.max(now);
        let Some(peer_id) = self.connections.get(&connection).map(|c| c.peer_id.clone()) else {
            return;
        };
        // automerge-repo peers pass on the presence they hear to their other peers, under the
        // first sender's id: a stock peer does this, not a forger. The relay has sent the original
        // to every peer of the document already, so a passed-on copy is dropped, not forwarded
        // (nothing goes out under an id its connection does not hold) and not fatal.
        if let Message::Ephemeral { sender_id, .. } = &message
            && *sender_id != peer_id
        {
            self.stats.ephemeral_dropped += 1;
            return;
        }
        let claimed = match &message {
            Message::Request { sender_id, .. }
            | Message::Sync { sender_id, .. }
            | Message::Leave { sender_id } => Some(sender_id),
            _ => None,
        };
        if let Some(claimed) = claimed.filter(|claimed| **claimed != peer_id) {
            let refusal = Refusal::Sender { claimed: claimed.clone(), peer: peer_id };
            return self.refuse(connection, refusal);
        }
        match message {
            Message::Sync { document_id, data, .. } => self.sync(connection, document_id, &data, false),
            Message::Request { document_id, data, .. } => self.sync(connection, document_id, &data, true),
            Message::Ephemeral { sender_id, document_id, session_id, count, data, .. } => {
                self.ephemeral(now, connection, sender_id, document_id, session_id, count, data);
            }
            Message::Leave { .. } => self.refuse(connection, Refusal::Left),
            Message::Error { .. } => self.refuse(connection, Refusal::Left),
            // Remote heads gossip is optional in automerge-repo and this relay does not offer
            // it: like a JS repo without it, it takes no notice of subscriptions or reports.
            Message::DocUnavailable { .. }
            | Message::RemoteSubscriptionChange { .. }
            | Message::RemoteHeadsChanged { .. } => {}
            Message::Join { .. } | Message::Peer { .. } => {
                self.refuse(connection, Refusal::Unexpected(message.type_name()));
            }
        }
    }

    /// The connection is gone: its sync states go, and a document it leaves with no peers
    /// starts its grace period.
    pub fn disconnect(&mut self, now: u64, connection: ConnectionId) {
        self.now = self.now.max(now);
        let Some(gone) = self.connections.remove(&connection) else { return };
        for document_id in gone.documents {
            match self.documents.get_mut(&document_id) {
                Some(Slot::Ready(open)) => {
                    if open.peers.remove(&connection).is_some() {
                        self.stats.peer_states -= 1;
                    }
                    if open.peers.is_empty() {
                        open.idle_since = Some(now);
                    }
                }
                Some(Slot::Loading { waiting, .. }) => waiting.retain(|w| w.connection != connection),
                None => {}
            }
        }
    }

    /// Generates one sync message for each peer marked since the last flush, if it has anything
    /// to receive. Call it once everything queued has been taken in.
    pub fn flush(&mut self, now: u64) {
        self.now = self.now.max(now);
        for document_id in std::mem::take(&mut self.dirty) {
            let Some(Slot::Ready(open)) = self.documents.get(&document_id) else { continue };
            let marked: Vec<ConnectionId> =
                open.peers.iter().filter(|(_, peer)| peer.dirty).map(|(&connection, _)| connection).collect();
            for connection in marked {
                self.reply(&document_id, connection);
            }
        }
    }

    /// Generates the sync message a marked peer is due, if it has anything to receive; it waits
    /// for the document's outstanding writes, since it advertises the document's heads.
    fn reply(&mut self, document_id: &str, connection: ConnectionId) {
        let Some(Slot::Ready(open)) = self.documents.get_mut(document_id) else { return };
        let empty = open.is_empty();
        let needs = open.outstanding.last().copied();
        let Some(peer) = open.peers.get_mut(&connection) else { return };
        // Told the relay has nothing, and with nothing itself: silence until there is.
        let nothing_to_say =
            empty && peer.told_unavailable && peer.state.their_heads.as_ref().is_none_or(Vec::is_empty);
        if !std::mem::take(&mut peer.dirty) || nothing_to_say {
            return;
        }
        let Some(target) = self.connections.get(&connection) else { return };
        let Some(message) = open.doc.generate_sync_message(&mut peer.state) else { return };
        self.stats.sync_messages_generated += 1;
        let frame = Message::Sync {
            sender_id: self.peer_id.clone(),
            target_id: target.peer_id.clone(),
            document_id: document_id.to_owned(),
            data: message.encode(),
        }
        .encode();
        match needs {
            Some(needs) => {
                open.held.push_back(Held { needs, connection, frame });
                self.stats.held_frames += 1;
            }
            None => self.outputs.push(Output::Send { connection, frame }),
        }
    }

    fn sync(&mut self, connection: ConnectionId, document_id: String, data: &[u8], is_request: bool) {
        let Ok(message) = sync::Message::decode(data) else {
            return self.refuse(connection, Refusal::SyncMessage { document_id });
        };
        if let Err(refusal) = self.bounded(connection, &document_id, data.len(), &message) {
            return self.refuse(connection, refusal);
        }
        if let Some(c) = self.connections.get_mut(&connection) {
            c.documents.insert(document_id.clone());
        }
        match self.documents.get_mut(&document_id) {
            Some(Slot::Ready(_)) => self.apply(connection, &document_id, message, is_request),
            Some(Slot::Loading { waiting, .. }) => waiting.push(Waiting { connection, message, is_request }),
            None => {
                let waiting = vec![Waiting { connection, message, is_request }];
                self.documents.insert(
                    document_id.clone(),
                    Slot::Loading { waiting, retry_at: None, arrived: Vec::new() },
                );
                self.outputs.push(Output::Load { document_id });
            }
        }
    }

    /// Checks that a writer's changes inflate to no more than the limit, before they wait for
    /// their document or reach Automerge, which would inflate them whole. A viewer's changes are
    /// never taken in, so they are not inflated here either.
    fn bounded(
        &mut self,
        connection: ConnectionId,
        document_id: &str,
        bytes: usize,
        message: &sync::Message,
    ) -> Result<(), Refusal> {
        if self.connections.get(&connection).is_none_or(|c| c.author.is_none()) {
            return Ok(());
        }
        let limit = self.config.max_inflated_bytes;
        match message_inflated_size(message, limit) {
            Ok(_) => Ok(()),
            Err(InflationError::OverLimit { limit }) => {
                self.stats.inflation_refused += 1;
                Err(Refusal::Inflation { document_id: document_id.to_owned(), bytes, limit })
            }
            // Automerge would take in the chunks before the damage and drop the rest without a
            // word; nothing honest sends such bytes, so the peer is told instead.
            Err(InflationError::Malformed(_)) => {
                Err(Refusal::SyncMessage { document_id: document_id.to_owned() })
            }
        }
    }

    /// Applies a peer's sync message to a ready document, storing what it brought.
    fn apply(
        &mut self,
        connection: ConnectionId,
        document_id: &str,
        message: sync::Message,
        is_request: bool,
    ) {
        let Some(author) = self.connections.get(&connection).map(|c| c.author.clone()) else { return };
        let Some(Slot::Ready(open)) = self.documents.get_mut(document_id) else { return };
        let (peer, added) = open.attach(connection, author.is_some());
        if added {
            self.stats.peer_states += 1;
        }
        // Automerge's sync state expects a reply after each message it takes in: one that
        // brings nothing and names heads the relay has marks them as sent. So a peer with a
        // reply still due gets it before its next message is taken in; other peers' replies
        // still wait for the flush.
        if peer.dirty {
            self.reply(document_id, connection);
        }
        let Some(Slot::Ready(open)) = self.documents.get_mut(document_id) else { return };
        // A viewer's changes are dropped by its read-only sync state; a writer's must be its own.
        let bindings = match &author {
            Some(author) if !message.changes.is_empty() => {
                match self.bindings.attribute(&open.doc, author, document_id, &message) {
                    Ok(bindings) => bindings,
                    Err(refusal) => {
                        if matches!(refusal, Refusal::Forged { .. }) {
                            self.stats.forged_refused += 1;
                        }
                        return self.refuse(connection, refusal);
                    }
                }
            }
            _ => Vec::new(),
        };
        let applied = match open.apply(connection, message) {
            Ok(applied) => applied,
            Err(_) => {
                let refusal = Refusal::Apply { document_id: document_id.to_owned() };
                return self.refuse(connection, refusal);
            }
        };
        for binding in &bindings {
            self.bindings.insert(binding.clone());
        }
        // Stored with the next write of the document: now if the heads moved, or later if the
        // changes wait for others they depend on (and are stored, with these, once they come).
        open.unstored.extend(bindings);
        self.dirty.insert(document_id.to_owned());
        if is_request && open.is_empty() {
            if let Some(peer) = open.peers.get_mut(&connection) {
                peer.told_unavailable = true;
            }
            let Some(target) = self.connections.get(&connection) else { return };
            let unavailable = Message::DocUnavailable {
                sender_id: self.peer_id.clone(),
                target_id: target.peer_id.clone(),
                document_id: document_id.to_owned(),
            };
            self.send(connection, unavailable.encode());
        }
        if let Some(chunk) = applied.new_changes {
            let key = chunk_key(document_id, "incremental", &chunk);
            let Some(Slot::Ready(open)) = self.documents.get_mut(document_id) else { return };
            let bind = std::mem::take(&mut open.unstored);
            self.write(document_id, vec![(key, chunk)], bind);
        }
    }

    fn send(&mut self, connection: ConnectionId, frame: Vec<u8>) {
        self.outputs.push(Output::Send { connection, frame });
    }

    /// Closes a connection for a reason the peer is told, forgetting it at once.
    fn refuse(&mut self, connection: ConnectionId, refusal: Refusal) {
        if refusal != Refusal::Left {
            self.stats.refusals += 1;
        }
        self.disconnect(self.now, connection);
        self.outputs.push(Output::Close { connection, refusal });
    }
}
