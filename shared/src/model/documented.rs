//! The documented information register (ISO/IEC 42001 7.5): each document or record the AIMS
//! relies on, with its version, owner, approval, location and retention.
//!
//! Two kinds of row: the workspace's own artifacts (the policy, the risk register, each impact
//! assessment...), which the root lists and the register only annotates through
//! [`set_artifact_control`], and external documents added by hand as [`DocumentedInformation`]
//! entries. [`document_rows`] puts both together with their flags.
//!
//! ```
//! use quorum_shared::model::{self, DocumentedInformation, Position};
//!
//! let mut doc = model::new_document();
//! model::create_documented_information(&mut doc, 0).unwrap();
//! let entry = DocumentedInformation { title: "AI policy".into(), version: "2".into(), ..Default::default() };
//! model::add(&mut doc, 1_000, [1; 16], entry, Position::Last).unwrap();
//! ```

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT, ReadDoc};
use autosurgeon::{Hydrate, Reconcile};

use super::DocumentKind;
use super::document::{artifact, create};
use super::document::{change, check_kind};
use super::register::{record, record_fields};
use super::{Date, DocumentId, InformationId, MemberId, ModelError, Rank};
use crate::catalog;

mod rows;

pub use rows::{
    ArtifactFacts, DocumentFlag, DocumentRow, DocumentRows, OwnApproval, RowSource, document_rows,
};

/// The documented information register document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct DocumentedInformationRegister {
    #[autosurgeon(with = "crate::model::records")]
    pub entries: BTreeMap<InformationId, DocumentedInformation>,
    /// What the register records about the workspace's own artifacts. A register started
    /// before this existed reads as having none.
    #[autosurgeon(missing = "Default::default")]
    pub artifacts: ArtifactControls,
}

/// The register's annotations of the workspace's artifacts, one map per field keyed by the
/// artifact's document id. Per field, not per artifact: two people who annotate the same
/// artifact for the first time at once would each create its record, and one record would hide
/// the other's fields; with a map per field, each writes a key and both keys survive.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct ArtifactControls {
    #[autosurgeon(with = "crate::model::records")]
    pub owner: BTreeMap<DocumentId, MemberId>,
    #[autosurgeon(with = "crate::model::records")]
    pub approved_by: BTreeMap<DocumentId, MemberId>,
    #[autosurgeon(with = "crate::model::records")]
    pub approved_on: BTreeMap<DocumentId, Date>,
    #[autosurgeon(with = "crate::model::records")]
    pub review_on: BTreeMap<DocumentId, Date>,
    #[autosurgeon(with = "crate::model::records")]
    pub location: BTreeMap<DocumentId, String>,
    #[autosurgeon(with = "crate::model::records")]
    pub retention: BTreeMap<DocumentId, String>,
}

/// What the register records about one artifact.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct ArtifactControl {
    pub owner: Option<MemberId>,
    pub approved_by: Option<MemberId>,
    pub approved_on: Option<Date>,
    pub review_on: Option<Date>,
    pub location: String,
    pub retention: String,
}

impl ArtifactControls {
    /// The register's record of `artifact`, empty where nothing is recorded.
    pub fn of(&self, artifact: DocumentId) -> ArtifactControl {
        ArtifactControl {
            owner: self.owner.get(&artifact).copied(),
            approved_by: self.approved_by.get(&artifact).copied(),
            approved_on: self.approved_on.get(&artifact).copied(),
            review_on: self.review_on.get(&artifact).copied(),
            location: self.location.get(&artifact).cloned().unwrap_or_default(),
            retention: self.retention.get(&artifact).cloned().unwrap_or_default(),
        }
    }
}

/// One field of an artifact's record, as an edit; `None` or blank text clears it.
#[derive(Clone, PartialEq, Debug)]
pub enum ArtifactControlField {
    Owner(Option<MemberId>),
    ApprovedBy(Option<MemberId>),
    ApprovedOn(Option<Date>),
    ReviewOn(Option<Date>),
    Location(String),
    Retention(String),
}

impl ArtifactControlField {
    fn prop(&self) -> &'static str {
        match self {
            Self::Owner(_) => "owner",
            Self::ApprovedBy(_) => "approved_by",
            Self::ApprovedOn(_) => "approved_on",
            Self::ReviewOn(_) => "review_on",
            Self::Location(_) => "location",
            Self::Retention(_) => "retention",
        }
    }

    /// The field as the history says it.
    fn label(&self) -> &'static str {
        match self {
            Self::Owner(_) => "owner",
            Self::ApprovedBy(_) => "approver",
            Self::ApprovedOn(_) => "approval date",
            Self::ReviewOn(_) => "review date",
            Self::Location(_) => "location",
            Self::Retention(_) => "retention",
        }
    }
}

/// Records one field about the workspace artifact `artifact`, writing that key only; `title` is
/// the artifact's title as the root lists it, for the history's words.
pub fn set_artifact_control(
    doc: &mut AutoCommit,
    now_ms: i64,
    artifact: DocumentId,
    title: &str,
    field: ArtifactControlField,
) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::DocumentedInformation)?;
    let prop = field.prop();
    let key = artifact.to_string();
    let message = format!("edit the {} of {title:?} as documented information", field.label());
    change(doc, now_ms, message, |doc| {
        let artifacts = match doc.get(ROOT, "artifacts")? {
            Some((automerge::Value::Object(_), id)) => id,
            _ => doc.put_object(ROOT, "artifacts", ObjType::Map)?,
        };
        let map = match doc.get(&artifacts, prop)? {
            Some((automerge::Value::Object(_), id)) => id,
            _ => doc.put_object(&artifacts, prop, ObjType::Map)?,
        };
        let text = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        match &field {
            ArtifactControlField::Owner(m) | ArtifactControlField::ApprovedBy(m) => {
                put_or_delete(doc, &map, &key, *m)
            }
            ArtifactControlField::ApprovedOn(d) | ArtifactControlField::ReviewOn(d) => {
                put_or_delete(doc, &map, &key, *d)
            }
            ArtifactControlField::Location(t) | ArtifactControlField::Retention(t) => {
                put_or_delete(doc, &map, &key, text(t))
            }
        }
    })
}

fn put_or_delete<T: Reconcile>(
    doc: &mut AutoCommit,
    map: &automerge::ObjId,
    key: &str,
    value: Option<T>,
) -> Result<(), ModelError> {
    match value {
        Some(value) => autosurgeon::reconcile_prop(doc, map, key, value)?,
        None if doc.get(map, key)?.is_some() => doc.delete(map, key)?,
        None => {}
    }
    Ok(())
}

artifact!(DocumentedInformationRegister, DocumentedInformation);

#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct DocumentedInformation {
    pub rank: Rank,
    pub title: String,
    /// The document's own reference or link, such as `HR-PRO-12` or an address.
    #[autosurgeon(missing = "Default::default")]
    pub reference: String,
    pub version: String,
    /// The ISO/IEC 42001 clause it evidences, such as `6.1.2`.
    pub clause: Option<String>,
    pub owner: Option<MemberId>,
    pub approved_by: Option<MemberId>,
    pub approved_on: Option<Date>,
    #[autosurgeon(missing = "Default::default")]
    pub review_on: Option<Date>,
    /// Where it is kept: an `automerge:` URL of a workspace document, or any address.
    pub location: String,
    /// How long it is kept.
    pub retention: String,
    /// What happens to it after its retention period.
    #[autosurgeon(missing = "Default::default")]
    pub disposal: String,
}

record_fields! {
    /// A field of a [`DocumentedInformation`] entry.
    pub enum DocumentedInformationField for DocumentedInformation {
        Title(String) => scalar title,
        Reference(String) => scalar reference,
        Version(String) => scalar version,
        Clause(Option<String>) => scalar clause,
        Owner(Option<MemberId>) => scalar owner,
        ApprovedBy(Option<MemberId>) => scalar approved_by,
        ApprovedOn(Option<Date>) => scalar approved_on,
        ReviewOn(Option<Date>) => scalar review_on,
        Location(String) => scalar location,
        Retention(String) => scalar retention,
        Disposal(String) => scalar disposal,
    }
}

record! {
    DocumentedInformation {
        id: InformationId,
        field: DocumentedInformationField,
        kind: DocumentedInformation,
        register: "entries",
        noun: "documented information",
        label: |d| d.title.clone(),
    }
    {
        fn check(&self, _doc: &AutoCommit) -> Result<(), ModelError> {
            check_clause(self.clause.as_deref())
        }

        fn check_field(field: &DocumentedInformationField, _doc: &AutoCommit) -> Result<(), ModelError> {
            match field {
                DocumentedInformationField::Clause(clause) => check_clause(clause.as_deref()),
                _ => Ok(()),
            }
        }
    }
}

fn check_clause(clause: Option<&str>) -> Result<(), ModelError> {
    match clause {
        Some(id) if catalog::clause(id).is_none() => Err(ModelError::UnknownClause(id.to_string())),
        _ => Ok(()),
    }
}

pub fn create_documented_information(doc: &mut AutoCommit, now_ms: i64) -> Result<(), ModelError> {
    create(doc, now_ms, &DocumentedInformationRegister::default(), "create documented information register")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{id, refused};
    use crate::model::{Position, add_with_id, edit, new_document};

    #[test]
    fn entries_name_real_clauses() {
        let mut doc = new_document();
        create_documented_information(&mut doc, 0).unwrap();
        let e = id::<InformationId>(1);
        add_with_id(
            &mut doc,
            0,
            e,
            DocumentedInformation { title: "Risk register".into(), ..Default::default() },
            Position::Last,
        )
        .unwrap();
        edit(&mut doc, 0, e, DocumentedInformationField::Clause(Some("6.1.2".into()))).unwrap();
        let error =
            refused(&mut doc, |doc| edit(doc, 0, e, DocumentedInformationField::Clause(Some("11.1".into()))));
        assert!(matches!(error, ModelError::UnknownClause(_)));
    }
}
