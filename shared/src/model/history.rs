//! A document's history and past states: who changed what and when, and the heads that
//! approvals sign.
//!
//! ```
//! use quorum_shared::model::{self, AiPolicy};
//!
//! let mut doc = model::new_document();
//! model::create_policy(&mut doc, 1_700_000_000_000, "AI policy", "First words").unwrap();
//! let heads = model::heads_hex(&mut doc);
//! model::edit_policy_text(&mut doc, 1_700_000_100_000, "Second words".into()).unwrap();
//! let entries = model::history(&mut doc);
//! assert_eq!(entries[1].message.as_deref(), Some("edit policy text"));
//! let then: AiPolicy = model::at_heads(&mut doc, &heads).unwrap();
//! assert_eq!(then.text.as_str(), "First words");
//! ```

use automerge::{AutoCommit, ChangeHash};
use autosurgeon::Hydrate;

use super::ModelError;

/// A change in a document's history, for the history view and the audit pack.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct HistoryEntry {
    /// The change hash, hex.
    pub hash: String,
    /// The actor (one device) that made it, hex; the workspace maps actors to members.
    pub actor: String,
    /// When, in milliseconds since the epoch (commits keep whole seconds).
    pub time_ms: i64,
    pub message: Option<String>,
}

/// Every change of the document, oldest first (in causal order).
pub fn history(doc: &mut AutoCommit) -> Vec<HistoryEntry> {
    doc.get_changes(&[])
        .into_iter()
        .map(|change| HistoryEntry {
            hash: change.hash().to_string(),
            actor: change.actor_id().to_string(),
            time_ms: change.timestamp() * 1000,
            message: change.message().map(str::to_string),
        })
        .collect()
}

/// The document's current heads as hex strings, the form approvals store.
pub fn heads_hex(doc: &mut AutoCommit) -> Vec<String> {
    doc.get_heads().iter().map(ChangeHash::to_string).collect()
}

/// Parses heads stored by [`heads_hex`].
pub fn parse_heads(heads: &[String]) -> Result<Vec<ChangeHash>, ModelError> {
    heads.iter().map(|h| h.parse().map_err(|_| ModelError::BadHeads(h.clone()))).collect()
}

/// Reads the document as it was at `heads`, for approved versions.
pub fn at_heads<T: Hydrate>(doc: &mut AutoCommit, heads: &[String]) -> Result<T, ModelError> {
    let heads = parse_heads(heads)?;
    let past = doc.fork_at(&heads)?;
    Ok(autosurgeon::hydrate(&past)?)
}

#[cfg(test)]
mod tests {
    use automerge::{ROOT, transaction::Transactable};

    use super::*;
    use crate::model::new_document;

    #[test]
    fn heads_round_trip() {
        let mut doc = new_document();
        doc.put(ROOT, "x", 1).unwrap();
        let heads = heads_hex(&mut doc);
        assert_eq!(parse_heads(&heads).unwrap(), doc.get_heads());
        assert!(matches!(parse_heads(&["nope".to_string()]), Err(ModelError::BadHeads(_))));
    }
}
