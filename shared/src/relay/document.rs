//! One document as the relay holds it: the Automerge document, a sync state per connection that
//! asked for it, the chunks it is stored as, and the frames waiting for its writes to commit.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use automerge::Automerge;
use automerge::sync::{self, SyncDoc};
use sha2::{Digest, Sha256};

use super::output::{ConnectionId, WriteId};

/// A document in memory: being read from storage, or ready.
pub(super) enum Slot {
    /// Storage has been asked for its chunks; what arrives for it meanwhile waits here.
    Loading {
        waiting: Vec<Waiting>,
        retry_at: Option<u64>,
        /// Chunks another relay stored meanwhile (see `Relay::stored_elsewhere`): the load may
        /// have read the document before they were committed.
        arrived: Vec<(String, Vec<u8>)>,
    },
    Ready(Box<Open>),
}

/// A sync message that arrived while its document was loading.
pub(super) struct Waiting {
    pub connection: ConnectionId,
    pub message: sync::Message,
    pub is_request: bool,
}

/// What the relay says about a document to one connection.
pub(super) struct Peer {
    pub state: sync::State,
    /// A sync message may be due: set by the peer's own message and by any change of heads.
    pub dirty: bool,
    /// The peer asked for the document while the relay had nothing of it and was told so; it is
    /// sent the document as soon as there is one.
    pub told_unavailable: bool,
}

impl Peer {
    fn new(may_write: bool) -> Peer {
        // A viewer's changes are never applied: automerge's read-only state neither takes them
        // nor asks for them, and still sends the viewer everything it lacks.
        let state = if may_write { sync::State::new() } else { sync::State::new_read_only() };
        Peer { state, dirty: false, told_unavailable: false }
    }
}

/// A frame held until every write of its document numbered up to `needs` has committed.
pub(super) struct Held {
    pub needs: WriteId,
    pub connection: ConnectionId,
    pub frame: Vec<u8>,
}

/// A ready document.
pub(super) struct Open {
    pub doc: Automerge,
    pub peers: BTreeMap<ConnectionId, Peer>,
    /// The keys of the chunks committed for it, which a snapshot replaces.
    pub stored: BTreeSet<String>,
    /// Writes of changes not yet committed: a frame generated now waits for all of them.
    pub outstanding: BTreeSet<WriteId>,
    /// Any write in flight, compaction included: a document is not unloaded under one.
    pub writes_in_flight: usize,
    pub held: VecDeque<Held>,
    /// When its last peer left, for unloading after a grace period.
    pub idle_since: Option<u64>,
    /// Bindings made by changes not yet written (they wait for changes they depend on): they go
    /// with the document's next write.
    pub unstored: Vec<super::attribution::Binding>,
}

/// What applying a peer's sync message did.
pub(super) struct Applied {
    /// The changes it brought, as one chunk to store, if the heads moved.
    pub new_changes: Option<Vec<u8>>,
}

impl Open {
    pub fn new(doc: Automerge, stored: BTreeSet<String>) -> Open {
        Open {
            doc,
            peers: BTreeMap::new(),
            stored,
            outstanding: BTreeSet::new(),
            writes_in_flight: 0,
            held: VecDeque::new(),
            idle_since: None,
            unstored: Vec::new(),
        }
    }

    /// The peer's state on this document, attaching it on its first message. Says whether it
    /// was new.
    pub fn attach(&mut self, connection: ConnectionId, may_write: bool) -> (&mut Peer, bool) {
        let mut added = false;
        let peer = self.peers.entry(connection).or_insert_with(|| {
            added = true;
            Peer::new(may_write)
        });
        self.idle_since = None;
        (peer, added)
    }

    /// Takes in a peer's sync message: the peer is due a reply and, if the heads moved, every
    /// other peer is due the news.
    pub fn apply(
        &mut self,
        connection: ConnectionId,
        message: sync::Message,
    ) -> Result<Applied, automerge::AutomergeError> {
        let before = self.doc.get_heads();
        let peer = self.peers.get_mut(&connection).expect("attached before applying");
        self.doc.receive_sync_message(&mut peer.state, message)?;
        peer.dirty = true;
        let after = self.doc.get_heads();
        if after == before {
            return Ok(Applied { new_changes: None });
        }
        for (other, peer) in &mut self.peers {
            if *other != connection {
                peer.dirty = true;
            }
        }
        // Not the message's own chunks: a change it completes may apply others that arrived
        // earlier and waited for it, and those must be stored too.
        Ok(Applied { new_changes: Some(self.doc.save_after(&before)) })
    }

    pub fn is_empty(&self) -> bool {
        self.doc.get_heads().is_empty()
    }

    /// Whether it may leave memory: nobody has it open and nothing of it is in flight.
    pub fn is_idle(&self) -> bool {
        self.peers.is_empty() && self.writes_in_flight == 0 && self.held.is_empty()
    }

    /// The held frames whose writes have all committed, in the order they were generated.
    pub fn releasable(&mut self) -> Vec<Held> {
        let first_outstanding = self.outstanding.first().copied();
        let mut released = Vec::new();
        while let Some(front) = self.held.front() {
            if first_outstanding.is_some_and(|first| first <= front.needs) {
                break;
            }
            released.extend(self.held.pop_front());
        }
        released
    }

    /// How many of its stored chunks are incrementals: past a threshold they are folded into
    /// one snapshot.
    pub fn incrementals(&self) -> usize {
        self.stored.iter().filter(|key| key.contains("/incremental/")).count()
    }
}

/// The storage key of a chunk: its kind (`incremental` or `snapshot`) and its SHA-256, under
/// the document.
pub fn chunk_key(document_id: &str, kind: &str, chunk: &[u8]) -> String {
    let digest = Sha256::digest(chunk);
    let name: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("{document_id}/{kind}/{name}")
}

/// A document read back from its stored chunks, in whatever order they come, and the positions
/// of those that could not be read at all (they are skipped).
///
/// Automerge reads a change chunk into an empty document as a whole document and silently drops
/// it if it depends on changes not yet read, so the first chunk must be one that stands alone (a
/// snapshot, or the document's first changes); every other chunk is then taken in
/// incrementally, where changes that arrive before their dependencies wait for them. A chunk
/// whose dependencies never arrive stays out (its changes wait in the document's queue).
pub fn load_chunks(chunks: &[&[u8]]) -> (Automerge, Vec<usize>) {
    let mut order: Vec<usize> = (0..chunks.len()).collect();
    // Snapshots (whole documents, chunk type 0) first: one of them is the likeliest base.
    crate::order::sort_by_key(&mut order, |&i| chunks[i].get(8) != Some(&super::chunks::DOCUMENT));
    let (mut unreadable, order): (Vec<usize>, Vec<usize>) =
        order.into_iter().partition(|&i| !super::chunks::well_formed(chunks[i]));
    let mut doc = Automerge::new();
    let mut rest = order.clone();
    // `load` takes a chunk whose dependencies are missing as an empty document (logging an error
    // for it): a base must have something in it. Chunks that can stand alone are tried first,
    // then, should none read, the others (each chunk once).
    let (alone, others): (Vec<_>, Vec<_>) =
        order.iter().enumerate().partition(|&(_, &i)| may_stand_alone(chunks[i]));
    let base = (alone.into_iter().chain(others)).find_map(|(at, &i)| {
        Automerge::load(chunks[i]).ok().filter(|base| !base.get_heads().is_empty()).map(|base| (at, base))
    });
    if let Some((at, base)) = base {
        doc = base;
        rest.remove(at);
    }
    unreadable.extend(rest.into_iter().filter(|&i| doc.load_incremental(chunks[i]).is_err()));
    (doc, unreadable)
}

/// Whether a chunk can be a document's base: a whole document, or changes whose first depends on
/// nothing (the document's first change). Others are taken in incrementally once a base is read.
fn may_stand_alone(chunk: &[u8]) -> bool {
    if chunk.get(8) == Some(&super::chunks::DOCUMENT) {
        return true;
    }
    let first = super::chunks::chunk_length(chunk).and_then(|length| chunk.get(..length));
    first
        .and_then(|first| automerge::Change::try_from(first).ok())
        .is_some_and(|change| change.deps().is_empty())
}
