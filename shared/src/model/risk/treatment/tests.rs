use super::*;
use crate::model::testing::{id, one_commit, refused};
use crate::model::{
    Position, RiskField, TreatmentAction, TreatmentActionField, add_with_id, create_risk_register, delete,
    edit, heads_hex, link_control, new_document, unlink_control,
};

fn ada() -> MemberId {
    id(1)
}

fn bea() -> MemberId {
    id(2)
}

/// A register with one risk owned by Ada, rated, modified with a control, an action and a
/// residual rating: ready to approve.
fn treated() -> (AutoCommit, RiskId, TreatmentActionId) {
    let mut doc = new_document();
    create_risk_register(&mut doc, 0).unwrap();
    let risk = id::<RiskId>(3);
    let drift = Risk {
        title: "Drift".into(),
        likelihood: Some(4),
        consequence: Some(3),
        owner: Some(ada()),
        treatment: Treatment::Modify,
        residual_likelihood: Some(2),
        residual_consequence: Some(2),
        ..Risk::default()
    };
    add_with_id(&mut doc, 1_000, risk, drift, Position::Last).unwrap();
    link_control(&mut doc, 2_000, risk, "A.6.2.6".parse().unwrap()).unwrap();
    let action = id::<TreatmentActionId>(4);
    add_with_id(&mut doc, 3_000, action, TreatmentAction::new(risk, "Monitor drift"), Position::Last)
        .unwrap();
    (doc, risk, action)
}

fn state(doc: &AutoCommit, risk: RiskId) -> (bool, Vec<PlanField>) {
    let register = RiskRegister::load(doc).unwrap();
    match register.approval_state(risk) {
        ApprovalState::NotApproved => (false, vec![]),
        ApprovalState::Approved(_) => (true, vec![]),
        ApprovalState::Changed { changes, .. } => (false, changes),
    }
}

#[test]
fn the_owner_approves_at_the_heads_and_a_second_approval_replaces_the_first() {
    let (mut doc, risk, _) = treated();
    assert_eq!(RiskRegister::load(&doc).unwrap().approval_state(risk), ApprovalState::NotApproved);
    let heads = heads_hex(&mut doc);
    one_commit(&mut doc, "approve treatment of risk \"Drift\"", |doc| {
        approve_treatment(doc, 5_000, ada(), risk, "accepted", None).unwrap()
    });
    let register = RiskRegister::load(&doc).unwrap();
    let approval = register.risks[&risk].approval.clone().unwrap();
    assert_eq!(approval.member, ada());
    assert_eq!(approval.sign_off, Approval { at_ms: 5_000, heads, note: "accepted".into(), signature: None });
    assert_eq!(Some(&approval.plan), register.treatment_plan(risk).as_ref());
    assert_eq!(register.approval_state(risk), ApprovalState::Approved(&approval));
    assert_eq!(plan_at_heads(&mut doc, risk).unwrap(), Some(approval.plan.clone()));

    approve_treatment(&mut doc, 6_000, ada(), risk, "", None).unwrap();
    let again = RiskRegister::load(&doc).unwrap().risks[&risk].approval.clone().unwrap();
    assert_eq!(again.sign_off.at_ms, 6_000);
    assert_eq!(again.sign_off.note, "");
    assert_eq!(
        RiskRegister::load(&doc).unwrap().approval_summary(),
        ApprovalSummary { approved: 1, changed: 0, awaiting: 0 }
    );
}

#[test]
fn refuses_other_members_undecided_treatments_and_unrated_residual_risk() {
    let (mut doc, risk, _) = treated();
    let error = refused(&mut doc, |doc| approve_treatment(doc, 5_000, bea(), risk, "", None));
    assert!(matches!(error, ModelError::NotRiskOwner), "{error:?}");

    edit(&mut doc, 5_000, risk, RiskField::Owner(None)).unwrap();
    let error = refused(&mut doc, |doc| approve_treatment(doc, 5_000, ada(), risk, "", None));
    assert!(matches!(error, ModelError::NotRiskOwner), "{error:?}");
    edit(&mut doc, 5_000, risk, RiskField::Owner(Some(ada()))).unwrap();

    edit(&mut doc, 6_000, risk, RiskField::ResidualConsequence(None)).unwrap();
    let error = refused(&mut doc, |doc| approve_treatment(doc, 6_000, ada(), risk, "", None));
    assert!(matches!(error, ModelError::NoResidualLevel), "{error:?}");

    // A retained, avoided or shared risk needs no residual rating to be approved.
    edit(&mut doc, 7_000, risk, RiskField::Treatment(Treatment::Retain)).unwrap();
    approve_treatment(&mut doc, 7_000, ada(), risk, "", None).unwrap();

    edit(&mut doc, 8_000, risk, RiskField::Treatment(Treatment::Undecided)).unwrap();
    let error = refused(&mut doc, |doc| approve_treatment(doc, 8_000, ada(), risk, "", None));
    assert!(matches!(error, ModelError::TreatmentUndecided), "{error:?}");

    let error = refused(&mut doc, |doc| approve_treatment(doc, 8_000, ada(), id(9), "", None));
    assert!(matches!(error, ModelError::NotFound { what: "risk", .. }), "{error:?}");
}

#[test]
fn changed_since_approval_names_each_changed_field() {
    type Change = fn(&mut AutoCommit, RiskId, TreatmentActionId);
    let cases: [(&str, Change, &[PlanField]); 12] = [
        (
            "title",
            |d, r, _| edit(d, 9, r, RiskField::Title("Model drift".into())).unwrap(),
            &[PlanField::Title],
        ),
        (
            "source",
            |d, r, _| edit(d, 9, r, RiskField::Source(Some("ml-specific".into()))).unwrap(),
            &[PlanField::Source],
        ),
        ("system", |d, r, _| edit(d, 9, r, RiskField::System(Some(id(7)))).unwrap(), &[PlanField::System]),
        (
            "description",
            |d, r, _| edit(d, 9, r, RiskField::Description("Inputs shift".into())).unwrap(),
            &[PlanField::Description],
        ),
        (
            "likelihood and treatment",
            |d, r, _| {
                edit(d, 9, r, RiskField::Likelihood(Some(5))).unwrap();
                edit(d, 9, r, RiskField::Treatment(Treatment::Share)).unwrap();
            },
            &[PlanField::Likelihood, PlanField::Treatment],
        ),
        (
            "consequence",
            |d, r, _| edit(d, 9, r, RiskField::Consequence(Some(1))).unwrap(),
            &[PlanField::Consequence],
        ),
        ("owner", |d, r, _| edit(d, 9, r, RiskField::Owner(Some(bea()))).unwrap(), &[PlanField::Owner]),
        (
            "controls",
            |d, r, _| {
                unlink_control(d, 9, r, "A.6.2.6".parse().unwrap()).unwrap();
                link_control(d, 9, r, "A.6.2.4".parse().unwrap()).unwrap();
            },
            &[PlanField::Controls],
        ),
        (
            "action retitled",
            |d, _, a| edit(d, 9, a, TreatmentActionField::Title("Watch drift".into())).unwrap(),
            &[PlanField::Actions],
        ),
        ("action deleted", |d, _, a| delete(d, 9, a).unwrap(), &[PlanField::Actions]),
        (
            "residual ratings",
            |d, r, _| {
                edit(d, 9, r, RiskField::ResidualLikelihood(Some(1))).unwrap();
                edit(d, 9, r, RiskField::ResidualConsequence(Some(1))).unwrap();
            },
            &[PlanField::ResidualLikelihood, PlanField::ResidualConsequence],
        ),
        // Doing an action carries the plan out; it does not change it.
        ("action done", |d, _, a| edit(d, 9, a, TreatmentActionField::Done(true)).unwrap(), &[]),
    ];
    for (name, change, expected) in cases {
        let (mut doc, risk, action) = treated();
        approve_treatment(&mut doc, 5_000, ada(), risk, "", None).unwrap();
        let approved = RiskRegister::load(&doc).unwrap().risks[&risk].approval.clone().unwrap().plan;
        change(&mut doc, risk, action);
        let register = RiskRegister::load(&doc).unwrap();
        let now = register.treatment_plan(risk).unwrap();
        assert_eq!(plan_changes(&approved, &now), expected, "{name}");
        assert_eq!(state(&doc, risk), (expected.is_empty(), expected.to_vec()), "{name}");
        // What was approved stays readable from the history, whatever changed since.
        assert_eq!(plan_at_heads(&mut doc, risk).unwrap(), Some(approved), "{name}");
    }
}

#[test]
fn the_summary_counts_approved_changed_and_awaiting_risks() {
    let (mut doc, risk, _) = treated();
    let other = id::<RiskId>(5);
    let leak =
        Risk { title: "Leak".into(), owner: Some(bea()), treatment: Treatment::Avoid, ..Risk::default() };
    add_with_id(&mut doc, 4_000, other, leak, Position::Last).unwrap();
    let summary = |doc: &AutoCommit| RiskRegister::load(doc).unwrap().approval_summary();
    assert_eq!(summary(&doc), ApprovalSummary { approved: 0, changed: 0, awaiting: 2 });
    approve_treatment(&mut doc, 5_000, ada(), risk, "", None).unwrap();
    approve_treatment(&mut doc, 5_000, bea(), other, "", None).unwrap();
    assert_eq!(summary(&doc), ApprovalSummary { approved: 2, changed: 0, awaiting: 0 });
    edit(&mut doc, 6_000, other, RiskField::Likelihood(Some(2))).unwrap();
    assert_eq!(summary(&doc), ApprovalSummary { approved: 1, changed: 1, awaiting: 0 });
    let labels: Vec<_> = match RiskRegister::load(&doc).unwrap().approval_state(other) {
        ApprovalState::Changed { changes, .. } => changes.iter().map(|c| c.label()).collect(),
        state => panic!("expected a change, got {state:?}"),
    };
    assert_eq!(labels, ["likelihood"]);
    delete(&mut doc, 7_000, other).unwrap();
    assert_eq!(summary(&doc), ApprovalSummary { approved: 1, changed: 0, awaiting: 0 });
    assert_eq!(RiskRegister::load(&doc).unwrap().approval_state(other), ApprovalState::NotApproved);
}
