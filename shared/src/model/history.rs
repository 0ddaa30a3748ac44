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

use std::collections::{BinaryHeap, HashSet};

use automerge::{AutoCommit, Automerge, ChangeHash};
use autosurgeon::Hydrate;

use super::ModelError;

mod compare;
mod part;
mod restore;
mod summary;

pub use compare::{Comparison, Difference, FieldDifference, Segment, compare, prose_diff};
pub use part::{PartPath, records};
pub use restore::restore;
pub use summary::{ChangeSummary, summarize};

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
            time_ms: change.timestamp().saturating_mul(1000),
            message: change.message().map(str::to_string),
        })
        .collect()
}

/// The document's `limit` latest changes, oldest first: the first steps of a [`HistoryWalk`], so
/// that a dashboard listing ten changes of a document with thousands does not build them all as
/// [`history`] does.
pub fn latest_history(doc: &Automerge, limit: usize) -> Vec<HistoryEntry> {
    let mut walk = HistoryWalk::new(doc);
    let mut latest: Vec<HistoryEntry> = std::iter::from_fn(|| walk.next(doc)).take(limit).collect();
    latest.reverse();
    latest
}

/// A walk back through a document's history from its heads, newest change first, one step at a
/// time, so that a long history shows its first screen at once and the rest as people scroll.
/// Each step goes to the latest change not taken yet (by time, then by operation counter, which
/// grows along every dependency), so a change always comes after every change that depends on
/// it. It reads the change graph only, so a shared `Automerge` will do (`AutoCommit::document`);
/// a walk started on one version of a document can go on over a later one.
#[derive(Clone, Debug, Default)]
pub struct HistoryWalk {
    seen: HashSet<ChangeHash>,
    // Ordered by time, then operation counter; the hash only breaks ties.
    frontier: BinaryHeap<(i64, u64, ChangeHash)>,
}

impl HistoryWalk {
    pub fn new(doc: &Automerge) -> Self {
        let mut walk = Self::default();
        for head in doc.get_heads() {
            walk.reach(doc, head);
        }
        walk
    }

    /// The next older change, or `None` at the first change.
    pub fn next(&mut self, doc: &Automerge) -> Option<HistoryEntry> {
        let (_, _, hash) = self.frontier.pop()?;
        let meta = doc.get_change_meta_by_hash(&hash)?;
        for dep in &meta.deps {
            self.reach(doc, *dep);
        }
        Some(HistoryEntry {
            hash: meta.hash.to_string(),
            actor: meta.actor.to_string(),
            time_ms: meta.timestamp.saturating_mul(1000),
            message: meta.message.map(|message| message.into_owned()),
        })
    }

    /// Whether every change has been taken.
    pub fn is_done(&self) -> bool {
        self.frontier.is_empty()
    }

    fn reach(&mut self, doc: &Automerge, hash: ChangeHash) {
        if self.seen.insert(hash)
            && let Some(meta) = doc.get_change_meta_by_hash(&hash)
        {
            self.frontier.push((meta.timestamp, meta.max_op, hash));
        }
    }
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
mod tests;
