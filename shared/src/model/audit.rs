//! Internal audit (ISO/IEC 42001 9.2): the audit programme document, which plans audits, and
//! one document per audit, which holds its scope, criteria, conclusion and findings.
//!
//! ```
//! use quorum_shared::model::{self, Finding, FindingKind, InternalAudit, Position};
//!
//! let mut doc = model::new_document();
//! model::create_audit(&mut doc, 0, "Q1 audit of risk management").unwrap();
//! let finding = Finding { kind: FindingKind::MinorNonconformity, summary: "No risk owner".into(), ..Default::default() };
//! model::add(&mut doc, 1_000, finding, Position::Last).unwrap();
//! assert_eq!(InternalAudit::load(&doc).unwrap().findings.len(), 1);
//! ```

use std::collections::BTreeMap;

use automerge::{AutoCommit, ROOT};
use autosurgeon::{Hydrate, Reconcile, Text, reconcile_prop};

use super::document::{artifact, change, check_kind, create};
use super::register::{record, record_fields};
use super::{
    ControlId, Date, DocumentId, DocumentKind, FindingId, ModelError, NonconformityId, PlannedAuditId, Rank,
    TextEdit,
};

/// The audit programme document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct AuditProgramme {
    /// The programme's objectives, frequency, methods and responsibilities.
    pub description: Text,
    #[autosurgeon(with = "autosurgeon::map_with_parseable_keys")]
    pub audits: BTreeMap<PlannedAuditId, PlannedAudit>,
}

artifact!(AuditProgramme, AuditProgramme);

#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct PlannedAudit {
    pub rank: Rank,
    pub title: String,
    pub scope: String,
    pub planned_for: Option<Date>,
    pub auditor: String,
    /// The audit's own document, once it starts.
    pub audit: Option<DocumentId>,
    pub status: AuditStatus,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum AuditStatus {
    #[default]
    #[autosurgeon(rename = "planned")]
    Planned,
    #[autosurgeon(rename = "in-progress")]
    InProgress,
    #[autosurgeon(rename = "completed")]
    Completed,
    #[autosurgeon(rename = "cancelled")]
    Cancelled,
}

record_fields! {
    /// A field of a [`PlannedAudit`].
    pub enum PlannedAuditField for PlannedAudit {
        Title(String) => scalar title,
        Scope(String) => scalar scope,
        PlannedFor(Option<Date>) => scalar planned_for,
        Auditor(String) => scalar auditor,
        Audit(Option<DocumentId>) => scalar audit,
        Status(AuditStatus) => scalar status,
    }
}

record! {
    PlannedAudit { id: PlannedAuditId, field: PlannedAuditField, kind: AuditProgramme, register: "audits", noun: "planned audit", label: |a| a.title.clone() }
    {}
}

/// One internal audit's document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct InternalAudit {
    pub title: String,
    pub scope: Text,
    pub criteria: Text,
    pub auditors: String,
    pub held_on: Option<Date>,
    pub conclusion: Text,
    #[autosurgeon(with = "autosurgeon::map_with_parseable_keys")]
    pub findings: BTreeMap<FindingId, Finding>,
}

artifact!(InternalAudit, Audit);

/// A field of the audit itself, for [`edit_audit`].
#[derive(Clone, PartialEq, Debug)]
pub enum AuditField {
    Title(String),
    Scope(TextEdit),
    Criteria(TextEdit),
    Auditors(String),
    HeldOn(Option<Date>),
    Conclusion(TextEdit),
}

#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Finding {
    pub rank: Rank,
    pub kind: FindingKind,
    pub summary: String,
    pub description: Text,
    /// The requirement clause concerned, such as `8.2`.
    pub clause: Option<String>,
    pub control: Option<ControlId>,
    /// The nonconformity raised for it, in the improvement document.
    pub nonconformity: Option<NonconformityId>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum FindingKind {
    #[default]
    #[autosurgeon(rename = "observation")]
    Observation,
    #[autosurgeon(rename = "opportunity")]
    OpportunityForImprovement,
    #[autosurgeon(rename = "minor-nonconformity")]
    MinorNonconformity,
    #[autosurgeon(rename = "major-nonconformity")]
    MajorNonconformity,
    #[autosurgeon(rename = "good-practice")]
    GoodPractice,
}

record_fields! {
    /// A field of a [`Finding`].
    pub enum FindingField for Finding {
        Kind(FindingKind) => scalar kind,
        Summary(String) => scalar summary,
        Description(TextEdit) => text description,
        Clause(Option<String>) => scalar clause,
        Control(Option<ControlId>) => scalar control,
        Nonconformity(Option<NonconformityId>) => scalar nonconformity,
    }
}

record! {
    Finding { id: FindingId, field: FindingField, kind: Audit, register: "findings", noun: "finding", label: |f| f.summary.clone() }
    {}
}

pub fn create_audit_programme(doc: &mut AutoCommit, now_ms: i64) -> Result<(), ModelError> {
    create(doc, now_ms, &AuditProgramme::default(), "create audit programme")
}

pub fn edit_audit_programme(doc: &mut AutoCommit, now_ms: i64, edit: TextEdit) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::AuditProgramme)?;
    change(doc, now_ms, "edit audit programme", |doc| edit.apply(doc, &ROOT, "description"))
}

pub fn create_audit(doc: &mut AutoCommit, now_ms: i64, title: &str) -> Result<(), ModelError> {
    let audit = InternalAudit { title: title.to_string(), ..Default::default() };
    create(doc, now_ms, &audit, "create internal audit")
}

pub fn edit_audit(doc: &mut AutoCommit, now_ms: i64, field: AuditField) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::Audit)?;
    let name = match &field {
        AuditField::Title(_) => "title",
        AuditField::Scope(_) => "scope",
        AuditField::Criteria(_) => "criteria",
        AuditField::Auditors(_) => "auditors",
        AuditField::HeldOn(_) => "date",
        AuditField::Conclusion(_) => "conclusion",
    };
    change(doc, now_ms, format!("edit audit {name}"), |doc| match field {
        AuditField::Title(v) => Ok(reconcile_prop(doc, ROOT, "title", v)?),
        AuditField::Scope(edit) => edit.apply(doc, &ROOT, "scope"),
        AuditField::Criteria(edit) => edit.apply(doc, &ROOT, "criteria"),
        AuditField::Auditors(v) => Ok(reconcile_prop(doc, ROOT, "auditors", v)?),
        AuditField::HeldOn(v) => Ok(reconcile_prop(doc, ROOT, "held_on", v)?),
        AuditField::Conclusion(edit) => edit.apply(doc, &ROOT, "conclusion"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{id, one_commit};
    use crate::model::{Position, add_with_id, edit, new_document};

    #[test]
    fn programme_and_audit() {
        let mut doc = new_document();
        create_audit_programme(&mut doc, 0).unwrap();
        edit_audit_programme(&mut doc, 0, "Yearly, every clause".into()).unwrap();
        let p = id::<PlannedAuditId>(1);
        add_with_id(
            &mut doc,
            0,
            p,
            PlannedAudit { title: "Q1".into(), ..Default::default() },
            Position::Last,
        )
        .unwrap();
        let audit_doc = DocumentId::from_bytes([5; 16]);
        edit(&mut doc, 0, p, PlannedAuditField::Audit(Some(audit_doc))).unwrap();
        assert_eq!(AuditProgramme::load(&doc).unwrap().audits[&p].audit, Some(audit_doc));

        let mut audit = new_document();
        create_audit(&mut audit, 0, "Q1").unwrap();
        one_commit(&mut audit, "edit audit conclusion", |doc| {
            edit_audit(doc, 0, AuditField::Conclusion("Effective".into())).unwrap()
        });
        edit_audit(&mut audit, 0, AuditField::HeldOn(Some("2025-03-03".parse().unwrap()))).unwrap();
        let f = id::<FindingId>(1);
        add_with_id(
            &mut audit,
            0,
            f,
            Finding { summary: "No owner".into(), ..Default::default() },
            Position::Last,
        )
        .unwrap();
        edit(&mut audit, 0, f, FindingField::Control(Some("A.3.2".parse().unwrap()))).unwrap();
        let loaded = InternalAudit::load(&audit).unwrap();
        assert_eq!(loaded.conclusion.as_str(), "Effective");
        assert_eq!(loaded.findings[&f].control.map(|c| c.as_str()), Some("A.3.2"));
    }
}
