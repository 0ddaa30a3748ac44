//! Support (ISO/IEC 42001 7.1 to 7.4, A.4): the resources of each AI system, the AIMS roles
//! with the competences they need, their holders and training records, the members'
//! acknowledgements of the AI policy in force, awareness activities, and the communication plan.
//!
//! Roles keep their required competences and their holders as maps keyed by id, so two people
//! adding a holder at once both keep theirs. What is missing (a holder without a valid training
//! record, a member who has not read the policy in force) is computed, not stored: see
//! [`competence_gaps`] and [`awaiting_acknowledgement`].
//!
//! ```
//! use quorum_shared::model::{self, Communication, Position, Support};
//!
//! let mut doc = model::new_document();
//! model::create_support(&mut doc, 0).unwrap();
//! let line = Communication { what: "Policy changes".into(), with_whom: "All staff".into(), ..Default::default() };
//! model::add(&mut doc, 1_000, [1; 16], line, Position::Last).unwrap();
//! assert_eq!(Support::load(&doc).unwrap().communications.len(), 1);
//! ```

mod awareness;
mod competence;

use std::collections::BTreeMap;

use automerge::AutoCommit;
use autosurgeon::{Hydrate, Reconcile, Text};

use super::document::{artifact, create};
use super::register::{record, record_fields};
use super::{
    AimsRoleId, AwarenessId, CommunicationId, CompetenceId, Date, MemberId, ModelError, Rank, ResourceId,
    SystemId, TextEdit, TrainingId,
};

pub use awareness::{Acknowledgement, acknowledge_policy, awaiting_acknowledgement};
pub use competence::{
    AimsRole, AimsRoleField, Competence, CompetenceField, CompetenceGap, GapReason, competence_gaps,
    set_role_holder, set_role_requirement,
};

/// The support document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Support {
    #[autosurgeon(with = "crate::model::records")]
    pub resources: BTreeMap<ResourceId, Resource>,
    #[autosurgeon(with = "crate::model::records")]
    pub training: BTreeMap<TrainingId, TrainingRecord>,
    #[autosurgeon(with = "crate::model::records")]
    pub awareness: BTreeMap<AwarenessId, Awareness>,
    #[autosurgeon(with = "crate::model::records")]
    pub communications: BTreeMap<CommunicationId, Communication>,
    #[autosurgeon(with = "crate::model::records", missing = "BTreeMap::new")]
    pub competences: BTreeMap<CompetenceId, Competence>,
    #[autosurgeon(with = "crate::model::records", missing = "BTreeMap::new")]
    pub roles: BTreeMap<AimsRoleId, AimsRole>,
    /// Each member's latest acknowledgement of the AI policy, keyed by the member.
    #[autosurgeon(with = "crate::model::records", missing = "BTreeMap::new")]
    pub acknowledgements: BTreeMap<MemberId, Acknowledgement>,
}

artifact!(Support, Support);

/// A resource an AI system depends on (7.1, A.4.2 to A.4.6), and who provides it.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Resource {
    pub rank: Rank,
    /// The AI system of the inventory it serves; `None` for the AIMS as a whole.
    pub system: Option<SystemId>,
    pub kind: ResourceKind,
    pub name: String,
    pub description: Text,
    /// Who provides it, in words (a supplier, a team), when not a member.
    pub provider: String,
    /// The member who provides it or answers for it.
    pub owner: Option<MemberId>,
}

impl Resource {
    /// Whether someone is named as providing it.
    pub fn has_provider(&self) -> bool {
        !self.provider.trim().is_empty() || self.owner.is_some()
    }
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 4] =
        [ResourceKind::Data, ResourceKind::Tooling, ResourceKind::SystemAndComputing, ResourceKind::Human];

    /// The token stored in the document and used in ids.
    pub fn as_token(&self) -> &'static str {
        match self {
            ResourceKind::Data => "data",
            ResourceKind::Tooling => "tooling",
            ResourceKind::SystemAndComputing => "system-and-computing",
            ResourceKind::Human => "human",
        }
    }

    /// The kind for a token, if it is one.
    pub fn from_token(token: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_token() == token)
    }

    /// What people call it.
    pub fn label(&self) -> &'static str {
        match self {
            ResourceKind::Data => "Data",
            ResourceKind::Tooling => "Tooling",
            ResourceKind::SystemAndComputing => "System and computing",
            ResourceKind::Human => "People",
        }
    }
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
        System(Option<SystemId>) => scalar system,
        Kind(ResourceKind) => scalar kind,
        Name(String) => scalar name,
        Description(TextEdit) => text description,
        Provider(String) => scalar provider,
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
    pub competence: Option<CompetenceId>,
    /// The course, qualification or experience that shows it.
    pub course: String,
    /// Where the certificate or other evidence is kept (a link).
    pub evidence: String,
    pub completed_on: Option<Date>,
    /// When it stops counting, for certificates that lapse.
    pub expires_on: Option<Date>,
}

impl TrainingRecord {
    /// Whether the record still counts on `today`: it has not expired before it.
    pub fn is_valid_on(&self, today: Date) -> bool {
        self.expires_on.is_none_or(|expiry| expiry >= today)
    }
}

record_fields! {
    /// A field of a [`TrainingRecord`].
    pub enum TrainingField for TrainingRecord {
        Person(String) => scalar person,
        Member(Option<MemberId>) => scalar member,
        Competence(Option<CompetenceId>) => scalar competence,
        Course(String) => scalar course,
        Evidence(String) => scalar evidence,
        CompletedOn(Option<Date>) => scalar completed_on,
        ExpiresOn(Option<Date>) => scalar expires_on,
    }
}

record! {
    TrainingRecord { id: TrainingId, field: TrainingField, kind: Support, register: "training", noun: "training record", label: |t| format!("{}: {}", t.person, t.course) }
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

impl Communication {
    /// Whether the line says what, with whom, how and which member communicates it.
    pub fn is_complete(&self) -> bool {
        [&self.what, &self.with_whom, &self.how].iter().all(|text| !text.trim().is_empty())
            && self.who.is_some()
    }
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
        let record = TrainingRecord { person: "Ada".into(), course: "AI risk".into(), ..Default::default() };
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
