//! AI system impact assessments (ISO/IEC 42001 6.1.4, 8.4, A.5), one document per AI system
//! or use, structured by the sections of ISO/IEC 42005 clause 6, with review and approval.
//!
//! Sections are a map keyed by section id (`6.2` to `6.9`), so concurrent creation cannot
//! duplicate one. An approval stores the heads it approved: the approved text stays readable
//! with [`sections_at`] after later edits, and an edit of an approved assessment returns it to
//! draft in the same commit.
//!
//! ```
//! use quorum_shared::model::{self, AssessmentStatus, ImpactAssessment, MemberId, SectionId};
//!
//! let mut doc = model::new_document();
//! model::create_impact_assessment(&mut doc, 0, "CV screening", None).unwrap();
//! let scope: SectionId = "6.2".parse().unwrap();
//! model::edit_section(&mut doc, 1_000, scope, "Screening of job applications".into()).unwrap();
//! model::submit_for_review(&mut doc, 2_000).unwrap();
//! model::approve_assessment(&mut doc, 3_000, MemberId::from_bytes([9; 16]), "", None).unwrap();
//! let assessment = ImpactAssessment::load(&doc).unwrap();
//! assert_eq!(assessment.status, AssessmentStatus::Approved);
//! assert_eq!(assessment.sections.len(), 8);
//! ```

use std::collections::BTreeMap;

use automerge::{AutoCommit, ObjId, ROOT, ReadDoc};
use autosurgeon::{Hydrate, Reconcile, Text, reconcile_prop};

use super::document::{artifact, change, check_kind, create, entry, object};
use super::history::parse_heads;
use super::{
    Approval, Date, DocumentKind, ImpactId, MemberId, ModelError, SectionId, Signed, SystemId, TextEdit,
};

/// An impact assessment document.
#[derive(Clone, PartialEq, Debug, Reconcile, Hydrate)]
pub struct ImpactAssessment {
    pub title: String,
    /// The AI system assessed, from the inventory.
    pub system: Option<SystemId>,
    pub status: AssessmentStatus,
    pub review_date: Option<Date>,
    /// One section per ISO/IEC 42005 section, in order.
    #[autosurgeon(with = "crate::model::records")]
    pub sections: BTreeMap<SectionId, AssessmentSection>,
    /// Sign-offs by member.
    #[autosurgeon(with = "crate::model::records")]
    pub approvals: BTreeMap<MemberId, Approval>,
    /// The impacts rated for section 6.8; assessments made before there were any have none.
    #[autosurgeon(with = "crate::model::records", missing = "BTreeMap::new")]
    pub impacts: BTreeMap<ImpactId, AssessedImpact>,
}

artifact!(ImpactAssessment, ImpactAssessment);

#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct AssessmentSection {
    pub narrative: Text,
    /// Whether the authors consider the section done.
    pub complete: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum AssessmentStatus {
    #[default]
    #[autosurgeon(rename = "draft")]
    Draft,
    #[autosurgeon(rename = "in-review")]
    InReview,
    #[autosurgeon(rename = "approved")]
    Approved,
}

impl AssessmentStatus {
    /// As people read it, in the middle of a sentence or in a register's cell.
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::InReview => "in review",
            Self::Approved => "approved",
        }
    }
}

/// A field of the assessment itself, for [`edit_assessment`].
#[derive(Clone, PartialEq, Debug)]
pub enum AssessmentField {
    Title(String),
    System(Option<SystemId>),
    ReviewDate(Option<Date>),
}

/// A break of the assessment's invariants that merges or old documents can cause.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum AssessmentViolation {
    MissingSection(SectionId),
    UnknownSection(String),
    /// Approved, but a section changed after the latest approval (an edit concurrent with it).
    EditedAfterApproval(SectionId),
}

impl ImpactAssessment {
    /// The most recent approval, if any.
    pub fn latest_approval(&self) -> Option<(MemberId, &Approval)> {
        self.approvals
            .iter()
            .max_by_key(|(member, approval)| (approval.at_ms, **member))
            .map(|(member, approval)| (*member, approval))
    }
}

/// Creates an assessment with all ISO/IEC 42005 sections, empty, as a draft.
pub fn create_impact_assessment(
    doc: &mut AutoCommit,
    now_ms: i64,
    title: &str,
    system: Option<SystemId>,
) -> Result<(), ModelError> {
    let assessment = ImpactAssessment {
        title: title.to_string(),
        system,
        status: AssessmentStatus::Draft,
        review_date: None,
        sections: SectionId::all().map(|s| (s, AssessmentSection::default())).collect(),
        approvals: BTreeMap::new(),
        impacts: BTreeMap::new(),
    };
    create(doc, now_ms, &assessment, "create impact assessment")
}

pub fn edit_assessment(doc: &mut AutoCommit, now_ms: i64, field: AssessmentField) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::ImpactAssessment)?;
    let name = match &field {
        AssessmentField::Title(_) => "title",
        AssessmentField::System(_) => "system",
        AssessmentField::ReviewDate(_) => "review date",
    };
    change(doc, now_ms, format!("edit assessment {name}"), |doc| {
        match field {
            AssessmentField::Title(title) => reconcile_prop(doc, ROOT, "title", title)?,
            AssessmentField::System(system) => reconcile_prop(doc, ROOT, "system", system)?,
            AssessmentField::ReviewDate(date) => reconcile_prop(doc, ROOT, "review_date", date)?,
        }
        Ok(())
    })
}

/// Edits a section's narrative. Editing an approved assessment returns it to draft, so that
/// what is approved is always what the approval's heads show.
pub fn edit_section(
    doc: &mut AutoCommit,
    now_ms: i64,
    section: SectionId,
    edit: TextEdit,
) -> Result<(), ModelError> {
    let obj = section_object(doc, section)?;
    change(doc, now_ms, format!("edit section {section}"), |doc| {
        edit.apply(doc, &obj, "narrative")?;
        reopen_if_approved(doc)
    })
}

pub fn set_section_complete(
    doc: &mut AutoCommit,
    now_ms: i64,
    section: SectionId,
    complete: bool,
) -> Result<(), ModelError> {
    let obj = section_object(doc, section)?;
    let what = if complete { "complete" } else { "incomplete" };
    change(doc, now_ms, format!("mark section {section} {what}"), |doc| {
        reconcile_prop(doc, &obj, "complete", complete)?;
        reopen_if_approved(doc)
    })
}

/// Puts a draft up for review.
pub fn submit_for_review(doc: &mut AutoCommit, now_ms: i64) -> Result<(), ModelError> {
    set_status(doc, now_ms, AssessmentStatus::InReview, "submit impact assessment for review")
}

/// Takes an assessment in review or approved back to draft.
pub fn return_to_draft(doc: &mut AutoCommit, now_ms: i64) -> Result<(), ModelError> {
    set_status(doc, now_ms, AssessmentStatus::Draft, "return impact assessment to draft")
}

/// Approves the assessment as it is now; it must be in review.
/// With `signed`, the approval records the heads the approver's device signed (every one must
/// be in the document) and its signature; `now_ms` must be the time the signature covers.
pub fn approve_assessment(
    doc: &mut AutoCommit,
    now_ms: i64,
    member: MemberId,
    note: &str,
    signed: Option<Signed>,
) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::ImpactAssessment)?;
    let status: AssessmentStatus = autosurgeon::hydrate_prop(&*doc, ROOT, "status")?;
    if status != AssessmentStatus::InReview {
        return Err(ModelError::NotInReview);
    }
    let approvals = object(doc, &ROOT, "approvals")?;
    let (heads, signature) = super::approval::signed_heads(doc, signed)?;
    let approval = Approval { at_ms: now_ms, heads, note: note.to_string(), signature };
    change(doc, now_ms, "approve impact assessment", |doc| {
        reconcile_prop(doc, &approvals, member.to_string().as_str(), &approval)?;
        Ok(reconcile_prop(doc, ROOT, "status", AssessmentStatus::Approved)?)
    })
}

/// Adds an empty section for each ISO/IEC 42005 section that has none; returns those added.
pub fn restore_missing_sections(doc: &mut AutoCommit, now_ms: i64) -> Result<Vec<SectionId>, ModelError> {
    let sections = sections(doc)?;
    let missing: Vec<SectionId> =
        SectionId::all().filter(|s| !matches!(doc.get(&sections, s.as_str()), Ok(Some(_)))).collect();
    if missing.is_empty() {
        return Ok(missing);
    }
    let names: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
    change(doc, now_ms, format!("restore sections {}", names.join(", ")), |doc| {
        for section in &missing {
            reconcile_prop(doc, &sections, section.as_str(), AssessmentSection::default())?;
        }
        Ok(())
    })?;
    Ok(missing)
}

/// The narratives of the sections as they were at `heads` (an approval's), without copying
/// the document.
pub fn sections_at(doc: &AutoCommit, heads: &[String]) -> Result<BTreeMap<SectionId, String>, ModelError> {
    let heads = parse_heads(heads)?;
    let Some((_, sections)) = doc.get_at(ROOT, "sections", &heads)? else {
        return Ok(BTreeMap::new());
    };
    let mut out = BTreeMap::new();
    for section in SectionId::all() {
        if let Some((_, obj)) = doc.get_at(&sections, section.as_str(), &heads)?
            && let Some((automerge::Value::Object(_), text)) = doc.get_at(&obj, "narrative", &heads)?
        {
            out.insert(section, doc.text_at(&text, &heads)?);
        }
    }
    Ok(out)
}

/// Lists the assessment's invariant breaks.
pub fn assessment_violations(doc: &AutoCommit) -> Result<Vec<AssessmentViolation>, ModelError> {
    let sections_obj = sections(doc)?;
    let mut violations = Vec::new();
    for item in doc.map_range(&sections_obj, ..) {
        if item.key.parse::<SectionId>().is_err() {
            violations.push(AssessmentViolation::UnknownSection(item.key.to_string()));
        }
    }
    let assessment = ImpactAssessment::load(doc)?;
    let missing = SectionId::all().filter(|s| !assessment.sections.contains_key(s));
    violations.extend(missing.map(AssessmentViolation::MissingSection));
    if let (AssessmentStatus::Approved, Some((_, approval))) =
        (assessment.status, assessment.latest_approval())
    {
        let approved = sections_at(doc, &approval.heads)?;
        for (id, section) in &assessment.sections {
            if approved.get(id).map(String::as_str) != Some(section.narrative.as_str()) {
                violations.push(AssessmentViolation::EditedAfterApproval(*id));
            }
        }
    }
    Ok(violations)
}

fn set_status(
    doc: &mut AutoCommit,
    now_ms: i64,
    status: AssessmentStatus,
    message: &str,
) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::ImpactAssessment)?;
    change(doc, now_ms, message, |doc| Ok(reconcile_prop(doc, ROOT, "status", status)?))
}

fn reopen_if_approved(doc: &mut AutoCommit) -> Result<(), ModelError> {
    let status: AssessmentStatus = autosurgeon::hydrate_prop(&*doc, ROOT, "status")?;
    if status == AssessmentStatus::Approved {
        reconcile_prop(doc, ROOT, "status", AssessmentStatus::Draft)?;
    }
    Ok(())
}

fn sections(doc: &AutoCommit) -> Result<ObjId, ModelError> {
    check_kind(doc, DocumentKind::ImpactAssessment)?;
    object(doc, &ROOT, "sections")
}

fn section_object(doc: &AutoCommit, section: SectionId) -> Result<ObjId, ModelError> {
    let sections = sections(doc)?;
    entry(doc, &sections, section.to_string(), "section")
}

mod impacts;

pub use impacts::*;

#[cfg(test)]
mod tests;
