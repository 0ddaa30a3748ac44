//! The documented information register (ISO/IEC 42001 7.5): each document or record the AIMS
//! relies on, with its version, owner, approval, location and retention.
//!
//! ```
//! use quorum_shared::model::{self, DocumentedInformation, Position};
//!
//! let mut doc = model::new_document();
//! model::create_documented_information(&mut doc, 0).unwrap();
//! let entry = DocumentedInformation { title: "AI policy".into(), version: "2".into(), ..Default::default() };
//! model::add(&mut doc, 1_000, entry, Position::Last).unwrap();
//! ```

use std::collections::BTreeMap;

use automerge::AutoCommit;
use autosurgeon::{Hydrate, Reconcile};

use super::document::{artifact, create};
use super::register::{record, record_fields};
use super::{Date, InformationId, MemberId, ModelError, Rank};
use crate::catalog;

/// The documented information register document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct DocumentedInformationRegister {
    #[autosurgeon(with = "autosurgeon::map_with_parseable_keys")]
    pub entries: BTreeMap<InformationId, DocumentedInformation>,
}

artifact!(DocumentedInformationRegister, DocumentedInformation);

#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct DocumentedInformation {
    pub rank: Rank,
    pub title: String,
    pub version: String,
    /// The ISO/IEC 42001 clause it evidences, such as `6.1.2`.
    pub clause: Option<String>,
    pub owner: Option<MemberId>,
    pub approved_by: Option<MemberId>,
    pub approved_on: Option<Date>,
    /// Where it is kept: an `automerge:` URL of a workspace document, or any address.
    pub location: String,
    /// How long it is kept, and what happens after.
    pub retention: String,
}

record_fields! {
    /// A field of a [`DocumentedInformation`] entry.
    pub enum DocumentedInformationField for DocumentedInformation {
        Title(String) => scalar title,
        Version(String) => scalar version,
        Clause(Option<String>) => scalar clause,
        Owner(Option<MemberId>) => scalar owner,
        ApprovedBy(Option<MemberId>) => scalar approved_by,
        ApprovedOn(Option<Date>) => scalar approved_on,
        Location(String) => scalar location,
        Retention(String) => scalar retention,
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
