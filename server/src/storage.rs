//! samod's [`Storage`] on SQLite: each key is one row of the `chunks` table, its components
//! joined by `/` (samod guarantees no component contains one).
//!
//! Writes are group-committed: a put or delete joins a queue, and one writer thread commits
//! everything queued so far in a single transaction, then wakes every caller whose write it held.
//! A put returns only after its transaction has committed, because samod treats a finished put
//! as durable; if SQLite refuses (a full disk, a locked file) the batch is retried with backoff
//! and logged rather than reported as done.
//!
//! Why a queue: with one transaction per put, every incoming change paid for its own commit and
//! its own trip through the blocking pool, one after another behind the connection's lock, and
//! the sync connections, which wait for their messages' changes to commit
//! ([`SqliteStorage::heads_durable`]), waited on that whole line. Under load the line grew faster than it drained. With a batch per commit the cost
//! of a commit is shared by whatever arrived while the previous one ran, so the wait stays about
//! one commit long however busy the relay is.
//!
//! Durability: the database stays on `synchronous = FULL` (see `db.rs`), so a commit is on disk,
//! not only in the page cache, before anyone is told. `NORMAL` in WAL mode would also survive a
//! `kill -9` (the log is written before the commit returns; only the fsync is deferred), which
//! is all the relay's crash test checks, but not a power cut or a kernel panic, and DESIGN.md
//! promises that a crash loses nothing acknowledged. Group commit makes FULL cheap: one fsync per
//! batch rather than per change.

mod durable;

use std::{
    collections::HashMap,
    sync::{Arc, Condvar, Mutex},
    time::Duration,
};

use samod::storage::{Storage, StorageKey};
use tokio::sync::watch;

use crate::db::Database;

pub(crate) use durable::sync_message_heads;

/// The document store samod writes through.
#[derive(Clone, Debug)]
pub struct SqliteStorage {
    db: Database,
    writer: Arc<WriterHandle>,
}

/// One change to the `chunks` table, waiting for the writer.
#[derive(Debug)]
enum Op {
    Put(String, Vec<u8>),
    Delete(String),
}

#[derive(Debug, Default)]
struct Queue {
    /// The sequence number the next write will get; writes are numbered in queue order.
    next: u64,
    ops: Vec<Op>,
    closed: bool,
}

/// What the storage handles and the writer thread share.
#[derive(Debug)]
struct Shared {
    queue: Mutex<Queue>,
    wake: Condvar,
    /// How many writes have committed: every write numbered below it is durable.
    committed: watch::Sender<u64>,
    /// Which changes those writes (and the loads) made durable, by document.
    durable: durable::Durable,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Owned by the storage handles: when the last one is dropped the writer commits what is left
/// and stops.
#[derive(Debug)]
struct WriterHandle(Arc<Shared>);

impl Drop for WriterHandle {
    fn drop(&mut self) {
        self.0.lock().closed = true;
        self.0.wake.notify_one();
    }
}

impl SqliteStorage {
    pub fn new(db: Database) -> Self {
        let shared = Arc::new(Shared {
            queue: Mutex::default(),
            wake: Condvar::new(),
            committed: watch::channel(0).0,
            durable: durable::Durable::default(),
        });
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

    /// Queues a write (when samod asks for it, not when its future first runs) and returns a
    /// future that ends once it has committed.
    fn write(&self, op: Op) -> impl Future<Output = ()> + Send + 'static {
        let shared = &self.writer.0;
        let mut committed = shared.committed.subscribe();
        let seq = {
            let mut queue = shared.lock();
            queue.ops.push(op);
            queue.next += 1;
            queue.next - 1
        };
        shared.wake.notify_one();
        async move {
            // An error means the writer is gone, which happens only once every handle is dropped.
            let _ = committed.wait_for(|&done| done > seq).await;
        }
    }

    /// Waits until every one of `heads` of `document` is on disk: written and committed, or
    /// loaded from the database.
    pub fn heads_durable(&self, document: &str, heads: &[automerge::ChangeHash]) -> impl Future<Output = ()> {
        self.writer.0.durable.wait(document, heads)
    }

    async fn retry<R, F>(&self, what: &'static str, key: &str, f: F) -> R
    where
        R: Send + 'static,
        F: Fn(&mut rusqlite::Connection) -> rusqlite::Result<R> + Clone + Send + 'static,
    {
        let mut delay = Duration::from_millis(10);
        loop {
            match self.db.call(f.clone()).await {
                Ok(value) => return value,
                Err(error) => {
                    tracing::error!(%error, key, "storage {what} failed; retrying in {delay:?}");
                    tokio::time::sleep(delay).await;
                    delay = (delay * 2).min(Duration::from_secs(5));
                }
            }
        }
    }
}

/// The writer thread: takes everything queued, commits it as one transaction, tells the waiters.
fn write_loop(db: &Database, shared: &Shared) {
    loop {
        let (ops, upto) = {
            let mut queue = shared.lock();
            while queue.ops.is_empty() && !queue.closed {
                queue = shared.wake.wait(queue).unwrap_or_else(|p| p.into_inner());
            }
            if queue.ops.is_empty() {
                return;
            }
            (std::mem::take(&mut queue.ops), queue.next)
        };
        let mut delay = Duration::from_millis(10);
        while let Err(error) = db.call_blocking(|conn| commit(conn, &ops)) {
            tracing::error!(%error, writes = ops.len(), "storage commit failed; retrying in {delay:?}");
            std::thread::sleep(delay);
            delay = (delay * 2).min(Duration::from_secs(5));
        }
        shared.durable.record(ops.iter().filter_map(|op| match op {
            Op::Put(key, data) => Some((key.as_str(), data.as_slice())),
            Op::Delete(_) => None,
        }));
        shared.committed.send_replace(upto);
    }
}

fn commit(conn: &mut rusqlite::Connection, ops: &[Op]) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    {
        let mut put = tx.prepare_cached(
            "INSERT INTO chunks (key, data) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET data = excluded.data",
        )?;
        let mut delete = tx.prepare_cached("DELETE FROM chunks WHERE key = ?1")?;
        for op in ops {
            match op {
                Op::Put(key, data) => put.execute(rusqlite::params![key, data])?,
                Op::Delete(key) => delete.execute([key])?,
            };
        }
    }
    tx.commit()
}

/// The range of stored keys that `prefix` covers: the key itself and everything below it.
fn prefix_bounds(prefix: &str) -> Option<(String, String, String)> {
    if prefix.is_empty() {
        return None;
    }
    // '0' is the character after '/', so [p/, p0) holds exactly the keys under p.
    Some((prefix.to_owned(), format!("{prefix}/"), format!("{prefix}0")))
}

fn parse_key(stored: &str) -> Option<StorageKey> {
    StorageKey::from_parts(stored.split('/')).ok()
}

impl Storage for SqliteStorage {
    async fn load(&self, key: StorageKey) -> Option<Vec<u8>> {
        let key = key.to_string();
        let lookup = key.clone();
        let data: Option<Vec<u8>> = self
            .retry("load", &key, move |conn| {
                use rusqlite::OptionalExtension;
                conn.query_row("SELECT data FROM chunks WHERE key = ?1", [&lookup], |row| row.get(0))
                    .optional()
            })
            .await;
        if let Some(data) = &data {
            self.writer.0.durable.record([(key.as_str(), data.as_slice())]);
        }
        data
    }

    async fn load_range(&self, prefix: StorageKey) -> HashMap<StorageKey, Vec<u8>> {
        let prefix = prefix.to_string();
        let bounds = prefix_bounds(&prefix);
        let rows: Vec<(String, Vec<u8>)> = self
            .retry("load_range", &prefix, move |conn| {
                let map = |row: &rusqlite::Row<'_>| Ok((row.get(0)?, row.get(1)?));
                match &bounds {
                    None => {
                        conn.prepare_cached("SELECT key, data FROM chunks")?.query_map([], map)?.collect()
                    }
                    Some((exact, low, high)) => conn
                        .prepare_cached(
                            "SELECT key, data FROM chunks WHERE key = ?1 OR (key >= ?2 AND key < ?3)",
                        )?
                        .query_map([exact, low, high], map)?
                        .collect(),
                }
            })
            .await;
        self.writer.0.durable.record(rows.iter().map(|(key, data)| (key.as_str(), data.as_slice())));
        rows.into_iter()
            .filter_map(|(key, data)| match parse_key(&key) {
                Some(key) => Some((key, data)),
                None => {
                    tracing::warn!(key, "skipping a stored chunk whose key samod cannot read");
                    None
                }
            })
            .collect()
    }

    fn put(&self, key: StorageKey, data: Vec<u8>) -> impl Future<Output = ()> + Send {
        self.write(Op::Put(key.to_string(), data))
    }

    fn delete(&self, key: StorageKey) -> impl Future<Output = ()> + Send {
        self.write(Op::Delete(key.to_string()))
    }
}

#[cfg(test)]
mod tests;
