//! Improvement (ISO/IEC 42001 10.1, 10.2): nonconformities with their reaction, cause and
//! corrective actions, and the log of continual improvements.
//!
//! ```
//! use quorum_shared::model::{self, CorrectiveAction, Nonconformity, Position};
//!
//! let mut doc = model::new_document();
//! model::create_improvement(&mut doc, 0).unwrap();
//! let nc = Nonconformity { title: "Risk without owner".into(), ..Default::default() };
//! let nc = model::add(&mut doc, 1_000, [1; 16], nc, Position::Last).unwrap();
//! model::add(&mut doc, 2_000, [2; 16], CorrectiveAction::new(nc, "Assign owners"), Position::Last).unwrap();
//! ```

use std::collections::BTreeMap;

use automerge::AutoCommit;
use autosurgeon::{Hydrate, Reconcile, Text};

use super::document::{artifact, create};
use super::register::{get, list, record, record_fields};
use super::{
    CorrectiveActionId, Date, DocumentId, FindingId, ImprovementId, MemberId, ModelError, NonconformityId,
    Rank, TextEdit,
};

/// The improvement document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Improvement {
    #[autosurgeon(with = "crate::model::records")]
    pub nonconformities: BTreeMap<NonconformityId, Nonconformity>,
    /// Corrective actions, each pointing at its nonconformity.
    #[autosurgeon(with = "crate::model::records")]
    pub corrective_actions: BTreeMap<CorrectiveActionId, CorrectiveAction>,
    #[autosurgeon(with = "crate::model::records")]
    pub log: BTreeMap<ImprovementId, ImprovementEntry>,
}

artifact!(Improvement, Improvement);

#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Nonconformity {
    pub rank: Rank,
    pub title: String,
    pub description: Text,
    /// Where it was found.
    pub source: NonconformitySource,
    /// The internal audit document and finding that raised it, when an audit did; the finding
    /// names this nonconformity back.
    pub audit: Option<DocumentId>,
    pub finding: Option<FindingId>,
    pub detected_on: Option<Date>,
    /// What was done at once to control and correct it (10.2 a).
    pub reaction: Text,
    pub root_cause: Text,
    pub owner: Option<MemberId>,
    /// The review of whether the corrective actions worked (10.2 d).
    pub effectiveness: EffectivenessReview,
    pub status: NonconformityStatus,
    pub closed_on: Option<Date>,
}

/// Whether the corrective actions of a nonconformity worked: what was checked, by whom, when,
/// and the verdict. Edited only through [`edit_effectiveness`], which leaves a closed
/// nonconformity's review alone.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct EffectivenessReview {
    pub checked: Text,
    pub by: Option<MemberId>,
    pub on: Option<Date>,
    pub effective: Option<bool>,
}

impl EffectivenessReview {
    /// Recorded in full (what, who, when) and found effective: what closing asks for.
    pub fn shows_effective(&self) -> bool {
        !self.checked.as_str().trim().is_empty()
            && self.by.is_some()
            && self.on.is_some()
            && self.effective == Some(true)
    }
}

/// Where a nonconformity came to light.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum NonconformitySource {
    #[autosurgeon(rename = "audit-finding")]
    AuditFinding,
    #[autosurgeon(rename = "incident")]
    Incident,
    #[autosurgeon(rename = "monitoring")]
    Monitoring,
    #[autosurgeon(rename = "complaint")]
    Complaint,
    #[default]
    #[autosurgeon(rename = "other")]
    Other,
}

impl NonconformitySource {
    pub const ALL: [NonconformitySource; 5] =
        [Self::AuditFinding, Self::Incident, Self::Monitoring, Self::Complaint, Self::Other];

    pub fn as_token(&self) -> &'static str {
        match self {
            Self::AuditFinding => "audit-finding",
            Self::Incident => "incident",
            Self::Monitoring => "monitoring",
            Self::Complaint => "complaint",
            Self::Other => "other",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::AuditFinding => "An audit finding",
            Self::Incident => "An incident",
            Self::Monitoring => "Monitoring",
            Self::Complaint => "A complaint",
            Self::Other => "Something else",
        }
    }
}

/// Open until someone closes it, which needs an effective review. The stages in between are
/// read from the record ([`Improvement::stage`]), never stored, so they cannot disagree with it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum NonconformityStatus {
    #[default]
    #[autosurgeon(rename = "open")]
    Open,
    #[autosurgeon(rename = "closed")]
    Closed,
}

impl NonconformityStatus {
    /// As people read it, in the middle of a sentence or in a register's cell.
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }
}

/// How far a nonconformity has come, as read from it and its corrective actions.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NonconformityStage {
    NeedsRootCause,
    NeedsCorrectiveAction,
    ActionsUnderway,
    AwaitingReview,
    NotEffective,
    ReadyToClose,
    Closed,
}

impl NonconformityStage {
    pub fn as_token(&self) -> &'static str {
        match self {
            Self::NeedsRootCause => "needs-root-cause",
            Self::NeedsCorrectiveAction => "needs-corrective-action",
            Self::ActionsUnderway => "actions-underway",
            Self::AwaitingReview => "awaiting-review",
            Self::NotEffective => "not-effective",
            Self::ReadyToClose => "ready-to-close",
            Self::Closed => "closed",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Self::NeedsRootCause => "Needs a root cause",
            Self::NeedsCorrectiveAction => "Needs a corrective action",
            Self::ActionsUnderway => "Actions underway",
            Self::AwaitingReview => "Awaiting effectiveness review",
            Self::NotEffective => "Found not effective",
            Self::ReadyToClose => "Ready to close",
            Self::Closed => "Closed",
        }
    }
}

record_fields! {
    /// A field of a [`Nonconformity`]. Neither the status nor the effectiveness review is here:
    /// they change through [`close_nonconformity`], [`reopen_nonconformity`] and
    /// [`edit_effectiveness`], which check the closure rule.
    pub enum NonconformityField for Nonconformity {
        Title(String) => scalar title,
        Description(TextEdit) => text description,
        Source(NonconformitySource) => scalar source,
        Audit(Option<DocumentId>) => scalar audit,
        Finding(Option<FindingId>) => scalar finding,
        DetectedOn(Option<Date>) => scalar detected_on,
        Reaction(TextEdit) => text reaction,
        RootCause(TextEdit) => text root_cause,
        Owner(Option<MemberId>) => scalar owner,
    }
}

record! {
    Nonconformity { id: NonconformityId, field: NonconformityField, kind: Improvement, register: "nonconformities", noun: "nonconformity", label: |n| n.title.clone() }
    {
        fn dependants(doc: &AutoCommit, id: NonconformityId) -> Result<Vec<(&'static str, String)>, ModelError> {
            Ok(list::<CorrectiveAction>(doc)?
                .into_iter()
                .filter(|(_, a)| a.nonconformity == id)
                .map(|(a, _)| ("corrective_actions", a.to_string()))
                .collect())
        }
    }
}

#[derive(Clone, PartialEq, Debug, Reconcile, Hydrate)]
pub struct CorrectiveAction {
    pub rank: Rank,
    pub nonconformity: NonconformityId,
    pub title: String,
    pub owner: Option<MemberId>,
    pub due: Option<Date>,
    pub done: bool,
}

impl CorrectiveAction {
    pub fn new(nonconformity: NonconformityId, title: &str) -> Self {
        Self {
            rank: Rank::default(),
            nonconformity,
            title: title.to_string(),
            owner: None,
            due: None,
            done: false,
        }
    }
}

record_fields! {
    /// A field of a [`CorrectiveAction`].
    pub enum CorrectiveActionField for CorrectiveAction {
        Title(String) => scalar title,
        Owner(Option<MemberId>) => scalar owner,
        Due(Option<Date>) => scalar due,
        Done(bool) => scalar done,
    }
}

record! {
    CorrectiveAction { id: CorrectiveActionId, field: CorrectiveActionField, kind: Improvement, register: "corrective_actions", noun: "corrective action", label: |a| a.title.clone() }
    {
        fn check(&self, doc: &AutoCommit) -> Result<(), ModelError> {
            get(doc, self.nonconformity).map(|_| ())
        }
    }
}

/// An improvement made to the AIMS, beyond correcting nonconformities (10.1).
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct ImprovementEntry {
    pub rank: Rank,
    pub title: String,
    pub description: Text,
    pub made_on: Option<Date>,
    pub owner: Option<MemberId>,
}

record_fields! {
    /// A field of an [`ImprovementEntry`].
    pub enum ImprovementField for ImprovementEntry {
        Title(String) => scalar title,
        Description(TextEdit) => text description,
        MadeOn(Option<Date>) => scalar made_on,
        Owner(Option<MemberId>) => scalar owner,
    }
}

record! {
    ImprovementEntry { id: ImprovementId, field: ImprovementField, kind: Improvement, register: "log", noun: "improvement", label: |i| i.title.clone() }
    {}
}

pub fn create_improvement(doc: &mut AutoCommit, now_ms: i64) -> Result<(), ModelError> {
    create(doc, now_ms, &Improvement::default(), "create improvement log")
}

mod closure;

pub use closure::*;

#[cfg(test)]
mod tests {
    // The closure rule's tests are in `closure.rs`.
    use super::*;
    use crate::model::testing::{id, refused};
    use crate::model::{Position, add_with_id, delete, edit, new_document};

    #[test]
    fn corrective_actions_belong_to_their_nonconformity() {
        let mut doc = new_document();
        create_improvement(&mut doc, 0).unwrap();
        let n = id::<NonconformityId>(1);
        add_with_id(
            &mut doc,
            0,
            n,
            Nonconformity { title: "No owner".into(), ..Default::default() },
            Position::Last,
        )
        .unwrap();
        edit(&mut doc, 0, n, NonconformityField::RootCause("No process".into())).unwrap();
        let a = id::<CorrectiveActionId>(1);
        add_with_id(&mut doc, 0, a, CorrectiveAction::new(n, "Write process"), Position::Last).unwrap();
        edit(&mut doc, 0, a, CorrectiveActionField::Done(true)).unwrap();
        refused(&mut doc, |doc| {
            add_with_id(doc, 0, id(2), CorrectiveAction::new(id(9), "x"), Position::Last)
        });
        let i = id::<ImprovementId>(1);
        add_with_id(
            &mut doc,
            0,
            i,
            ImprovementEntry { title: "Dashboards".into(), ..Default::default() },
            Position::Last,
        )
        .unwrap();
        assert!(Improvement::load(&doc).unwrap().corrective_actions[&a].done);
        delete(&mut doc, 0, n).unwrap();
        let improvement = Improvement::load(&doc).unwrap();
        assert!(improvement.corrective_actions.is_empty());
        assert_eq!(improvement.log.len(), 1);
    }
}
