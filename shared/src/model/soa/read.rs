//! The SoA as a page shows it, kept up to date change by change. Reading all 38 rows and their
//! conflicts again on every change was most of what a browser did to show another person's
//! keystroke; after a change, [`SoaRead::update`] reads again only the rows the change touched
//! (what Automerge's diff between the two versions names), and everything when the change
//! touched anything else (the evidence links, which change seldom, included).
//!
//! ```
//! use quorum_shared::model::{self, ControlId, ImplementationStatus, SoaRead};
//!
//! let mut doc = model::new_document();
//! model::create_soa(&mut doc, 0).unwrap();
//! let heads = doc.get_heads();
//! let read = SoaRead::read(&doc, heads).unwrap();
//! let before = doc.get_heads();
//! let control: ControlId = "A.4.4".parse().unwrap();
//! model::set_implementation_status(&mut doc, 1_000, control, ImplementationStatus::Planned).unwrap();
//! let after = doc.get_heads();
//! let patches = doc.diff(&before, &after);
//! let read = read.update(&doc, after.clone(), &patches).unwrap();
//! assert_eq!(read, SoaRead::read(&doc, after).unwrap());
//! ```

use std::collections::BTreeSet;

use automerge::{AutoCommit, ChangeHash, Patch, PatchAction, Prop, ReadDoc};

use super::conflicts::row_conflicts;
use super::{Evidence, SoaConflict, SoaRow, StatementOfApplicability, rows};
use crate::model::{self, ControlId, EvidenceId, ModelError};

/// The SoA document read for a page, at `heads`.
#[derive(Clone, PartialEq, Debug)]
pub struct SoaRead {
    pub heads: Vec<ChangeHash>,
    pub soa: StatementOfApplicability,
    /// Every conflicting choice, in Annex A order (as [`super::soa_conflicts`] lists them).
    pub conflicts: Vec<SoaConflict>,
    /// The evidence links in the register's order (as [`model::list`] gives them).
    pub evidence: Vec<(EvidenceId, Evidence)>,
}

impl SoaRead {
    /// Reads everything; `heads` are `doc`'s.
    pub fn read(doc: &AutoCommit, heads: Vec<ChangeHash>) -> Result<Self, ModelError> {
        Ok(Self {
            heads,
            soa: StatementOfApplicability::load(doc)?,
            conflicts: super::soa_conflicts(doc)?,
            evidence: model::list::<Evidence>(doc)?,
        })
    }

    /// This read brought to `doc` at `heads`, given `patches`, the diff from this read's heads
    /// to those.
    pub fn update(
        &self,
        doc: &AutoCommit,
        heads: Vec<ChangeHash>,
        patches: &[Patch],
    ) -> Result<Self, ModelError> {
        if heads == self.heads {
            return Ok(self.clone());
        }
        let Some(touched) = touched_rows(patches) else { return Self::read(doc, heads) };
        let rows = rows(doc)?;
        let mut next = self.clone();
        next.heads = heads;
        for &control in &touched {
            if doc.get(&rows, control.as_str())?.is_some() {
                let row: SoaRow = autosurgeon::hydrate_prop(doc, &rows, control.as_str())?;
                next.soa.rows.insert(control, row);
            } else {
                next.soa.rows.remove(&control);
            }
            next.conflicts.retain(|c| c.control != control);
            next.conflicts.extend(row_conflicts(doc, &rows, control)?);
        }
        crate::order::sort_by_key(&mut next.conflicts, |c| (c.control, c.choice));
        Ok(next)
    }
}

/// The rows (by control) `patches` touch; `None` when they touch anything else, or a row that
/// is not an Annex A control's.
fn touched_rows(patches: &[Patch]) -> Option<BTreeSet<ControlId>> {
    let mut touched = BTreeSet::new();
    for patch in patches {
        // A patch on the root itself replaces a whole part of the document.
        let Some((_, Prop::Map(top))) = patch.path.first() else { return None };
        match top.as_str() {
            "rows" => {
                // Inside a row, the path's next step names it; on the rows map, the patch's key.
                let key = match (patch.path.get(1), &patch.action) {
                    (Some((_, Prop::Map(key))), _) => key,
                    (None, PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key }) => key,
                    _ => return None,
                };
                touched.insert(key.parse().ok()?);
            }
            _ => return None,
        }
    }
    Some(touched)
}
