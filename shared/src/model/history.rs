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

/// The document's `limit` latest changes, oldest first. Only those are read: the walk starts at
/// the heads and goes back through each change's dependencies, always to the latest change not
/// taken yet (by time, then by operation counter, which grows along every dependency), so that a
/// dashboard listing ten changes of a document with thousands does not build them all as
/// [`history`] does. It reads the change graph only, so a shared `Automerge` will do
/// (`AutoCommit::document`).
pub fn latest_history(doc: &Automerge, limit: usize) -> Vec<HistoryEntry> {
    let mut seen: HashSet<ChangeHash> = HashSet::new();
    // Ordered by time, then operation counter; the hash only breaks ties.
    let mut frontier: BinaryHeap<(i64, u64, ChangeHash)> = BinaryHeap::new();
    let mut reach = |hash: ChangeHash, frontier: &mut BinaryHeap<_>| {
        if seen.insert(hash)
            && let Some(meta) = doc.get_change_meta_by_hash(&hash)
        {
            frontier.push((meta.timestamp, meta.max_op, hash));
        }
    };
    for head in doc.get_heads() {
        reach(head, &mut frontier);
    }
    let mut latest = Vec::new();
    while latest.len() < limit {
        let Some((_, _, hash)) = frontier.pop() else { break };
        let Some(meta) = doc.get_change_meta_by_hash(&hash) else { break };
        for dep in &meta.deps {
            reach(*dep, &mut frontier);
        }
        latest.push(HistoryEntry {
            hash: meta.hash.to_string(),
            actor: meta.actor.to_string(),
            time_ms: meta.timestamp * 1000,
            message: meta.message.map(|message| message.into_owned()),
        });
    }
    latest.reverse();
    latest
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
    fn latest_history_is_the_end_of_the_history() {
        let mut doc = new_document();
        for n in 0..30_i64 {
            doc.put(ROOT, "x", n).unwrap();
            doc.commit_with(
                automerge::transaction::CommitOptions::default()
                    .with_message(format!("set {n}"))
                    .with_time(n),
            );
        }
        let all = history(&mut doc);
        assert_eq!(latest_history(doc.document(), 10), all[20..]);
        assert_eq!(latest_history(doc.document(), 100), all);
        assert!(latest_history(doc.document(), 0).is_empty());
        assert!(latest_history(new_document().document(), 10).is_empty());
    }

    #[test]
    fn latest_history_takes_the_latest_of_concurrent_changes() {
        let mut a = new_document();
        a.put(ROOT, "x", 0).unwrap();
        a.commit_with(automerge::transaction::CommitOptions::default().with_time(1));
        let mut b = a.fork();
        // A's two changes are older than B's one, made concurrently.
        for t in [2, 3] {
            a.put(ROOT, "a", t).unwrap();
            a.commit_with(
                automerge::transaction::CommitOptions::default().with_message(format!("a {t}")).with_time(t),
            );
        }
        b.put(ROOT, "b", 1).unwrap();
        b.commit_with(automerge::transaction::CommitOptions::default().with_message("b 4").with_time(4));
        a.merge(&mut b).unwrap();
        let messages = |entries: Vec<HistoryEntry>| {
            entries.into_iter().map(|e| e.message.unwrap_or_default()).collect::<Vec<_>>()
        };
        assert_eq!(messages(latest_history(a.document(), 2)), ["a 3", "b 4"]);
        assert_eq!(messages(latest_history(a.document(), 3)), ["a 2", "a 3", "b 4"]);
        assert_eq!(latest_history(a.document(), 4).len(), 4);
    }

    #[test]
    fn heads_round_trip() {
        let mut doc = new_document();
        doc.put(ROOT, "x", 1).unwrap();
        let heads = heads_hex(&mut doc);
        assert_eq!(parse_heads(&heads).unwrap(), doc.get_heads());
        assert!(matches!(parse_heads(&["nope".to_string()]), Err(ModelError::BadHeads(_))));
    }
}
