//! The document store the relay core drives, on SQLite: each chunk is one row of the `chunks`
//! table, keyed as automerge-repo lays storage out (`<document>/incremental/<name>`,
//! `<document>/snapshot/<name>`), so a database written by the samod relay before it reads the
//! same.
//!
//! Writes are group-committed: the core's writes join a queue, and one writer thread commits
//! everything queued so far in a single transaction, then reports each write's result. With a
//! transaction per write every change paid for its own fsync, one after another; with a batch per
//! commit the cost is shared by whatever arrived while the previous one ran, so the wait stays
//! about one commit long however busy the relay is. If the batch fails, each write is tried on
//! its own, so that one write that cannot succeed fails alone and the others commit; the core
//! retries the failures and holds back what depends on them.
//!
//! Durability: the database stays on `synchronous = FULL` (see `db.rs`), so a commit is on disk,
//! not only in the page cache, before anyone is told. Group commit makes that cheap: one fsync per
//! batch rather than per change.

use std::sync::{Arc, Condvar, Mutex};

use automerge::Automerge;
use quorum_shared::relay::{Binding, Bound, Write};

use crate::chunks::{Report, bounds};
use crate::db::{Database, DbError};
use crate::postgres::PgStorage;

/// Where the relay core's chunks are stored: the embedded SQLite file, or a PostgreSQL several
/// relays share (`postgres/storage.rs`, which also logs each write for the other relays).
#[derive(Clone, Debug)]
pub enum Storage {
    Sqlite(SqliteStorage),
    Postgres(PgStorage),
}

impl Storage {
    /// Says where write results go; until then they are held back with their writes.
    pub fn report_to(&self, report: Report) {
        match self {
            Storage::Sqlite(s) => s.report_to(report),
            Storage::Postgres(s) => s.report_to(report),
        }
    }

    /// Queues a write for the next group commit.
    pub fn submit(&self, write: Write) {
        match self {
            Storage::Sqlite(s) => s.submit(write),
            Storage::Postgres(s) => s.submit(write),
        }
    }

    /// Every chunk stored for a document, in key order.
    pub async fn load(&self, document_id: &str) -> Result<Vec<(String, Vec<u8>)>, DbError> {
        match self {
            Storage::Sqlite(s) => s.load(document_id).await,
            Storage::Postgres(s) => s.load(document_id).await,
        }
    }

    /// A document as stored, read outside the relay (the command line, tests); `None` if
    /// nothing of it is stored or nothing of it can be read.
    pub async fn document(&self, document_id: &str) -> Result<Option<Automerge>, DbError> {
        Ok(read_document(document_id, self.load(document_id).await?))
    }

    /// Every actor and device bound to a member, for the relay to take in as it starts.
    pub async fn bindings(&self) -> Result<Vec<Binding>, DbError> {
        match self {
            Storage::Sqlite(s) => s.bindings(),
            Storage::Postgres(s) => s.bindings().await,
        }
    }

    /// Stores a new document's first chunk at once, outside the queue.
    pub async fn create(&self, key: String, chunk: Vec<u8>) -> Result<(), DbError> {
        match self {
            Storage::Sqlite(s) => s.create(key, chunk).await,
            Storage::Postgres(s) => s.create(key, chunk).await,
        }
    }
}

/// The chunks store. Cheap to clone; the writer thread stops when the last clone is dropped.
#[derive(Clone)]
pub struct SqliteStorage {
    db: Database,
    writer: Arc<WriterHandle>,
}

impl std::fmt::Debug for SqliteStorage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStorage").field("db", &self.db).finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Queue {
    writes: Vec<Write>,
    report: Option<Arc<Report>>,
    closed: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    wake: Condvar,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }
}

struct WriterHandle(Arc<Shared>);

impl Drop for WriterHandle {
    fn drop(&mut self) {
        self.0.lock().closed = true;
        self.0.wake.notify_one();
    }
}

impl SqliteStorage {
    pub fn new(db: Database) -> Self {
        let shared = Arc::new(Shared { queue: Mutex::default(), wake: Condvar::new() });
        let writer = {
            let (db, shared) = (db.clone(), shared.clone());
            move || write_loop(&db, &shared)
        };
        std::thread::Builder::new()
            .name("quorum-storage".into())
            .spawn(writer)
            .expect("the storage writer thread starts");
        Self { db, writer: Arc::new(WriterHandle(shared)) }
    }

    /// Says where write results go; until then they are held back with their writes.
    pub fn report_to(&self, report: Report) {
        self.writer.0.lock().report = Some(Arc::new(report));
        self.writer.0.wake.notify_one();
    }

    /// Queues a write for the next group commit.
    pub fn submit(&self, write: Write) {
        self.writer.0.lock().writes.push(write);
        self.writer.0.wake.notify_one();
    }

    /// Every chunk stored for a document, in key order.
    pub async fn load(&self, document_id: &str) -> Result<Vec<(String, Vec<u8>)>, DbError> {
        let (low, high) = bounds(document_id);
        self.db
            .call(move |conn| {
                conn.prepare_cached("SELECT key, data FROM chunks WHERE key >= ?1 AND key < ?2 ORDER BY key")?
                    .query_map([&low, &high], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect()
            })
            .await
    }

    /// Every actor and device bound to a member, for the relay to take in as it starts.
    pub fn bindings(&self) -> Result<Vec<Binding>, DbError> {
        self.db.call_blocking(|conn| {
            let mut rows = conn.prepare("SELECT workspace_id, id, kind, member_id FROM actor_bindings")?;
            let bindings = rows.query_map([], |row| {
                let (scope, id, kind, member): (String, Vec<u8>, String, String) =
                    (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
                Ok(Bound::parse(&kind).map(|kind| Binding { scope, id, kind, member }))
            })?;
            // A kind this version does not know binds nothing here; its row stays for the
            // version that wrote it.
            bindings.filter_map(Result::transpose).collect()
        })
    }

    /// Stores a new document's first chunk at once, outside the queue: the document is not in
    /// the relay yet, and the caller hands out its id only once this returns.
    pub async fn create(&self, key: String, chunk: Vec<u8>) -> Result<(), DbError> {
        self.db
            .call(move |conn| {
                conn.execute("INSERT INTO chunks (key, data) VALUES (?1, ?2)", rusqlite::params![key, chunk])
                    .map(|_| ())
            })
            .await
    }
}

/// A document from its stored chunks, skipping (and naming) those that cannot be read; `None` if
/// nothing of it reads.
pub(crate) fn read_document(document_id: &str, chunks: Vec<(String, Vec<u8>)>) -> Option<Automerge> {
    let bytes: Vec<&[u8]> = chunks.iter().map(|(_, chunk)| chunk.as_slice()).collect();
    let (doc, unreadable) = quorum_shared::relay::load_chunks(&bytes);
    for i in unreadable {
        tracing::warn!(document_id, key = chunks[i].0, "skipping a stored chunk that cannot be read");
    }
    (!doc.get_heads().is_empty()).then_some(doc)
}

/// The writer thread: takes everything queued, commits it as one transaction (or, if that
/// fails, each write in its own), reports.
fn write_loop(db: &Database, shared: &Shared) {
    loop {
        let (writes, report) = {
            let mut queue = shared.lock();
            while (queue.writes.is_empty() || queue.report.is_none()) && !queue.closed {
                queue = shared.wake.wait(queue).unwrap_or_else(|p| p.into_inner());
            }
            if queue.writes.is_empty() || queue.report.is_none() {
                return;
            }
            (std::mem::take(&mut queue.writes), queue.report.clone().expect("checked above"))
        };
        let results = match db.call_blocking(|conn| commit(conn, &writes)) {
            Ok(()) => writes.iter().map(|w| (w.id, Ok(()))).collect(),
            Err(error) => {
                tracing::error!(%error, writes = writes.len(), "a group commit failed; committing each write alone");
                writes
                    .iter()
                    .map(|write| {
                        let result = db.call_blocking(|conn| commit(conn, std::slice::from_ref(write)));
                        if let Err(error) = &result {
                            tracing::error!(%error, document = write.document_id, "a storage write failed; the relay retries it");
                        }
                        (write.id, result.map_err(|e| e.to_string()))
                    })
                    .collect()
            }
        };
        report(results);
    }
}

/// Stores a binding by the core's rule (`Bindings::insert`): the first binding of an id stays,
/// except that its own member may make an actor id of theirs a device.
pub(crate) const BIND: &str = "INSERT INTO actor_bindings (workspace_id, id, kind, member_id) VALUES (?1, ?2, ?3, ?4) \
     ON CONFLICT (workspace_id, id) DO UPDATE SET kind = excluded.kind \
     WHERE member_id = excluded.member_id AND excluded.kind = 'device'";

fn commit(conn: &mut rusqlite::Connection, writes: &[Write]) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    {
        let mut put = tx.prepare_cached(
            "INSERT INTO chunks (key, data) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET data = excluded.data",
        )?;
        let mut delete = tx.prepare_cached("DELETE FROM chunks WHERE key = ?1")?;
        let mut bind = tx.prepare_cached(BIND)?;
        for write in writes {
            for binding in &write.bind {
                bind.execute(rusqlite::params![
                    binding.scope,
                    binding.id,
                    binding.kind.as_str(),
                    binding.member
                ])?;
            }
            for key in &write.delete {
                delete.execute([key])?;
            }
            for (key, data) in &write.put {
                put.execute(rusqlite::params![key, data])?;
            }
        }
    }
    tx.commit()
}

#[cfg(test)]
mod tests;
