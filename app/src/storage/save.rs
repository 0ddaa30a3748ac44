//! A save in two halves: [`Storage::prepare_save`] takes the bytes to write from the document
//! at once, and [`Storage::write`] writes them. The app prepares under a short borrow of the
//! open document and writes with nothing borrowed: a copy of the whole document per save (as
//! before) cost more than the save itself, on every edit and every remote batch.

use automerge::{AutoCommit, ChangeHash};
use rexie::TransactionMode;

use super::{ChunkInfo, ChunkKey, SAVING, Saved, Storage, StorageError, finish};

/// What one save of a document will write; made by [`Storage::prepare_save`].
#[must_use = "nothing is saved until it is written"]
pub struct PendingSave {
    doc_id: String,
    /// The document's heads when it was prepared: what is saved once it is written.
    heads: Vec<ChangeHash>,
    write: Write,
}

enum Write {
    Nothing,
    Incremental { key: ChunkKey, bytes: Vec<u8> },
    Snapshot { key: ChunkKey, bytes: Vec<u8>, superseded: Vec<ChunkKey> },
}

impl Storage {
    /// What saving `doc` now writes: its changes since the last save as one incremental chunk,
    /// or, once the incrementals would outgrow the last snapshot, a new snapshot.
    pub fn prepare_save(&self, doc_id: &str, doc: &mut AutoCommit) -> PendingSave {
        let heads = doc.get_heads();
        let (since, incremental_size, snapshot_size) = match self.docs.borrow().get(doc_id) {
            Some(state) if state.saved_heads == heads => return nothing(doc_id, heads),
            Some(state) => (
                state.saved_heads.clone(),
                state.size(super::ChunkKind::Incremental),
                state.size(super::ChunkKind::Snapshot),
            ),
            None => (Vec::new(), 0, 0),
        };
        let changes = doc.save_after(&since);
        if changes.is_empty() {
            return nothing(doc_id, heads);
        }
        // Loading many small chunks costs more than one snapshot of the same size; this is
        // automerge-repo's rule, and it keeps the stored size within about twice the snapshot's.
        if incremental_size + changes.len() > snapshot_size {
            return self.prepare_snapshot(doc_id, doc);
        }
        let key = ChunkKey::incremental(doc_id, &changes);
        PendingSave { doc_id: doc_id.to_owned(), heads, write: Write::Incremental { key, bytes: changes } }
    }

    /// A snapshot of all of `doc`, which replaces every chunk it makes redundant.
    pub fn prepare_snapshot(&self, doc_id: &str, doc: &mut AutoCommit) -> PendingSave {
        let heads = doc.get_heads();
        let bytes = doc.save();
        let key = ChunkKey::snapshot(doc_id, &heads);
        let superseded: Vec<ChunkKey> = match self.docs.borrow().get(doc_id) {
            Some(state) => state
                .chunks
                .iter()
                .filter(|chunk| chunk.key != key && doc.get_missing_deps(&chunk.covers).is_empty())
                .map(|chunk| chunk.key.clone())
                .collect(),
            None => Vec::new(),
        };
        PendingSave { doc_id: doc_id.to_owned(), heads, write: Write::Snapshot { key, bytes, superseded } }
    }

    /// Writes what `pending` holds in one transaction, and resolves only once the browser
    /// reports it complete: a snapshot and the deletion of the chunks it replaces happen both
    /// or neither.
    pub async fn write(&self, pending: PendingSave) -> Result<Saved, StorageError> {
        let PendingSave { doc_id, heads, write } = pending;
        let (key, bytes, superseded, saved) = match write {
            Write::Nothing => return Ok(Saved::Nothing),
            Write::Incremental { key, bytes } => (key, bytes, Vec::new(), Saved::Incremental),
            Write::Snapshot { key, bytes, superseded } => (key, bytes, superseded, Saved::Snapshot),
        };
        let (transaction, store) = self.transaction(TransactionMode::ReadWrite, SAVING, &doc_id)?;
        let failed = |error| StorageError::from_rexie(error, SAVING, &doc_id);
        store.put(&key.value(&bytes), Some(&key.to_js())).await.map_err(failed)?;
        for old in &superseded {
            store.delete(old.to_js()).await.map_err(failed)?;
        }
        finish(transaction, SAVING, &doc_id).await?;

        let mut docs = self.docs.borrow_mut();
        let state = docs.entry(doc_id).or_default();
        state.chunks.retain(|chunk| !superseded.contains(&chunk.key));
        if !state.chunks.iter().any(|chunk| chunk.key == key) {
            state.chunks.push(ChunkInfo { key, size: bytes.len(), covers: heads.clone() });
        }
        state.saved_heads = heads;
        Ok(saved)
    }
}

fn nothing(doc_id: &str, heads: Vec<ChangeHash>) -> PendingSave {
    PendingSave { doc_id: doc_id.to_owned(), heads, write: Write::Nothing }
}
