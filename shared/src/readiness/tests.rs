//! Readiness read from real documents built through the domain operations.

use automerge::AutoCommit;

use super::*;
use crate::model::{
    self, AiObjective, AiSystem, ControlId, ImplementationStatus, MemberId, Position, Risk, RiskField,
    Treatment, TreatmentAction, TreatmentActionField,
};

const NOW: i64 = 1_700_000_000_000;

fn member() -> MemberId {
    MemberId::from_bytes([7; 16])
}

fn control(id: &str) -> ControlId {
    id.parse().unwrap()
}

/// A workspace in which everything clause 6 asks for is done: criteria, a rated and treated
/// risk whose owner approved its treatment, a fully decided SoA, an approved impact assessment of the one system in scope, and an
/// objective with measure, target, owner and due date.
struct Clause6 {
    inventory: AutoCommit,
    risks: AutoCommit,
    soa: AutoCommit,
    assessment: AutoCommit,
    objectives: AutoCommit,
}

impl Clause6 {
    fn new() -> Self {
        let mut inventory = model::new_document();
        model::create_inventory(&mut inventory, NOW).unwrap();
        let system = model::add(
            &mut inventory,
            NOW,
            AiSystem {
                name: "CV screening".into(),
                in_scope: true,
                owner: Some(member()),
                ..Default::default()
            },
            Position::Last,
        )
        .unwrap();

        let mut risks = model::new_document();
        model::create_risk_register(&mut risks, NOW).unwrap();
        let risk = model::add(
            &mut risks,
            NOW,
            Risk { title: "Biased ranking".into(), ..Default::default() },
            Position::Last,
        )
        .unwrap();
        for field in [
            RiskField::Likelihood(Some(4)),
            RiskField::Consequence(Some(5)),
            RiskField::Owner(Some(member())),
            RiskField::Treatment(Treatment::Modify),
            RiskField::ResidualLikelihood(Some(2)),
            RiskField::ResidualConsequence(Some(3)),
        ] {
            model::edit(&mut risks, NOW, risk, field).unwrap();
        }
        model::link_control(&mut risks, NOW, risk, control("A.7.4")).unwrap();
        let action =
            model::add(&mut risks, NOW, TreatmentAction::new(risk, "Bias test each release"), Position::Last)
                .unwrap();
        model::edit(&mut risks, NOW, action, TreatmentActionField::Owner(Some(member()))).unwrap();
        model::edit(&mut risks, NOW, action, TreatmentActionField::Due(Some("2027-03-01".parse().unwrap())))
            .unwrap();
        model::approve_treatment(&mut risks, NOW, member(), risk, "Residual risk accepted").unwrap();

        let mut soa = model::new_document();
        model::create_soa(&mut soa, NOW).unwrap();
        for c in crate::catalog::controls() {
            model::edit_justification(&mut soa, NOW, control(c.id), "Needed for our hiring systems".into())
                .unwrap();
        }
        model::exclude_control(&mut soa, NOW, control("A.10.4"), "We have no customers of our AI").unwrap();

        let mut assessment = model::new_document();
        model::create_impact_assessment(&mut assessment, NOW, "CV screening", Some(system)).unwrap();
        model::submit_for_review(&mut assessment, NOW).unwrap();
        model::approve_assessment(&mut assessment, NOW, member(), "").unwrap();

        let mut objectives = model::new_document();
        model::create_objectives(&mut objectives, NOW).unwrap();
        let objective = AiObjective {
            title: "Fair shortlists".into(),
            measure: "Selection-rate ratio".into(),
            target: "At least 0.8".into(),
            owner: Some(member()),
            due: Some("2027-06-30".parse().unwrap()),
            ..Default::default()
        };
        model::add(&mut objectives, NOW, objective, Position::Last).unwrap();

        Self { inventory, risks, soa, assessment, objectives }
    }

    fn evidence(&self) -> Evidence {
        Evidence {
            inventory: Some(model::Inventory::load(&self.inventory).unwrap()),
            risks: Some(model::RiskRegister::load(&self.risks).unwrap()),
            soa: Some(model::StatementOfApplicability::load(&self.soa).unwrap()),
            assessments: vec![model::ImpactAssessment::load(&self.assessment).unwrap()],
            objectives: Some(model::Objectives::load(&self.objectives).unwrap()),
            ..Evidence::default()
        }
    }
}

/// Asserts which checks of `clause` fail, by label.
fn check_gaps(readiness: &Readiness, clause: &str, expected: &[&str]) {
    let prefix = format!("{clause}.");
    let gaps: Vec<_> = readiness
        .gaps()
        .filter(|c| c.clause == clause || c.clause.starts_with(&prefix))
        .map(|c| c.label)
        .collect();
    assert_eq!(gaps, expected, "gaps under clause {clause}");
}

#[test]
fn every_check_names_a_requirement_clause_of_the_catalog() {
    for clause in checks::clauses() {
        assert!(crate::catalog::clause(clause).is_some(), "{clause} is not a clause");
    }
    let checked: std::collections::BTreeSet<_> = checks::clauses().collect();
    for clause in
        crate::catalog::clauses().iter().filter(|c| crate::catalog::sub_clauses(c.id).next().is_none())
    {
        assert!(checked.contains(clause.id), "clause {} has no check", clause.id);
    }
}

#[test]
fn a_new_workspace_has_everything_left_to_do() {
    let readiness = assess(&Evidence::default());
    for (clause, progress) in readiness.by_clause() {
        // Planned changes (6.3) and nonconformities (10.2) are conditional: none is a fine answer.
        let conditional = match clause.id {
            "6" | "10" => 1,
            _ => 0,
        };
        assert_eq!(progress.met, conditional, "clause {}", clause.id);
        assert!(progress.total > 0);
    }
    assert_eq!(readiness.controls.len(), 38);
    assert!(readiness.controls.iter().all(|c| c.state == ControlState::Undecided && !c.is_done()));
    assert!(readiness.by_objective().iter().all(|(_, p)| p.met == 0 && p.total > 0));
}

#[test]
fn clause_6_is_complete_when_risks_soa_assessment_and_objectives_are_done() {
    let workspace = Clause6::new();
    let readiness = assess(&workspace.evidence());
    check_gaps(&readiness, "6", &[]);
    assert!(readiness.clause("6").is_complete());
    assert!(readiness.clause("6.1").is_complete());
    check_gaps(&readiness, "8", &[]);
    check_gaps(
        &readiness,
        "5.2",
        &[
            "The AI policy is written",
            "A version of the AI policy is approved",
            "The AI policy has a review date",
        ],
    );
}

#[test]
fn each_missing_piece_of_clause_6_is_named() {
    type Break = fn(&mut Clause6);
    let cases: &[(Break, &[&str])] = &[
        (
            |w| model::edit_justification(&mut w.soa, NOW, control("A.6.2.4"), "".into()).unwrap(),
            &["Every Annex A control is decided and justified in the SoA"],
        ),
        (
            |w| {
                let (risk, _) = model::list::<Risk>(&w.risks).unwrap().remove(0);
                model::edit(&mut w.risks, NOW, risk, RiskField::Treatment(Treatment::Undecided)).unwrap();
            },
            // Undecided is no treatment, so the high risk is untreated too, and the approved
            // plan has changed.
            &[
                "Every risk has a treatment chosen",
                "Risks above the acceptance threshold are treated with Annex A controls",
                "Every risk's treatment plan is approved by its owner",
            ],
        ),
        (
            |w| {
                let (risk, _) = model::list::<Risk>(&w.risks).unwrap().remove(0);
                model::unlink_control(&mut w.risks, NOW, risk, control("A.7.4")).unwrap();
            },
            &[
                "Risks above the acceptance threshold are treated with Annex A controls",
                "Every risk's treatment plan is approved by its owner",
            ],
        ),
        (
            // Re-rating a risk after its approval voids the approval until it is approved again.
            |w| {
                let (risk, _) = model::list::<Risk>(&w.risks).unwrap().remove(0);
                model::edit(&mut w.risks, NOW, risk, RiskField::Likelihood(Some(5))).unwrap();
            },
            &["Every risk's treatment plan is approved by its owner"],
        ),
        (
            |w| {
                let (risk, _) = model::list::<Risk>(&w.risks).unwrap().remove(0);
                model::edit(&mut w.risks, NOW, risk, RiskField::Likelihood(Some(5))).unwrap();
                model::approve_treatment(&mut w.risks, NOW, member(), risk, "").unwrap();
            },
            &[],
        ),
        (
            // A second risk nobody approved yet.
            |w| {
                let other = Risk {
                    title: "Leaked prompts".into(),
                    likelihood: Some(1),
                    consequence: Some(1),
                    owner: Some(member()),
                    treatment: Treatment::Retain,
                    ..Default::default()
                };
                model::add(&mut w.risks, NOW, other, Position::Last).unwrap();
            },
            &["Every risk's treatment plan is approved by its owner"],
        ),
        (
            // A draft assessment still counts as existing for 6.1.4; 8.4 wants it approved.
            |w| model::return_to_draft(&mut w.assessment, NOW).unwrap(),
            &[],
        ),
        (
            |w| {
                let (id, _) = model::list::<AiObjective>(&w.objectives).unwrap().remove(0);
                model::edit(&mut w.objectives, NOW, id, model::ObjectiveField::Owner(None)).unwrap();
            },
            &["AI objectives have a measure, a target, an owner and a due date"],
        ),
    ];
    for (break_it, gaps) in cases {
        let mut workspace = Clause6::new();
        break_it(&mut workspace);
        check_gaps(&assess(&workspace.evidence()), "6", gaps);
    }
    let mut workspace = Clause6::new();
    model::return_to_draft(&mut workspace.assessment, NOW).unwrap();
    check_gaps(&assess(&workspace.evidence()), "8.4", &["An impact assessment is approved"]);
}

#[test]
fn a_control_is_done_when_excluded_with_a_reason_or_implemented_with_evidence() {
    let mut workspace = Clause6::new();
    let a_2_2 = control("A.2.2");
    model::set_implementation_status(&mut workspace.soa, NOW, a_2_2, ImplementationStatus::Implemented)
        .unwrap();
    let find = |r: &Readiness, id: &str| r.controls.iter().find(|c| c.control.id == id).cloned().unwrap();

    let readiness = assess(&workspace.evidence());
    assert!(find(&readiness, "A.10.4").is_done(), "excluded with a justification");
    let a22 = find(&readiness, "A.2.2");
    assert_eq!(a22.state, ControlState::Applicable(ImplementationStatus::Implemented));
    assert!(!a22.is_done());
    assert_eq!(a22.gaps(), ["Link evidence of its implementation"]);
    assert_eq!(
        find(&readiness, "A.3.2").gaps(),
        ["Finish implementing it", "Link evidence of its implementation"]
    );

    model::add(
        &mut workspace.soa,
        NOW,
        model::Evidence::new(a_2_2, "Signed policy", "https://intranet/ai-policy"),
        Position::Last,
    )
    .unwrap();
    let readiness = assess(&workspace.evidence());
    assert!(find(&readiness, "A.2.2").is_done());
    let a2 = readiness.by_objective().into_iter().find(|(o, _)| o.id == "A.2").unwrap().1;
    assert_eq!((a2.met, a2.total), (1, 3));
    assert_eq!(readiness.overall().total, readiness.checks.len() + 38);
}
