use super::*;
use crate::model::testing::{id, one_commit, refused};
use crate::model::{DocumentId, NonconformitySource, Position, add_with_id, edit, new_document};

fn item(s: &str) -> AuditItem {
    s.parse().unwrap()
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

#[test]
fn a_planned_audit_scopes_by_clause_and_control_and_starts_its_audit() {
    let mut doc = new_document();
    create_audit_programme(&mut doc, 0).unwrap();
    edit_audit_programme(&mut doc, 0, ProgrammeField::Description("Yearly, every clause".into())).unwrap();
    edit_audit_programme(&mut doc, 0, ProgrammeField::CycleStart(Some(2026))).unwrap();
    let error = refused(&mut doc, |doc| edit_audit_programme(doc, 0, ProgrammeField::CycleYears(Some(0))));
    assert!(matches!(error, ModelError::OutOfScale { .. }));
    assert_eq!(AuditProgramme::load(&doc).unwrap().cycle(), Some((2026, 2028)));

    let p = id::<PlannedAuditId>(1);
    add_with_id(&mut doc, 0, p, PlannedAudit { title: "Q1".into(), ..Default::default() }, Position::Last)
        .unwrap();
    one_commit(&mut doc, "add to planned audit scope: 3 items", |doc| {
        set_planned_scope(doc, 0, p, &[item("4"), item("8"), item("A.6.2.4")], true).unwrap()
    });
    set_planned_scope(&mut doc, 0, p, &[item("4")], false).unwrap();
    edit(&mut doc, 0, p, PlannedAuditField::Criteria("ISO/IEC 42001, our AI policy".into())).unwrap();
    edit(&mut doc, 0, p, PlannedAuditField::PlannedFrom(Some(date("2026-03-02")))).unwrap();
    let programme = AuditProgramme::load(&doc).unwrap();
    let plan = &programme.audits[&p];
    assert_eq!(plan.scope.keys().map(ToString::to_string).collect::<Vec<_>>(), ["8", "A.6.2.4"]);

    let audit = InternalAudit::from_plan(p, plan);
    assert_eq!(audit.checklist.len(), 2);
    assert_eq!(audit.held_on, Some(date("2026-03-02")));
    let mut audit_doc = new_document();
    create_audit(&mut audit_doc, 0, audit).unwrap();
    let loaded = InternalAudit::load(&audit_doc).unwrap();
    assert_eq!(loaded.planned, Some(p));
    assert_eq!(loaded.criteria.as_str(), "ISO/IEC 42001, our AI policy");
    assert!(
        refused(&mut new_document(), |doc| create_audit(doc, 0, InternalAudit::new(" ", [])))
            .to_string()
            .contains("empty")
    );
}

#[test]
fn closing_needs_a_scope_every_verdict_and_a_conclusion() {
    let on = date("2026-03-04");
    let mut doc = new_document();
    create_audit(&mut doc, 0, InternalAudit::new("Empty", [])).unwrap();
    edit_audit(&mut doc, 0, AuditField::Conclusion("Fine".into())).unwrap();
    let refusal = |doc: &mut AutoCommit| match refused(doc, |doc| close_audit(doc, 0, on)) {
        ModelError::AuditNotClosable(refusal) => refusal,
        other => panic!("unexpected {other}"),
    };
    assert_eq!(refusal(&mut doc), AuditCloseRefusal::NoScope);

    let mut doc = new_document();
    create_audit(&mut doc, 0, InternalAudit::new("Q1", [item("5")])).unwrap();
    one_commit(&mut doc, "add to audit scope: 2 items", |doc| {
        set_audit_scope(doc, 0, &[item("6"), item("A.2.2")], true).unwrap()
    });
    assert_eq!(refusal(&mut doc), AuditCloseRefusal::Unjudged(3));
    set_verdict(&mut doc, 0, item("5"), Some(Verdict::Conforms)).unwrap();
    set_verdict(&mut doc, 0, item("6"), Some(Verdict::Observation)).unwrap();
    edit_checklist_text(&mut doc, 0, item("6"), ChecklistText::Notes, "Criteria undated".into()).unwrap();
    edit_checklist_text(&mut doc, 0, item("6"), ChecklistText::Evidence, "https://example.org/risk".into())
        .unwrap();
    assert_eq!(refusal(&mut doc), AuditCloseRefusal::Unjudged(1));
    // Out of scope, A.2.2's row stays but no longer counts.
    set_audit_scope(&mut doc, 0, &[item("A.2.2")], false).unwrap();
    assert_eq!(refusal(&mut doc), AuditCloseRefusal::NoConclusion);
    assert!(matches!(
        refused(&mut doc, |doc| set_verdict(doc, 0, item("7"), Some(Verdict::Conforms))),
        ModelError::NotFound { .. }
    ));
    edit_audit(&mut doc, 0, AuditField::Conclusion("Effective".into())).unwrap();
    one_commit(&mut doc, "close audit", |doc| close_audit(doc, 0, on).unwrap());
    let audit = InternalAudit::load(&doc).unwrap();
    assert_eq!(audit.closed_on, Some(on));
    assert_eq!(audit.checklist.len(), 3);
    assert_eq!(audit.checklist[&item("6")].notes.as_str(), "Criteria undated");
    assert!(audit_violations(&audit).is_empty());

    // A verdict cleared after closing is what a concurrent edit can do: reported, not stored.
    set_verdict(&mut doc, 0, item("5"), None).unwrap();
    let audit = InternalAudit::load(&doc).unwrap();
    assert_eq!(audit_violations(&audit), [AuditViolation::ClosedButOpen(AuditCloseRefusal::Unjudged(1))]);
    reopen_audit(&mut doc, 0).unwrap();
    assert!(!InternalAudit::load(&doc).unwrap().is_closed());
}

#[test]
fn a_nonconformity_finding_makes_a_record_pointing_back_at_it() {
    let mut doc = new_document();
    create_audit(&mut doc, 0, InternalAudit::new("Q1", [item("8")])).unwrap();
    let f = id::<FindingId>(1);
    let finding = Finding {
        kind: FindingKind::MinorNonconformity,
        summary: "Risk without owner".into(),
        item: Some(item("8")),
        ..Default::default()
    };
    add_with_id(&mut doc, 0, f, finding, Position::Last).unwrap();
    let audit_id = DocumentId::from_bytes([5; 16]);
    let loaded = InternalAudit::load(&doc).unwrap();
    let nc = nonconformity_of_finding(audit_id, f, &loaded.findings[&f], Some(date("2026-03-04")));
    assert_eq!(nc.source, NonconformitySource::AuditFinding);
    assert_eq!((nc.audit, nc.finding), (Some(audit_id), Some(f)));
    assert_eq!(nc.title, "Risk without owner");
    assert!(nc.description.as_str().starts_with("Found by an internal audit under 8"));
    edit(&mut doc, 0, f, FindingField::Nonconformity(Some(id(3)))).unwrap();
    assert_eq!(InternalAudit::load(&doc).unwrap().findings[&f].nonconformity, Some(id(3)));
    assert!(
        FindingKind::MajorNonconformity.is_nonconformity() && !FindingKind::Observation.is_nonconformity()
    );
    for verdict in Verdict::ALL {
        assert_eq!(Verdict::from_token(verdict.as_token()), Some(verdict));
    }
    for kind in FindingKind::ALL {
        assert_eq!(FindingKind::from_token(kind.as_token()), Some(kind));
    }
}
