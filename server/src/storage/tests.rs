//! The SQLite store: chunks by document, group commit, and a write that fails failing alone.

use std::time::Duration;

use quorum_shared::relay::WriteId;

use super::*;
use crate::chunks::WriteResults;

fn storage() -> (tempfile::TempDir, SqliteStorage, std::sync::mpsc::Receiver<WriteResults>) {
    let dir = tempfile::tempdir().unwrap();
    let storage = SqliteStorage::new(Database::open(dir.path()).unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    storage.report_to(Box::new(move |results| tx.send(results).unwrap()));
    (dir, storage, rx)
}

fn write(id: WriteId, document: &str, put: &[(&str, &[u8])], delete: &[&str]) -> Write {
    Write {
        id,
        document_id: document.to_owned(),
        put: put.iter().map(|(k, v)| ((*k).to_owned(), v.to_vec())).collect(),
        delete: delete.iter().map(|k| (*k).to_owned()).collect(),
        bind: Vec::new(),
    }
}

/// Results until `n` writes have been reported, by id.
fn results(
    rx: &std::sync::mpsc::Receiver<WriteResults>,
    n: usize,
) -> std::collections::BTreeMap<WriteId, Result<(), String>> {
    let mut all = std::collections::BTreeMap::new();
    while all.len() < n {
        all.extend(rx.recv_timeout(Duration::from_secs(10)).expect("the writer reports"));
    }
    all
}

#[tokio::test]
async fn chunks_are_stored_by_document_and_replaced_by_a_snapshot() {
    let (_dir, storage, rx) = storage();
    storage.submit(write(0, "doc", &[("doc/incremental/a", b"1"), ("doc/incremental/b", b"2")], &[]));
    storage.submit(write(1, "doc0", &[("doc0/incremental/c", b"3")], &[]));
    storage.submit(write(2, "do", &[("do/incremental/d", b"4")], &[]));
    assert!(results(&rx, 3).values().all(Result::is_ok));
    let keys = |chunks: Vec<(String, Vec<u8>)>| chunks.into_iter().map(|(k, _)| k).collect::<Vec<_>>();
    assert_eq!(keys(storage.load("doc").await.unwrap()), ["doc/incremental/a", "doc/incremental/b"]);

    storage.submit(write(
        3,
        "doc",
        &[("doc/snapshot/s", b"12")],
        &["doc/incremental/a", "doc/incremental/b"],
    ));
    assert!(results(&rx, 1)[&3].is_ok());
    assert_eq!(storage.load("doc").await.unwrap(), [("doc/snapshot/s".to_owned(), b"12".to_vec())]);
    assert_eq!(
        keys(storage.load("doc0").await.unwrap()),
        ["doc0/incremental/c"],
        "a prefix is not a document"
    );
}

#[tokio::test]
async fn many_writes_at_once_are_committed_together_and_each_reported() {
    let (_dir, storage, rx) = storage();
    for id in 0..200 {
        let key = format!("doc/incremental/{id}");
        storage.submit(write(id, "doc", &[(key.as_str(), &[1])], &[]));
    }
    let reported = results(&rx, 200);
    assert_eq!(reported.len(), 200);
    assert!(reported.values().all(Result::is_ok));
    assert_eq!(storage.load("doc").await.unwrap().len(), 200);
}

#[tokio::test]
async fn a_write_that_cannot_succeed_fails_alone() {
    let (_dir, storage, rx) = storage();
    storage
        .db
        .call(|conn| {
            conn.execute_batch(
                "CREATE TRIGGER refuse BEFORE INSERT ON chunks WHEN NEW.key LIKE 'poison/%'
                 BEGIN SELECT RAISE(ABORT, 'refused'); END;",
            )
        })
        .await
        .unwrap();
    // Held back until all three are queued, so that they share one batch.
    let (tx, held) = std::sync::mpsc::channel();
    let storage2 = SqliteStorage::new(storage.db.clone());
    storage2.submit(write(0, "doc", &[("doc/incremental/a", b"1")], &[]));
    storage2.submit(write(1, "poison", &[("poison/incremental/b", b"2")], &[]));
    storage2.submit(write(2, "doc", &[("doc/incremental/c", b"3")], &[]));
    storage2.report_to(Box::new(move |results| tx.send(results).unwrap()));
    let reported = results(&held, 3);
    assert!(reported[&0].is_ok() && reported[&2].is_ok(), "{reported:?}");
    assert!(reported[&1].as_ref().is_err_and(|e| e.contains("refused")), "{reported:?}");
    assert_eq!(storage.load("doc").await.unwrap().len(), 2);
    assert!(storage.load("poison").await.unwrap().is_empty());
    drop(rx);
}

#[tokio::test]
async fn a_stored_document_reads_back_and_an_unreadable_chunk_is_skipped() {
    use automerge::{AutoCommit, ROOT, ReadDoc, transaction::Transactable};
    let (_dir, storage, _rx) = storage();
    assert!(read_document("doc", storage.load("doc").await.unwrap()).is_none());
    let mut doc = AutoCommit::new();
    doc.put(ROOT, "policy", "approved").unwrap();
    storage.create("doc/incremental/-bad".into(), b"garbage".to_vec()).await.unwrap();
    storage.create("doc/snapshot/s".into(), doc.save()).await.unwrap();
    let read = read_document("doc", storage.load("doc").await.unwrap()).expect("stored");
    assert_eq!(read.get(ROOT, "policy").unwrap().unwrap().0.into_string().unwrap(), "approved");
    assert!(storage.create("doc/snapshot/s".into(), vec![]).await.is_err(), "a created key is new");
}

#[tokio::test]
async fn the_bindings_a_write_made_are_stored_with_it_the_first_of_an_id_kept_and_unknown_kinds_skipped() {
    let (_dir, storage, rx) = storage();
    let binding = |id: &[u8], kind, member: &str| quorum_shared::relay::Binding {
        scope: "acme".into(),
        id: id.to_vec(),
        kind,
        member: member.into(),
    };
    let mut first = write(0, "doc", &[("doc/incremental/a", b"1")], &[]);
    first.bind = vec![binding(b"actor-1", Bound::Actor, "ada"), binding(&[7; 16], Bound::Device, "ada")];
    let mut second = write(1, "doc", &[("doc/incremental/b", b"2")], &[]);
    second.bind = vec![binding(b"actor-1", Bound::Actor, "mallory")];
    storage.submit(first);
    storage.submit(second);
    assert!(results(&rx, 2).values().all(Result::is_ok));
    storage
        .db
        .call_blocking(|conn| {
            conn.execute(
                "INSERT INTO actor_bindings VALUES ('acme', x'01', 'a kind from a newer version', 'bea')",
                [],
            )
        })
        .unwrap();

    let mut loaded = storage.bindings().unwrap();
    quorum_shared::order::sort_by_key(&mut loaded, |b| b.id.clone());
    assert_eq!(loaded, [binding(&[7; 16], Bound::Device, "ada"), binding(b"actor-1", Bound::Actor, "ada")]);
}
