//! The closure rule of nonconformities (10.2): one is closed only once a review of its
//! corrective actions, recorded with what was checked, by whom and when, found them effective.
//! Closing checks it; editing the review of a closed nonconformity is refused; and a merge that
//! closes one while someone else clears its review is reported by [`improvement_violations`].
//!
//! ```
//! use quorum_shared::model::{self, EffectivenessField, ModelError, Nonconformity, Position};
//!
//! let mut doc = model::new_document();
//! model::create_improvement(&mut doc, 0).unwrap();
//! let nc = model::add(&mut doc, 1, [1; 16], Nonconformity { title: "Late review".into(), ..Default::default() }, Position::Last).unwrap();
//! let today = "2025-05-01".parse().unwrap();
//! assert!(matches!(model::close_nonconformity(&mut doc, 2, nc, today), Err(ModelError::NotShownEffective)));
//! model::edit_effectiveness(&mut doc, 3, nc, EffectivenessField::Checked("Sampled 20 risks".into())).unwrap();
//! ```

use automerge::{AutoCommit, ObjId, ReadDoc};
use autosurgeon::reconcile_prop;

use super::{CorrectiveAction, Improvement, Nonconformity, NonconformityStage, NonconformityStatus};
use crate::model::document::{change, object};
use crate::model::register::get;
use crate::model::{CorrectiveActionId, Date, MemberId, ModelError, NonconformityId, Record, TextEdit};

/// A field of a nonconformity's [`EffectivenessReview`](super::EffectivenessReview).
#[derive(Clone, PartialEq, Debug)]
pub enum EffectivenessField {
    Checked(TextEdit),
    By(Option<MemberId>),
    On(Option<Date>),
    Effective(Option<bool>),
}

/// Edits the effectiveness review of an open nonconformity.
pub fn edit_effectiveness(
    doc: &mut AutoCommit,
    now_ms: i64,
    id: NonconformityId,
    field: EffectivenessField,
) -> Result<(), ModelError> {
    let (nc, obj) = nonconformity(doc, id)?;
    if nc.status == NonconformityStatus::Closed {
        return Err(ModelError::NonconformityClosed);
    }
    let prop = match &field {
        EffectivenessField::Checked(_) => "checked",
        EffectivenessField::By(_) => "by",
        EffectivenessField::On(_) => "on",
        EffectivenessField::Effective(_) => "effective",
    };
    let message = format!("edit nonconformity {:?}: effectiveness {prop}", nc.title);
    change(doc, now_ms, message, |doc| {
        let review = match doc.get(&obj, "effectiveness")? {
            Some((automerge::Value::Object(_), review)) => review,
            _ => {
                reconcile_prop(doc, &obj, "effectiveness", super::EffectivenessReview::default())?;
                object(doc, &obj, "effectiveness")?
            }
        };
        match field {
            EffectivenessField::Checked(edit) => edit.apply(doc, &review, prop),
            EffectivenessField::By(v) => Ok(reconcile_prop(doc, &review, prop, v)?),
            EffectivenessField::On(v) => Ok(reconcile_prop(doc, &review, prop, v)?),
            EffectivenessField::Effective(v) => Ok(reconcile_prop(doc, &review, prop, v)?),
        }
    })
}

/// Closes a nonconformity on `on`; refused until its effectiveness review shows it effective.
pub fn close_nonconformity(
    doc: &mut AutoCommit,
    now_ms: i64,
    id: NonconformityId,
    on: Date,
) -> Result<(), ModelError> {
    let (nc, obj) = nonconformity(doc, id)?;
    if !nc.effectiveness.shows_effective() {
        return Err(ModelError::NotShownEffective);
    }
    change(doc, now_ms, format!("close nonconformity {:?}", nc.title), |doc| {
        reconcile_prop(doc, &obj, "status", NonconformityStatus::Closed)?;
        Ok(reconcile_prop(doc, &obj, "closed_on", Some(on))?)
    })
}

/// Opens a closed nonconformity again, when it turns out not to be settled after all.
pub fn reopen_nonconformity(
    doc: &mut AutoCommit,
    now_ms: i64,
    id: NonconformityId,
) -> Result<(), ModelError> {
    let (nc, obj) = nonconformity(doc, id)?;
    change(doc, now_ms, format!("reopen nonconformity {:?}", nc.title), |doc| {
        reconcile_prop(doc, &obj, "status", NonconformityStatus::Open)?;
        Ok(reconcile_prop(doc, &obj, "closed_on", None::<Date>)?)
    })
}

/// What a merge can leave broken in the improvement document.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ImprovementViolation {
    /// Closed while someone else cleared or failed its effectiveness review.
    ClosedWithoutEffectiveReview(NonconformityId),
    /// A corrective action added while its nonconformity was deleted.
    OrphanCorrectiveAction(CorrectiveActionId),
}

/// Lists the improvement document's invariant breaks.
pub fn improvement_violations(doc: &AutoCommit) -> Result<Vec<ImprovementViolation>, ModelError> {
    let improvement = Improvement::load(doc)?;
    let mut violations: Vec<_> = improvement
        .nonconformities
        .iter()
        .filter(|(_, nc)| nc.status == NonconformityStatus::Closed && !nc.effectiveness.shows_effective())
        .map(|(id, _)| ImprovementViolation::ClosedWithoutEffectiveReview(*id))
        .collect();
    violations.extend(
        improvement
            .corrective_actions
            .iter()
            .filter(|(_, a)| !improvement.nonconformities.contains_key(&a.nonconformity))
            .map(|(id, _)| ImprovementViolation::OrphanCorrectiveAction(*id)),
    );
    Ok(violations)
}

impl Improvement {
    /// The corrective actions of one nonconformity, in order.
    pub fn actions_of(&self, id: NonconformityId) -> Vec<(CorrectiveActionId, &CorrectiveAction)> {
        let mut actions: Vec<_> = self
            .corrective_actions
            .iter()
            .filter(|(_, a)| a.nonconformity == id)
            .map(|(i, a)| (*i, a))
            .collect();
        crate::order::sort_by(&mut actions, |a, b| a.1.rank.cmp(&b.1.rank).then(a.0.cmp(&b.0)));
        actions
    }

    /// How far a nonconformity has come.
    pub fn stage(&self, id: NonconformityId) -> Option<NonconformityStage> {
        let nc = self.nonconformities.get(&id)?;
        let actions = self.actions_of(id);
        let review = &nc.effectiveness;
        Some(if nc.status == NonconformityStatus::Closed {
            NonconformityStage::Closed
        } else if nc.root_cause.as_str().trim().is_empty() {
            NonconformityStage::NeedsRootCause
        } else if actions.is_empty() {
            NonconformityStage::NeedsCorrectiveAction
        } else if review.effective == Some(false) {
            NonconformityStage::NotEffective
        } else if review.shows_effective() {
            NonconformityStage::ReadyToClose
        } else if actions.iter().any(|(_, a)| !a.done) {
            NonconformityStage::ActionsUnderway
        } else {
            NonconformityStage::AwaitingReview
        })
    }

    /// Corrective actions not done whose due date is before `today`.
    pub fn overdue_actions(&self, today: Date) -> usize {
        self.corrective_actions.values().filter(|a| !a.done && a.due.is_some_and(|due| due < today)).count()
    }
}

fn nonconformity(doc: &AutoCommit, id: NonconformityId) -> Result<(Nonconformity, ObjId), ModelError> {
    let nc = get(doc, id)?;
    let register = object(doc, &automerge::ROOT, <Nonconformity as Record>::REGISTER)?;
    let obj = match doc.get(&register, id.to_string())? {
        Some((automerge::Value::Object(_), obj)) => obj,
        _ => return Err(ModelError::NotFound { what: "nonconformity", id: id.to_string() }),
    };
    Ok((nc, obj))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{id, one_commit, refused};
    use crate::model::{CorrectiveActionField, NonconformityField};
    use crate::model::{Position, add_with_id, create_improvement, edit, new_document};

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn with_nonconformity() -> (AutoCommit, NonconformityId) {
        let mut doc = new_document();
        create_improvement(&mut doc, 0).unwrap();
        let n = id::<NonconformityId>(1);
        let nc = Nonconformity { title: "Risk without owner".into(), ..Default::default() };
        add_with_id(&mut doc, 0, n, nc, Position::Last).unwrap();
        (doc, n)
    }

    #[test]
    fn closing_needs_a_complete_review_that_found_it_effective() {
        let (mut doc, n) = with_nonconformity();
        let ada = id::<MemberId>(7);
        let steps = [
            EffectivenessField::Checked("Sampled 20 risks: all owned".into()),
            EffectivenessField::By(Some(ada)),
            EffectivenessField::On(Some(date("2025-05-01"))),
            EffectivenessField::Effective(Some(false)),
        ];
        // Refused after each step short of an effective verdict, with no commit.
        for step in steps {
            let error = refused(&mut doc, |doc| close_nonconformity(doc, 0, n, date("2025-05-02")));
            assert!(matches!(error, ModelError::NotShownEffective));
            edit_effectiveness(&mut doc, 0, n, step).unwrap();
        }
        assert!(matches!(
            refused(&mut doc, |doc| close_nonconformity(doc, 0, n, date("2025-05-02"))),
            ModelError::NotShownEffective
        ));
        edit_effectiveness(&mut doc, 0, n, EffectivenessField::Effective(Some(true))).unwrap();
        one_commit(&mut doc, "close nonconformity \"Risk without owner\"", |doc| {
            close_nonconformity(doc, 0, n, date("2025-05-02")).unwrap()
        });
        let improvement = Improvement::load(&doc).unwrap();
        assert_eq!(improvement.nonconformities[&n].closed_on, Some(date("2025-05-02")));
        assert_eq!(improvement.stage(n), Some(NonconformityStage::Closed));
        // A closed one's review stays as it was.
        let error =
            refused(&mut doc, |doc| edit_effectiveness(doc, 0, n, EffectivenessField::Effective(None)));
        assert!(matches!(error, ModelError::NonconformityClosed));
        reopen_nonconformity(&mut doc, 0, n).unwrap();
        edit_effectiveness(&mut doc, 0, n, EffectivenessField::Effective(None)).unwrap();
        assert!(improvement_violations(&doc).unwrap().is_empty());
    }

    #[test]
    fn stages_follow_the_record() {
        let (mut doc, n) = with_nonconformity();
        let stage = |doc: &AutoCommit| Improvement::load(doc).unwrap().stage(n).unwrap();
        assert_eq!(stage(&doc), NonconformityStage::NeedsRootCause);
        edit(&mut doc, 0, n, NonconformityField::RootCause("No process".into())).unwrap();
        assert_eq!(stage(&doc), NonconformityStage::NeedsCorrectiveAction);
        let a = id::<CorrectiveActionId>(2);
        let mut action = CorrectiveAction::new(n, "Write the process");
        action.due = Some(date("2025-01-31"));
        add_with_id(&mut doc, 0, a, action, Position::Last).unwrap();
        assert_eq!(stage(&doc), NonconformityStage::ActionsUnderway);
        assert_eq!(Improvement::load(&doc).unwrap().overdue_actions(date("2025-02-01")), 1);
        assert_eq!(Improvement::load(&doc).unwrap().overdue_actions(date("2025-01-31")), 0);
        edit(&mut doc, 0, a, CorrectiveActionField::Done(true)).unwrap();
        assert_eq!(stage(&doc), NonconformityStage::AwaitingReview);
        edit_effectiveness(&mut doc, 0, n, EffectivenessField::Effective(Some(false))).unwrap();
        assert_eq!(stage(&doc), NonconformityStage::NotEffective);
    }

    #[test]
    fn unknown_nonconformities_are_not_found() {
        let (mut doc, _) = with_nonconformity();
        let error = refused(&mut doc, |doc| close_nonconformity(doc, 0, id(9), date("2025-01-01")));
        assert!(matches!(error, ModelError::NotFound { what: "nonconformity", .. }));
    }
}
