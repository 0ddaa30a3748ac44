//! AI objectives (ISO/IEC 42001 6.2, A.6.1.2, A.9.3): what the organization aims for with its
//! AI systems, how it is measured, by whom and by when.
//!
//! ```
//! use quorum_shared::model::{self, AiObjective, ObjectiveField, Position};
//!
//! let mut doc = model::new_document();
//! model::create_objectives(&mut doc, 0).unwrap();
//! let objective = AiObjective { title: "Explain every rejection".into(), ..Default::default() };
//! let id = model::add(&mut doc, 1_000, [1; 16], objective, Position::Last).unwrap();
//! model::edit(&mut doc, 2_000, id, ObjectiveField::AnnexC(Some("transparency".into()))).unwrap();
//! ```

use std::collections::BTreeMap;

use automerge::AutoCommit;
use autosurgeon::{Hydrate, Reconcile, Text};

use super::document::{artifact, create};
use super::register::{record, record_fields};
use super::{Date, MemberId, ModelError, ObjectiveId, Rank, TextEdit};
use crate::catalog;

/// The AI objectives document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Objectives {
    #[autosurgeon(with = "crate::model::records")]
    pub objectives: BTreeMap<ObjectiveId, AiObjective>,
}

artifact!(Objectives, Objectives);

#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct AiObjective {
    pub rank: Rank,
    pub title: String,
    pub description: Text,
    /// The Annex C objective it serves, such as `fairness`.
    pub annex_c: Option<String>,
    /// How progress is measured.
    pub measure: String,
    pub target: String,
    pub owner: Option<MemberId>,
    pub due: Option<Date>,
    pub status: ObjectiveStatus,
    /// How far along the objective is, in percent (0 to 100), as its owner last judged it
    /// against the target; none until someone has said.
    pub progress: Option<u64>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum ObjectiveStatus {
    #[default]
    #[autosurgeon(rename = "planned")]
    Planned,
    #[autosurgeon(rename = "on-track")]
    OnTrack,
    #[autosurgeon(rename = "at-risk")]
    AtRisk,
    #[autosurgeon(rename = "achieved")]
    Achieved,
    #[autosurgeon(rename = "missed")]
    Missed,
}

impl ObjectiveStatus {
    /// As people read it, in the middle of a sentence or in a register's cell.
    pub fn label(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::OnTrack => "on track",
            Self::AtRisk => "at risk",
            Self::Achieved => "achieved",
            Self::Missed => "missed",
        }
    }
}

record_fields! {
    /// A field of an [`AiObjective`].
    pub enum ObjectiveField for AiObjective {
        Title(String) => scalar title,
        Description(TextEdit) => text description,
        AnnexC(Option<String>) => scalar annex_c,
        Measure(String) => scalar measure,
        Target(String) => scalar target,
        Owner(Option<MemberId>) => scalar owner,
        Due(Option<Date>) => scalar due,
        Status(ObjectiveStatus) => scalar status,
        Progress(Option<u64>) => scalar progress,
    }
}

record! {
    AiObjective { id: ObjectiveId, field: ObjectiveField, kind: Objectives, register: "objectives", noun: "objective", label: |o| o.title.clone() }
    {
        fn check(&self, _doc: &AutoCommit) -> Result<(), ModelError> {
            check_annex_c(self.annex_c.as_deref())?;
            check_progress(self.progress)
        }

        fn check_field(field: &ObjectiveField, _doc: &AutoCommit) -> Result<(), ModelError> {
            match field {
                ObjectiveField::AnnexC(key) => check_annex_c(key.as_deref()),
                ObjectiveField::Progress(percent) => check_progress(*percent),
                _ => Ok(()),
            }
        }
    }
}

fn check_annex_c(key: Option<&str>) -> Result<(), ModelError> {
    match key {
        Some(key) if catalog::annex_c_objective(key).is_none() => {
            Err(ModelError::UnknownAnnexCObjective(key.to_string()))
        }
        _ => Ok(()),
    }
}

/// Progress is a share of the target, so more than all of it is a typing mistake.
fn check_progress(percent: Option<u64>) -> Result<(), ModelError> {
    match percent {
        Some(value) if value > 100 => Err(ModelError::OutOfScale { scale: "progress", value, max: 100 }),
        _ => Ok(()),
    }
}

pub fn create_objectives(doc: &mut AutoCommit, now_ms: i64) -> Result<(), ModelError> {
    create(doc, now_ms, &Objectives::default(), "create AI objectives")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{id, refused};
    use crate::model::{Position, add_with_id, edit, get, new_document};

    /// An objectives document holding one objective, "Fair".
    fn one_objective() -> (AutoCommit, ObjectiveId) {
        let mut doc = new_document();
        create_objectives(&mut doc, 0).unwrap();
        let o = id::<ObjectiveId>(1);
        let objective = AiObjective { title: "Fair".into(), ..Default::default() };
        add_with_id(&mut doc, 0, o, objective, Position::Last).unwrap();
        (doc, o)
    }

    #[test]
    fn objectives_take_only_annex_c_objectives() {
        let (mut doc, o) = one_objective();
        edit(&mut doc, 0, o, ObjectiveField::AnnexC(Some("fairness".into()))).unwrap();
        edit(&mut doc, 0, o, ObjectiveField::Due(Some("2025-12-31".parse().unwrap()))).unwrap();
        let error = refused(&mut doc, |doc| edit(doc, 0, o, ObjectiveField::AnnexC(Some("speed".into()))));
        assert_eq!(error.to_string(), "\"speed\" is not an Annex C objective");
        assert_eq!(get(&doc, o).unwrap().annex_c.as_deref(), Some("fairness"));
    }

    #[test]
    fn progress_is_a_percentage() {
        let (mut doc, o) = one_objective();
        assert_eq!(get(&doc, o).unwrap().progress, None, "no one has said yet");
        for percent in [0, 40, 100] {
            edit(&mut doc, 0, o, ObjectiveField::Progress(Some(percent))).unwrap();
            assert_eq!(get(&doc, o).unwrap().progress, Some(percent));
        }
        refused(&mut doc, |doc| edit(doc, 0, o, ObjectiveField::Progress(Some(101))));
        let too_far = AiObjective { title: "Over".into(), progress: Some(250), ..Default::default() };
        refused(&mut doc, |doc| add_with_id(doc, 0, id::<ObjectiveId>(2), too_far, Position::Last));
        assert_eq!(get(&doc, o).unwrap().progress, Some(100));
    }
}
