//! Internal audit (ISO/IEC 42001 9.2): the audit programme document, which plans audits over a
//! certification cycle, and one document per audit, which holds its scope, criteria, auditor,
//! checklist, findings and conclusion, and is closed when every row of the checklist is judged.
//!
//! Scopes and checklists are maps keyed by the clause or control ([`AuditItem`]), so two people
//! adding different clauses at once both keep theirs, and a checklist row is one row however
//! many people fill it in.
//!
//! ```
//! use quorum_shared::model::{self, AuditItem, Finding, FindingKind, InternalAudit, Position, Verdict};
//!
//! let mut doc = model::new_document();
//! let clause: AuditItem = "8".parse().unwrap();
//! model::create_audit(&mut doc, 0, InternalAudit::new("Q1 audit of operation", [clause])).unwrap();
//! model::set_verdict(&mut doc, 1_000, clause, Some(Verdict::MinorNonconformity)).unwrap();
//! let finding = Finding { kind: FindingKind::MinorNonconformity, summary: "No risk owner".into(), item: Some(clause), ..Default::default() };
//! model::add(&mut doc, 2_000, [1; 16], finding, Position::Last).unwrap();
//! assert!(model::close_audit(&mut doc, 3_000, "2025-03-03".parse().unwrap()).is_err(), "no conclusion yet");
//! model::edit_audit(&mut doc, 4_000, model::AuditField::Conclusion("Effective, one gap".into())).unwrap();
//! model::close_audit(&mut doc, 5_000, "2025-03-03".parse().unwrap()).unwrap();
//! assert!(InternalAudit::load(&doc).unwrap().is_closed());
//! ```

mod coverage;
mod finding;
mod impartiality;
mod item;
mod programme;

use std::collections::BTreeMap;
use std::fmt;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT, ReadDoc};
use autosurgeon::{Hydrate, Reconcile, Text, reconcile_prop};

pub use coverage::{AuditCoverage, audit_coverage};
pub use finding::{Finding, FindingField, FindingKind, nonconformity_of_finding};
pub use impartiality::{ImpartialityConflict, impartiality_conflicts};
pub use item::{AuditItem, ParseAuditItemError};
pub use programme::*;

use super::document::{artifact, change, check_kind, create, entry, object};
use super::{Date, DocumentKind, FindingId, MemberId, ModelError, PlannedAuditId, TextEdit};

/// One internal audit's document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct InternalAudit {
    pub title: String,
    /// The programme's planned audit it carries out, if it came from one.
    pub planned: Option<PlannedAuditId>,
    /// The clauses and controls it covers, as a set (values are always `true`).
    #[autosurgeon(with = "crate::model::records")]
    pub scope: BTreeMap<AuditItem, bool>,
    pub criteria: Text,
    pub auditor: Option<MemberId>,
    pub held_on: Option<Date>,
    /// One row per clause and control that was ever in scope; a row whose item left the scope
    /// stays, with what was written in it, but no longer counts.
    #[autosurgeon(with = "crate::model::records")]
    pub checklist: BTreeMap<AuditItem, ChecklistRow>,
    #[autosurgeon(with = "crate::model::records")]
    pub findings: BTreeMap<FindingId, Finding>,
    pub conclusion: Text,
    /// The day it was closed; `None` while it is open.
    pub closed_on: Option<Date>,
}

artifact!(InternalAudit, Audit);

impl InternalAudit {
    /// A new audit of `scope`, with a checklist row for each item.
    pub fn new(title: &str, scope: impl IntoIterator<Item = AuditItem>) -> Self {
        let scope: BTreeMap<AuditItem, bool> = scope.into_iter().map(|item| (item, true)).collect();
        let checklist = scope.keys().map(|item| (*item, ChecklistRow::default())).collect();
        Self { title: title.to_string(), scope, checklist, ..Default::default() }
    }

    /// The audit a planned audit describes: its title, scope, criteria, auditor and first day.
    pub fn from_plan(id: PlannedAuditId, plan: &PlannedAudit) -> Self {
        Self {
            planned: Some(id),
            criteria: Text::with_value(plan.criteria.as_str()),
            auditor: plan.auditor,
            held_on: plan.planned_from,
            ..Self::new(&plan.title, plan.scope.keys().copied())
        }
    }

    pub fn is_closed(&self) -> bool {
        self.closed_on.is_some()
    }

    /// The checklist's rows for the items in scope, in the standard's order; an item whose row
    /// a merge lost reads as a row not yet filled in.
    pub fn rows_in_scope(&self) -> Vec<(AuditItem, ChecklistRow)> {
        self.scope.keys().map(|item| (*item, self.checklist.get(item).cloned().unwrap_or_default())).collect()
    }

    /// Why the audit cannot be closed as it stands, or `None` when it can.
    pub fn close_refusal(&self) -> Option<AuditCloseRefusal> {
        if self.scope.is_empty() {
            return Some(AuditCloseRefusal::NoScope);
        }
        let unjudged = self.rows_in_scope().iter().filter(|(_, row)| row.verdict.is_none()).count();
        if unjudged > 0 {
            return Some(AuditCloseRefusal::Unjudged(unjudged));
        }
        if self.conclusion.as_str().trim().is_empty() {
            return Some(AuditCloseRefusal::NoConclusion);
        }
        None
    }

    pub fn findings_in_order(&self) -> Vec<(FindingId, &Finding)> {
        let mut out: Vec<_> = self.findings.iter().map(|(id, f)| (*id, f)).collect();
        crate::order::sort_by(&mut out, |(a_id, a), (b_id, b)| a.rank.cmp(&b.rank).then(a_id.cmp(b_id)));
        out
    }
}

/// Why an audit was not closed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AuditCloseRefusal {
    NoScope,
    NoConclusion,
    /// This many rows of the checklist have no verdict yet.
    Unjudged(usize),
}

impl fmt::Display for AuditCloseRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoScope => f.write_str("it has no scope"),
            Self::NoConclusion => f.write_str("it has no conclusion"),
            Self::Unjudged(n) => write!(f, "{n} checklist rows have no verdict"),
        }
    }
}

/// The checklist's row for one clause or control.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct ChecklistRow {
    pub verdict: Option<Verdict>,
    pub notes: Text,
    /// Links to what was seen, one per line: workspace documents or addresses.
    pub evidence: Text,
}

/// What the auditor concluded about one clause or control.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Reconcile, Hydrate)]
pub enum Verdict {
    #[autosurgeon(rename = "conforms")]
    Conforms,
    #[autosurgeon(rename = "minor-nonconformity")]
    MinorNonconformity,
    #[autosurgeon(rename = "major-nonconformity")]
    MajorNonconformity,
    #[autosurgeon(rename = "observation")]
    Observation,
    #[autosurgeon(rename = "opportunity")]
    Opportunity,
}

impl Verdict {
    pub const ALL: [Verdict; 5] = [
        Verdict::Conforms,
        Verdict::MinorNonconformity,
        Verdict::MajorNonconformity,
        Verdict::Observation,
        Verdict::Opportunity,
    ];

    /// The word people read.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Conforms => "Conforms",
            Self::MinorNonconformity => "Minor nonconformity",
            Self::MajorNonconformity => "Major nonconformity",
            Self::Observation => "Observation",
            Self::Opportunity => "Opportunity for improvement",
        }
    }

    /// The stored token, also used in form values and `data-*` attributes.
    pub fn as_token(&self) -> &'static str {
        match self {
            Self::Conforms => "conforms",
            Self::MinorNonconformity => "minor-nonconformity",
            Self::MajorNonconformity => "major-nonconformity",
            Self::Observation => "observation",
            Self::Opportunity => "opportunity",
        }
    }

    pub fn from_token(token: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_token() == token)
    }

    /// The kind of finding this verdict calls for, if any.
    pub fn finding_kind(&self) -> Option<FindingKind> {
        match self {
            Self::Conforms => None,
            Self::MinorNonconformity => Some(FindingKind::MinorNonconformity),
            Self::MajorNonconformity => Some(FindingKind::MajorNonconformity),
            Self::Observation => Some(FindingKind::Observation),
            Self::Opportunity => Some(FindingKind::Opportunity),
        }
    }
}

/// A field of the audit itself, for [`edit_audit`].
#[derive(Clone, PartialEq, Debug)]
pub enum AuditField {
    Title(String),
    Criteria(TextEdit),
    Auditor(Option<MemberId>),
    HeldOn(Option<Date>),
    Conclusion(TextEdit),
}

/// A break of an audit's rules that concurrent edits can cause: someone closed the audit while
/// someone else cleared a verdict, emptied the conclusion or widened the scope.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum AuditViolation {
    ClosedButOpen(AuditCloseRefusal),
}

pub fn audit_violations(audit: &InternalAudit) -> Vec<AuditViolation> {
    match audit.close_refusal() {
        Some(refusal) if audit.is_closed() => vec![AuditViolation::ClosedButOpen(refusal)],
        _ => Vec::new(),
    }
}

pub fn create_audit(doc: &mut AutoCommit, now_ms: i64, audit: InternalAudit) -> Result<(), ModelError> {
    if audit.title.trim().is_empty() {
        return Err(ModelError::Empty("audit title"));
    }
    create(doc, now_ms, &audit, "create internal audit")
}

pub fn edit_audit(doc: &mut AutoCommit, now_ms: i64, field: AuditField) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::Audit)?;
    let name = match &field {
        AuditField::Title(title) if title.trim().is_empty() => return Err(ModelError::Empty("audit title")),
        AuditField::Title(_) => "title",
        AuditField::Criteria(_) => "criteria",
        AuditField::Auditor(_) => "auditor",
        AuditField::HeldOn(_) => "date",
        AuditField::Conclusion(_) => "conclusion",
    };
    change(doc, now_ms, format!("edit audit {name}"), |doc| match field {
        AuditField::Title(v) => Ok(reconcile_prop(doc, ROOT, "title", v)?),
        AuditField::Criteria(edit) => edit.apply(doc, &ROOT, "criteria"),
        AuditField::Auditor(v) => Ok(reconcile_prop(doc, ROOT, "auditor", v)?),
        AuditField::HeldOn(v) => Ok(reconcile_prop(doc, ROOT, "held_on", v)?),
        AuditField::Conclusion(edit) => edit.apply(doc, &ROOT, "conclusion"),
    })
}

/// Adds `items` to the audit's scope with an empty checklist row for each that has none, or
/// takes them out of the scope (their rows stay, with what was written in them).
pub fn set_audit_scope(
    doc: &mut AutoCommit,
    now_ms: i64,
    items: &[AuditItem],
    included: bool,
) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::Audit)?;
    let scope = object(doc, &ROOT, "scope")?;
    let checklist = object(doc, &ROOT, "checklist")?;
    let verb = if included { "add to" } else { "take from" };
    change(doc, now_ms, format!("{verb} audit scope: {}", list(items)), |doc| {
        write_set(doc, &scope, items, included)?;
        if included {
            for item in items {
                if doc.get(&checklist, item.to_string())?.is_none() {
                    reconcile_prop(doc, &checklist, item.to_string().as_str(), ChecklistRow::default())?;
                }
            }
        }
        Ok(())
    })
}

/// Sets or clears the verdict of the checklist's row for `item`.
pub fn set_verdict(
    doc: &mut AutoCommit,
    now_ms: i64,
    item: AuditItem,
    verdict: Option<Verdict>,
) -> Result<(), ModelError> {
    let row = checklist_row(doc, item)?;
    let word = verdict.map_or("none", |v| v.as_token());
    change(doc, now_ms, format!("set verdict of {item}: {word}"), |doc| {
        Ok(reconcile_prop(doc, &row, "verdict", verdict)?)
    })
}

/// A prose field of a checklist row.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ChecklistText {
    Notes,
    Evidence,
}

pub fn edit_checklist_text(
    doc: &mut AutoCommit,
    now_ms: i64,
    item: AuditItem,
    which: ChecklistText,
    edit: TextEdit,
) -> Result<(), ModelError> {
    let row = checklist_row(doc, item)?;
    let prop = match which {
        ChecklistText::Notes => "notes",
        ChecklistText::Evidence => "evidence",
    };
    change(doc, now_ms, format!("edit checklist {item}: {prop}"), |doc| edit.apply(doc, &row, prop))
}

/// Closes the audit on `on`; refused while it has no scope, a row without a verdict, or no
/// conclusion.
pub fn close_audit(doc: &mut AutoCommit, now_ms: i64, on: Date) -> Result<(), ModelError> {
    let audit = InternalAudit::load(doc)?;
    if let Some(refusal) = audit.close_refusal() {
        return Err(ModelError::AuditNotClosable(refusal));
    }
    change(doc, now_ms, "close audit", |doc| Ok(reconcile_prop(doc, ROOT, "closed_on", Some(on))?))
}

pub fn reopen_audit(doc: &mut AutoCommit, now_ms: i64) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::Audit)?;
    change(doc, now_ms, "reopen audit", |doc| Ok(reconcile_prop(doc, ROOT, "closed_on", None::<Date>)?))
}

fn checklist_row(doc: &AutoCommit, item: AuditItem) -> Result<automerge::ObjId, ModelError> {
    check_kind(doc, DocumentKind::Audit)?;
    let checklist = object(doc, &ROOT, "checklist")?;
    entry(doc, &checklist, item.to_string(), "checklist row")
}

fn write_set(
    doc: &mut AutoCommit,
    set: &automerge::ObjId,
    items: &[AuditItem],
    included: bool,
) -> Result<(), ModelError> {
    for item in items {
        let key = item.to_string();
        match (included, doc.get(set, key.as_str())?.is_some()) {
            (true, false) => doc.put(set, key, true)?,
            (false, true) => doc.delete(set, key)?,
            _ => {}
        }
    }
    Ok(())
}

fn list(items: &[AuditItem]) -> String {
    match items {
        [] => "nothing".into(),
        [one] => one.to_string(),
        many => format!("{} items", many.len()),
    }
}

#[cfg(test)]
mod tests;
