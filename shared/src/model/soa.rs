//! The Statement of Applicability (ISO/IEC 42001 6.1.3 d): every Annex A control, applicable
//! or excluded, with the justification, the implementation status and linked evidence.
//!
//! Rows are kept in a map keyed by the control id, so the document can never hold two rows for
//! one control: two replicas that create the row for A.5.2 at the same time merge into one.
//! Creating the SoA creates all 38 rows; [`restore_missing_rows`] puts back any a merge or an
//! older version lost, and [`soa_violations`] lists what concurrent edits can break.
//!
//! ```
//! use quorum_shared::model::{self, ControlId, ImplementationStatus};
//!
//! let mut doc = model::new_document();
//! model::create_soa(&mut doc, 0).unwrap();
//! let control: ControlId = "A.6.2.4".parse().unwrap();
//! model::set_implementation_status(&mut doc, 1_000, control, ImplementationStatus::Implemented).unwrap();
//! assert!(model::exclude_control(&mut doc, 2_000, control, "  ").is_err());
//! ```

use std::collections::BTreeMap;

use automerge::{AutoCommit, ObjId, ROOT, ReadDoc};
use autosurgeon::{Hydrate, Reconcile, Text, reconcile_prop};

use super::document::{artifact, change, check_kind, create, entry, object, read_optional};
use super::register::{record, record_fields};
use super::text::read_text;
use super::{ControlId, DocumentKind, EvidenceId, MemberId, ModelError, Rank, TextEdit};

/// The Statement of Applicability document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct StatementOfApplicability {
    /// One row per Annex A control; iterates in the order of Annex A.
    #[autosurgeon(with = "crate::model::records")]
    pub rows: BTreeMap<ControlId, SoaRow>,
    /// Evidence of implementation, each pointing at its control.
    #[autosurgeon(with = "crate::model::records")]
    pub evidence: BTreeMap<EvidenceId, Evidence>,
}

artifact!(StatementOfApplicability, StatementOfApplicability);

/// The SoA's entry for one control.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct SoaRow {
    pub applicability: Applicability,
    /// Why the control is included or excluded; required when it is excluded.
    pub justification: Text,
    /// How far implementation has got; meaningful while the control is applicable.
    pub status: ImplementationStatus,
    pub owner: Option<MemberId>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum Applicability {
    #[default]
    #[autosurgeon(rename = "applicable")]
    Applicable,
    #[autosurgeon(rename = "excluded")]
    Excluded,
}

impl Applicability {
    /// As people read it, in the middle of a sentence or in a register's cell.
    pub fn label(self) -> &'static str {
        match self {
            Self::Applicable => "applicable",
            Self::Excluded => "excluded",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum ImplementationStatus {
    #[default]
    #[autosurgeon(rename = "not-started")]
    NotStarted,
    #[autosurgeon(rename = "planned")]
    Planned,
    #[autosurgeon(rename = "in-progress")]
    InProgress,
    #[autosurgeon(rename = "implemented")]
    Implemented,
}

impl ImplementationStatus {
    pub const ALL: [Self; 4] = [Self::NotStarted, Self::Planned, Self::InProgress, Self::Implemented];

    /// The token stored in the document (as the `rename`s above spell it) and used as a form
    /// value; it never changes, or older documents could not be read.
    pub fn as_token(self) -> &'static str {
        match self {
            Self::NotStarted => "not-started",
            Self::Planned => "planned",
            Self::InProgress => "in-progress",
            Self::Implemented => "implemented",
        }
    }

    /// The status as people read it, in the middle of a sentence ("applicable, in progress").
    pub fn label(self) -> &'static str {
        match self {
            Self::NotStarted => "not started",
            Self::Planned => "planned",
            Self::InProgress => "in progress",
            Self::Implemented => "implemented",
        }
    }

    /// The status stored as `token`, if it is one.
    pub fn from_token(token: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_token() == token)
    }
}

/// A pointer to evidence that a control is implemented: a document of the workspace
/// (`automerge:` URL) or anything else (a web address, a file path).
#[derive(Clone, PartialEq, Eq, Debug, Reconcile, Hydrate)]
pub struct Evidence {
    pub rank: Rank,
    pub control: ControlId,
    pub label: String,
    pub link: String,
}

impl Evidence {
    pub fn new(control: ControlId, label: &str, link: &str) -> Self {
        Self { rank: Rank::default(), control, label: label.to_string(), link: link.to_string() }
    }
}

record_fields! {
    /// A field of an [`Evidence`] link.
    pub enum EvidenceField for Evidence {
        Label(String) => scalar label,
        Link(String) => scalar link,
    }
}

record! {
    Evidence {
        id: EvidenceId,
        field: EvidenceField,
        kind: StatementOfApplicability,
        register: "evidence",
        noun: "evidence",
        label: |evidence| evidence.label.clone(),
    }
    {}
}

/// A break of the SoA's invariants, which concurrent edits or old documents can cause.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SoaViolation {
    /// An Annex A control has no row; [`restore_missing_rows`] fixes it.
    MissingRow(ControlId),
    /// A row whose key is not an Annex A control.
    UnknownRow(String),
    /// An excluded control without a justification, as when one person excluded it while
    /// another emptied the justification.
    ExcludedWithoutJustification(ControlId),
}

/// Creates the SoA with a row for each of the 38 controls, all applicable and not started.
pub fn create_soa(doc: &mut AutoCommit, now_ms: i64) -> Result<(), ModelError> {
    let soa = StatementOfApplicability {
        rows: ControlId::all().map(|c| (c, SoaRow::default())).collect(),
        evidence: BTreeMap::new(),
    };
    create(doc, now_ms, &soa, "create statement of applicability")
}

/// Adds a default row for every control that has none; returns the controls restored. Makes
/// no commit when nothing is missing.
pub fn restore_missing_rows(doc: &mut AutoCommit, now_ms: i64) -> Result<Vec<ControlId>, ModelError> {
    let rows = rows(doc)?;
    let missing: Vec<ControlId> =
        ControlId::all().filter(|c| !matches!(doc.get(&rows, c.as_str()), Ok(Some(_)))).collect();
    if missing.is_empty() {
        return Ok(missing);
    }
    let names: Vec<&str> = missing.iter().map(|c| c.as_str()).collect();
    let message = format!("restore rows for {}", names.join(", "));
    change(doc, now_ms, message, |doc| {
        for control in &missing {
            reconcile_prop(doc, &rows, control.as_str(), SoaRow::default())?;
        }
        Ok(())
    })?;
    Ok(missing)
}

/// Marks a control applicable.
pub fn include_control(doc: &mut AutoCommit, now_ms: i64, control: ControlId) -> Result<(), ModelError> {
    let row = row(doc, control)?;
    change(doc, now_ms, format!("include {control}"), |doc| {
        Ok(reconcile_prop(doc, &row, "applicability", Applicability::Applicable)?)
    })
}

/// Excludes a control, with the justification the standard requires, in one commit.
pub fn exclude_control(
    doc: &mut AutoCommit,
    now_ms: i64,
    control: ControlId,
    justification: &str,
) -> Result<(), ModelError> {
    let row = row(doc, control)?;
    if justification.trim().is_empty() {
        return Err(ModelError::JustificationRequired(control));
    }
    change(doc, now_ms, format!("exclude {control}"), |doc| {
        reconcile_prop(doc, &row, "applicability", Applicability::Excluded)?;
        TextEdit::from(justification).apply(doc, &row, "justification")
    })
}

/// Edits a control's justification; an excluded control's cannot be emptied.
pub fn edit_justification(
    doc: &mut AutoCommit,
    now_ms: i64,
    control: ControlId,
    edit: TextEdit,
) -> Result<(), ModelError> {
    let row = row(doc, control)?;
    change(doc, now_ms, format!("edit justification of {control}"), |doc| {
        edit.apply(doc, &row, "justification")?;
        // Checked on the result, since a splice's effect depends on the text it lands in.
        let applicability: Applicability = autosurgeon::hydrate_prop(&*doc, &row, "applicability")?;
        let text = read_text(doc, &row, "justification")?;
        if applicability == Applicability::Excluded && text.trim().is_empty() {
            return Err(ModelError::JustificationRequired(control));
        }
        Ok(())
    })
}

/// Sets how far an applicable control's implementation has got.
pub fn set_implementation_status(
    doc: &mut AutoCommit,
    now_ms: i64,
    control: ControlId,
    status: ImplementationStatus,
) -> Result<(), ModelError> {
    let row = row(doc, control)?;
    let applicability: Applicability = autosurgeon::hydrate_prop(&*doc, &row, "applicability")?;
    if applicability == Applicability::Excluded {
        return Err(ModelError::ControlExcluded(control));
    }
    let message = format!("set {control} to {}", status.label());
    change(doc, now_ms, message, |doc| Ok(reconcile_prop(doc, &row, "status", status)?))
}

/// What a spreadsheet's row sets of one control: only the columns it has.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct SoaRowImport {
    pub applicability: Option<Applicability>,
    pub justification: Option<String>,
    pub status: Option<ImplementationStatus>,
    pub owner: Option<Option<MemberId>>,
}

/// Writes what each row of an imported spreadsheet sets, all in one commit (which one undo
/// takes back). Refused as a whole, writing nothing, if a row would leave an excluded control
/// without a justification or give an excluded control an implementation status.
pub fn import_soa_rows(
    doc: &mut AutoCommit,
    now_ms: i64,
    imports: &[(ControlId, SoaRowImport)],
) -> Result<(), ModelError> {
    let soa = StatementOfApplicability::load(doc)?;
    let mut targets = Vec::new();
    for (control, import) in imports {
        let current = soa.rows.get(control).cloned().unwrap_or_default();
        let applicability = import.applicability.unwrap_or(current.applicability);
        let justification =
            import.justification.clone().unwrap_or_else(|| current.justification.as_str().to_owned());
        if applicability == Applicability::Excluded {
            if justification.trim().is_empty() {
                return Err(ModelError::JustificationRequired(*control));
            }
            if import.status.is_some_and(|s| s != ImplementationStatus::NotStarted) {
                return Err(ModelError::ControlExcluded(*control));
            }
        }
        targets.push((*control, row(doc, *control)?));
    }
    if imports.is_empty() {
        return Err(ModelError::Missing("rows to import"));
    }
    let message = format!("import {} rows of the statement of applicability", imports.len());
    change(doc, now_ms, message, |doc| {
        for ((_, import), (_, row)) in imports.iter().zip(&targets) {
            if let Some(applicability) = import.applicability {
                reconcile_prop(doc, row, "applicability", applicability)?;
            }
            if let Some(justification) = &import.justification {
                TextEdit::from(justification.as_str()).apply(doc, row, "justification")?;
            }
            if let Some(status) = import.status {
                reconcile_prop(doc, row, "status", status)?;
            }
            if let Some(owner) = import.owner {
                reconcile_prop(doc, row, "owner", owner)?;
            }
        }
        Ok(())
    })
}

/// Sets who is responsible for a control.
pub fn set_control_owner(
    doc: &mut AutoCommit,
    now_ms: i64,
    control: ControlId,
    owner: Option<MemberId>,
) -> Result<(), ModelError> {
    let row = row(doc, control)?;
    change(doc, now_ms, format!("set owner of {control}"), |doc| {
        Ok(reconcile_prop(doc, &row, "owner", owner)?)
    })
}

/// Lists the SoA's invariant breaks, reading the document directly so that even rows that
/// would not load are reported.
pub fn soa_violations(doc: &AutoCommit) -> Result<Vec<SoaViolation>, ModelError> {
    let rows = rows(doc)?;
    let mut violations = Vec::new();
    let mut present = Vec::new();
    for item in doc.map_range(&rows, ..) {
        let Ok(control) = item.key.parse::<ControlId>() else {
            violations.push(SoaViolation::UnknownRow(item.key.to_string()));
            continue;
        };
        present.push(control);
        let row = entry(doc, &rows, control.to_string(), "soa row")?;
        let applicability: Option<Applicability> = read_optional(doc, &row, "applicability")?;
        let justification = read_text(doc, &row, "justification")?;
        if applicability == Some(Applicability::Excluded) && justification.trim().is_empty() {
            violations.push(SoaViolation::ExcludedWithoutJustification(control));
        }
    }
    let missing = ControlId::all().filter(|c| !present.contains(c));
    violations.extend(missing.map(SoaViolation::MissingRow));
    Ok(violations)
}

fn rows(doc: &AutoCommit) -> Result<ObjId, ModelError> {
    check_kind(doc, DocumentKind::StatementOfApplicability)?;
    object(doc, &ROOT, "rows")
}

fn row(doc: &AutoCommit, control: ControlId) -> Result<ObjId, ModelError> {
    let rows = rows(doc)?;
    entry(doc, &rows, control.to_string(), "soa row")
}

mod conflicts;
mod read;
#[cfg(test)]
mod tests;

pub use conflicts::{SoaChoice, SoaConflict, keep_soa_value, soa_conflicts};
pub use read::SoaRead;
