//! Management reviews (ISO/IEC 42001 9.3), one document per review: the inputs the standard
//! asks top management to consider, the decisions taken and the actions that follow.
//!
//! ```
//! use quorum_shared::model::{self, ManagementReview, ReviewAction, Position};
//!
//! let mut doc = model::new_document();
//! model::create_management_review(&mut doc, 0, "2025 review").unwrap();
//! let review = ManagementReview::load(&doc).unwrap();
//! assert_eq!(review.inputs.len(), 7); // one per 9.3.2 topic, ready to fill in
//! model::add(&mut doc, 1_000, ReviewAction { title: "Hire a data steward".into(), ..Default::default() }, Position::Last).unwrap();
//! ```

use std::collections::BTreeMap;

use automerge::{AutoCommit, ROOT};
use autosurgeon::{Hydrate, Reconcile, Text, reconcile_prop};

use super::document::{artifact, change, check_kind, create};
use super::register::{record, record_fields};
use super::{
    Date, DecisionId, DocumentKind, MemberId, ModelError, Rank, ReviewActionId, ReviewInputId, TextEdit,
};

/// A management review document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct ManagementReview {
    pub title: String,
    pub held_on: Option<Date>,
    pub attendees: String,
    #[autosurgeon(with = "autosurgeon::map_with_parseable_keys")]
    pub inputs: BTreeMap<ReviewInputId, ReviewInput>,
    #[autosurgeon(with = "autosurgeon::map_with_parseable_keys")]
    pub decisions: BTreeMap<DecisionId, Decision>,
    #[autosurgeon(with = "autosurgeon::map_with_parseable_keys")]
    pub actions: BTreeMap<ReviewActionId, ReviewAction>,
}

artifact!(ManagementReview, ManagementReview);

/// What the review considered on one topic.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct ReviewInput {
    pub rank: Rank,
    pub topic: String,
    pub notes: Text,
}

/// The topics of 9.3.2, in our words, which a new review starts with.
const TOPICS: &[&str] = &[
    "Status of actions from previous reviews",
    "Changes in external and internal issues",
    "Changes in the needs and expectations of interested parties",
    "Performance: nonconformities, monitoring results, audit results",
    "Opportunities for continual improvement",
    "Adequacy of resources",
    "Risks and opportunities, and how they are addressed",
];

record_fields! {
    /// A field of a [`ReviewInput`].
    pub enum ReviewInputField for ReviewInput {
        Topic(String) => scalar topic,
        Notes(TextEdit) => text notes,
    }
}

record! {
    ReviewInput { id: ReviewInputId, field: ReviewInputField, kind: ManagementReview, register: "inputs", noun: "review input", label: |i| i.topic.clone() }
    {}
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

/// Creates a review with one input per 9.3.2 topic.
pub fn create_management_review(doc: &mut AutoCommit, now_ms: i64, title: &str) -> Result<(), ModelError> {
    let mut rank = None;
    let inputs = TOPICS
        .iter()
        .map(|topic| {
            let next = Rank::between(rank.as_ref(), None);
            rank = Some(next.clone());
            let input = ReviewInput { rank: next, topic: topic.to_string(), notes: Text::default() };
            (ReviewInputId::new_random(), input)
        })
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{id, one_commit};
    use crate::model::{Position, add_with_id, edit, list, new_document};

    #[test]
    fn inputs_decisions_and_actions() {
        let mut doc = new_document();
        create_management_review(&mut doc, 0, "2025").unwrap();
        let topics: Vec<String> =
            list::<ReviewInput>(&doc).unwrap().into_iter().map(|(_, i)| i.topic).collect();
        assert_eq!(topics, TOPICS);
        one_commit(&mut doc, "edit review attendees", |doc| {
            edit_review(doc, 0, ReviewField::Attendees("Board".into())).unwrap()
        });
        let d = id::<DecisionId>(1);
        add_with_id(
            &mut doc,
            0,
            d,
            Decision { summary: "Fund audits".into(), ..Default::default() },
            Position::Last,
        )
        .unwrap();
        let a = id::<ReviewActionId>(1);
        add_with_id(
            &mut doc,
            0,
            a,
            ReviewAction { title: "Hire".into(), ..Default::default() },
            Position::Last,
        )
        .unwrap();
        edit(&mut doc, 0, a, ReviewActionField::Done(true)).unwrap();
        let review = ManagementReview::load(&doc).unwrap();
        assert_eq!(review.attendees, "Board");
        assert!(review.actions[&a].done);
    }
}
