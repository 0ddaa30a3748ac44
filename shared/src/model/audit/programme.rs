//! The audit programme document (9.2.2): the certification cycle it plans and the audits planned
//! in it, each with the clauses and controls it covers.

use std::collections::BTreeMap;

use automerge::{AutoCommit, ROOT};
use autosurgeon::{Hydrate, Reconcile, Text, reconcile_prop};

use super::super::document::{artifact, change, check_kind, create, entry, object};
use super::super::register::{Record, record, record_fields};
use super::super::{Date, DocumentId, DocumentKind, MemberId, ModelError, PlannedAuditId, Rank, TextEdit};
use super::{AuditItem, list, write_set};

/// How many years a certification cycle lasts when the programme does not say.
pub const DEFAULT_CYCLE_YEARS: u64 = 3;

/// The audit programme document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct AuditProgramme {
    /// The programme's objectives, frequency, methods and responsibilities.
    pub description: Text,
    /// The first year of the certification cycle the programme plans.
    pub cycle_start: Option<u64>,
    /// How many years the cycle lasts; [`DEFAULT_CYCLE_YEARS`] when unset.
    pub cycle_years: Option<u64>,
    #[autosurgeon(with = "crate::model::records")]
    pub audits: BTreeMap<PlannedAuditId, PlannedAudit>,
}

artifact!(AuditProgramme, AuditProgramme);

impl AuditProgramme {
    /// The years of the cycle, first to last, once its start is set.
    pub fn cycle(&self) -> Option<(u64, u64)> {
        let years = self.cycle_years.unwrap_or(DEFAULT_CYCLE_YEARS).max(1);
        self.cycle_start.map(|start| (start, start + years - 1))
    }

    pub fn audits_in_order(&self) -> Vec<(PlannedAuditId, &PlannedAudit)> {
        let mut out: Vec<_> = self.audits.iter().map(|(id, a)| (*id, a)).collect();
        crate::order::sort_by(&mut out, |(a_id, a), (b_id, b)| a.rank.cmp(&b.rank).then(a_id.cmp(b_id)));
        out
    }
}

/// An audit the programme plans: what it covers, against what, when and by whom.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct PlannedAudit {
    pub rank: Rank,
    pub title: String,
    /// The clauses and controls it covers, as a set (values are always `true`).
    #[autosurgeon(with = "crate::model::records")]
    pub scope: BTreeMap<AuditItem, bool>,
    /// What the audit compares the AIMS against: the standard, policies, procedures.
    pub criteria: Text,
    pub planned_from: Option<Date>,
    pub planned_to: Option<Date>,
    pub auditor: Option<MemberId>,
    /// The audit's own document, once it has started.
    pub audit: Option<DocumentId>,
}

record_fields! {
    /// A field of a [`PlannedAudit`]; its scope changes through [`set_planned_scope`].
    pub enum PlannedAuditField for PlannedAudit {
        Title(String) => scalar title,
        Criteria(TextEdit) => text criteria,
        PlannedFrom(Option<Date>) => scalar planned_from,
        PlannedTo(Option<Date>) => scalar planned_to,
        Auditor(Option<MemberId>) => scalar auditor,
        Audit(Option<DocumentId>) => scalar audit,
    }
}

record! {
    PlannedAudit { id: PlannedAuditId, field: PlannedAuditField, kind: AuditProgramme, register: "audits", noun: "planned audit", label: |a| a.title.clone() }
    {}
}

/// A field of the programme itself, for [`edit_audit_programme`].
#[derive(Clone, PartialEq, Debug)]
pub enum ProgrammeField {
    Description(TextEdit),
    CycleStart(Option<u64>),
    CycleYears(Option<u64>),
}

pub fn create_audit_programme(doc: &mut AutoCommit, now_ms: i64) -> Result<(), ModelError> {
    create(doc, now_ms, &AuditProgramme::default(), "create audit programme")
}

pub fn edit_audit_programme(
    doc: &mut AutoCommit,
    now_ms: i64,
    field: ProgrammeField,
) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::AuditProgramme)?;
    if let ProgrammeField::CycleYears(Some(years)) = field
        && !(1..=10).contains(&years)
    {
        return Err(ModelError::OutOfScale { scale: "cycle length in years", value: years, max: 10 });
    }
    let name = match &field {
        ProgrammeField::Description(_) => "description",
        ProgrammeField::CycleStart(_) => "cycle start",
        ProgrammeField::CycleYears(_) => "cycle length",
    };
    change(doc, now_ms, format!("edit audit programme {name}"), |doc| match field {
        ProgrammeField::Description(edit) => edit.apply(doc, &ROOT, "description"),
        ProgrammeField::CycleStart(v) => Ok(reconcile_prop(doc, ROOT, "cycle_start", v)?),
        ProgrammeField::CycleYears(v) => Ok(reconcile_prop(doc, ROOT, "cycle_years", v)?),
    })
}

/// Adds `items` to a planned audit's scope, or takes them out, in one commit.
pub fn set_planned_scope(
    doc: &mut AutoCommit,
    now_ms: i64,
    id: PlannedAuditId,
    items: &[AuditItem],
    included: bool,
) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::AuditProgramme)?;
    let register = object(doc, &ROOT, PlannedAudit::REGISTER)?;
    let obj = entry(doc, &register, id.to_string(), PlannedAudit::NOUN)?;
    let scope = object(doc, &obj, "scope")?;
    let verb = if included { "add to" } else { "take from" };
    change(doc, now_ms, format!("{verb} planned audit scope: {}", list(items)), |doc| {
        write_set(doc, &scope, items, included)
    })
}
