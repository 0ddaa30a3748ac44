//! The context of the organization (ISO/IEC 42001 4.1 to 4.3): internal and external issues,
//! interested parties and their requirements, and the scope of the AIMS.
//!
//! ```
//! use quorum_shared::model::{self, Context, InterestedParty, Position, Requirement};
//!
//! let mut doc = model::new_document();
//! model::create_context(&mut doc, 0).unwrap();
//! let party = InterestedParty { name: "Job applicants".into(), ..Default::default() };
//! let party = model::add(&mut doc, 1_000, [1; 16], party, Position::Last).unwrap();
//! model::add(&mut doc, 2_000, [2; 16], Requirement::new(party, "Fair treatment"), Position::Last).unwrap();
//! assert_eq!(Context::load(&doc).unwrap().requirements_of(party).len(), 1);
//! ```

use std::collections::BTreeMap;

use automerge::{AutoCommit, ROOT};
use autosurgeon::{Hydrate, Reconcile, Text};

use super::document::{artifact, change, check_kind, create};
use super::register::{get, list, record, record_fields};
use super::{DocumentKind, IssueId, ModelError, PartyId, Rank, RequirementId, TextEdit};

/// The context document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Context {
    /// The AIMS scope statement: boundaries, AI systems and activities covered (4.3).
    pub scope: Text,
    #[autosurgeon(with = "crate::model::records")]
    pub issues: BTreeMap<IssueId, Issue>,
    #[autosurgeon(with = "crate::model::records")]
    pub parties: BTreeMap<PartyId, InterestedParty>,
    /// Requirements, each pointing at its interested party.
    #[autosurgeon(with = "crate::model::records")]
    pub requirements: BTreeMap<RequirementId, Requirement>,
}

artifact!(Context, Context);

impl Context {
    /// A party's requirements, in order.
    pub fn requirements_of(&self, party: PartyId) -> Vec<(RequirementId, &Requirement)> {
        let mut out: Vec<_> =
            self.requirements.iter().filter(|(_, r)| r.party == party).map(|(id, r)| (*id, r)).collect();
        crate::order::sort_by(&mut out, |(a_id, a), (b_id, b)| a.rank.cmp(&b.rank).then(a_id.cmp(b_id)));
        out
    }
}

/// An issue that affects the organization's ability to achieve the AIMS's outcomes (4.1).
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Issue {
    pub rank: Rank,
    pub kind: IssueKind,
    pub title: String,
    pub description: Text,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum IssueKind {
    #[default]
    #[autosurgeon(rename = "internal")]
    Internal,
    #[autosurgeon(rename = "external")]
    External,
}

impl IssueKind {
    /// As people read it, in the middle of a sentence or in a register's cell.
    pub fn label(self) -> &'static str {
        match self {
            Self::Internal => "internal",
            Self::External => "external",
        }
    }
}

record_fields! {
    /// A field of an [`Issue`].
    pub enum IssueField for Issue {
        Kind(IssueKind) => scalar kind,
        Title(String) => scalar title,
        Description(TextEdit) => text description,
    }
}

record! {
    Issue { id: IssueId, field: IssueField, kind: Context, register: "issues", noun: "issue", label: |i| i.title.clone() }
    {}
}

/// A person or organization that affects or is affected by the AIMS (4.2).
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct InterestedParty {
    pub rank: Rank,
    pub name: String,
    pub description: Text,
}

record_fields! {
    /// A field of an [`InterestedParty`].
    pub enum InterestedPartyField for InterestedParty {
        Name(String) => scalar name,
        Description(TextEdit) => text description,
    }
}

record! {
    InterestedParty {
        id: PartyId,
        field: InterestedPartyField,
        kind: Context,
        register: "parties",
        noun: "interested party",
        label: |p| p.name.clone(),
    }
    {
        fn dependants(doc: &AutoCommit, id: PartyId) -> Result<Vec<(&'static str, String)>, ModelError> {
            Ok(list::<Requirement>(doc)?
                .into_iter()
                .filter(|(_, r)| r.party == id)
                .map(|(r, _)| ("requirements", r.to_string()))
                .collect())
        }
    }
}

/// A requirement of an interested party relevant to AI.
#[derive(Clone, PartialEq, Debug, Reconcile, Hydrate)]
pub struct Requirement {
    pub rank: Rank,
    pub party: PartyId,
    pub summary: String,
    pub description: Text,
    /// Whether the AIMS addresses it (4.2 c).
    pub addressed: bool,
}

impl Requirement {
    pub fn new(party: PartyId, summary: &str) -> Self {
        Self {
            rank: Rank::default(),
            party,
            summary: summary.to_string(),
            description: Text::default(),
            addressed: false,
        }
    }
}

record_fields! {
    /// A field of a [`Requirement`].
    pub enum RequirementField for Requirement {
        Summary(String) => scalar summary,
        Description(TextEdit) => text description,
        Addressed(bool) => scalar addressed,
    }
}

record! {
    Requirement {
        id: RequirementId,
        field: RequirementField,
        kind: Context,
        register: "requirements",
        noun: "requirement",
        label: |r| r.summary.clone(),
    }
    {
        fn check(&self, doc: &AutoCommit) -> Result<(), ModelError> {
            get(doc, self.party).map(|_| ())
        }
    }
}

pub fn create_context(doc: &mut AutoCommit, now_ms: i64) -> Result<(), ModelError> {
    create(doc, now_ms, &Context::default(), "create context")
}

pub fn edit_scope(doc: &mut AutoCommit, now_ms: i64, edit: TextEdit) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::Context)?;
    change(doc, now_ms, "edit AIMS scope", |doc| edit.apply(doc, &ROOT, "scope"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{id, one_commit};
    use crate::model::{Position, add_with_id, delete, edit, new_document};

    #[test]
    fn issues_parties_requirements_and_scope() {
        let mut doc = new_document();
        create_context(&mut doc, 0).unwrap();
        one_commit(&mut doc, "edit AIMS scope", |doc| edit_scope(doc, 0, "Hiring AI".into()).unwrap());
        let issue = Issue { title: "EU AI Act".into(), kind: IssueKind::External, ..Default::default() };
        let i = id::<IssueId>(1);
        add_with_id(&mut doc, 0, i, issue, Position::Last).unwrap();
        edit(&mut doc, 0, i, IssueField::Description("High-risk obligations".into())).unwrap();
        let p = id::<PartyId>(1);
        add_with_id(
            &mut doc,
            0,
            p,
            InterestedParty { name: "Applicants".into(), ..Default::default() },
            Position::Last,
        )
        .unwrap();
        let r = id::<RequirementId>(1);
        add_with_id(&mut doc, 0, r, Requirement::new(p, "Explanations"), Position::Last).unwrap();
        edit(&mut doc, 0, r, RequirementField::Addressed(true)).unwrap();
        let context = Context::load(&doc).unwrap();
        assert_eq!(context.scope.as_str(), "Hiring AI");
        assert_eq!(context.issues[&i].description.as_str(), "High-risk obligations");
        assert!(context.requirements_of(p)[0].1.addressed);
        one_commit(&mut doc, "delete interested party \"Applicants\"", |doc| delete(doc, 0, p).unwrap());
        assert!(Context::load(&doc).unwrap().requirements.is_empty());
    }
}
