//! What the relay core does with storage: documents read in, writes handed out and answered,
//! retries, unloading, and folding a document's chunks into a snapshot.

use super::document::{Held, Open, Slot, Waiting, chunk_key, load_chunks};
use super::output::PendingWrite;
use super::{Binding, Output, Relay, Write, WriteId};

impl Relay {
    /// Storage's answer to an [`Output::Load`]: every chunk stored for the document, or why it
    /// could not be read (it is asked again after a backoff).
    pub fn loaded(&mut self, now: u64, document_id: &str, chunks: Result<Vec<(String, Vec<u8>)>, String>) {
        self.now = self.now.max(now);
        let Some(Slot::Loading { waiting, retry_at, arrived }) = self.documents.get_mut(document_id) else {
            return;
        };
        let chunks = match chunks {
            Ok(chunks) => chunks,
            Err(_) => {
                self.stats.load_failures += 1;
                *retry_at = Some(now + self.config.first_retry_ms.max(1) * 10);
                return;
            }
        };
        let waiting = std::mem::take(waiting);
        let arrived = std::mem::take(arrived);
        // One unreadable chunk must not cost the rest of the document; it stays in storage, out
        // of the set a snapshot replaces, for someone to look at.
        let bytes: Vec<&[u8]> = chunks.iter().map(|(_, chunk)| chunk.as_slice()).collect();
        let (doc, unreadable) = load_chunks(&bytes);
        self.stats.unreadable_chunks += unreadable.len() as u64;
        let stored = chunks
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !unreadable.contains(i))
            .map(|(_, (key, _))| key)
            .collect();
        self.stats.documents_loaded += 1;
        self.documents.insert(document_id.to_owned(), Slot::Ready(Box::new(Open::new(doc, stored))));
        for (key, chunk) in arrived {
            self.stored_elsewhere(now, document_id, key, &chunk);
        }
        for Waiting { connection, message, is_request } in waiting {
            self.apply(connection, document_id, message, is_request);
        }
    }

    /// A chunk another relay committed for a document (several relays sharing one store): an
    /// open document takes it in and every peer of it is due the news; nothing is written, since
    /// it is stored already, and nothing waits, since it is committed. A document still loading
    /// takes it once loaded; one not in memory reads it from storage when it is next opened.
    pub fn stored_elsewhere(&mut self, now: u64, document_id: &str, key: String, chunk: &[u8]) {
        self.now = self.now.max(now);
        match self.documents.get_mut(document_id) {
            Some(Slot::Loading { arrived, .. }) => arrived.push((key, chunk.to_vec())),
            Some(Slot::Ready(open)) => {
                let before = open.doc.get_heads();
                if open.doc.load_incremental(chunk).is_err() {
                    self.stats.unreadable_chunks += 1;
                    return;
                }
                self.stats.chunks_from_elsewhere += 1;
                // A snapshot made here may fold it in, and delete it, as it would its own.
                open.stored.insert(key);
                if open.doc.get_heads() != before {
                    for peer in open.peers.values_mut() {
                        peer.dirty = true;
                    }
                    self.dirty.insert(document_id.to_owned());
                }
            }
            None => {}
        }
    }

    /// Storage's answer to an [`Output::Write`].
    pub fn written(&mut self, now: u64, id: WriteId, result: Result<(), String>) {
        self.now = self.now.max(now);
        let Some(pending) = self.writes.get_mut(&id) else { return };
        if result.is_err() {
            self.stats.write_failures += 1;
            pending.attempts += 1;
            let backoff = self.config.first_retry_ms.saturating_mul(1 << pending.attempts.min(16));
            pending.retry_at = Some(now + backoff.min(self.config.max_retry_ms));
            return;
        }
        let Some(PendingWrite { write, .. }) = self.writes.remove(&id) else { return };
        self.stats.writes_committed += 1;
        let Some(Slot::Ready(open)) = self.documents.get_mut(&write.document_id) else { return };
        open.writes_in_flight -= 1;
        open.outstanding.remove(&id);
        for key in &write.delete {
            open.stored.remove(key);
        }
        open.stored.extend(write.put.into_iter().map(|(key, _)| key));
        let released = open.releasable();
        self.stats.held_frames -= released.len();
        let compact = open.outstanding.is_empty()
            && open.writes_in_flight == 0
            && open.incrementals() >= self.config.compact_after;
        for Held { connection, frame, .. } in released {
            if self.connections.contains_key(&connection) {
                self.outputs.push(Output::Send { connection, frame });
            }
        }
        if compact {
            self.compact(&write.document_id);
        }
    }

    /// Hands out again what failed and is due, and unloads documents idle past their grace.
    pub fn tick(&mut self, now: u64) {
        self.now = self.now.max(now);
        for pending in self.writes.values_mut() {
            if pending.retry_at.is_some_and(|at| at <= now) {
                pending.retry_at = None;
                self.outputs.push(Output::Write(pending.write.clone()));
            }
        }
        for (document_id, slot) in &mut self.documents {
            if let Slot::Loading { retry_at, .. } = slot
                && retry_at.is_some_and(|at| at <= now)
            {
                *retry_at = None;
                self.outputs.push(Output::Load { document_id: document_id.clone() });
            }
        }
        let grace = self.config.unload_after_ms;
        let before = self.documents.len();
        self.documents.retain(|_, slot| match slot {
            Slot::Ready(open) => {
                !(open.is_idle() && open.idle_since.is_some_and(|since| since + grace <= now))
            }
            Slot::Loading { .. } => true,
        });
        self.stats.documents_unloaded += (before - self.documents.len()) as u64;
    }

    /// Folds a document's stored chunks into one snapshot, once nothing of it is in flight, so
    /// the snapshot holds exactly what is committed.
    fn compact(&mut self, document_id: &str) {
        let Some(Slot::Ready(open)) = self.documents.get_mut(document_id) else { return };
        // `save` carries the changes still waiting for their dependencies: their bindings too.
        let snapshot = open.doc.save();
        let key = chunk_key(document_id, "snapshot", &snapshot);
        let delete = open.stored.iter().filter(|stored| **stored != key).cloned().collect();
        let write = Write {
            id: 0,
            document_id: document_id.to_owned(),
            put: vec![(key, snapshot)],
            delete,
            bind: std::mem::take(&mut open.unstored),
        };
        // Nothing waits for a compaction: the incrementals it replaces are committed.
        self.hand_out(write, false);
    }

    /// Stores changes, and the bindings they made: frames generated until it commits wait.
    pub(super) fn write(&mut self, document_id: &str, put: Vec<(String, Vec<u8>)>, bind: Vec<Binding>) {
        let write = Write { id: 0, document_id: document_id.to_owned(), put, delete: Vec::new(), bind };
        self.hand_out(write, true);
    }

    fn hand_out(&mut self, mut write: Write, carries_changes: bool) {
        let Some(Slot::Ready(open)) = self.documents.get_mut(&write.document_id) else { return };
        let id = self.next_write;
        self.next_write += 1;
        open.writes_in_flight += 1;
        if carries_changes {
            open.outstanding.insert(id);
        }
        write.id = id;
        self.outputs.push(Output::Write(write.clone()));
        self.writes.insert(id, PendingWrite { write, attempts: 0, retry_at: None });
    }
}
