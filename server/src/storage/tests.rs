//! The SQLite storage: keys, prefixes, group commit, and which changes are durable.

use futures::FutureExt;

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
        quorum_shared::order::sort(&mut found);
        quorum_shared::order::sort(&mut expected);
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

/// Holds the database's connection until the returned sender is dropped, so that the writer
/// cannot commit meanwhile.
fn hold_database(storage: &SqliteStorage) -> std::sync::mpsc::Sender<()> {
    let (release, released) = std::sync::mpsc::channel::<()>();
    let (locked, is_locked) = std::sync::mpsc::channel();
    let db = storage.db.clone();
    std::thread::spawn(move || {
        db.call_blocking(|_| {
            locked.send(()).unwrap();
            let _ = released.recv();
            Ok(())
        })
    });
    is_locked.recv().unwrap();
    release
}

#[tokio::test]
async fn a_change_is_durable_once_its_write_commits_or_it_is_loaded() {
    let (dir, storage) = storage();
    let heads = [automerge::ChangeHash([9; 32])];
    let held = hold_database(&storage);
    let write = storage.put(key(&["doc", "incremental", &heads[0].to_string()]), vec![1]);
    {
        let mut durable = std::pin::pin!(storage.heads_durable("doc", &heads));
        assert!(futures::poll!(durable.as_mut()).is_pending(), "the write has not committed");
        drop(held);
        durable.await;
    }
    write.await;
    drop(storage);

    // After a restart nothing is known until samod loads the document.
    let storage = SqliteStorage::new(Database::open(dir.path()).unwrap());
    let mut durable = std::pin::pin!(storage.heads_durable("doc", &heads));
    assert!(futures::poll!(durable.as_mut()).is_pending());
    assert_eq!(storage.load_range(key(&["doc"])).await.len(), 1);
    durable.await;
}

#[tokio::test]
async fn writes_queued_together_commit_together_and_in_order() {
    let (_dir, storage) = storage();
    let held = hold_database(&storage);
    let k = key(&["doc", "snapshot", "s"]);
    let mut writes = Vec::new();
    for i in 0..100u8 {
        writes.push(storage.put(key(&["doc", "incremental", &i.to_string()]), vec![i]).boxed());
    }
    writes.push(storage.put(k.clone(), vec![1]).boxed());
    writes.push(storage.delete(k.clone()).boxed());
    writes.push(storage.put(k.clone(), vec![2]).boxed());
    let mut all = std::pin::pin!(futures::future::join_all(writes));
    assert!(futures::poll!(all.as_mut()).is_pending(), "nothing commits while the database is held");
    drop(held);
    all.await;
    assert_eq!(storage.load_range(key(&["doc", "incremental"])).await.len(), 100);
    assert_eq!(storage.load(k).await, Some(vec![2]), "the last of a key's writes wins");
}

#[test]
fn the_database_is_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(dir.path()).unwrap();
    let mode: String =
        db.call_blocking(|conn| conn.query_row("PRAGMA journal_mode", [], |row| row.get(0))).unwrap();
    assert_eq!(mode, "wal");
}
