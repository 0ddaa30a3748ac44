//! What one change did, for the history view: the records it touched (which the filter by
//! record reads) and, for prose, how many characters it added and removed ("+212 −40").

use automerge::{Automerge, ChangeHash, ObjType, PatchAction, ReadDoc};

use super::compare::parts;
use super::part::{PartPath, record_of};

/// One change's reach.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeSummary {
    /// The records it touched (a register's key path), or an empty path for the document's own
    /// fields; each once.
    pub records: Vec<PartPath>,
    /// Characters of prose it added and removed.
    pub added: usize,
    pub removed: usize,
}

/// The reach of the change `hash` of `doc`, read from Automerge's diff between the change's
/// dependencies and the change itself; `None` for a hash the document does not have.
pub fn summarize(doc: &Automerge, hash: &ChangeHash) -> Option<ChangeSummary> {
    let deps = doc.get_change_meta_by_hash(hash)?.deps;
    let after = [*hash];
    let mut summary = ChangeSummary::default();
    for patch in doc.diff(&deps, &after) {
        match &patch.action {
            PatchAction::SpliceText { value, .. } => summary.added += value.make_string().chars().count(),
            PatchAction::DeleteSeq { length, .. }
                if doc.object_type(&patch.obj).is_ok_and(|kind| kind == ObjType::Text) =>
            {
                summary.removed += length;
            }
            _ => {}
        }
    }
    for part in parts(doc, &deps, &after) {
        let record = record_of(doc, [&deps, &after], &part);
        if !summary.records.contains(&record) {
            summary.records.push(record);
        }
    }
    Some(summary)
}
