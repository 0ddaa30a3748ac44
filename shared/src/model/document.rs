//! What every artifact document shares: its kind, how it is created and loaded, how an
//! operation commits, how prose is edited, and how history and past versions are read.
//!
//! ```
//! use quorum_shared::model::{self, RiskRegister};
//!
//! let mut doc = model::new_document();
//! model::create_risk_register(&mut doc, 1_700_000_000_000).unwrap();
//! let register = RiskRegister::load(&doc).unwrap();
//! assert!(register.risks.is_empty());
//! assert_eq!(model::history(&mut doc)[0].message.as_deref(), Some("create risk register"));
//! ```

use std::fmt;

use automerge::transaction::CommitOptions;
use automerge::{AutoCommit, ObjId, ROOT, ReadDoc, TextEncoding};
use autosurgeon::{Hydrate, Reconcile};

use super::ModelError;

/// The kinds of document a workspace holds; stored as `kind` at the root of each document.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum DocumentKind {
    Workspace,
    Context,
    Inventory,
    Policy,
    Roles,
    RiskRegister,
    StatementOfApplicability,
    ImpactAssessment,
    Objectives,
    PlannedChanges,
    Support,
    DocumentedInformation,
    Monitoring,
    AuditProgramme,
    Audit,
    ManagementReview,
    Improvement,
}

/// Each kind with the name documents store, which never changes once released.
const KINDS: &[(DocumentKind, &str)] = &[
    (DocumentKind::Workspace, "workspace"),
    (DocumentKind::Context, "context"),
    (DocumentKind::Inventory, "inventory"),
    (DocumentKind::Policy, "policy"),
    (DocumentKind::Roles, "roles"),
    (DocumentKind::RiskRegister, "risk-register"),
    (DocumentKind::StatementOfApplicability, "soa"),
    (DocumentKind::ImpactAssessment, "impact-assessment"),
    (DocumentKind::Objectives, "objectives"),
    (DocumentKind::PlannedChanges, "planned-changes"),
    (DocumentKind::Support, "support"),
    (DocumentKind::DocumentedInformation, "documented-information"),
    (DocumentKind::Monitoring, "monitoring"),
    (DocumentKind::AuditProgramme, "audit-programme"),
    (DocumentKind::Audit, "audit"),
    (DocumentKind::ManagementReview, "management-review"),
    (DocumentKind::Improvement, "improvement"),
];

impl DocumentKind {
    /// The token stored in documents, such as `risk-register`; it never changes.
    pub fn as_token(&self) -> &'static str {
        KINDS.iter().find(|(k, _)| k == self).map_or("", |(_, name)| name)
    }

    /// The kind stored under `name`, if it is one.
    pub fn from_name(name: &str) -> Option<Self> {
        KINDS.iter().find(|(_, n)| *n == name).map(|(k, _)| *k)
    }
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_token())
    }
}

impl Reconcile for DocumentKind {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: autosurgeon::Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        reconciler.str(self.as_token())
    }
}

impl Hydrate for DocumentKind {
    fn hydrate_string(s: &str) -> Result<Self, autosurgeon::HydrateError> {
        Self::from_name(s)
            .ok_or_else(|| autosurgeon::HydrateError::unexpected("a document kind", s.to_string()))
    }
}

/// The typed root of one kind of document.
pub trait Artifact: Reconcile + Hydrate {
    const KIND: DocumentKind;

    /// Reads the whole document, after checking it is of this kind.
    fn load(doc: &AutoCommit) -> Result<Self, ModelError> {
        check_kind(doc, Self::KIND)?;
        Ok(autosurgeon::hydrate(doc)?)
    }
}

/// Implements [`Artifact`] for a document type and gives it an inherent `load`, so callers
/// need not import the trait.
macro_rules! artifact {
    ($type:ty, $kind:ident) => {
        impl $crate::model::Artifact for $type {
            const KIND: $crate::model::DocumentKind = $crate::model::DocumentKind::$kind;
        }

        impl $type {
            /// Reads the whole document, after checking it is of this kind.
            pub fn load(doc: &::automerge::AutoCommit) -> Result<Self, $crate::model::ModelError> {
                <Self as $crate::model::Artifact>::load(doc)
            }
        }
    };
}
pub(crate) use artifact;

/// A new, empty document whose text offsets count UTF-16 code units, as the browser's do, so
/// that a splice at a cursor position from an `<input>` lands where the person typed.
pub fn new_document() -> AutoCommit {
    AutoCommit::new_with_encoding(TextEncoding::Utf16CodeUnit)
}

/// Loads a saved document with the same text encoding as [`new_document`].
pub fn load_document(bytes: &[u8]) -> Result<AutoCommit, ModelError> {
    let options = automerge::LoadOptions::new().text_encoding(TextEncoding::Utf16CodeUnit);
    Ok(AutoCommit::load_with_options(bytes, options)?)
}

/// Fails unless the document's root says it is of `kind`.
pub fn check_kind(doc: &AutoCommit, kind: DocumentKind) -> Result<(), ModelError> {
    let found = autosurgeon::hydrate_prop::<_, Option<String>, _, _>(doc, ROOT, "kind").ok().flatten();
    match found {
        Some(found) if found == kind.as_token() => Ok(()),
        found => Err(ModelError::WrongKind { expected: kind, found: found.unwrap_or_default() }),
    }
}

/// Runs one domain operation as exactly one commit, stamped with `now_ms` (in whole seconds, as
/// Automerge keeps time) and `message`. On error, whatever the operation wrote is rolled back.
/// Nothing is committed when the operation changed nothing.
pub(crate) fn change<T>(
    doc: &mut AutoCommit,
    now_ms: i64,
    message: impl Into<String>,
    operation: impl FnOnce(&mut AutoCommit) -> Result<T, ModelError>,
) -> Result<T, ModelError> {
    // Close anything the caller left open, so this commit holds this operation only.
    doc.commit();
    match operation(doc) {
        Ok(value) => {
            let options = CommitOptions::default().with_message(message).with_time(now_ms.div_euclid(1000));
            doc.commit_with(options);
            Ok(value)
        }
        Err(error) => {
            doc.rollback();
            Err(error)
        }
    }
}

/// Writes a new artifact into an empty document, with its kind, as one commit.
pub(crate) fn create<A: Artifact>(
    doc: &mut AutoCommit,
    now_ms: i64,
    artifact: &A,
    message: &str,
) -> Result<(), ModelError> {
    if doc.length(ROOT) > 0 {
        return Err(ModelError::AlreadyCreated);
    }
    change(doc, now_ms, message, |doc| {
        autosurgeon::reconcile(doc, artifact)?;
        autosurgeon::reconcile_prop(doc, ROOT, "kind", A::KIND)?;
        Ok(())
    })
}

/// The object at `obj[prop]`, which the document must have.
pub(crate) fn object(doc: &AutoCommit, obj: &ObjId, prop: &'static str) -> Result<ObjId, ModelError> {
    match doc.get(obj, prop)? {
        Some((automerge::Value::Object(_), id)) => Ok(id),
        _ => Err(ModelError::Missing(prop)),
    }
}

/// The value at `obj[prop]`, or `None` when there is none (autosurgeon's `Option` wants an
/// explicit null).
pub(crate) fn read_optional<T: Hydrate>(
    doc: &AutoCommit,
    obj: &ObjId,
    prop: &str,
) -> Result<Option<T>, ModelError> {
    if doc.get(obj, prop)?.is_none() {
        return Ok(None);
    }
    Ok(autosurgeon::hydrate_prop(doc, obj, prop)?)
}

/// The object under `key` in the map `map`, or `NotFound` naming it as a `what`.
pub(crate) fn entry(
    doc: &AutoCommit,
    map: &ObjId,
    key: String,
    what: &'static str,
) -> Result<ObjId, ModelError> {
    match doc.get(map, key.as_str())? {
        Some((automerge::Value::Object(_), obj)) => Ok(obj),
        _ => Err(ModelError::NotFound { what, id: key }),
    }
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;

    use super::*;
    use crate::model::history;

    #[test]
    fn an_operation_is_one_commit_with_time_and_message() {
        let mut doc = new_document();
        change(&mut doc, 1_700_000_123_456, "write a", |doc| {
            doc.put(ROOT, "a", 1)?;
            doc.put(ROOT, "b", 2)?;
            Ok(())
        })
        .unwrap();
        let history = history(&mut doc);
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].time_ms, 1_700_000_123_000);
        assert_eq!(history[0].message.as_deref(), Some("write a"));
    }

    #[test]
    fn a_failed_operation_leaves_no_trace() {
        let mut doc = new_document();
        let result: Result<(), _> = change(&mut doc, 0, "fail", |doc| {
            doc.put(ROOT, "a", 1)?;
            Err(ModelError::Empty("a"))
        });
        assert!(result.is_err());
        assert_eq!(doc.length(ROOT), 0);
        assert!(history(&mut doc).is_empty());
    }
}
