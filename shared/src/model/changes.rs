//! Planned changes to the AIMS (ISO/IEC 42001 6.3): what changes, why, with what consequences
//! and resources, who carries it out and when.
//!
//! ```
//! use quorum_shared::model::{self, PlannedChange, Position};
//!
//! let mut doc = model::new_document();
//! model::create_planned_changes(&mut doc, 0).unwrap();
//! let change = PlannedChange { title: "Add a second reviewer".into(), ..Default::default() };
//! model::add(&mut doc, 1_000, [1; 16], change, Position::Last).unwrap();
//! ```

use std::collections::BTreeMap;

use automerge::AutoCommit;
use autosurgeon::{Hydrate, Reconcile, Text};

use super::document::{artifact, create};
use super::register::{record, record_fields};
use super::{ChangeId, Date, MemberId, ModelError, Rank, TextEdit};

/// The planned changes document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct PlannedChanges {
    #[autosurgeon(with = "crate::model::records")]
    pub changes: BTreeMap<ChangeId, PlannedChange>,
}

artifact!(PlannedChanges, PlannedChanges);

#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct PlannedChange {
    pub rank: Rank,
    pub title: String,
    /// Why, and what could follow from it.
    pub purpose: Text,
    pub consequences: Text,
    pub resources: String,
    pub owner: Option<MemberId>,
    pub due: Option<Date>,
    pub status: ChangeStatus,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum ChangeStatus {
    #[default]
    #[autosurgeon(rename = "proposed")]
    Proposed,
    #[autosurgeon(rename = "approved")]
    Approved,
    #[autosurgeon(rename = "in-progress")]
    InProgress,
    #[autosurgeon(rename = "done")]
    Done,
    #[autosurgeon(rename = "cancelled")]
    Cancelled,
}

impl ChangeStatus {
    /// As people read it, in the middle of a sentence or in a register's cell.
    pub fn label(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Approved => "approved",
            Self::InProgress => "in progress",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
        }
    }
}

record_fields! {
    /// A field of a [`PlannedChange`].
    pub enum PlannedChangeField for PlannedChange {
        Title(String) => scalar title,
        Purpose(TextEdit) => text purpose,
        Consequences(TextEdit) => text consequences,
        Resources(String) => scalar resources,
        Owner(Option<MemberId>) => scalar owner,
        Due(Option<Date>) => scalar due,
        Status(ChangeStatus) => scalar status,
    }
}

record! {
    PlannedChange { id: ChangeId, field: PlannedChangeField, kind: PlannedChanges, register: "changes", noun: "planned change", label: |c| c.title.clone() }
    {}
}

pub fn create_planned_changes(doc: &mut AutoCommit, now_ms: i64) -> Result<(), ModelError> {
    create(doc, now_ms, &PlannedChanges::default(), "create planned changes")
}
