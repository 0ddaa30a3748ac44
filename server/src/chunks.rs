//! The chunk store's contract, whichever database keeps the chunks: how a write's result is
//! reported to the relay, and the keys a document's chunks lie between. SQLite's store
//! (`storage.rs`) and PostgreSQL's (`postgres/storage.rs`) both keep to it.

use quorum_shared::relay::WriteId;

/// How each write of a batch went: `Err` carries what the database said.
pub type WriteResults = Vec<(WriteId, Result<(), String>)>;

/// Where the writer reports results: the relay's inbox.
pub type Report = Box<dyn Fn(WriteResults) + Send + Sync>;

/// The range of keys under a document: `[doc/, doc0)`, '0' being the character after '/'.
pub(crate) fn bounds(document_id: &str) -> (String, String) {
    (format!("{document_id}/"), format!("{document_id}0"))
}
