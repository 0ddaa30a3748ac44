//! The relay core (`quorum_shared::relay`) with an in-memory store, as the sync tests drive it.
//!
//! By default storage answers at once: every write commits and every load is answered before
//! the core flushes, as a fast disk would. A test that wants to see the core wait turns
//! `auto_storage` off and commits, fails or answers one thing at a time.
//!
//! Every frame the core hands out is checked on its way: a sync message may advertise only heads
//! whose changes are already committed (or were loaded from storage).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use automerge::{AutoCommit, Automerge, ChangeHash, ReadDoc};
use quorum_shared::relay::{self, Author, Binding, Config, Output, Presence, Refusal, Stats, Write};
use quorum_shared::wire::Message;

/// The store behind the relay: committed chunks by key, and what the core asked for.
#[derive(Default)]
pub struct Store {
    pub chunks: BTreeMap<String, Vec<u8>>,
    pub pending: VecDeque<Write>,
    pub loads: VecDeque<String>,
    /// Every change ever committed, by document: what the relay may say it has.
    durable: BTreeMap<String, Automerge>,
    /// Every chunk ever committed, by document: `durable` is what they load as together.
    committed: BTreeMap<String, Vec<Vec<u8>>>,
    /// The actors bound to members, committed with the changes that bound them.
    pub bindings: Vec<Binding>,
    /// Every write committed, oldest first: what a shared store's change log would carry to
    /// other relays.
    pub log: Vec<Write>,
}

impl Store {
    fn commit(&mut self, write: &Write) {
        self.log.push(write.clone());
        self.bindings.extend(write.bind.iter().cloned());
        for key in &write.delete {
            self.chunks.remove(key);
        }
        for (key, chunk) in &write.put {
            self.chunks.insert(key.clone(), chunk.clone());
            self.committed.entry(write.document_id.clone()).or_default().push(chunk.clone());
        }
        // In any order: a chunk whose dependencies never committed adds nothing durable.
        let chunks: Vec<&[u8]> = self.committed[&write.document_id].iter().map(Vec::as_slice).collect();
        self.durable.insert(write.document_id.clone(), quorum_shared::relay::load_chunks(&chunks).0);
        if !write.delete.is_empty() {
            // A compaction must keep every change that was committed.
            let kept = self.document(&write.document_id).expect("chunks remain");
            let durable = &self.durable[&write.document_id];
            for change in durable.get_changes(&[]) {
                assert!(
                    kept.get_change_by_hash(&change.hash()).is_some(),
                    "a compaction of {} dropped committed change {}",
                    write.document_id,
                    change.hash()
                );
            }
        }
    }

    fn load(&self, document_id: &str) -> Vec<(String, Vec<u8>)> {
        let prefix = format!("{document_id}/");
        let chunks: Vec<(String, Vec<u8>)> = self
            .chunks
            .iter()
            .filter(|(key, _)| key.starts_with(&prefix))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some(durable) = self.durable.get(document_id) {
            let bytes: Vec<&[u8]> = chunks.iter().map(|(_, c)| c.as_slice()).collect();
            let (doc, _) = quorum_shared::relay::load_chunks(&bytes);
            for change in durable.get_changes(&[]) {
                assert!(
                    doc.get_change_by_hash(&change.hash()).is_some(),
                    "storage of {document_id} reads back without committed change {}",
                    change.hash()
                );
            }
        }
        chunks
    }

    pub fn is_durable(&self, document_id: &str, hash: &ChangeHash) -> bool {
        self.durable.get(document_id).is_some_and(|doc| doc.get_change_by_hash(hash).is_some())
    }

    /// The document as storage holds it.
    pub fn document(&self, document_id: &str) -> Option<AutoCommit> {
        let chunks = self.load(document_id);
        if chunks.is_empty() {
            return None;
        }
        let bytes: Vec<&[u8]> = chunks.iter().map(|(_, chunk)| chunk.as_slice()).collect();
        // A test may store an unreadable chunk on purpose; the relay skips it too.
        let (doc, _) = quorum_shared::relay::load_chunks(&bytes);
        let doc = AutoCommit::load(&doc.save()).unwrap();
        Some(doc)
    }
}

pub struct Relay {
    pub core: relay::Relay,
    pub store: Store,
    pub auto_storage: bool,
    pub now: u64,
    config: Config,
    next_conn: u64,
    joined: BTreeSet<u64>,
    viewers: BTreeSet<u64>,
    /// The member each connection writes as, where not the one writer of most tests.
    members: BTreeMap<u64, String>,
    outboxes: BTreeMap<u64, Vec<Vec<u8>>>,
    /// Connections the core closed, with why.
    pub refused: BTreeMap<u64, Refusal>,
    /// Presence handed out for other relays (with `Config::share_presence`), oldest first.
    pub shared_presence: Vec<Presence>,
}

impl Relay {
    pub fn new(peer_id: &str) -> Relay {
        Relay::with_config(peer_id, Config::default())
    }

    pub fn with_config(peer_id: &str, config: Config) -> Relay {
        Relay {
            core: relay::Relay::new(peer_id, "relay-storage", config.clone()),
            store: Store::default(),
            auto_storage: true,
            now: 0,
            config,
            next_conn: 0,
            joined: BTreeSet::new(),
            viewers: BTreeSet::new(),
            members: BTreeMap::new(),
            outboxes: BTreeMap::new(),
            refused: BTreeMap::new(),
            shared_presence: Vec::new(),
        }
    }

    /// The relay process dies and starts again on the same store: what was not committed is
    /// lost, every connection with it.
    pub fn restart(&mut self, peer_id: &str) {
        self.core = relay::Relay::new(peer_id, "relay-storage", self.config.clone());
        for binding in &self.store.bindings {
            self.core.bind(binding.clone());
        }
        self.store.pending.clear();
        self.store.loads.clear();
        self.joined.clear();
        self.outboxes.clear();
    }

    /// A document as the relay's storage holds it.
    pub fn doc(&self, document_id: &str) -> AutoCommit {
        self.store.document(document_id).expect("the relay stored the document")
    }

    pub fn stats(&self) -> Stats {
        self.core.stats()
    }

    pub fn accept(&mut self) -> u64 {
        self.next_conn += 1;
        self.outboxes.insert(self.next_conn, Vec::new());
        self.next_conn
    }

    /// The next connection accepted is a viewer's: it may read, not write.
    pub fn next_is_viewer(&mut self) {
        self.viewers.insert(self.next_conn + 1);
    }

    /// The next connection accepted writes as `member` of the workspace.
    pub fn next_is_member(&mut self, member: &str) {
        self.members.insert(self.next_conn + 1, member.to_owned());
    }

    pub fn close(&mut self, conn: u64) {
        self.core.disconnect(self.now, conn);
        self.outboxes.remove(&conn);
        self.joined.remove(&conn);
        self.settle();
    }

    /// The frames handed out for a connection since the last call.
    pub fn take(&mut self, conn: u64) -> Vec<Vec<u8>> {
        self.outboxes.get_mut(&conn).map(std::mem::take).unwrap_or_default()
    }

    /// A frame from a connection: its first is the `join`, which the server reads itself.
    pub fn receive(&mut self, conn: u64, frame: &[u8]) {
        self.take_in(conn, frame);
        self.settle();
    }

    /// Frames that arrived together, taken in before the core flushes once, as the server's
    /// driver does with everything it has queued.
    pub fn receive_all(&mut self, frames: Vec<(u64, Vec<u8>)>) {
        for (conn, frame) in frames {
            self.take_in(conn, &frame);
        }
        self.settle();
    }

    fn take_in(&mut self, conn: u64, frame: &[u8]) {
        if !self.outboxes.contains_key(&conn) {
            return;
        }
        if self.joined.insert(conn) {
            let join = Message::decode(frame).expect("a join");
            let member = self.members.get(&conn).map_or("writer", String::as_str);
            let author = Author { scope: "workspace".into(), member: member.into(), binds_from_s: 0 };
            self.core.connect(self.now, conn, &join, (!self.viewers.contains(&conn)).then_some(author));
        } else {
            self.core.receive(self.now, conn, frame);
        }
    }

    /// Lets time pass: retries and unloading.
    pub fn tick(&mut self, ms: u64) {
        self.now += ms;
        self.core.tick(self.now);
        self.settle();
    }

    /// Another relay sharing this one's store committed `write`: it is in the store, and the
    /// core hears of each chunk it put.
    pub fn stored_elsewhere(&mut self, write: &Write) {
        self.store.commit(write);
        for (key, chunk) in &write.put {
            self.core.stored_elsewhere(self.now, &write.document_id, key.clone(), chunk);
        }
        self.settle();
    }

    /// The race of a load with another relay's commit: the oldest load reads the store, then
    /// the other relay commits `write` and the core hears of it, then the load's stale answer
    /// arrives.
    pub fn stored_elsewhere_while_loading(&mut self, write: &Write) {
        let document_id = self.store.loads.pop_front().expect("a load is waiting");
        let stale = self.store.load(&document_id);
        self.store.commit(write);
        for (key, chunk) in &write.put {
            self.core.stored_elsewhere(self.now, &write.document_id, key.clone(), chunk);
        }
        self.core.loaded(self.now, &document_id, Ok(stale));
        self.settle();
    }

    /// Another relay passed on a peer's presence.
    pub fn presence_elsewhere(&mut self, presence: &Presence) {
        self.core.presence_elsewhere(self.now, presence);
        self.settle();
    }

    /// Commits the oldest pending write; false if there is none.
    pub fn commit_one(&mut self) -> bool {
        let Some(write) = self.store.pending.pop_front() else { return false };
        self.store.commit(&write);
        self.core.written(self.now, write.id, Ok(()));
        self.settle();
        true
    }

    /// Fails the oldest pending write, as a full disk would; false if there is none.
    pub fn fail_one(&mut self) -> bool {
        let Some(write) = self.store.pending.pop_front() else { return false };
        self.core.written(self.now, write.id, Err("disk full".into()));
        self.settle();
        true
    }

    /// Answers the oldest load; false if there is none.
    pub fn answer_load(&mut self) -> bool {
        let Some(document_id) = self.store.loads.pop_front() else { return false };
        let chunks = self.store.load(&document_id);
        self.core.loaded(self.now, &document_id, Ok(chunks));
        self.settle();
        true
    }

    /// Flushes the core and routes what it hands out; with `auto_storage`, storage answers
    /// everything first.
    fn settle(&mut self) {
        loop {
            if self.auto_storage {
                while let Some(document_id) = self.store.loads.pop_front() {
                    let chunks = self.store.load(&document_id);
                    self.core.loaded(self.now, &document_id, Ok(chunks));
                }
                while let Some(write) = self.store.pending.pop_front() {
                    self.store.commit(&write);
                    self.core.written(self.now, write.id, Ok(()));
                }
            }
            self.core.flush(self.now);
            let outputs = self.core.drain();
            if outputs.is_empty() {
                return;
            }
            for output in outputs {
                self.route(output);
            }
        }
    }

    fn route(&mut self, output: Output) {
        match output {
            Output::Send { connection, frame } => {
                if let Ok(Message::Sync { document_id, data, .. }) = Message::decode(&frame) {
                    let message = automerge::sync::Message::decode(&data).unwrap();
                    // Nor may it carry a change that is not: the changes it sends, taken into
                    // what storage holds, add nothing.
                    let mut durable = self.store.durable.get(&document_id).cloned().unwrap_or_default();
                    let before = durable.get_heads();
                    for chunk in message.changes.iter() {
                        let _ = durable.load_incremental(chunk);
                    }
                    assert_eq!(
                        durable.get_heads(),
                        before,
                        "the relay sent changes of {document_id} before they were committed"
                    );
                    let heads = message.heads;
                    for head in heads {
                        assert!(
                            self.store.is_durable(&document_id, &head),
                            "the relay advertised {head} of {document_id} before it was committed"
                        );
                    }
                }
                if let Some(outbox) = self.outboxes.get_mut(&connection) {
                    outbox.push(frame);
                }
            }
            Output::Load { document_id } => self.store.loads.push_back(document_id),
            Output::Write(write) => self.store.pending.push_back(write),
            Output::Close { connection, refusal } => {
                self.outboxes.remove(&connection);
                self.joined.remove(&connection);
                self.refused.insert(connection, refusal);
            }
            Output::Presence(presence) => self.shared_presence.push(presence),
        }
    }
}
