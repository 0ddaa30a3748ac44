//! Concurrent edits of an internal audit and its programme on forked replicas, merged both ways:
//! two people judging the same checklist row, writing its notes, editing one finding and
//! widening one planned audit's scope keep every row and every word; a close that a concurrent
//! edit undoes is reported by `audit_violations`, never hidden.

use automerge::{ActorId, AutoCommit, ROOT, ReadDoc};
use quorum_shared::model::{
    self, AuditCloseRefusal, AuditField, AuditItem, AuditProgramme, AuditViolation, ChecklistText, Finding,
    FindingField, FindingId, FindingKind, InternalAudit, PlannedAudit, PlannedAuditId, Position, TextEdit,
    Verdict,
};

fn replicas(base: &mut AutoCommit, n: u8) -> Vec<AutoCommit> {
    (0..n).map(|i| base.fork().with_actor(ActorId::from([i + 10; 16]))).collect()
}

fn merge_both_ways(mut replicas: Vec<AutoCommit>) -> AutoCommit {
    let mut forward = replicas[0].fork();
    let last = replicas.len() - 1;
    let mut backward = replicas[last].fork();
    for replica in replicas.iter_mut() {
        forward.merge(replica).unwrap();
    }
    for replica in replicas.iter_mut().rev() {
        backward.merge(replica).unwrap();
    }
    let content = |doc: &AutoCommit| doc.hydrate(ROOT, None).unwrap();
    assert_eq!(content(&forward), content(&backward), "same content both ways");
    forward
}

fn item(s: &str) -> AuditItem {
    s.parse().unwrap()
}

fn id<T: model::RecordKey>(n: u8) -> T {
    T::from_bytes([n; 16])
}

#[test]
fn two_auditors_fill_the_same_row_and_edit_the_same_finding() {
    let scope = [item("6"), item("8"), item("A.6.2.4")];
    let mut base = model::new_document();
    model::create_audit(&mut base, 0, InternalAudit::new("Q1", scope)).unwrap();
    model::edit_checklist_text(&mut base, 0, item("8"), ChecklistText::Notes, "Sampled three risks.".into())
        .unwrap();
    let f = id::<FindingId>(1);
    let finding =
        Finding { summary: "Owner missing".into(), description: "Risk R3".into(), ..Default::default() };
    model::add_with_id(&mut base, 0, f, finding, Position::Last).unwrap();

    let mut r = replicas(&mut base, 2);
    // Both judge row 8 at once, differently, and both add to its notes.
    model::set_verdict(&mut r[0], 1, item("8"), Some(Verdict::MinorNonconformity)).unwrap();
    model::set_verdict(&mut r[1], 1, item("8"), Some(Verdict::Observation)).unwrap();
    model::edit_checklist_text(
        &mut r[0],
        1,
        item("8"),
        ChecklistText::Notes,
        "Ada: Sampled three risks.".into(),
    )
    .unwrap();
    model::edit_checklist_text(
        &mut r[1],
        1,
        item("8"),
        ChecklistText::Notes,
        "Sampled three risks. Bo agrees.".into(),
    )
    .unwrap();
    model::edit_checklist_text(&mut r[1], 1, item("8"), ChecklistText::Evidence, "automerge:risk".into())
        .unwrap();
    // Both edit the same finding: kind, summary and description.
    model::edit(&mut r[0], 1, f, FindingField::Kind(FindingKind::MinorNonconformity)).unwrap();
    model::edit(&mut r[0], 1, f, FindingField::Description(TextEdit::Replace("Risk R3 and R4".into())))
        .unwrap();
    model::edit(&mut r[1], 1, f, FindingField::Summary("Risks without owner".into())).unwrap();
    model::edit(&mut r[1], 1, f, FindingField::Description(TextEdit::Replace("Risk R3, since May".into())))
        .unwrap();
    model::edit(&mut r[1], 1, f, FindingField::Item(Some(item("8")))).unwrap();
    // Each judges another row too.
    model::set_verdict(&mut r[0], 1, item("6"), Some(Verdict::Conforms)).unwrap();
    model::set_verdict(&mut r[1], 1, item("A.6.2.4"), Some(Verdict::Opportunity)).unwrap();

    let merged = merge_both_ways(r);
    let audit = InternalAudit::load(&merged).unwrap();
    assert_eq!(audit.checklist.len(), 3, "every row survives");
    let row = &audit.checklist[&item("8")];
    assert!(
        matches!(row.verdict, Some(Verdict::MinorNonconformity | Verdict::Observation)),
        "one of the two verdicts wins"
    );
    assert_eq!(row.notes.as_str(), "Ada: Sampled three risks. Bo agrees.", "both notes merge by character");
    assert_eq!(row.evidence.as_str(), "automerge:risk");
    assert_eq!(audit.checklist[&item("6")].verdict, Some(Verdict::Conforms));
    assert_eq!(audit.checklist[&item("A.6.2.4")].verdict, Some(Verdict::Opportunity));
    let finding = &audit.findings[&f];
    assert_eq!(finding.kind, FindingKind::MinorNonconformity);
    assert_eq!(finding.summary, "Risks without owner");
    assert_eq!(finding.item, Some(item("8")));
    assert!(
        finding.description.as_str().contains("R4") && finding.description.as_str().contains("since May")
    );
    assert!(model::audit_violations(&audit).is_empty());
    assert_eq!(audit.close_refusal(), Some(AuditCloseRefusal::NoConclusion));
}

#[test]
fn a_close_undone_by_a_concurrent_edit_is_reported() {
    let scope = [item("9")];
    let mut base = model::new_document();
    model::create_audit(&mut base, 0, InternalAudit::new("Q2", scope)).unwrap();
    model::set_verdict(&mut base, 0, item("9"), Some(Verdict::Conforms)).unwrap();
    model::edit_audit(&mut base, 0, AuditField::Conclusion("Effective".into())).unwrap();
    let mut r = replicas(&mut base, 2);
    model::close_audit(&mut r[0], 1, "2026-04-01".parse().unwrap()).unwrap();
    // Meanwhile the other widens the scope, which makes a row with no verdict.
    model::set_audit_scope(&mut r[1], 1, &[item("10")], true).unwrap();
    let audit = InternalAudit::load(&merge_both_ways(r)).unwrap();
    assert!(audit.is_closed());
    assert_eq!(audit.checklist.len(), 2);
    assert_eq!(
        model::audit_violations(&audit),
        [AuditViolation::ClosedButOpen(AuditCloseRefusal::Unjudged(1))]
    );
}

#[test]
fn concurrent_scope_additions_to_one_planned_audit_all_stay() {
    let mut base = model::new_document();
    model::create_audit_programme(&mut base, 0).unwrap();
    let p = id::<PlannedAuditId>(1);
    model::add_with_id(
        &mut base,
        0,
        p,
        PlannedAudit { title: "Year 1".into(), ..Default::default() },
        Position::Last,
    )
    .unwrap();
    model::set_planned_scope(&mut base, 0, p, &[item("4")], true).unwrap();
    let mut r = replicas(&mut base, 3);
    model::set_planned_scope(&mut r[0], 1, p, &[item("5"), item("A.2.2")], true).unwrap();
    model::set_planned_scope(&mut r[1], 1, p, &[item("6"), item("A.2.2")], true).unwrap();
    model::set_planned_scope(&mut r[2], 1, p, &[item("4")], false).unwrap();
    model::edit(&mut r[2], 1, p, model::PlannedAuditField::Title("First year".into())).unwrap();
    let programme = AuditProgramme::load(&merge_both_ways(r)).unwrap();
    let plan = &programme.audits[&p];
    let scope: Vec<String> = plan.scope.keys().map(ToString::to_string).collect();
    assert_eq!(scope, ["5", "6", "A.2.2"]);
    assert_eq!(plan.title, "First year");
}
