//! What the relay core hands its driver: frames to send, documents to load, writes to commit,
//! connections to close, its counters, and its record of each write it handed out.

use crate::wire::DecodeError;

/// A connection as the driver numbers it; never reused while the relay runs.
pub type ConnectionId = u64;

/// A write as the core numbers it, so that its result can be told back.
pub type WriteId = u64;

/// One thing for the driver to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Send this frame on the connection, after every frame handed out for it before.
    Send { connection: ConnectionId, frame: Vec<u8> },
    /// Read every chunk stored for this document and tell [`super::Relay::loaded`].
    Load { document_id: String },
    /// Commit this write and tell [`super::Relay::written`] how it went.
    Write(Write),
    /// Close the connection, telling the peer why; the core has already forgotten it.
    Close { connection: ConnectionId, refusal: Refusal },
    /// Pass this presence on to the relays this one shares its store with (only with
    /// `Config::share_presence`): they hand it to their peers of the document
    /// ([`super::Relay::presence_elsewhere`]).
    Presence(Presence),
}

/// A presence message as it travels between relays: the sender's, within its rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub document_id: String,
    pub sender_id: String,
    pub session_id: String,
    pub count: u64,
    pub data: Vec<u8>,
}

/// Chunks to put and delete for one document, in one transaction. Keys follow automerge-repo's
/// layout: `<document>/incremental/<name>` and `<document>/snapshot/<name>`, names being the
/// chunk's SHA-256, so that the same chunk written twice is one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Write {
    pub id: WriteId,
    pub document_id: String,
    pub put: Vec<(String, Vec<u8>)>,
    pub delete: Vec<String>,
    /// The actors the changes in `put` bound to their writer (see `attribution.rs`), stored in
    /// the same transaction, to be handed back to [`super::Relay::bind`] when the relay starts
    /// again: a change is never acknowledged before the binding it made is on disk.
    pub bind: Vec<super::attribution::Binding>,
}

/// A write handed out and not yet committed.
pub(super) struct PendingWrite {
    pub write: Write,
    pub attempts: u32,
    /// Set after a failure: when to hand it out again.
    pub retry_at: Option<u64>,
}

/// Why the core closed a connection. The peer is told the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the frame is not a protocol message: {0}")]
    Frame(String),
    #[error("a {0} message is not expected now")]
    Unexpected(&'static str),
    #[error("the message says it is from {claimed:?}, but this connection is {peer:?}")]
    Sender { claimed: String, peer: String },
    #[error("the peer supports none of the protocol versions this relay speaks")]
    Version,
    #[error("the sync message for {document_id} cannot be read")]
    SyncMessage { document_id: String },
    #[error("the changes for {document_id} cannot be applied")]
    Apply { document_id: String },
    /// A sync message of `bytes` whose changes inflate past `limit`: a decompression bomb, or a
    /// document too big for this relay.
    #[error(
        "the changes for {document_id} ({bytes} bytes) inflate to more than {limit} bytes, this relay's limit"
    )]
    Inflation { document_id: String, bytes: usize, limit: u64 },
    /// A new change by an actor that belongs to another member (see `attribution.rs`).
    #[error(
        "a change for {document_id} is by actor {actor}, which is another member's: a member may send only their own changes"
    )]
    Forged { document_id: String, actor: String },
    #[error("a change for {document_id} has an actor id of {length} bytes; this relay takes at most {max}")]
    LongActor { document_id: String, length: usize, max: usize },
    #[error("the changes for {document_id} bring more than {max} new actors at once")]
    ManyActors { document_id: String, max: usize },
    #[error("the peer ended the connection")]
    Left,
}

impl From<DecodeError> for Refusal {
    fn from(error: DecodeError) -> Self {
        Refusal::Frame(error.to_string())
    }
}

/// The core's counters: gauges of what it holds now, and totals since it started.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stats {
    pub connections: usize,
    /// Documents in memory (loaded or loading).
    pub documents: usize,
    /// Sync states held: one per document a connection has open.
    pub peer_states: usize,
    /// Frames waiting for the writes they acknowledge to commit.
    pub held_frames: usize,
    /// Writes handed out and not yet committed, failed ones included.
    pub pending_writes: usize,
    pub sync_messages_generated: u64,
    pub writes_committed: u64,
    pub write_failures: u64,
    pub load_failures: u64,
    pub documents_loaded: u64,
    /// Chunks another relay committed, taken into open documents (`Relay::stored_elsewhere`).
    pub chunks_from_elsewhere: u64,
    pub documents_unloaded: u64,
    /// Stored chunks that Automerge could not read, skipped (and kept in storage).
    pub unreadable_chunks: u64,
    pub ephemeral_forwarded: u64,
    pub ephemeral_dropped: u64,
    pub refusals: u64,
    /// Sync messages refused because their changes inflate past the limit.
    pub inflation_refused: u64,
    /// Sync messages refused because a new change in them is by another member's actor.
    pub forged_refused: u64,
    /// Actor and device ids bound to members.
    pub bindings: usize,
}
