//! automerge-repo's network protocol, version 1: the messages peers exchange, one CBOR map per
//! binary WebSocket frame.
//!
//! The field names and shapes are the JS library's (`senderId`, `documentId`, `peerMetadata`...),
//! so any automerge-repo peer, JS or Rust (samod), understands what we send and we understand
//! what it sends. Decoding is lenient where real peers differ (numbers that arrive as floats,
//! optional fields that are absent, `null` or `undefined`, unknown extra fields) and strict about
//! everything else: a malformed frame is a [`DecodeError`], never a panic.
//!
//! Peer, storage and document ids are plain strings at this boundary. Document ids are checked
//! to be automerge-repo's 16 bytes in base58check; a document id that arrives as a CBOR byte
//! string is turned into that spelling.
//!
//! ```
//! use quorum_shared::wire::{Message, PeerMetadata, PROTOCOL_V1};
//!
//! let join = Message::Join {
//!     sender_id: "alice".into(),
//!     supported_protocol_versions: Some(vec![PROTOCOL_V1.into()]),
//!     peer_metadata: Some(PeerMetadata { storage_id: None, is_ephemeral: true }),
//! };
//! let frame: Vec<u8> = join.encode();
//! assert_eq!(Message::decode(&frame).unwrap(), join);
//! ```

use std::collections::BTreeMap;

mod decode;
mod document_id;
mod encode;

pub(crate) use document_id::check_document_id;

/// The only protocol version there is; sent in `join` and expected back in `peer`.
pub const PROTOCOL_V1: &str = "1";

/// What a peer says about itself in the handshake.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerMetadata {
    /// The id of the peer's durable storage, if it has one; a peer that reconnects with the same
    /// storage id is known to still hold what it had.
    pub storage_id: Option<String>,
    /// Whether the peer will forget everything when it goes away (no storage).
    pub is_ephemeral: bool,
}

/// The heads of a document as stored by one storage id, in a `remote-heads-changed` message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemoteHeads {
    /// The change hashes at the heads, as strings (the JS library writes them in base58).
    pub heads: Vec<String>,
    /// When the storing peer saw these heads, in milliseconds since the Unix epoch.
    pub timestamp: u64,
}

/// One protocol message. Each variant is one value of the CBOR map's `type` field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// `join`: the connecting side's first message.
    Join {
        sender_id: String,
        /// Absent in some older peers, which then mean version 1.
        supported_protocol_versions: Option<Vec<String>>,
        peer_metadata: Option<PeerMetadata>,
    },
    /// `peer`: the accepting side's answer to `join`.
    Peer {
        sender_id: String,
        target_id: String,
        selected_protocol_version: String,
        peer_metadata: Option<PeerMetadata>,
    },
    /// `leave`: the sender is about to disconnect.
    Leave { sender_id: String },
    /// `request`: a sync message from a peer that does not have the document and asks for it.
    Request {
        sender_id: String,
        target_id: String,
        document_id: String,
        /// An encoded Automerge sync message.
        data: Vec<u8>,
    },
    /// `sync`: an Automerge sync message for one document.
    Sync {
        sender_id: String,
        target_id: String,
        document_id: String,
        /// An encoded Automerge sync message.
        data: Vec<u8>,
    },
    /// `doc-unavailable`: the sender does not have the document and knows no peer that does.
    DocUnavailable { sender_id: String, target_id: String, document_id: String },
    /// `ephemeral`: application data about a document that is relayed but never stored, such
    /// as presence. `session_id` and `count` let receivers drop messages they have seen.
    Ephemeral {
        sender_id: String,
        target_id: String,
        document_id: String,
        session_id: String,
        count: u64,
        data: Vec<u8>,
    },
    /// `remote-subscription-change`: the sender wants to hear (or no longer hear) about the
    /// heads stored under these storage ids.
    RemoteSubscriptionChange { sender_id: String, target_id: String, add: Vec<String>, remove: Vec<String> },
    /// `remote-heads-changed`: the heads of a document changed in some storage the receiver
    /// subscribed to.
    RemoteHeadsChanged {
        sender_id: String,
        target_id: String,
        document_id: String,
        new_heads: BTreeMap<String, RemoteHeads>,
    },
    /// `error`: the sender gives up on the connection. The JS relay names sender and target;
    /// samod sends only the message.
    Error { sender_id: Option<String>, target_id: Option<String>, message: String },
}

impl Message {
    /// Reads one frame. Unknown fields are ignored; anything else that is not a well-formed
    /// message of a known type is an error.
    pub fn decode(frame: &[u8]) -> Result<Message, DecodeError> {
        decode::message(frame)
    }

    /// Writes the message as one frame, with the JS library's field names.
    pub fn encode(&self) -> Vec<u8> {
        encode::message(self)
    }

    /// The value of the `type` field.
    pub fn type_name(&self) -> &'static str {
        match self {
            Message::Join { .. } => "join",
            Message::Peer { .. } => "peer",
            Message::Leave { .. } => "leave",
            Message::Request { .. } => "request",
            Message::Sync { .. } => "sync",
            Message::DocUnavailable { .. } => "doc-unavailable",
            Message::Ephemeral { .. } => "ephemeral",
            Message::RemoteSubscriptionChange { .. } => "remote-subscription-change",
            Message::RemoteHeadsChanged { .. } => "remote-heads-changed",
            Message::Error { .. } => "error",
        }
    }
}

/// Why a frame is not a protocol message.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("frame is empty")]
    Empty,
    #[error("frame ends in the middle of a value")]
    Truncated,
    #[error("frame is not well-formed cbor")]
    Cbor(#[source] minicbor::decode::Error),
    #[error("frame is a cbor {found}, not a map")]
    NotAMap { found: String },
    #[error("message has no type")]
    MissingType,
    #[error("unknown message type {0:?}")]
    UnknownType(String),
    #[error("{message_type} message has no {field}")]
    MissingField { message_type: &'static str, field: &'static str },
    #[error("{field} is a cbor {found}, expected {expected}")]
    WrongType { field: String, expected: &'static str, found: String },
    #[error("{field} is invalid: {reason}")]
    InvalidValue { field: String, reason: String },
    #[error("{0} appears more than once")]
    DuplicateField(String),
    #[error("{0} bytes follow the message")]
    TrailingBytes(usize),
}
