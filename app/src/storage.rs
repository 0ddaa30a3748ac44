//! The browser's own copy of every document: each artifact's Automerge document kept in
//! IndexedDB (through rexie) in automerge-repo's layout, so an edit is durable on this device
//! before anything reaches the relay, and the app opens with no network at all.
//!
//! A save writes the changes since the last save as one incremental chunk; once the incrementals
//! together outgrow the last snapshot, the save writes one new snapshot instead and deletes the
//! chunks it replaces, in the same transaction. A load reads every chunk under the document's id
//! and merges them, skipping (and reporting) a chunk that cannot be read.
//!
//! ```ignore
//! let storage = Storage::open("quorum").await?;
//! storage::request_persistence().await;
//! let mut doc = match storage.load(&doc_id).await? {
//!     Some(loaded) => loaded.doc, // `loaded.skipped` lists unreadable chunks to show
//!     None => quorum_shared::model::new_document(),
//! };
//! // ... edit `doc` ...
//! storage.save_changes(&doc_id, &mut doc).await?; // resolves once the write is durable
//! ```

mod error;
mod key;
mod open;
mod persistence;
mod save;

pub use error::StorageError;
pub use key::{ChunkKey, ChunkKind};
pub use persistence::request_persistence;
pub use save::PendingSave;

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};

use automerge::{AutoCommit, Automerge, AutomergeError, ChangeHash, LoadOptions, TextEncoding};
use idb::KeyRange;
use rexie::{Rexie, Store, Transaction, TransactionMode, TransactionResult};

/// What [`Storage::save_changes`] wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Saved {
    /// The document had no changes since the last save.
    Nothing,
    /// The new changes, as one incremental chunk.
    Incremental,
    /// The whole document, as one snapshot replacing the chunks before it.
    Snapshot,
}

/// A document read back from storage.
#[derive(Debug)]
pub struct LoadedDocument {
    pub doc: AutoCommit,
    /// One [`StorageError::CorruptEntry`] per chunk that could not be read. Those chunks are
    /// left as they are in storage; the document holds everything else.
    pub skipped: Vec<StorageError>,
}

/// An open Quorum database in this browser.
pub struct Storage {
    db: Rexie,
    /// What this connection knows is stored for each document it has loaded or saved. Only
    /// chunks known here are ever deleted by a compaction, so chunks another tab wrote meanwhile
    /// survive until a later load learns of them.
    docs: RefCell<HashMap<String, DocState>>,
}

#[derive(Default)]
struct DocState {
    /// The heads at the last load or save: the next save writes what came after them.
    saved_heads: Vec<ChangeHash>,
    chunks: Vec<ChunkInfo>,
}

struct ChunkInfo {
    key: ChunkKey,
    size: usize,
    /// Heads whose history includes everything in the chunk: a compaction may delete the chunk
    /// only if the document it saves has all of them.
    covers: Vec<ChangeHash>,
}

impl DocState {
    fn size(&self, kind: ChunkKind) -> usize {
        self.chunks.iter().filter(|chunk| chunk.key.kind == kind).map(|chunk| chunk.size).sum()
    }
}

pub(crate) const SAVING: &str = "save a document";
const READING: &str = "read saved documents";
const DELETING: &str = "delete a document";

impl Storage {
    /// Opens (and on first use creates) the database `name`.
    pub async fn open(name: &str) -> Result<Self, StorageError> {
        let db = open::database(name).await?;
        Ok(Self { db, docs: RefCell::default() })
    }

    /// Writes `doc`'s changes since the last save, and resolves only once the browser reports
    /// the transaction complete, so that the caller may then tell the person it is saved.
    /// [`Storage::prepare_save`] and [`Storage::write`] in one.
    pub async fn save_changes(&self, doc_id: &str, doc: &mut AutoCommit) -> Result<Saved, StorageError> {
        let pending = self.prepare_save(doc_id, doc);
        self.write(pending).await
    }

    /// Writes `doc` as one snapshot and, in the same transaction, deletes the chunks it makes
    /// redundant; either both happen or neither does.
    pub async fn compact(&self, doc_id: &str, doc: &mut AutoCommit) -> Result<(), StorageError> {
        let pending = self.prepare_snapshot(doc_id, doc);
        self.write(pending).await.map(|_| ())
    }

    /// Reads every chunk stored for `doc_id` and merges them into one document; `None` if
    /// nothing is stored for it.
    pub async fn load(&self, doc_id: &str) -> Result<Option<LoadedDocument>, StorageError> {
        let mut read = self.read_many(&[doc_id.to_owned()]).await?;
        Ok(self.merge(&mut read, doc_id))
    }

    /// Reads every chunk in the database in one transaction of two requests, to be merged
    /// document by document with [`Storage::merge`]: opening a workspace reads all of its
    /// documents, and one transaction per document (each walking a cursor, one event per
    /// chunk) cost more than the reading itself.
    pub async fn read_all(&self) -> Result<ReadChunks, StorageError> {
        let (_transaction, store) = self.transaction(TransactionMode::ReadOnly, READING, "")?;
        let mut read = ReadChunks::default();
        read_range(&store, None, "", &mut read).await?;
        Ok(read)
    }

    /// Reads the chunks of each of `doc_ids`, all in one transaction; see [`Storage::read_all`].
    pub async fn read_many(&self, doc_ids: &[String]) -> Result<ReadChunks, StorageError> {
        let first = doc_ids.first().map_or("", String::as_str);
        let (_transaction, store) = self.transaction(TransactionMode::ReadOnly, READING, first)?;
        let mut read = ReadChunks::default();
        for doc_id in doc_ids {
            let range = key::document_range(doc_id)
                .map_err(|error| StorageError::from_rexie(error.into(), READING, doc_id))?;
            read_range(&store, Some(range), doc_id, &mut read).await?;
        }
        Ok(read)
    }

    /// Merges the chunks `read` holds for `doc_id` into one document, and takes them out of
    /// `read`; `None` if nothing is stored for it. From then on this connection knows what is
    /// stored for the document, as after [`Storage::load`].
    pub fn merge(&self, read: &mut ReadChunks, doc_id: &str) -> Option<LoadedDocument> {
        let DocumentChunks { mut chunks, mut skipped } = read.docs.remove(doc_id)?;
        if chunks.is_empty() && skipped.is_empty() {
            return None;
        }
        // Snapshots first: a snapshot loads fastest into an empty document, and incrementals
        // then apply on top of the history they depend on.
        quorum_shared::order::sort_by_key(&mut chunks, |(key, _)| key.kind);
        let mut doc = quorum_shared::model::new_document();
        let mut stored = Vec::new();
        for (key, bytes) in chunks {
            match apply_chunk(&mut doc, key.kind, &bytes) {
                Ok(()) => stored.push(ChunkInfo { key, size: bytes.len(), covers: Vec::new() }),
                Err(error) => skipped.push(corrupt(&key, &error.to_string())),
            }
        }
        let heads = doc.get_heads();
        for chunk in &mut stored {
            chunk.covers.clone_from(&heads);
        }
        let state = DocState { saved_heads: heads, chunks: stored };
        self.docs.borrow_mut().insert(doc_id.to_owned(), state);
        Some(LoadedDocument { doc, skipped })
    }

    /// The ids of every document with chunks in this database, in sorted order.
    pub async fn list_documents(&self) -> Result<Vec<String>, StorageError> {
        let (_transaction, store) = self.transaction(TransactionMode::ReadOnly, READING, "")?;
        let keys = store.get_all_keys(None, None).await;
        let keys = keys.map_err(|error| StorageError::from_rexie(error, READING, ""))?;
        let ids: BTreeSet<String> = keys.iter().filter_map(key::doc_id_of).collect();
        Ok(ids.into_iter().collect())
    }

    /// The keys of every chunk stored for `doc_id`, in IndexedDB's order.
    pub async fn chunk_keys(&self, doc_id: &str) -> Result<Vec<ChunkKey>, StorageError> {
        let failed = |error| StorageError::from_rexie(error, READING, doc_id);
        let range = key::document_range(doc_id).map_err(|error| failed(error.into()))?;
        let (_transaction, store) = self.transaction(TransactionMode::ReadOnly, READING, doc_id)?;
        let keys = store.get_all_keys(Some(range), None).await.map_err(failed)?;
        Ok(keys.iter().filter_map(ChunkKey::from_js).collect())
    }

    /// Removes everything stored under `doc_id` from this browser, sync states included: a sync
    /// state without its document would tell a later sync that this browser has what it lost.
    pub async fn delete_document(&self, doc_id: &str) -> Result<(), StorageError> {
        let failed = |error| StorageError::from_rexie(error, DELETING, doc_id);
        let range = key::document_range(doc_id).map_err(|error| failed(error.into()))?;
        let (transaction, store) = self.transaction(TransactionMode::ReadWrite, DELETING, doc_id)?;
        store.delete(range.into()).await.map_err(failed)?;
        finish(transaction, DELETING, doc_id).await?;
        self.docs.borrow_mut().remove(doc_id);
        Ok(())
    }

    /// Closes the connection, so that another connection may upgrade or delete the database.
    pub fn close(self) {
        self.db.close();
    }

    fn transaction(
        &self,
        mode: TransactionMode,
        doing: &'static str,
        doc_id: &str,
    ) -> Result<(Transaction, Store), StorageError> {
        let failed = |error| StorageError::from_rexie(error, doing, doc_id);
        let transaction = self.db.transaction(&[open::STORE], mode).map_err(failed)?;
        let store = transaction.store(open::STORE).map_err(failed)?;
        Ok((transaction, store))
    }
}

/// Stored chunks read by [`Storage::read_all`] or [`Storage::read_many`], by document, not yet
/// merged.
#[derive(Default)]
pub struct ReadChunks {
    docs: HashMap<String, DocumentChunks>,
}

#[derive(Default)]
struct DocumentChunks {
    chunks: Vec<(ChunkKey, Vec<u8>)>,
    skipped: Vec<StorageError>,
}

/// Adds the chunks in `range` (the whole store with `None`) to `read`: two requests, the keys
/// and the values, which IndexedDB returns in the same (key) order.
async fn read_range(
    store: &Store,
    range: Option<KeyRange>,
    doc_id: &str,
    read: &mut ReadChunks,
) -> Result<(), StorageError> {
    let failed = |error| StorageError::from_rexie(error, READING, doc_id);
    let keys = store.get_all_keys(range.clone(), None).await.map_err(failed)?;
    let values = store.get_all(range, None).await.map_err(failed)?;
    for (key, value) in keys.iter().zip(&values) {
        // Not a document chunk: automerge-repo keeps sync states in the same store.
        let Some(key) = ChunkKey::from_js(key) else { continue };
        let entry = read.docs.entry(key.doc_id.clone()).or_default();
        match key::chunk_bytes(value) {
            Ok(bytes) => entry.chunks.push((key, bytes)),
            Err(reason) => entry.skipped.push(corrupt(&key, reason)),
        }
    }
    Ok(())
}

/// Waits until the browser has committed `transaction` to disk, or reports why it did not.
pub(crate) async fn finish(
    transaction: Transaction,
    doing: &'static str,
    doc_id: &str,
) -> Result<(), StorageError> {
    match transaction.done().await {
        Ok(TransactionResult::Committed) => Ok(()),
        Ok(TransactionResult::Aborted) => Err(StorageError::Aborted { doc_id: doc_id.to_owned() }),
        Err(error) => Err(StorageError::from_rexie(error, doing, doc_id)),
    }
}

/// Adds one chunk's changes to `doc`, or says why the chunk cannot be read; `doc` is unchanged
/// when it cannot.
fn apply_chunk(doc: &mut AutoCommit, kind: ChunkKind, bytes: &[u8]) -> Result<(), AutomergeError> {
    // The same text encoding as `quorum_shared::model::new_document`.
    let options = || LoadOptions::new().text_encoding(TextEncoding::Utf16CodeUnit);
    match kind {
        ChunkKind::Snapshot => {
            let mut snapshot = AutoCommit::load_with_options(bytes, options())?;
            if doc.is_empty() {
                *doc = snapshot;
            } else {
                doc.merge(&mut snapshot)?;
            }
        }
        ChunkKind::Incremental => {
            // `load_incremental` passes over bytes it cannot parse without a word, so the chunk
            // is parsed on its own first. Alone, its changes lack the earlier changes they build
            // on, and `MissingDeps` says exactly that: it parsed whole.
            match Automerge::load_with_options(bytes, options()) {
                Ok(_) | Err(AutomergeError::MissingDeps) => {}
                Err(error) => return Err(error),
            }
            doc.load_incremental(bytes)?;
        }
    }
    Ok(())
}

fn corrupt(key: &ChunkKey, reason: &str) -> StorageError {
    StorageError::CorruptEntry { doc_id: key.doc_id.clone(), key: key.to_string(), reason: reason.to_owned() }
}
