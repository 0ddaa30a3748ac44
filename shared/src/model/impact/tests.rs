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
    let error = refused(&mut doc, |doc| approve_assessment(doc, 0, ada, "", None));
    assert!(matches!(error, ModelError::NotInReview));
    submit_for_review(&mut doc, 0).unwrap();
    one_commit(&mut doc, "approve impact assessment", |doc| {
        approve_assessment(doc, 5_000, ada, "ok", None).unwrap()
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

    refused(&mut doc, |doc| approve_assessment(doc, 0, bo, "", None));
    submit_for_review(&mut doc, 0).unwrap();
    approve_assessment(&mut doc, 9_000, bo, "", None).unwrap();
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

fn harm(description: &str) -> AssessedImpact {
    AssessedImpact::new(AffectedParty::Groups, ImpactKind::Harm, description)
}

#[test]
fn impacts_are_rated_on_five_point_scales() {
    use crate::model::{Position, add, edit, get, list};
    let mut doc = assessment();
    let id = one_commit(&mut doc, "add impact \"Older applicants rejected\"", |doc| {
        add(doc, 0, crate::model::testing::random(), harm("Older applicants rejected"), Position::Last)
            .unwrap()
    });
    one_commit(&mut doc, "edit impact \"Older applicants rejected\": likelihood", |doc| {
        edit(doc, 0, id, ImpactField::Likelihood(Some(3))).unwrap()
    });
    edit(&mut doc, 0, id, ImpactField::Severity(Some(5))).unwrap();
    let stored = get(&doc, id).unwrap();
    assert_eq!((stored.likelihood, stored.severity), (Some(3), Some(5)));
    assert!(matches!(
        refused(&mut doc, |doc| edit(doc, 0, id, ImpactField::Severity(Some(6)))),
        ModelError::OutOfScale { scale: "severity", value: 6, max: 5 }
    ));
    refused(&mut doc, |doc| edit(doc, 0, id, ImpactField::Likelihood(Some(0))));
    let rated = AssessedImpact { likelihood: Some(9), ..harm("Off the scale") };
    refused(&mut doc, |doc| add(doc, 0, crate::model::testing::random(), rated, Position::Last));
    let benefit = AssessedImpact::new(AffectedParty::Individuals, ImpactKind::Benefit, "Faster answers");
    add(&mut doc, 0, crate::model::testing::random(), benefit, Position::Last).unwrap();
    let impacts = ImpactAssessment::load(&doc).unwrap().impacts;
    assert_eq!(impacts.len(), 2);
    assert_eq!(list::<AssessedImpact>(&doc).unwrap()[0].0, id, "in the order they were added");
}

#[test]
fn a_change_to_an_impact_returns_an_approved_assessment_to_draft_in_the_same_commit() {
    use crate::model::{Position, add, delete, edit};
    let mut doc = assessment();
    let id =
        add(&mut doc, 0, crate::model::testing::random(), harm("Older applicants rejected"), Position::Last)
            .unwrap();
    let approve = |doc: &mut AutoCommit| {
        submit_for_review(doc, 0).unwrap();
        approve_assessment(doc, 0, crate::model::testing::id(7), "", None).unwrap();
    };
    approve(&mut doc);
    one_commit(&mut doc, "edit impact \"Older applicants rejected\": severity", |doc| {
        edit(doc, 0, id, ImpactField::Severity(Some(2))).unwrap()
    });
    assert_eq!(ImpactAssessment::load(&doc).unwrap().status, AssessmentStatus::Draft);
    approve(&mut doc);
    one_commit(&mut doc, "delete impact \"Older applicants rejected\"", |doc| delete(doc, 0, id).unwrap());
    assert_eq!(ImpactAssessment::load(&doc).unwrap().status, AssessmentStatus::Draft);
}

#[test]
fn impacts_added_at_once_by_two_people_are_both_kept() {
    use crate::model::{Position, add};
    let mut ada = assessment();
    let mut bea = ada.fork();
    add(&mut ada, 0, crate::model::testing::random(), harm("Older applicants rejected"), Position::Last)
        .unwrap();
    add(&mut bea, 0, crate::model::testing::random(), harm("Career gaps read as weakness"), Position::Last)
        .unwrap();
    ada.merge(&mut bea).unwrap();
    let descriptions: Vec<String> =
        ImpactAssessment::load(&ada).unwrap().impacts.into_values().map(|i| i.description).collect();
    assert_eq!(descriptions.len(), 2, "{descriptions:?}");
}

#[test]
fn an_assessment_from_before_impacts_loads_with_none() {
    let mut doc = assessment();
    doc.delete(automerge::ROOT, "impacts").unwrap();
    assert!(ImpactAssessment::load(&doc).unwrap().impacts.is_empty());
}
