//! samod's [`Storage`] on SQLite: each key is one row of the `chunks` table, its components
//! joined by `/` (samod guarantees no component contains one).
//!
//! A put or delete returns only after its transaction has committed; if SQLite refuses (a full
//! disk, a locked file) the operation is retried with backoff and logged rather than reported
//! as done, because samod treats a finished put as durable.

use std::{
    collections::{BTreeSet, HashMap},
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use samod::storage::{Storage, StorageKey};
use tokio::sync::watch;

use crate::db::Database;

/// The document store samod writes through.
#[derive(Clone, Debug)]
pub struct SqliteStorage {
    db: Database,
    writes: Arc<Writes>,
}

/// Writes in flight, so that a sync reply can wait for the writes begun before it.
#[derive(Debug)]
struct Writes {
    next: AtomicU64,
    in_flight: Mutex<BTreeSet<u64>>,
    finished: watch::Sender<u64>,
}

/// Marks one write finished when dropped, also if its future is dropped before the end.
struct WriteGuard(Arc<Writes>, u64);

impl Drop for WriteGuard {
    fn drop(&mut self) {
        self.0.in_flight.lock().unwrap_or_else(|p| p.into_inner()).remove(&self.1);
        self.0.finished.send_modify(|n| *n += 1);
    }
}

impl SqliteStorage {
    pub fn new(db: Database) -> Self {
        let writes =
            Writes { next: AtomicU64::new(0), in_flight: Mutex::default(), finished: watch::channel(0).0 };
        Self { db, writes: Arc::new(writes) }
    }

    /// Registers a write when samod asks for it (not when its future first runs).
    fn begin_write(&self) -> WriteGuard {
        let seq = self.writes.next.fetch_add(1, Ordering::SeqCst);
        self.writes.in_flight.lock().unwrap_or_else(|p| p.into_inner()).insert(seq);
        WriteGuard(self.writes.clone(), seq)
    }

    /// Waits until every write that samod had asked for when this was called has committed.
    pub fn writes_committed(&self) -> impl Future<Output = ()> + Send + 'static {
        let horizon = self.writes.next.load(Ordering::SeqCst);
        let writes = self.writes.clone();
        async move {
            let mut finished = writes.finished.subscribe();
            loop {
                let oldest = writes.in_flight.lock().unwrap_or_else(|p| p.into_inner()).first().copied();
                if oldest.is_none_or(|oldest| oldest >= horizon) {
                    return;
                }
                if finished.changed().await.is_err() {
                    return;
                }
            }
        }
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
        self.retry("load", &key, move |conn| {
            use rusqlite::OptionalExtension;
            conn.query_row("SELECT data FROM chunks WHERE key = ?1", [&lookup], |row| row.get(0)).optional()
        })
        .await
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
        let guard = self.begin_write();
        let this = self.clone();
        async move {
            this.put_now(key, data).await;
            drop(guard);
        }
    }

    fn delete(&self, key: StorageKey) -> impl Future<Output = ()> + Send {
        let guard = self.begin_write();
        let this = self.clone();
        async move {
            this.delete_now(key).await;
            drop(guard);
        }
    }
}

impl SqliteStorage {
    async fn put_now(&self, key: StorageKey, data: Vec<u8>) {
        let key = key.to_string();
        let row_key = key.clone();
        let data = std::sync::Arc::new(data);
        self.retry("put", &key, move |conn| {
            conn.prepare_cached(
                "INSERT INTO chunks (key, data) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET data = excluded.data",
            )?
            .execute(rusqlite::params![row_key, data.as_slice()])
            .map(drop)
        })
        .await
    }

    async fn delete_now(&self, key: StorageKey) {
        let key = key.to_string();
        let row_key = key.clone();
        self.retry("delete", &key, move |conn| {
            conn.prepare_cached("DELETE FROM chunks WHERE key = ?1")?.execute([&row_key]).map(drop)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(parts: &[&str]) -> StorageKey {
        StorageKey::from_parts(parts.iter().copied()).unwrap()
    }

    fn storage() -> (tempfile::TempDir, SqliteStorage) {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(dir.path()).unwrap();
        (dir, SqliteStorage::new(db))
    }

    #[tokio::test]
    async fn put_then_load_returns_the_bytes_and_missing_keys_are_none() {
        let (_dir, storage) = storage();
        storage.put(key(&["doc", "incremental", "h1"]), vec![1, 2, 3]).await;
        assert_eq!(storage.load(key(&["doc", "incremental", "h1"])).await, Some(vec![1, 2, 3]));
        assert_eq!(storage.load(key(&["doc", "incremental", "h2"])).await, None);
    }

    #[tokio::test]
    async fn put_overwrites_and_delete_removes() {
        let (_dir, storage) = storage();
        let k = key(&["doc", "snapshot", "s"]);
        storage.put(k.clone(), vec![1]).await;
        storage.put(k.clone(), vec![2]).await;
        assert_eq!(storage.load(k.clone()).await, Some(vec![2]));
        storage.delete(k.clone()).await;
        assert_eq!(storage.load(k.clone()).await, None);
        // Deleting what is not there is not an error.
        storage.delete(k).await;
    }

    #[tokio::test]
    async fn load_range_returns_exactly_the_keys_under_the_prefix() {
        let (_dir, storage) = storage();
        for parts in [
            &["abc", "incremental", "1"][..],
            &["abc", "incremental", "2"],
            &["abc", "snapshot", "1"],
            &["abcd", "incremental", "1"],
            &["ab", "incremental", "1"],
            &["abc.", "incremental", "1"],
        ] {
            storage.put(key(parts), parts.join("/").into_bytes()).await;
        }
        let check = async |prefix: &[&str], mut expected: Vec<&str>| {
            let found = storage.load_range(key(prefix)).await;
            let mut found: Vec<String> = found.keys().map(|k| k.to_string()).collect();
            found.sort();
            expected.sort();
            assert_eq!(found, expected);
        };
        check(&["abc"], vec!["abc/incremental/1", "abc/incremental/2", "abc/snapshot/1"]).await;
        check(&["abc", "incremental"], vec!["abc/incremental/1", "abc/incremental/2"]).await;
        check(&["abc", "incremental", "1"], vec!["abc/incremental/1"]).await;
        check(&["zzz"], vec![]).await;
        assert_eq!(storage.load_range(key(&[])).await.len(), 6);
    }

    #[tokio::test]
    async fn data_survives_reopening_the_database() {
        let dir = tempfile::tempdir().unwrap();
        {
            let storage = SqliteStorage::new(Database::open(dir.path()).unwrap());
            storage.put(key(&["doc", "incremental", "h"]), vec![9; 1000]).await;
        }
        let storage = SqliteStorage::new(Database::open(dir.path()).unwrap());
        assert_eq!(storage.load(key(&["doc", "incremental", "h"])).await, Some(vec![9; 1000]));
    }

    #[tokio::test]
    async fn writes_committed_waits_for_the_writes_begun_before_it_only() {
        let (_dir, storage) = storage();
        let earlier = storage.put(key(&["doc", "incremental", "a"]), vec![1]);
        let barrier = storage.writes_committed();
        let later = storage.put(key(&["doc", "incremental", "b"]), vec![2]);
        let mut barrier = std::pin::pin!(barrier);
        assert!(futures::poll!(barrier.as_mut()).is_pending(), "a write begun before is still in flight");
        earlier.await;
        barrier.await;
        // The later write was not waited for, and is still to do.
        assert_eq!(storage.load(key(&["doc", "incremental", "b"])).await, None);
        later.await;
        assert_eq!(storage.load(key(&["doc", "incremental", "b"])).await, Some(vec![2]));
        storage.writes_committed().await;
    }

    #[test]
    fn the_database_is_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(dir.path()).unwrap();
        let mode: String =
            db.call_blocking(|conn| conn.query_row("PRAGMA journal_mode", [], |row| row.get(0))).unwrap();
        assert_eq!(mode, "wal");
    }
}
