//! Runs in headless Chromium against real IndexedDB: documents survive reopening the database,
//! compaction keeps every change, a corrupt chunk is reported while the rest loads, documents
//! stay apart, and the stored layout is automerge-repo's. Each test has its own database.
#![cfg(target_arch = "wasm32")]

use automerge::{AutoCommit, ROOT, ReadDoc, transaction::Transactable};
use js_sys::{Array, Reflect, Uint8Array};
use quorum_app::storage::{self, ChunkKind, Saved, Storage, StorageError};
use quorum_shared::model::new_document;
use rexie::{ObjectStore, Rexie, TransactionMode};
use sha2::{Digest, Sha256};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Document ids as automerge-repo spells them (bs58check of 16 bytes).
const POLICY: &str = "3WQDnyqXkjV5MbrtQPWZbt1iNWPb";
const RISKS: &str = "4Hz3bPYXCRLFsjDFGHVAQkcK4rp6";

/// Opens `name` empty: a database left by an earlier run must not leak into this one.
async fn fresh(name: &str) -> Storage {
    Rexie::delete(name).await.expect("delete the old database");
    Storage::open(name).await.expect("open the database")
}

/// A second, raw connection, to read and write entries as another adapter would.
async fn raw(name: &str) -> Rexie {
    let builder = Rexie::builder(name).version(1).add_object_store(ObjectStore::new("documents"));
    builder.build().await.expect("open the database raw")
}

fn key(parts: &[&str]) -> JsValue {
    parts.iter().map(|part| JsValue::from_str(part)).collect::<Array>().into()
}

async fn put_raw(name: &str, entries: &[(JsValue, JsValue)]) {
    let db = raw(name).await;
    let transaction = db.transaction(&["documents"], TransactionMode::ReadWrite).unwrap();
    let store = transaction.store("documents").unwrap();
    for (key, value) in entries {
        store.put(value, Some(key)).await.unwrap();
    }
    assert!(transaction.done().await.unwrap().is_committed());
    db.close();
}

/// A document with `count` entries `k0..`, each holding its own number.
fn document_with(count: i64) -> AutoCommit {
    let mut doc = new_document();
    for i in 0..count {
        doc.put(ROOT, format!("k{i}"), i).unwrap();
    }
    doc
}

fn get_str(doc: &AutoCommit, prop: &str) -> Option<String> {
    let (value, _) = doc.get(ROOT, prop).unwrap()?;
    value.as_str().map(str::to_owned)
}

fn get_i64(doc: &AutoCommit, prop: &str) -> Option<i64> {
    doc.get(ROOT, prop).unwrap()?.0.as_i64()
}

#[wasm_bindgen_test]
async fn a_saved_document_loads_with_the_same_heads_after_reopening() {
    let name = "storage-reopen";
    let storage = fresh(name).await;
    let mut doc = document_with(20);
    assert_eq!(storage.save_changes(POLICY, &mut doc).await.unwrap(), Saved::Snapshot);
    doc.put(ROOT, "owner", "CISO").unwrap();
    assert_eq!(storage.save_changes(POLICY, &mut doc).await.unwrap(), Saved::Incremental);
    assert_eq!(storage.save_changes(POLICY, &mut doc).await.unwrap(), Saved::Nothing);
    storage.close();

    let storage = Storage::open(name).await.unwrap();
    let loaded = storage.load(POLICY).await.unwrap().expect("the document is stored");
    assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
    let mut got = loaded.doc;
    assert_eq!(got.get_heads(), doc.get_heads());
    assert_eq!(get_str(&got, "owner").as_deref(), Some("CISO"));
    assert_eq!(get_i64(&got, "k19"), Some(19));
    assert_eq!(
        storage.save_changes(POLICY, &mut got).await.unwrap(),
        Saved::Nothing,
        "loading is not an edit"
    );
    assert!(storage.load(RISKS).await.unwrap().is_none(), "nothing stored, nothing loaded");
}

#[wasm_bindgen_test]
async fn compaction_keeps_every_change_and_leaves_one_snapshot() {
    let name = "storage-compaction";
    let storage = fresh(name).await;
    let mut doc = new_document();
    let mut saves = Vec::new();
    for i in 0..120_i64 {
        doc.put(ROOT, format!("k{i}"), i).unwrap();
        saves.push(storage.save_changes(POLICY, &mut doc).await.unwrap());
        let keys = storage.chunk_keys(POLICY).await.unwrap();
        let snapshots = keys.iter().filter(|key| key.kind == ChunkKind::Snapshot).count();
        assert_eq!(snapshots, 1, "after save {i}: {keys:?}");
    }
    let compactions = saves[1..].iter().filter(|saved| **saved == Saved::Snapshot).count();
    assert!(compactions >= 2, "incrementals outgrew the snapshot and were compacted: {saves:?}");
    let stored = storage.chunk_keys(POLICY).await.unwrap().len();
    assert!(stored < 60, "compaction deleted the chunks it replaced: {stored} left");
    storage.close();

    let storage = Storage::open(name).await.unwrap();
    let mut loaded = storage.load(POLICY).await.unwrap().unwrap().doc;
    assert_eq!(loaded.get_heads(), doc.get_heads());
    for i in 0..120_i64 {
        assert_eq!(get_i64(&loaded, &format!("k{i}")), Some(i), "k{i} survived compaction");
    }
    storage.compact(POLICY, &mut loaded).await.unwrap();
    let keys = storage.chunk_keys(POLICY).await.unwrap();
    assert_eq!(keys.len(), 1, "a full compaction leaves one snapshot: {keys:?}");
    assert_eq!(keys[0].kind, ChunkKind::Snapshot);
    let mut again = storage.load(POLICY).await.unwrap().unwrap().doc;
    assert_eq!(again.get_heads(), doc.get_heads());
}

#[wasm_bindgen_test]
async fn a_corrupt_chunk_is_reported_with_its_document_and_the_rest_loads() {
    let name = "storage-corrupt";
    let storage = fresh(name).await;
    let mut doc = document_with(10);
    storage.save_changes(POLICY, &mut doc).await.unwrap();
    doc.put(ROOT, "owner", "CISO").unwrap();
    assert_eq!(storage.save_changes(POLICY, &mut doc).await.unwrap(), Saved::Incremental);
    storage.close();

    let garbage_key = key(&[POLICY, "incremental", "deadbeef"]);
    let garbage = js_sys::Object::new();
    Reflect::set(&garbage, &"key".into(), &garbage_key).unwrap();
    Reflect::set(&garbage, &"binary".into(), &Uint8Array::from(&b"not an automerge chunk"[..])).unwrap();
    let not_an_object = JsValue::from_str("no bytes here");
    put_raw(name, &[(garbage_key, garbage.into()), (key(&[POLICY, "incremental", "0bad"]), not_an_object)])
        .await;

    let storage = Storage::open(name).await.unwrap();
    let loaded = storage.load(POLICY).await.unwrap().expect("the readable chunks still load");
    let mut hashes: Vec<&str> = loaded
        .skipped
        .iter()
        .map(|error| match error {
            StorageError::CorruptEntry { doc_id, key, .. } => {
                assert_eq!(doc_id, POLICY);
                assert!(error.to_string().contains(POLICY), "the message names the document: {error}");
                if key.contains("deadbeef") { "deadbeef" } else { "0bad" }
            }
            other => panic!("expected a corrupt entry, got {other:?}"),
        })
        .collect();
    quorum_shared::order::sort(&mut hashes);
    assert_eq!(hashes, ["0bad", "deadbeef"]);
    let mut got = loaded.doc;
    assert_eq!(got.get_heads(), doc.get_heads(), "every readable change loaded");
    assert_eq!(get_str(&got, "owner").as_deref(), Some("CISO"));

    // A compaction replaces only what it read: the unreadable entries stay as they were.
    got.put(ROOT, "reviewed", true).unwrap();
    storage.compact(POLICY, &mut got).await.unwrap();
    let keys = storage.chunk_keys(POLICY).await.unwrap();
    let hashes: Vec<&str> = keys.iter().map(|key| key.hash.as_str()).collect();
    assert!(hashes.contains(&"deadbeef") && hashes.contains(&"0bad"), "{keys:?}");
    assert_eq!(keys.len(), 3, "the two unreadable entries and one snapshot: {keys:?}");
}

#[wasm_bindgen_test]
async fn documents_do_not_see_each_others_chunks() {
    let storage = fresh("storage-apart").await;
    // One id a prefix of the other: a key range by string prefix would mix them up.
    let longer = format!("{POLICY}x");
    let mut policy = new_document();
    policy.put(ROOT, "kind", "policy").unwrap();
    let mut other = new_document();
    other.put(ROOT, "kind", "other").unwrap();
    storage.save_changes(POLICY, &mut policy).await.unwrap();
    storage.save_changes(&longer, &mut other).await.unwrap();
    policy.put(ROOT, "owner", "CISO").unwrap();
    storage.save_changes(POLICY, &mut policy).await.unwrap();

    for (id, doc, kind) in [(POLICY, &mut policy, "policy"), (longer.as_str(), &mut other, "other")] {
        let mut loaded = storage.load(id).await.unwrap().unwrap();
        assert!(loaded.skipped.is_empty());
        assert_eq!(loaded.doc.get_heads(), doc.get_heads(), "{id} loads only its own changes");
        assert_eq!(get_str(&loaded.doc, "kind").as_deref(), Some(kind));
        let keys = storage.chunk_keys(id).await.unwrap();
        assert!(!keys.is_empty() && keys.iter().all(|key| key.doc_id == id), "{keys:?}");
    }
}

#[wasm_bindgen_test]
async fn one_read_of_the_whole_database_opens_each_document_as_its_own_load_does() {
    let name = "storage-read-all";
    let storage = fresh(name).await;
    // The policy as a snapshot and an incremental; the risks as one snapshot; a sync state as
    // automerge-repo keeps them, which is no document chunk.
    let mut policy = document_with(50);
    storage.save_changes(POLICY, &mut policy).await.unwrap();
    policy.put(ROOT, "owner", "CISO").unwrap();
    assert_eq!(storage.save_changes(POLICY, &mut policy).await.unwrap(), Saved::Incremental);
    let mut risks = document_with(5);
    storage.save_changes(RISKS, &mut risks).await.unwrap();
    put_raw(name, &[(key(&[RISKS, "sync-state", "peer"]), Uint8Array::from(&[1u8, 2, 3][..]).into())]).await;
    storage.close();

    let storage = Storage::open(name).await.unwrap();
    let mut read = storage.read_all().await.unwrap();
    let mut loaded = storage.merge(&mut read, POLICY).expect("the policy was read");
    assert!(loaded.skipped.is_empty());
    assert_eq!(loaded.doc.get_heads(), policy.get_heads());
    assert_eq!(get_str(&loaded.doc, "owner").as_deref(), Some("CISO"));
    let mut loaded = storage.merge(&mut read, RISKS).expect("the risks were read");
    assert_eq!(loaded.doc.get_heads(), risks.get_heads());
    assert!(storage.merge(&mut read, POLICY).is_none(), "each document is taken from the read once");
    assert!(storage.merge(&mut read, "2mFkRmzBDSTRCMpDxBNWHcPVD8Pr").is_none(), "nothing stored");

    // Merged documents count as loaded: the next save writes only what came after (a document
    // this connection knew nothing of would be saved whole, as a snapshot).
    policy.put(ROOT, "status", "approved").unwrap();
    assert_eq!(storage.save_changes(POLICY, &mut policy).await.unwrap(), Saved::Incremental);

    let mut read = storage.read_many(&[RISKS.to_owned()]).await.unwrap();
    assert!(storage.merge(&mut read, POLICY).is_none(), "only what was asked for is read");
    assert_eq!(storage.merge(&mut read, RISKS).unwrap().doc.get_heads(), risks.get_heads());
}

#[wasm_bindgen_test]
async fn documents_are_listed_and_deleted() {
    let name = "storage-list";
    let storage = fresh(name).await;
    assert!(storage.list_documents().await.unwrap().is_empty());
    for id in [RISKS, POLICY] {
        storage.save_changes(id, &mut document_with(3)).await.unwrap();
    }
    // automerge-repo keeps sync states in the same store; they are not documents.
    put_raw(name, &[(key(&["5Lonely", "sync-state", "peer"]), JsValue::from_str("state"))]).await;
    assert_eq!(storage.list_documents().await.unwrap(), [POLICY, RISKS]);

    storage.delete_document(POLICY).await.unwrap();
    assert_eq!(storage.list_documents().await.unwrap(), [RISKS]);
    assert!(storage.load(POLICY).await.unwrap().is_none());
    assert!(storage.chunk_keys(POLICY).await.unwrap().is_empty());
    assert_eq!(get_i64(&storage.load(RISKS).await.unwrap().unwrap().doc, "k2"), Some(2));
}

/// The JS `IndexedDBStorageAdapter` reads what Quorum writes only if keys, hashes and values
/// match its own: checked here from the raw entries.
#[wasm_bindgen_test]
async fn stored_entries_follow_automerge_repos_layout() {
    let name = "storage-layout";
    let storage = fresh(name).await;
    let mut doc = document_with(10);
    storage.save_changes(POLICY, &mut doc).await.unwrap();
    doc.put(ROOT, "owner", "CISO").unwrap();
    storage.save_changes(POLICY, &mut doc).await.unwrap();
    storage.close();

    let db = raw(name).await;
    let transaction = db.transaction(&["documents"], TransactionMode::ReadOnly).unwrap();
    let entries = transaction.store("documents").unwrap().scan(None, None, None, None).await.unwrap();
    let mut kinds = Vec::new();
    for (key, value) in entries {
        let parts: Vec<String> = Array::from(&key).iter().map(|part| part.as_string().unwrap()).collect();
        let stored_key = Reflect::get(&value, &"key".into()).unwrap();
        assert_eq!(js_sys::JSON::stringify(&stored_key).unwrap(), js_sys::JSON::stringify(&key).unwrap());
        let binary = Uint8Array::new(&Reflect::get(&value, &"binary".into()).unwrap()).to_vec();
        assert_eq!(parts[0], POLICY);
        let expected = match parts[1].as_str() {
            "incremental" => hex(&Sha256::digest(&binary)),
            "snapshot" => {
                let mut heads = AutoCommit::load(&binary).unwrap().get_heads();
                quorum_shared::order::sort(&mut heads);
                let joined: String = heads.iter().map(ToString::to_string).collect();
                hex(&Sha256::digest(joined.as_bytes()))
            }
            other => panic!("unexpected kind {other}"),
        };
        assert_eq!(parts[2], expected, "{} chunk named by automerge-repo's hash", parts[1]);
        kinds.push(parts[1].clone());
    }
    assert_eq!(kinds, ["incremental", "snapshot"]);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[wasm_bindgen_test]
async fn a_database_from_a_newer_version_asks_for_a_reload() {
    let name = "storage-newer";
    Rexie::delete(name).await.unwrap();
    let newer = Rexie::builder(name).version(2).add_object_store(ObjectStore::new("documents"));
    newer.build().await.unwrap().close();
    let error = Storage::open(name).await.err().expect("an older page cannot open newer data");
    assert_eq!(error, StorageError::NewerVersion);
    assert!(error.to_string().contains("reload"), "{error}");
}

#[wasm_bindgen_test]
async fn persistence_is_requested_once_and_matches_the_browsers_answer() {
    let granted = storage::request_persistence().await;
    let manager = web_sys::window().unwrap().navigator().storage();
    let persisted = JsFuture::from(manager.persisted().unwrap()).await.unwrap().as_bool();
    assert_eq!(persisted, Some(granted));
    assert_eq!(storage::request_persistence().await, granted, "the answer is remembered");
}

#[wasm_bindgen_test]
fn messages_read_as_sentences_a_person_can_act_on() {
    let errors = [
        StorageError::Unavailable,
        StorageError::QuotaExceeded { doc_id: POLICY.into() },
        StorageError::Blocked,
        StorageError::NewerVersion,
        StorageError::CorruptEntry { doc_id: POLICY.into(), key: "k".into(), reason: "r".into() },
        StorageError::Aborted { doc_id: POLICY.into() },
        StorageError::Browser { doing: "save a document", detail: "UnknownError".into() },
    ];
    for error in errors {
        let message = error.to_string();
        assert!(message.starts_with(char::is_lowercase) && !message.ends_with('.'), "{message}");
        assert!(message.contains("; "), "says what to do next: {message}");
    }
    let quota = StorageError::QuotaExceeded { doc_id: POLICY.into() }.to_string();
    assert!(quota.starts_with("the browser has no room left") && quota.contains(POLICY));
}
