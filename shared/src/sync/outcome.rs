//! What the client tells the application: the events to react to, and why a request failed.

use crate::wire::{DecodeError, PeerMetadata, RemoteHeads};

/// Something the application should react to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The handshake finished; documents are syncing.
    Connected { remote_peer_id: String, remote_metadata: Option<PeerMetadata> },
    /// Remote changes were applied to the document: save it and show it again.
    DocumentChanged { document_id: String },
    /// The relay has no such document and knows nobody who does. It stays open here: should it
    /// turn up later, a `DocumentChanged` follows.
    DocumentUnavailable { document_id: String },
    /// Another peer's ephemeral message about a document (presence, cursors).
    Ephemeral { document_id: String, sender_id: String, data: Vec<u8> },
    /// The heads of a document in a storage the relay reports on changed.
    RemoteHeadsChanged { document_id: String, storage_id: String, heads: RemoteHeads },
    /// The relay ended the connection, with its error message if it gave one. Close the socket;
    /// call [`Client::connect`] on a new one later.
    Closed { error: Option<String> },
}

/// Why the client could not do what it was asked; the client's state is unchanged.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("frame could not be read")]
    Frame(#[from] DecodeError),
    #[error("{id:?} is not a document id: {reason}")]
    InvalidDocumentId { id: String, reason: String },
    #[error("document {0} is not open")]
    NotOpen(String),
    #[error("not connected")]
    NotConnected,
    #[error("{0} message before the handshake finished")]
    BeforeHandshake(&'static str),
    #[error("unexpected {0} message from the relay")]
    Unexpected(&'static str),
    #[error("relay selected protocol version {0:?}")]
    UnsupportedVersion(String),
    #[error("sync message for document {document_id} is malformed")]
    MalformedSyncMessage {
        document_id: String,
        #[source]
        source: automerge::sync::ReadMessageError,
    },
    #[error("changes for document {document_id} could not be applied")]
    Apply {
        document_id: String,
        // Boxed: automerge's error is large and this one is rare.
        #[source]
        source: Box<automerge::AutomergeError>,
    },
}
