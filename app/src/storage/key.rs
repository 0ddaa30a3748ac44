//! Storage keys and values in automerge-repo's layout, so that the JS `IndexedDBStorageAdapter`
//! and Quorum read each other's data: one object store, out-of-line array keys
//! `[docId, "incremental", sha256(bytes)]` and `[docId, "snapshot", sha256(heads)]`, and values
//! `{ key, binary }`.
//!
//! ```ignore
//! let key = ChunkKey::incremental("3Qn...", &bytes);
//! store.put(&key.value(&bytes), Some(&key.to_js())).await?;
//! ```

use std::fmt;

use automerge::ChangeHash;
use idb::KeyRange;
use js_sys::{Array, Object, Reflect, Uint8Array};
use sha2::{Digest, Sha256};
use wasm_bindgen::{JsCast as _, JsValue};

/// Which of automerge-repo's two kinds of chunk a key names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChunkKind {
    /// A whole document, as `AutoCommit::save` writes it.
    Snapshot,
    /// Changes since an earlier save, as `AutoCommit::save_after` writes them.
    Incremental,
}

impl ChunkKind {
    /// The key's middle element.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Snapshot => "snapshot",
            Self::Incremental => "incremental",
        }
    }
}

/// The key of one stored chunk of one document.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChunkKey {
    pub doc_id: String,
    pub kind: ChunkKind,
    /// Lowercase hex of a SHA-256, as automerge-repo's `keyHash` spells it.
    pub hash: String,
}

impl ChunkKey {
    /// An incremental chunk is named by the hash of its bytes, so writing the same changes twice
    /// (two tabs saving at once) lands on one key instead of two.
    pub fn incremental(doc_id: &str, bytes: &[u8]) -> Self {
        let hash = hex(&Sha256::digest(bytes));
        Self { doc_id: doc_id.to_owned(), kind: ChunkKind::Incremental, hash }
    }

    /// A snapshot is named by the heads it contains: automerge-repo's `headsHash`, the SHA-256 of
    /// the heads' hex strings one after another, in sorted order.
    pub fn snapshot(doc_id: &str, heads: &[ChangeHash]) -> Self {
        let mut heads = heads.to_vec();
        quorum_shared::order::sort(&mut heads);
        let mut hasher = Sha256::new();
        for head in &heads {
            hasher.update(head.to_string().as_bytes());
        }
        let hash = hex(&hasher.finalize());
        Self { doc_id: doc_id.to_owned(), kind: ChunkKind::Snapshot, hash }
    }

    /// The key as IndexedDB holds it: an array of three strings.
    pub(crate) fn to_js(&self) -> JsValue {
        let parts = [self.doc_id.as_str(), self.kind.as_str(), self.hash.as_str()];
        parts.iter().map(|part| JsValue::from_str(part)).collect::<Array>().into()
    }

    /// Reads a stored key; `None` for keys that are not document chunks (automerge-repo keeps
    /// sync states and its own id in the same store).
    pub(crate) fn from_js(key: &JsValue) -> Option<Self> {
        let parts = key.dyn_ref::<Array>()?;
        if parts.length() != 3 {
            return None;
        }
        let kind = match parts.get(1).as_string()?.as_str() {
            "snapshot" => ChunkKind::Snapshot,
            "incremental" => ChunkKind::Incremental,
            _ => return None,
        };
        Some(Self { doc_id: parts.get(0).as_string()?, kind, hash: parts.get(2).as_string()? })
    }

    /// The stored value: the JS adapter's `{ key, binary }` object.
    pub(crate) fn value(&self, bytes: &[u8]) -> JsValue {
        let value = Object::new();
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&value, &"key".into(), &self.to_js());
        let _ = Reflect::set(&value, &"binary".into(), &Uint8Array::from(bytes));
        value.into()
    }
}

impl fmt::Display for ChunkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}, {}, {}]", self.doc_id, self.kind.as_str(), self.hash)
    }
}

/// The bytes of a stored value, or why they cannot be had.
pub(crate) fn chunk_bytes(value: &JsValue) -> Result<Vec<u8>, &'static str> {
    let binary = Reflect::get(value, &"binary".into()).map_err(|_| "the entry is not an object")?;
    let binary = binary.dyn_ref::<Uint8Array>().ok_or("the entry holds no bytes")?;
    Ok(binary.to_vec())
}

/// The document id a stored key belongs to, if it is a document chunk.
pub(crate) fn doc_id_of(key: &JsValue) -> Option<String> {
    ChunkKey::from_js(key).map(|key| key.doc_id)
}

/// Every key that starts with `[doc_id]`. Arrays compare element by element, so a document whose
/// id merely starts with `doc_id` (`"ab"` after `"a"`) falls outside this range.
pub(crate) fn document_range(doc_id: &str) -> Result<KeyRange, idb::Error> {
    let lower: Array = [JsValue::from_str(doc_id)].into_iter().collect();
    // U+FFFF sorts after every kind name, as in the JS adapter's `loadRange`.
    let upper: Array = [JsValue::from_str(doc_id), JsValue::from_str("\u{ffff}")].into_iter().collect();
    KeyRange::bound(&lower.into(), &upper.into(), None, None)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
