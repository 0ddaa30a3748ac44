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
            crate::model::testing::random(),
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
            crate::model::testing::random(),
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
        let action = model::add(
            &mut risks,
            NOW,
            crate::model::testing::random(),
            TreatmentAction::new(risk, "Bias test each release"),
            Position::Last,
        )
        .unwrap();
        model::edit(&mut risks, NOW, action, TreatmentActionField::Owner(Some(member()))).unwrap();
        model::edit(&mut risks, NOW, action, TreatmentActionField::Due(Some("2027-03-01".parse().unwrap())))
            .unwrap();
        model::approve_treatment(&mut risks, NOW, member(), risk, "Residual risk accepted", None).unwrap();

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
        model::approve_assessment(&mut assessment, NOW, member(), "", None).unwrap();

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
        model::add(&mut objectives, NOW, crate::model::testing::random(), objective, Position::Last).unwrap();

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
                model::approve_treatment(&mut w.risks, NOW, member(), risk, "", None).unwrap();
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
                model::add(&mut w.risks, NOW, crate::model::testing::random(), other, Position::Last)
                    .unwrap();
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
        crate::model::testing::random(),
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

/// The labels of the failing checks of 7.1 to 7.4.
fn support_gaps(evidence: &Evidence) -> Vec<&'static str> {
    let readiness = assess(evidence);
    readiness.gaps().filter(|c| ["7.1", "7.2", "7.3", "7.4"].contains(&c.clause)).map(|c| c.clause).collect()
}

#[test]
fn clauses_7_1_to_7_4_need_providers_trained_holders_acknowledgements_and_a_full_plan_line() {
    use crate::model::{AimsRole, Communication, CommunicationField, Competence, Resource, TrainingRecord};

    let mut root = model::new_document();
    let ada = model::create_workspace(
        &mut root,
        NOW,
        crate::model::testing::random(),
        "Acme",
        "Ada",
        &automerge::ActorId::random(),
    )
    .unwrap();
    let mut policy = model::new_document();
    model::create_policy(&mut policy, NOW, "AI policy", "We use AI responsibly.").unwrap();
    let v1 = model::propose_policy_version(&mut policy, NOW, crate::model::testing::random(), ada, "First")
        .unwrap();
    model::approve_policy_version(&mut policy, NOW, ada, v1, "", None).unwrap();
    let mut support = model::new_document();
    model::create_support(&mut support, NOW).unwrap();
    let today: model::Date = "2026-06-01".parse().unwrap();
    let evidence = |support: &AutoCommit, policy: &AutoCommit| Evidence {
        support: Some(model::Support::load(support).unwrap()),
        policy: Some(model::AiPolicy::load(policy).unwrap()),
        workspace: Some(model::Workspace::load(&root).unwrap()),
        today: Some(today),
        ..Evidence::default()
    };
    assert_eq!(support_gaps(&evidence(&support, &policy)), ["7.1", "7.2", "7.3", "7.4"]);

    // 7.1: a resource counts once someone is named as providing it.
    let resource = model::add(
        &mut support,
        NOW,
        crate::model::testing::random(),
        Resource { name: "GPUs".into(), ..Default::default() },
        Position::Last,
    )
    .unwrap();
    assert!(support_gaps(&evidence(&support, &policy)).contains(&"7.1"));
    model::edit(&mut support, NOW, resource, model::ResourceField::Provider("Cloud vendor".into())).unwrap();

    // 7.2: a role needing a competence, held by Ada: a gap until her record, again once expired.
    let risk = model::add(
        &mut support,
        NOW,
        crate::model::testing::random(),
        Competence { name: "AI risk".into(), ..Default::default() },
        Position::Last,
    )
    .unwrap();
    let lead = model::add(
        &mut support,
        NOW,
        crate::model::testing::random(),
        AimsRole { name: "Lead".into(), ..Default::default() },
        Position::Last,
    )
    .unwrap();
    model::set_role_requirement(&mut support, NOW, lead, risk, true).unwrap();
    model::set_role_holder(&mut support, NOW, lead, ada, true).unwrap();
    assert!(support_gaps(&evidence(&support, &policy)).contains(&"7.2"));
    let record = TrainingRecord {
        member: Some(ada),
        competence: Some(risk),
        expires_on: Some("2026-05-31".parse().unwrap()),
        ..Default::default()
    };
    let record =
        model::add(&mut support, NOW, crate::model::testing::random(), record, Position::Last).unwrap();
    assert!(support_gaps(&evidence(&support, &policy)).contains(&"7.2"), "expired the day before");
    model::edit(&mut support, NOW, record, model::TrainingField::ExpiresOn(Some(today))).unwrap();

    // 7.3: Ada acknowledges version 1; a newly approved version 2 asks again.
    let heads = model::AiPolicy::load(&policy).unwrap().versions[&v1].heads.clone();
    model::acknowledge_policy(&mut support, NOW, ada, v1, 1, heads).unwrap();

    // 7.4: a line with what, with whom, how and who.
    let line = Communication {
        what: "Policy changes".into(),
        with_whom: "Staff".into(),
        how: "Email".into(),
        ..Default::default()
    };
    let line = model::add(&mut support, NOW, crate::model::testing::random(), line, Position::Last).unwrap();
    assert_eq!(support_gaps(&evidence(&support, &policy)), ["7.4"]);
    model::edit(&mut support, NOW, line, CommunicationField::Who(Some(ada))).unwrap();
    assert!(support_gaps(&evidence(&support, &policy)).is_empty());

    model::edit_policy_text(&mut policy, NOW, "We use AI responsibly and lawfully.".into()).unwrap();
    let v2 =
        model::propose_policy_version(&mut policy, NOW + 1, crate::model::testing::random(), ada, "Second")
            .unwrap();
    model::approve_policy_version(&mut policy, NOW + 1, ada, v2, "", None).unwrap();
    assert_eq!(support_gaps(&evidence(&support, &policy)), ["7.3"]);
}

#[test]
fn clause_7_5_asks_every_listed_document_to_be_owned_approved_kept_and_reviewed_in_time() {
    use crate::model::{
        ArtifactControlField as F, ArtifactFacts, DocumentEntry, DocumentId, DocumentedInformationRegister,
        OwnApproval,
    };
    let policy = DocumentId::from_bytes([1; 16]);
    let risks = DocumentId::from_bytes([2; 16]);
    let entry = |kind, title: &str| DocumentEntry { kind, title: title.into(), created_at_ms: 0 };
    let mut register = model::new_document();
    model::create_documented_information(&mut register, NOW).unwrap();
    let evidence = |register: &AutoCommit, policy_approved: bool| Evidence {
        documented: Some(DocumentedInformationRegister::load(register).unwrap()),
        workspace: Some(Workspace {
            documents: [
                (policy, entry(DocumentKind::Policy, "AI policy")),
                (risks, entry(DocumentKind::RiskRegister, "Risks")),
            ]
            .into(),
            ..Workspace::default()
        }),
        artifact_facts: [(
            policy,
            ArtifactFacts {
                own_approval: Some(OwnApproval { approved: policy_approved, state: String::new() }),
                ..Default::default()
            },
        )]
        .into(),
        today: Some("2027-03-01".parse().unwrap()),
        ..Evidence::default()
    };
    let all = [
        "Every registered document has an owner and an approval",
        "Every registered document says where it is kept and for how long",
    ];
    check_gaps(&assess(&evidence(&register, true)), "7.5", &all);
    check_gaps(
        &assess(&Evidence::default()),
        "7.5",
        &[
            "Documented information is registered",
            all[0],
            "No registered document is past its review date",
            all[1],
        ],
    );
    for doc in [policy, risks] {
        for field in [
            F::Owner(Some(member())),
            F::Location("Quorum".into()),
            F::Retention("Five years".into()),
            F::ReviewOn(Some("2027-09-01".parse().unwrap())),
        ] {
            model::set_artifact_control(&mut register, NOW, doc, "AI policy", field).unwrap();
        }
    }
    check_gaps(&assess(&evidence(&register, true)), "7.5", &[all[0]]);
    model::set_artifact_control(&mut register, NOW, risks, "AI policy", F::ApprovedBy(Some(member())))
        .unwrap();
    check_gaps(&assess(&evidence(&register, true)), "7.5", &[]);
    check_gaps(&assess(&evidence(&register, false)), "7.5", &[all[0]]);
    model::set_artifact_control(
        &mut register,
        NOW,
        risks,
        "AI policy",
        F::ReviewOn(Some("2027-02-01".parse().unwrap())),
    )
    .unwrap();
    check_gaps(
        &assess(&evidence(&register, true)),
        "7.5",
        &["No registered document is past its review date"],
    );
}

#[test]
fn clause_9_1_needs_every_indicator_read_on_time() {
    use model::{Frequency, Indicator, Monitoring, Reading};
    const MEASURED: &str = "Every indicator has been measured and none is overdue for its next reading";
    let date = |s: &str| s.parse::<model::Date>().unwrap();
    // (readings of a monthly indicator, today, met)
    let cases: [(&[&str], Option<&str>, bool); 5] = [
        (&[], Some("2025-03-15"), false),
        (&["2025-03-01"], Some("2025-03-15"), true),
        (&["2025-01-01", "2025-02-14"], Some("2025-03-15"), false),
        (&["2025-02-15"], Some("2025-03-15"), true),
        (&["2025-03-01"], None, false),
    ];
    for (readings, today, met) in cases {
        let mut doc = model::new_document();
        model::create_monitoring(&mut doc, NOW).unwrap();
        let indicator =
            Indicator { name: "Drift".into(), frequency: Frequency::Monthly, ..Default::default() };
        let id =
            model::add(&mut doc, NOW, crate::model::testing::random(), indicator, Position::Last).unwrap();
        for day in readings {
            model::add(
                &mut doc,
                NOW,
                crate::model::testing::random(),
                Reading::new(id, date(day), 1.0),
                Position::Last,
            )
            .unwrap();
        }
        let evidence = Evidence {
            monitoring: Some(Monitoring::load(&doc).unwrap()),
            today: today.map(date),
            ..Evidence::default()
        };
        let expected: &[&str] = if met { &[] } else { &[MEASURED] };
        check_gaps(&assess(&evidence), "9.1", expected);
    }
    let empty = Evidence { today: Some(date("2025-03-15")), ..Evidence::default() };
    check_gaps(&assess(&empty), "9.1", &[MEASURED]);
}

/// Clause 9.2: a programme covering every clause and applicable control, and a closed audit
/// whose nonconformity is in the register; each missing piece is named.
#[test]
fn clause_9_2_needs_full_coverage_and_a_closed_audit_with_its_nonconformities_recorded() {
    use model::{AuditItem, AuditProgramme, Finding, FindingField, FindingKind, InternalAudit, PlannedAudit};

    let soa = Clause6::new().evidence().soa;
    let applicable = AuditItem::applicable_controls(soa.as_ref());
    let mut programme = model::new_document();
    model::create_audit_programme(&mut programme, NOW).unwrap();
    let plan = model::add(
        &mut programme,
        NOW,
        crate::model::testing::random(),
        PlannedAudit { title: "Year 1".into(), ..Default::default() },
        Position::Last,
    )
    .unwrap();
    let clauses: Vec<AuditItem> = AuditItem::clauses().collect();
    model::set_planned_scope(&mut programme, NOW, plan, &clauses[..6], true).unwrap();

    let mut audit = model::new_document();
    let scope = [AuditItem::Clause("8")];
    model::create_audit(&mut audit, NOW, InternalAudit::new("Operation", scope)).unwrap();
    model::set_verdict(&mut audit, NOW, scope[0], Some(model::Verdict::MinorNonconformity)).unwrap();
    let finding =
        Finding { kind: FindingKind::MinorNonconformity, summary: "No owner".into(), ..Default::default() };
    let finding =
        model::add(&mut audit, NOW, crate::model::testing::random(), finding, Position::Last).unwrap();
    let mut improvement = model::new_document();
    model::create_improvement(&mut improvement, NOW).unwrap();

    let evidence = |programme: &AutoCommit, audit: &AutoCommit, improvement: &AutoCommit| Evidence {
        soa: soa.clone(),
        audit_programme: Some(AuditProgramme::load(programme).unwrap()),
        audits: vec![InternalAudit::load(audit).unwrap()],
        improvement: Some(model::Improvement::load(improvement).unwrap()),
        ..Evidence::default()
    };
    let all = [
        "An internal audit has been held, concluded and closed",
        "Every nonconformity a closed audit found is in the nonconformity register",
        "The audit programme's planned audits cover every clause 4 to 10",
        "The planned audits cover every applicable Annex A control",
    ];
    check_gaps(&assess(&evidence(&programme, &audit, &improvement)), "9.2", &all);

    model::set_planned_scope(&mut programme, NOW, plan, &clauses[6..], true).unwrap();
    model::set_planned_scope(&mut programme, NOW, plan, &applicable, true).unwrap();
    model::edit_audit(&mut audit, NOW, model::AuditField::Conclusion("Effective".into())).unwrap();
    model::close_audit(&mut audit, NOW, "2026-03-04".parse().unwrap()).unwrap();
    check_gaps(&assess(&evidence(&programme, &audit, &improvement)), "9.2", &all[1..2]);

    let audit_id = model::DocumentId::from_bytes([9; 16]);
    let loaded = InternalAudit::load(&audit).unwrap();
    let record = model::nonconformity_of_finding(audit_id, finding, &loaded.findings[&finding], None);
    let nc =
        model::add(&mut improvement, NOW, crate::model::testing::random(), record, Position::Last).unwrap();
    model::edit(&mut audit, NOW, finding, FindingField::Nonconformity(Some(nc))).unwrap();
    check_gaps(&assess(&evidence(&programme, &audit, &improvement)), "9.2", &[]);

    // An applicable control that no planned audit covers is named.
    let last = *applicable.last().unwrap();
    model::set_planned_scope(&mut programme, NOW, plan, &[last], false).unwrap();
    check_gaps(&assess(&evidence(&programme, &audit, &improvement)), "9.2", &all[3..]);
}
