//! Management reviews (ISO/IEC 42001 9.3), one document per review: the inputs top management
//! considers (one per topic, each with the committee's notes), who attended and when, the
//! decisions taken, the actions that follow, and the members' approval of the minutes.
//!
//! Inputs are keyed by their [`ReviewTopic`], a natural key, so two replicas never hold two
//! inputs for one topic. Actions of earlier reviews are not copied into a new one: a review reads
//! the open actions of the reviews held before it ([`carried_actions`]) and marks them done in
//! their own document, so each action has one truth. Approving the minutes stores the heads and
//! a digest of what the minutes say; the minutes have changed since an approval when the digest
//! of the current minutes differs ([`ManagementReview::approval_state`]). Whether an action is
//! done is follow-up, not minutes, so marking one done later leaves the approval standing.
//!
//! ```
//! use quorum_shared::model::{self, ManagementReview, ReviewAction, ReviewField, ReviewTopic, Position, MemberId};
//!
//! let mut doc = model::new_document();
//! model::create_management_review(&mut doc, 0, "2025 review").unwrap();
//! let review = ManagementReview::load(&doc).unwrap();
//! assert_eq!(review.inputs.len(), ReviewTopic::ALL.len());
//! model::edit_review(&mut doc, 1_000, ReviewField::HeldOn(Some("2025-06-30".parse().unwrap()))).unwrap();
//! model::edit_review_input(&mut doc, 2_000, ReviewTopic::Audits, "Two minor findings".into()).unwrap();
//! model::add(&mut doc, 3_000, [1; 16], ReviewAction { title: "Hire a data steward".into(), ..Default::default() }, Position::Last).unwrap();
//! model::approve_minutes(&mut doc, 4_000, MemberId::from_bytes([9; 16]), "", None).unwrap();
//! assert!(ManagementReview::load(&doc).unwrap().approval_state().is_current());
//! ```

mod carried;
mod minutes;
mod topic;

use std::collections::BTreeMap;

use automerge::{AutoCommit, ROOT, ReadDoc};
use autosurgeon::{Hydrate, Reconcile, Text, reconcile_prop};

use super::document::{artifact, change, check_kind, create, object};
use super::register::{record, record_fields};
use super::{Date, DecisionId, DocumentKind, MemberId, ModelError, Rank, ReviewActionId, TextEdit};

pub use carried::{CarriedAction, carried_actions};
pub use minutes::{MINUTES_SUBJECT, MinutesApproval, MinutesState, approve_minutes};
pub use topic::{ParseReviewTopicError, ReviewTopic};

/// A management review document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct ManagementReview {
    pub title: String,
    pub held_on: Option<Date>,
    /// Who took part, as the committee writes it (not only members of the workspace).
    pub attendees: String,
    #[autosurgeon(with = "crate::model::records")]
    pub inputs: BTreeMap<ReviewTopic, ReviewInput>,
    #[autosurgeon(with = "crate::model::records")]
    pub decisions: BTreeMap<DecisionId, Decision>,
    #[autosurgeon(with = "crate::model::records")]
    pub actions: BTreeMap<ReviewActionId, ReviewAction>,
    /// Approvals of the minutes, one per approving member.
    #[autosurgeon(with = "crate::model::records")]
    pub approvals: BTreeMap<MemberId, MinutesApproval>,
}

artifact!(ManagementReview, ManagementReview);

/// What the review considered on one topic.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct ReviewInput {
    pub notes: Text,
}

#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Decision {
    pub rank: Rank,
    pub summary: String,
    pub description: Text,
}

record_fields! {
    /// A field of a [`Decision`].
    pub enum DecisionField for Decision {
        Summary(String) => scalar summary,
        Description(TextEdit) => text description,
    }
}

record! {
    Decision { id: DecisionId, field: DecisionField, kind: ManagementReview, register: "decisions", noun: "decision", label: |d| d.summary.clone() }
    {}
}

#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct ReviewAction {
    pub rank: Rank,
    pub title: String,
    pub owner: Option<MemberId>,
    pub due: Option<Date>,
    pub done: bool,
}

record_fields! {
    /// A field of a [`ReviewAction`].
    pub enum ReviewActionField for ReviewAction {
        Title(String) => scalar title,
        Owner(Option<MemberId>) => scalar owner,
        Due(Option<Date>) => scalar due,
        Done(bool) => scalar done,
    }
}

record! {
    ReviewAction { id: ReviewActionId, field: ReviewActionField, kind: ManagementReview, register: "actions", noun: "review action", label: |a| a.title.clone() }
    {}
}

/// A field of the review itself, for [`edit_review`].
#[derive(Clone, PartialEq, Debug)]
pub enum ReviewField {
    Title(String),
    HeldOn(Option<Date>),
    Attendees(String),
}

/// Creates a review with an empty input for every topic.
pub fn create_management_review(doc: &mut AutoCommit, now_ms: i64, title: &str) -> Result<(), ModelError> {
    let inputs = ReviewTopic::ALL.iter().map(|topic| (*topic, ReviewInput::default())).collect();
    let review = ManagementReview { title: title.to_string(), inputs, ..Default::default() };
    create(doc, now_ms, &review, "create management review")
}

pub fn edit_review(doc: &mut AutoCommit, now_ms: i64, field: ReviewField) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::ManagementReview)?;
    let (prop, name) = match &field {
        ReviewField::Title(_) => ("title", "title"),
        ReviewField::HeldOn(_) => ("held_on", "date"),
        ReviewField::Attendees(_) => ("attendees", "attendees"),
    };
    change(doc, now_ms, format!("edit review {name}"), |doc| {
        match field {
            ReviewField::Title(v) | ReviewField::Attendees(v) => reconcile_prop(doc, ROOT, prop, v)?,
            ReviewField::HeldOn(v) => reconcile_prop(doc, ROOT, prop, v)?,
        }
        Ok(())
    })
}

/// Edits the committee's notes on one input; an input missing from the document (written by a
/// build with fewer topics) is made on the way.
pub fn edit_review_input(
    doc: &mut AutoCommit,
    now_ms: i64,
    topic: ReviewTopic,
    edit: TextEdit,
) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::ManagementReview)?;
    let inputs = object(doc, &ROOT, "inputs")?;
    change(doc, now_ms, format!("edit review input {:?}", topic.label()), |doc| {
        let input = match doc.get(&inputs, topic.as_token())? {
            Some((automerge::Value::Object(_), obj)) => obj,
            _ => {
                reconcile_prop(doc, &inputs, topic.as_token(), ReviewInput::default())?;
                object(doc, &inputs, topic.as_token())?
            }
        };
        edit.apply(doc, &input, "notes")
    })
}

impl ManagementReview {
    /// The decisions in their order.
    pub fn decisions_in_order(&self) -> Vec<(DecisionId, &Decision)> {
        let mut decisions: Vec<_> = self.decisions.iter().map(|(id, d)| (*id, d)).collect();
        crate::order::sort_by(&mut decisions, |a, b| a.1.rank.cmp(&b.1.rank).then(a.0.cmp(&b.0)));
        decisions
    }

    /// The actions in their order.
    pub fn actions_in_order(&self) -> Vec<(ReviewActionId, &ReviewAction)> {
        let mut actions: Vec<_> = self.actions.iter().map(|(id, a)| (*id, a)).collect();
        crate::order::sort_by(&mut actions, |a, b| a.1.rank.cmp(&b.1.rank).then(a.0.cmp(&b.0)));
        actions
    }

    /// The notes on a topic, empty when there are none.
    pub fn notes(&self, topic: ReviewTopic) -> &str {
        self.inputs.get(&topic).map_or("", |input| input.notes.as_str())
    }

    /// Whether every topic has notes.
    pub fn every_input_noted(&self) -> bool {
        ReviewTopic::ALL.iter().all(|topic| !self.notes(*topic).trim().is_empty())
    }
}

#[cfg(test)]
mod tests;
