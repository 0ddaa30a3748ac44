//! The client side of automerge-repo's sync protocol as a sans-IO state machine: frames and
//! local changes in, frames and events out. It owns no socket and reads no clock, so the browser
//! drives it from a WebSocket and tests drive it from memory.
//!
//! The client talks to one relay at a time. It keeps one Automerge sync state per document; when
//! the connection drops it keeps the heads both sides were known to share, so after a reconnect
//! only what changed since is exchanged.
//!
//! ```
//! use automerge::{AutoCommit, ROOT, transaction::Transactable};
//! use quorum_shared::sync::{Client, Event};
//!
//! let mut client = Client::new("alice", Some("alice-storage".into()), [7; 8]);
//! let id = "2BHgUequGS6sSncHJSFfxYd5riqY"; // 16 bytes in base58check, as automerge-repo makes them
//! client.open_with(id, AutoCommit::new()).unwrap();
//! client.change(id, |doc| doc.put(ROOT, "title", "AI policy")).unwrap().unwrap();
//!
//! let join = client.connect(); // send these frames once the socket is open
//! assert_eq!(join.len(), 1);
//! // For every binary frame from the socket:
//! //     for event in client.receive(&frame)? { ... }
//! //     for frame in client.drain_outgoing() { socket.send(frame) }
//! // and when the socket closes: client.disconnected().
//! ```

use std::collections::{BTreeMap, HashMap};

use automerge::AutoCommit;

use crate::wire::{self, Message, PeerMetadata};

mod document;
mod outcome;

use document::{Document, Outgoing, Remote};
pub use outcome::{Event, SyncError};

enum Connection {
    Offline,
    Joining,
    Connected { remote_peer_id: String },
}

/// The sync client. See the module documentation for how to drive it.
pub struct Client {
    peer_id: String,
    metadata: PeerMetadata,
    session_id: String,
    ephemeral_count: u64,
    connection: Connection,
    documents: BTreeMap<String, Document>,
    outgoing: Vec<Vec<u8>>,
    /// The highest ephemeral count seen per sender and session, to drop repeats.
    seen_ephemeral: HashMap<(String, String), u64>,
}

impl Client {
    /// A client for this device's peer id. A device that keeps documents (IndexedDB) passes its
    /// storage id; one that forgets them on close passes `None` and says it is ephemeral.
    /// `random` is fresh random bytes from the caller, which name this run of the client so
    /// that peers can tell its ephemeral messages after a restart from repeats of the old ones.
    pub fn new(peer_id: impl Into<String>, storage_id: Option<String>, random: [u8; 8]) -> Client {
        Client {
            peer_id: peer_id.into(),
            metadata: PeerMetadata { is_ephemeral: storage_id.is_none(), storage_id },
            session_id: random.iter().map(|b| format!("{b:02x}")).collect(),
            ephemeral_count: 0,
            connection: Connection::Offline,
            documents: BTreeMap::new(),
            outgoing: Vec::new(),
            seen_ephemeral: HashMap::new(),
        }
    }

    /// This device's peer id.
    pub fn peer_id(&self) -> &str {
        &self.peer_id
    }

    /// Takes a new peer id for the next connection; between connections only (refused, `false`,
    /// while one is open). The relay binds a peer id to the member's token while it is connected,
    /// so a device told its id is taken (a policy close) comes back under a new one instead of
    /// waiting behind whoever holds the old.
    pub fn renew_peer_id(&mut self, peer_id: impl Into<String>) -> bool {
        if !matches!(self.connection, Connection::Offline) {
            return false;
        }
        self.peer_id = peer_id.into();
        true
    }

    /// Starts the handshake on a freshly opened socket and returns the frames to send. Anything
    /// still queued for an earlier socket is dropped: the sync states make up for it.
    pub fn connect(&mut self) -> Vec<Vec<u8>> {
        self.reset_connection();
        self.connection = Connection::Joining;
        self.push(Message::Join {
            sender_id: self.peer_id.clone(),
            supported_protocol_versions: Some(vec![wire::PROTOCOL_V1.to_owned()]),
            peer_metadata: Some(self.metadata.clone()),
        });
        self.drain_outgoing()
    }

    /// The socket closed or failed. Documents stay open and editable; call
    /// [`Client::connect`] when a new socket is open.
    pub fn disconnected(&mut self) {
        self.reset_connection();
    }

    /// Whether the handshake has finished on the current socket.
    pub fn is_connected(&self) -> bool {
        matches!(self.connection, Connection::Connected { .. })
    }

    /// Frames to send, oldest first.
    pub fn drain_outgoing(&mut self) -> Vec<Vec<u8>> {
        std::mem::take(&mut self.outgoing)
    }

    /// Opens a document this device does not have yet: it is asked for from the relay, and
    /// arrives as a `DocumentChanged` (or a `DocumentUnavailable`). Opening an open document
    /// does nothing.
    pub fn open(&mut self, document_id: &str) -> Result<(), SyncError> {
        check_id(document_id)?;
        if !self.documents.contains_key(document_id) {
            self.documents.insert(document_id.to_owned(), Document::new(AutoCommit::new()));
            self.sync_document(document_id);
        }
        Ok(())
    }

    /// Opens a document this device has: loaded from storage, or just created. If it is open
    /// already, `doc` is merged into it.
    pub fn open_with(&mut self, document_id: &str, mut doc: AutoCommit) -> Result<(), SyncError> {
        check_id(document_id)?;
        match self.documents.get_mut(document_id) {
            Some(open) => {
                open.doc.merge(&mut doc).map_err(|source| SyncError::Apply {
                    document_id: document_id.to_owned(),
                    source: Box::new(source),
                })?;
            }
            None => {
                self.documents.insert(document_id.to_owned(), Document::new(doc));
            }
        }
        self.sync_document(document_id);
        Ok(())
    }

    /// Stops syncing a document and hands it back.
    pub fn close(&mut self, document_id: &str) -> Option<AutoCommit> {
        self.documents.remove(document_id).map(|d| d.doc)
    }

    /// The ids of the open documents.
    pub fn document_ids(&self) -> impl Iterator<Item = &str> {
        self.documents.keys().map(String::as_str)
    }

    /// An open document, to read.
    pub fn doc(&self, document_id: &str) -> Option<&AutoCommit> {
        self.documents.get(document_id).map(|d| &d.doc)
    }

    /// An open document, to edit in place; call [`Client::local_change`] afterwards so the
    /// change is sent. [`Client::change`] does both.
    pub fn doc_mut(&mut self, document_id: &str) -> Option<&mut AutoCommit> {
        self.documents.get_mut(document_id).map(|d| &mut d.doc)
    }

    /// Edits an open document and sends the change.
    pub fn change<R>(
        &mut self,
        document_id: &str,
        edit: impl FnOnce(&mut AutoCommit) -> R,
    ) -> Result<R, SyncError> {
        let document =
            self.documents.get_mut(document_id).ok_or_else(|| SyncError::NotOpen(document_id.to_owned()))?;
        let result = edit(&mut document.doc);
        self.sync_document(document_id);
        Ok(result)
    }

    /// Tells the client that an open document was edited through [`Client::doc_mut`].
    pub fn local_change(&mut self, document_id: &str) -> Result<(), SyncError> {
        if !self.documents.contains_key(document_id) {
            return Err(SyncError::NotOpen(document_id.to_owned()));
        }
        self.sync_document(document_id);
        Ok(())
    }

    /// Merges changes that another client holding the same documents (another tab of this
    /// browser) passed on, and that it sends to the relay itself. Unlike an edit, they are not
    /// offered to the relay now: the relay hears them from that client and, when it passes them
    /// on here, learns that this client has them too, so they cross the network once. Should the
    /// other client never deliver them, the next sync message about this document (a later edit,
    /// the relay's next message, a reconnect) still carries them. Says whether the document
    /// changed.
    pub fn merge_sent_elsewhere(&mut self, document_id: &str, changes: &[u8]) -> Result<bool, SyncError> {
        let document =
            self.documents.get_mut(document_id).ok_or_else(|| SyncError::NotOpen(document_id.to_owned()))?;
        let before = document.doc.get_heads();
        document.doc.load_incremental(changes).map_err(|source| SyncError::Apply {
            document_id: document_id.to_owned(),
            source: Box::new(source),
        })?;
        Ok(document.doc.get_heads() != before)
    }

    /// Whether the relay is known to hold exactly what this device holds of the document (or,
    /// for a document neither has, has said so). False while offline.
    pub fn is_synced(&mut self, document_id: &str) -> bool {
        self.is_connected() && self.documents.get_mut(document_id).is_some_and(Document::is_synced)
    }

    /// Sends an ephemeral message about a document to the other peers on it, through the
    /// relay. Ephemeral messages are not queued while offline: presence from the past is noise.
    pub fn broadcast(&mut self, document_id: &str, data: Vec<u8>) -> Result<(), SyncError> {
        check_id(document_id)?;
        let Connection::Connected { remote_peer_id } = &self.connection else {
            return Err(SyncError::NotConnected);
        };
        self.ephemeral_count += 1;
        let message = Message::Ephemeral {
            sender_id: self.peer_id.clone(),
            target_id: remote_peer_id.clone(),
            document_id: document_id.to_owned(),
            session_id: self.session_id.clone(),
            count: self.ephemeral_count,
            data,
        };
        self.push(message);
        Ok(())
    }

    /// Handles one frame from the relay. Replies are queued for [`Client::drain_outgoing`].
    /// A frame that cannot be handled is an error and changes nothing else; the connection can
    /// go on.
    pub fn receive(&mut self, frame: &[u8]) -> Result<Vec<Event>, SyncError> {
        let message = Message::decode(frame)?;
        let mut events = Vec::new();
        match (&self.connection, message) {
            (Connection::Offline, _) => return Err(SyncError::NotConnected),
            (_, Message::Error { message, .. }) => {
                self.reset_connection();
                events.push(Event::Closed { error: Some(message) });
            }
            (_, Message::Leave { .. }) => {
                self.reset_connection();
                events.push(Event::Closed { error: None });
            }
            (
                Connection::Joining,
                Message::Peer { sender_id, selected_protocol_version, peer_metadata, .. },
            ) => {
                if selected_protocol_version != wire::PROTOCOL_V1 {
                    return Err(SyncError::UnsupportedVersion(selected_protocol_version));
                }
                self.connection = Connection::Connected { remote_peer_id: sender_id.clone() };
                events.push(Event::Connected { remote_peer_id: sender_id, remote_metadata: peer_metadata });
                let ids: Vec<String> = self.documents.keys().cloned().collect();
                for id in ids {
                    self.sync_document(&id);
                }
            }
            (Connection::Joining, other) => {
                return Err(SyncError::BeforeHandshake(other.type_name()));
            }
            (Connection::Connected { .. }, message) => self.handle(message, &mut events)?,
        }
        Ok(events)
    }

    fn handle(&mut self, message: Message, events: &mut Vec<Event>) -> Result<(), SyncError> {
        match message {
            Message::Sync { document_id, data, .. } => self.receive_sync(document_id, &data, false, events),
            Message::Request { document_id, data, .. } => self.receive_sync(document_id, &data, true, events),
            Message::DocUnavailable { document_id, .. } => {
                if let Some(document) = self.documents.get_mut(&document_id) {
                    document.remote = Remote::Unavailable;
                    if document.is_empty() {
                        events.push(Event::DocumentUnavailable { document_id });
                    }
                }
                Ok(())
            }
            Message::Ephemeral { sender_id, document_id, session_id, count, data, .. } => {
                // A peer that gossips may echo our own messages back.
                if sender_id == self.peer_id {
                    return Ok(());
                }
                let last = self.seen_ephemeral.entry((sender_id.clone(), session_id)).or_insert(0);
                if count > *last {
                    *last = count;
                    events.push(Event::Ephemeral { document_id, sender_id, data });
                }
                Ok(())
            }
            Message::RemoteHeadsChanged { document_id, new_heads, .. } => {
                events.extend(new_heads.into_iter().map(|(storage_id, heads)| Event::RemoteHeadsChanged {
                    document_id: document_id.clone(),
                    storage_id,
                    heads,
                }));
                Ok(())
            }
            // We hold no storage others can subscribe to, so there is nothing to do.
            Message::RemoteSubscriptionChange { .. } => Ok(()),
            other => Err(SyncError::Unexpected(other.type_name())),
        }
    }

    fn receive_sync(
        &mut self,
        document_id: String,
        data: &[u8],
        is_request: bool,
        events: &mut Vec<Event>,
    ) -> Result<(), SyncError> {
        let message = automerge::sync::Message::decode(data)
            .map_err(|source| SyncError::MalformedSyncMessage { document_id: document_id.clone(), source })?;
        let has_it = match self.documents.get_mut(&document_id) {
            Some(document) => !document.is_empty(),
            None => false,
        };
        if is_request && !has_it {
            // The relay asks on behalf of another peer; with one upstream and nothing here, the
            // only honest answer is that we do not have it.
            self.reply_unavailable(document_id);
            return Ok(());
        }
        // A relay may also announce a document we did not open; follow it, as automerge-repo
        // peers do.
        let document =
            self.documents.entry(document_id.clone()).or_insert_with(|| Document::new(AutoCommit::new()));
        let changed = document.receive(message).map_err(|source| SyncError::Apply {
            document_id: document_id.clone(),
            source: Box::new(source),
        })?;
        self.sync_document(&document_id);
        if changed {
            events.push(Event::DocumentChanged { document_id });
        }
        Ok(())
    }

    fn reply_unavailable(&mut self, document_id: String) {
        if let Connection::Connected { remote_peer_id } = &self.connection {
            let message = Message::DocUnavailable {
                sender_id: self.peer_id.clone(),
                target_id: remote_peer_id.clone(),
                document_id,
            };
            self.push(message);
        }
    }

    /// Queues the next sync message for a document, if connected and there is one.
    fn sync_document(&mut self, document_id: &str) {
        let Connection::Connected { remote_peer_id } = &self.connection else {
            return;
        };
        let Some(document) = self.documents.get_mut(document_id) else {
            return;
        };
        let (sender_id, target_id) = (self.peer_id.clone(), remote_peer_id.clone());
        let document_id = document_id.to_owned();
        let message = match document.generate() {
            None => return,
            Some(Outgoing::Request(data)) => Message::Request { sender_id, target_id, document_id, data },
            Some(Outgoing::Sync(data)) => Message::Sync { sender_id, target_id, document_id, data },
        };
        self.push(message);
    }

    fn reset_connection(&mut self) {
        self.connection = Connection::Offline;
        self.outgoing.clear();
        for document in self.documents.values_mut() {
            document.reset_connection();
        }
    }

    fn push(&mut self, message: Message) {
        self.outgoing.push(message.encode());
    }
}

fn check_id(document_id: &str) -> Result<(), SyncError> {
    wire::check_document_id(document_id)
        .map_err(|reason| SyncError::InvalidDocumentId { id: document_id.to_owned(), reason })
}
