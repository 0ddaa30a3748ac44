//! Concurrent edits on forked replicas, merged in both directions: the register, the SoA and an
//! impact assessment keep every record added and every word typed, lose those deleted, and
//! keep their invariants. No sockets, no sleeps: `fork` and `merge`.

use automerge::{ActorId, AutoCommit, ROOT, ReadDoc, transaction::Transactable};
use quorum_shared::model::{
    self, Applicability, AssessmentStatus, AssessmentViolation, ControlId, Evidence, ImpactAssessment,
    ImplementationStatus, MemberId, Position, Risk, RiskField, RiskId, RiskRegister, SectionId, SoaViolation,
    StatementOfApplicability, TextEdit,
};

/// Forks `n` replicas of `base`, each with its own actor as each device has.
fn replicas(base: &mut AutoCommit, n: u8) -> Vec<AutoCommit> {
    (0..n).map(|i| base.fork().with_actor(ActorId::from([i + 10; 16]))).collect()
}

/// Merges the replicas front to back and back to front; both results must be the same
/// document. Returns the first.
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
    let (mut f, mut b) = (forward.get_heads(), backward.get_heads());
    quorum_shared::order::sort(&mut f);
    quorum_shared::order::sort(&mut b);
    assert_eq!(f, b, "same heads both ways");
    let content = |doc: &AutoCommit| doc.hydrate(ROOT, None).unwrap();
    assert_eq!(content(&forward), content(&backward), "same content both ways");
    forward
}

fn risk(title: &str, likelihood: u64, consequence: u64) -> Risk {
    Risk {
        title: title.into(),
        source: Some("ml-specific".into()),
        likelihood: Some(likelihood),
        consequence: Some(consequence),
        description: "The model".into(),
        ..Risk::default()
    }
}

fn id<T: model::RecordKey>(n: u8) -> T {
    T::from_bytes([n; 16])
}

#[test]
fn risk_register_merges_adds_edits_deletes_and_moves() {
    let mut base = model::new_document();
    model::create_risk_register(&mut base, 0).unwrap();
    let (a, b, c) = (id::<RiskId>(1), id::<RiskId>(2), id::<RiskId>(3));
    for (id, r) in [(a, risk("A", 2, 2)), (b, risk("B", 3, 3)), (c, risk("C", 1, 1))] {
        model::add_with_id(&mut base, 0, id, r, Position::Last).unwrap();
    }
    let mut r = replicas(&mut base, 3);
    let (d, e, f) = (id::<RiskId>(4), id::<RiskId>(5), id::<RiskId>(6));
    let owner = id::<MemberId>(7);

    // Replica 0 adds, re-rates A's likelihood, types at the start of B, moves C first.
    model::add_with_id(&mut r[0], 1_000, d, risk("D", 1, 2), Position::Last).unwrap();
    model::edit(&mut r[0], 1_000, a, RiskField::Likelihood(Some(5))).unwrap();
    model::edit(&mut r[0], 1_000, a, RiskField::Title("A (left)".into())).unwrap();
    let start = TextEdit::Splice { pos: 0, delete: 0, insert: "Urgent: ".into() };
    model::edit(&mut r[0], 1_000, b, RiskField::Description(start)).unwrap();
    model::move_to(&mut r[0], 1_000, c, Position::First).unwrap();

    // Replica 1 deletes C, re-rates A's consequence, types at the end of B, adds E.
    model::delete(&mut r[1], 2_000, c).unwrap();
    model::edit(&mut r[1], 2_000, a, RiskField::Consequence(Some(4))).unwrap();
    model::edit(&mut r[1], 2_000, a, RiskField::Title("A (right)".into())).unwrap();
    model::edit(&mut r[1], 2_000, b, RiskField::Description("The model drifts".into())).unwrap();
    model::add_with_id(&mut r[1], 2_000, e, risk("E", 2, 1), Position::First).unwrap();

    // Replica 2 moves A last, sets its owner, adds F, and tightens the bands.
    model::move_to(&mut r[2], 3_000, a, Position::Last).unwrap();
    model::edit(&mut r[2], 3_000, a, RiskField::Owner(Some(owner))).unwrap();
    model::add_with_id(&mut r[2], 3_000, f, risk("F", 4, 4), Position::After(b)).unwrap();
    let mut criteria = RiskRegister::load(&r[2]).unwrap().criteria;
    criteria.bands[3].min_score = 15;
    model::set_risk_criteria(&mut r[2], 3_000, &criteria).unwrap();

    let merged = merge_both_ways(r);
    let register = RiskRegister::load(&merged).unwrap();
    let ids: Vec<RiskId> = register.risks.keys().copied().collect();
    assert_eq!(ids, [a, b, d, e, f], "every add kept, the delete applied");

    let risk_a = &register.risks[&a];
    assert_eq!(
        (risk_a.likelihood, risk_a.consequence, risk_a.owner),
        (Some(5), Some(4), Some(owner)),
        "edits of different fields of one risk all win, with the move"
    );
    assert!(["A (left)", "A (right)"].contains(&risk_a.title.as_str()));
    let description = register.risks[&b].description.as_str();
    assert!(description.contains("Urgent: ") && description.contains("drifts"), "{description}");

    // Levels come from the merged criteria: 5 x 4 = 20 is critical under replica 2's bands,
    // and 4 x 4 = 16 became critical too.
    for (id, r) in &register.risks {
        let expected = register.criteria.level(r.likelihood.unwrap(), r.consequence.unwrap());
        assert_eq!(register.inherent_level(r), expected, "{id}");
    }
    assert_eq!(register.inherent_level(&register.risks[&f]).unwrap().band, "Critical");
    assert!(model::risk_violations(&register).is_empty());
    // A was moved to the end while D was added at the end: both land after B, in an order
    // (by id, for their equal ranks) that every replica shares.
    let order: Vec<RiskId> = register.risks_in_order().iter().map(|(id, _)| *id).collect();
    let at = |id| order.iter().position(|x| *x == id).unwrap();
    assert!(at(a) > at(b) && at(d) > at(b) && at(f) == at(b) + 1, "{order:?}");
}

#[test]
fn soa_keeps_one_row_per_control_through_concurrent_edits_and_restores() {
    let mut base = model::new_document();
    model::create_soa(&mut base, 0).unwrap();
    // An older version lost the row for A.9.2; two replicas restore it at the same time.
    let rows = base.get(ROOT, "rows").unwrap().unwrap().1;
    base.delete(&rows, "A.9.2").unwrap();
    base.commit();
    let control = |s: &str| s.parse::<ControlId>().unwrap();
    let mut r = replicas(&mut base, 3);

    model::exclude_control(&mut r[0], 1_000, control("A.2.2"), "Covered by group policy").unwrap();
    let start = TextEdit::Splice { pos: 0, delete: 0, insert: "alpha ".into() };
    model::edit_justification(&mut r[0], 1_000, control("A.5.2"), start).unwrap();
    model::set_implementation_status(&mut r[0], 1_000, control("A.6.2.4"), ImplementationStatus::Implemented)
        .unwrap();
    model::add(
        &mut r[0],
        1_000,
        [101; 16],
        Evidence::new(control("A.6.2.4"), "Test report", "automerge:x"),
        Position::Last,
    )
    .unwrap();
    assert_eq!(model::restore_missing_rows(&mut r[0], 1_000).unwrap(), [control("A.9.2")]);

    model::edit_justification(&mut r[1], 2_000, control("A.5.2"), "omega".into()).unwrap();
    assert_eq!(model::restore_missing_rows(&mut r[1], 2_000).unwrap(), [control("A.9.2")]);

    model::set_implementation_status(&mut r[2], 3_000, control("A.6.2.4"), ImplementationStatus::InProgress)
        .unwrap();
    model::exclude_control(&mut r[2], 3_000, control("A.10.3"), "No suppliers").unwrap();

    let merged = merge_both_ways(r);
    let soa = StatementOfApplicability::load(&merged).unwrap();
    assert_eq!(soa.rows.len(), 38);
    assert!(soa.rows.keys().copied().eq(ControlId::all()), "one row per control, no duplicates");
    assert_eq!(model::soa_violations(&merged).unwrap(), []);
    let justification = soa.rows[&control("A.5.2")].justification.as_str();
    assert!(justification.contains("alpha") && justification.contains("omega"), "{justification}");
    assert_eq!(soa.rows[&control("A.2.2")].applicability, Applicability::Excluded);
    assert_eq!(soa.rows[&control("A.10.3")].applicability, Applicability::Excluded);
    assert_ne!(soa.rows[&control("A.6.2.4")].status, ImplementationStatus::NotStarted);
    assert_eq!(soa.evidence.len(), 1);
}

#[test]
fn a_justification_emptied_while_the_control_was_excluded_is_reported() {
    let mut base = model::new_document();
    model::create_soa(&mut base, 0).unwrap();
    let c: ControlId = "A.8.3".parse().unwrap();
    model::edit_justification(&mut base, 0, c, "Draft reason".into()).unwrap();
    let mut r = replicas(&mut base, 2);
    model::exclude_control(&mut r[0], 1_000, c, "Draft reason").unwrap();
    // Replica 1 still sees the control applicable, where an empty justification is fine.
    model::edit_justification(&mut r[1], 2_000, c, "".into()).unwrap();
    let mut merged = merge_both_ways(r);
    assert_eq!(model::soa_violations(&merged).unwrap(), [SoaViolation::ExcludedWithoutJustification(c)]);
    model::edit_justification(&mut merged, 3_000, c, "We build no such systems".into()).unwrap();
    assert_eq!(model::soa_violations(&merged).unwrap(), []);
}

#[test]
fn impact_assessment_keeps_all_sections_and_both_writers_words() {
    let mut base = model::new_document();
    model::create_impact_assessment(&mut base, 0, "Chatbot", None).unwrap();
    let section = |s: &str| s.parse::<SectionId>().unwrap();
    model::edit_section(&mut base, 0, section("6.4"), "customer emails".into()).unwrap();
    let sections = base.get(ROOT, "sections").unwrap().unwrap().1;
    base.delete(&sections, "6.5").unwrap();
    base.commit();
    let mut r = replicas(&mut base, 2);

    let start = TextEdit::Splice { pos: 0, delete: 0, insert: "Anonymised ".into() };
    model::edit_section(&mut r[0], 1_000, section("6.4"), start).unwrap();
    model::set_section_complete(&mut r[0], 1_000, section("6.2"), true).unwrap();
    model::restore_missing_sections(&mut r[0], 1_000).unwrap();

    model::edit_section(&mut r[1], 2_000, section("6.4"), "customer emails from 2024".into()).unwrap();
    model::edit_section(&mut r[1], 2_000, section("6.8"), "Wrong answers".into()).unwrap();
    model::restore_missing_sections(&mut r[1], 2_000).unwrap();

    let merged = merge_both_ways(r);
    let assessment = ImpactAssessment::load(&merged).unwrap();
    assert!(assessment.sections.keys().copied().eq(SectionId::all()));
    assert_eq!(
        assessment.sections[&section("6.4")].narrative.as_str(),
        "Anonymised customer emails from 2024"
    );
    assert!(assessment.sections[&section("6.2")].complete);
    assert_eq!(model::assessment_violations(&merged).unwrap(), []);
}

#[test]
fn an_edit_concurrent_with_an_approval_is_reported() {
    let mut base = model::new_document();
    model::create_impact_assessment(&mut base, 0, "Chatbot", None).unwrap();
    let s: SectionId = "6.8".parse().unwrap();
    model::edit_section(&mut base, 0, s, "Wrong answers".into()).unwrap();
    model::submit_for_review(&mut base, 0).unwrap();
    let mut r = replicas(&mut base, 2);
    model::approve_assessment(&mut r[0], 1_000, id(1), "", None).unwrap();
    model::edit_section(&mut r[1], 2_000, s, "Wrong answers, leaked data".into()).unwrap();
    let merged = merge_both_ways(r);
    assert_eq!(ImpactAssessment::load(&merged).unwrap().status, AssessmentStatus::Approved);
    assert_eq!(model::assessment_violations(&merged).unwrap(), [AssessmentViolation::EditedAfterApproval(s)]);
}
