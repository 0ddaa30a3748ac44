//! Support (ISO/IEC 42001 7.1 to 7.4, A.4): the AIMS's resources, competence and training
//! records, awareness activities, and the communication plan.
//!
//! ```
//! use quorum_shared::model::{self, Communication, Position, Support};
//!
//! let mut doc = model::new_document();
//! model::create_support(&mut doc, 0).unwrap();
//! let line = Communication { what: "Policy changes".into(), with_whom: "All staff".into(), ..Default::default() };
//! model::add(&mut doc, 1_000, line, Position::Last).unwrap();
//! assert_eq!(Support::load(&doc).unwrap().communications.len(), 1);
//! ```

use std::collections::BTreeMap;

use automerge::AutoCommit;
use autosurgeon::{Hydrate, Reconcile, Text};

use super::document::{artifact, create};
use super::register::{record, record_fields};
use super::{
    AwarenessId, CommunicationId, Date, MemberId, ModelError, Rank, ResourceId, TextEdit, TrainingId,
};

/// The support document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Support {
    #[autosurgeon(with = "autosurgeon::map_with_parseable_keys")]
    pub resources: BTreeMap<ResourceId, Resource>,
    #[autosurgeon(with = "autosurgeon::map_with_parseable_keys")]
    pub training: BTreeMap<TrainingId, TrainingRecord>,
    #[autosurgeon(with = "autosurgeon::map_with_parseable_keys")]
    pub awareness: BTreeMap<AwarenessId, Awareness>,
    #[autosurgeon(with = "autosurgeon::map_with_parseable_keys")]
    pub communications: BTreeMap<CommunicationId, Communication>,
}

artifact!(Support, Support);

/// A resource the AIMS or an AI system depends on (7.1, A.4).
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Resource {
    pub rank: Rank,
    pub kind: ResourceKind,
    pub name: String,
    pub description: Text,
    pub owner: Option<MemberId>,
}

/// The resource types of Annex A.4.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum ResourceKind {
    #[default]
    #[autosurgeon(rename = "data")]
    Data,
    #[autosurgeon(rename = "tooling")]
    Tooling,
    #[autosurgeon(rename = "system-and-computing")]
    SystemAndComputing,
    #[autosurgeon(rename = "human")]
    Human,
}

record_fields! {
    /// A field of a [`Resource`].
    pub enum ResourceField for Resource {
        Kind(ResourceKind) => scalar kind,
        Name(String) => scalar name,
        Description(TextEdit) => text description,
        Owner(Option<MemberId>) => scalar owner,
    }
}

record! {
    Resource { id: ResourceId, field: ResourceField, kind: Support, register: "resources", noun: "resource", label: |r| r.name.clone() }
    {}
}

/// Evidence that a person has a competence the AIMS needs (7.2).
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct TrainingRecord {
    pub rank: Rank,
    /// Who, by name, as not everyone trained is a workspace member.
    pub person: String,
    pub member: Option<MemberId>,
    pub competence: String,
    /// The course, qualification or experience that shows it.
    pub evidence: String,
    pub completed_on: Option<Date>,
}

record_fields! {
    /// A field of a [`TrainingRecord`].
    pub enum TrainingField for TrainingRecord {
        Person(String) => scalar person,
        Member(Option<MemberId>) => scalar member,
        Competence(String) => scalar competence,
        Evidence(String) => scalar evidence,
        CompletedOn(Option<Date>) => scalar completed_on,
    }
}

record! {
    TrainingRecord { id: TrainingId, field: TrainingField, kind: Support, register: "training", noun: "training record", label: |t| format!("{}: {}", t.person, t.competence) }
    {}
}

/// An activity that makes people aware of the AI policy and their part in the AIMS (7.3).
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Awareness {
    pub rank: Rank,
    pub topic: String,
    pub audience: String,
    pub held_on: Option<Date>,
    pub notes: Text,
}

record_fields! {
    /// A field of an [`Awareness`] activity.
    pub enum AwarenessField for Awareness {
        Topic(String) => scalar topic,
        Audience(String) => scalar audience,
        HeldOn(Option<Date>) => scalar held_on,
        Notes(TextEdit) => text notes,
    }
}

record! {
    Awareness { id: AwarenessId, field: AwarenessField, kind: Support, register: "awareness", noun: "awareness activity", label: |a| a.topic.clone() }
    {}
}

/// A line of the communication plan: what, when, with whom, how and by whom (7.4).
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Communication {
    pub rank: Rank,
    pub what: String,
    pub when: String,
    pub with_whom: String,
    pub how: String,
    pub who: Option<MemberId>,
    pub external: bool,
}

record_fields! {
    /// A field of a [`Communication`].
    pub enum CommunicationField for Communication {
        What(String) => scalar what,
        When(String) => scalar when,
        WithWhom(String) => scalar with_whom,
        How(String) => scalar how,
        Who(Option<MemberId>) => scalar who,
        External(bool) => scalar external,
    }
}

record! {
    Communication { id: CommunicationId, field: CommunicationField, kind: Support, register: "communications", noun: "communication", label: |c| c.what.clone() }
    {}
}

pub fn create_support(doc: &mut AutoCommit, now_ms: i64) -> Result<(), ModelError> {
    create(doc, now_ms, &Support::default(), "create support")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{id, one_commit};
    use crate::model::{Position, add_with_id, edit, list, new_document};

    #[test]
    fn each_register_of_support_works() {
        let mut doc = new_document();
        create_support(&mut doc, 0).unwrap();
        let r = id::<ResourceId>(1);
        add_with_id(
            &mut doc,
            0,
            r,
            Resource { name: "GPU cluster".into(), ..Default::default() },
            Position::Last,
        )
        .unwrap();
        edit(&mut doc, 0, r, ResourceField::Kind(ResourceKind::SystemAndComputing)).unwrap();
        let t = id::<TrainingId>(1);
        let record =
            TrainingRecord { person: "Ada".into(), competence: "AI risk".into(), ..Default::default() };
        one_commit(&mut doc, "add training record \"Ada: AI risk\"", |doc| {
            add_with_id(doc, 0, t, record, Position::Last).unwrap()
        });
        edit(&mut doc, 0, t, TrainingField::CompletedOn(Some("2025-03-01".parse().unwrap()))).unwrap();
        let a = id::<AwarenessId>(1);
        add_with_id(
            &mut doc,
            0,
            a,
            Awareness { topic: "AI policy".into(), ..Default::default() },
            Position::Last,
        )
        .unwrap();
        edit(&mut doc, 0, a, AwarenessField::Notes("30 attended".into())).unwrap();
        let c = id::<CommunicationId>(1);
        add_with_id(
            &mut doc,
            0,
            c,
            Communication { what: "Incidents".into(), ..Default::default() },
            Position::Last,
        )
        .unwrap();
        edit(&mut doc, 0, c, CommunicationField::External(true)).unwrap();
        let support = Support::load(&doc).unwrap();
        assert_eq!(support.resources[&r].kind, ResourceKind::SystemAndComputing);
        assert!(support.training[&t].completed_on.is_some());
        assert_eq!(support.awareness[&a].notes.as_str(), "30 attended");
        assert!(list::<Communication>(&doc).unwrap()[0].1.external);
    }
}
