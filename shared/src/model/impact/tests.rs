use automerge::transaction::Transactable;

use super::*;
use crate::model::testing::{id, one_commit, refused};
use crate::model::{at_heads, new_document};

fn assessment() -> AutoCommit {
    let mut doc = new_document();
    create_impact_assessment(&mut doc, 0, "CV screening", Some(id(1))).unwrap();
    doc
}

fn section(s: &str) -> SectionId {
    s.parse().unwrap()
}

fn narrative(doc: &AutoCommit, s: &str) -> String {
    ImpactAssessment::load(doc).unwrap().sections[&section(s)].narrative.as_str().to_string()
}

#[test]
fn an_assessment_has_all_sections_and_edits_them() {
    let mut doc = assessment();
    let loaded = ImpactAssessment::load(&doc).unwrap();
    assert!(loaded.sections.keys().copied().eq(SectionId::all()));
    assert_eq!(loaded.status, AssessmentStatus::Draft);
    one_commit(&mut doc, "edit section 6.4", |doc| {
        edit_section(doc, 0, section("6.4"), "Training data: 2019-2023 hires".into()).unwrap()
    });
    let splice = TextEdit::Splice { pos: 0, delete: 0, insert: "Note. ".into() };
    edit_section(&mut doc, 0, section("6.4"), splice).unwrap();
    assert_eq!(narrative(&doc, "6.4"), "Note. Training data: 2019-2023 hires");
    one_commit(&mut doc, "mark section 6.4 complete", |doc| {
        set_section_complete(doc, 0, section("6.4"), true).unwrap()
    });
    one_commit(&mut doc, "edit assessment review date", |doc| {
        edit_assessment(doc, 0, AssessmentField::ReviewDate(Some("2026-01-31".parse().unwrap()))).unwrap()
    });
    assert!(assessment_violations(&doc).unwrap().is_empty());
}

#[test]
fn approval_needs_review_and_keeps_the_approved_text_readable() {
    let mut doc = assessment();
    let (ada, bo) = (id::<MemberId>(1), id::<MemberId>(2));
    edit_section(&mut doc, 0, section("6.8"), "May reject older applicants".into()).unwrap();
    let error = refused(&mut doc, |doc| approve_assessment(doc, 0, ada, ""));
    assert!(matches!(error, ModelError::NotInReview));
    submit_for_review(&mut doc, 0).unwrap();
    one_commit(&mut doc, "approve impact assessment", |doc| {
        approve_assessment(doc, 5_000, ada, "ok").unwrap()
    });
    let approved = ImpactAssessment::load(&doc).unwrap();
    assert_eq!(approved.status, AssessmentStatus::Approved);
    let (who, approval) = approved.latest_approval().unwrap();
    assert_eq!((who, approval.at_ms, approval.note.as_str()), (ada, 5_000, "ok"));
    let heads = approval.heads.clone();

    // A later edit reopens the assessment; the approved text is still there at its heads.
    edit_section(&mut doc, 0, section("6.8"), "May reject older applicants and women".into()).unwrap();
    assert_eq!(ImpactAssessment::load(&doc).unwrap().status, AssessmentStatus::Draft);
    assert_eq!(sections_at(&doc, &heads).unwrap()[&section("6.8")], "May reject older applicants");
    let then: ImpactAssessment = at_heads(&mut doc, &heads).unwrap();
    assert_eq!(then.sections[&section("6.8")].narrative.as_str(), "May reject older applicants");
    // The heads are those the approvers read: the assessment in review, just before approval.
    assert_eq!(then.status, AssessmentStatus::InReview);

    refused(&mut doc, |doc| approve_assessment(doc, 0, bo, ""));
    submit_for_review(&mut doc, 0).unwrap();
    approve_assessment(&mut doc, 9_000, bo, "").unwrap();
    let both = ImpactAssessment::load(&doc).unwrap();
    assert_eq!(both.approvals.len(), 2);
    assert_eq!(both.latest_approval().unwrap().0, bo);
    return_to_draft(&mut doc, 0).unwrap();
    assert_eq!(ImpactAssessment::load(&doc).unwrap().status, AssessmentStatus::Draft);
}

#[test]
fn violations_and_restoring_sections() {
    let mut doc = assessment();
    let sections = sections(&doc).unwrap();
    doc.delete(&sections, "6.5").unwrap();
    doc.commit();
    assert_eq!(assessment_violations(&doc).unwrap(), [AssessmentViolation::MissingSection(section("6.5"))]);
    let restored =
        one_commit(&mut doc, "restore sections 6.5", |doc| restore_missing_sections(doc, 0).unwrap());
    assert_eq!(restored, [section("6.5")]);
    assert!(assessment_violations(&doc).unwrap().is_empty());
}
