use super::*;
use crate::model::testing::{id, last_ops, one_commit, refused};
use crate::model::{Position, RiskBand, add_with_id, delete, edit, move_to, new_document};

fn register() -> AutoCommit {
    let mut doc = new_document();
    create_risk_register(&mut doc, 0).unwrap();
    doc
}

fn risk(title: &str, likelihood: u64, consequence: u64) -> Risk {
    Risk {
        title: title.into(),
        source: Some("ml-specific".into()),
        likelihood: Some(likelihood),
        consequence: Some(consequence),
        ..Risk::default()
    }
}

fn titles(doc: &AutoCommit) -> Vec<String> {
    list::<Risk>(doc).unwrap().into_iter().map(|(_, r)| r.title).collect()
}

#[test]
fn adds_edits_moves_and_deletes_risks_one_commit_each() {
    let mut doc = register();
    let (a, b, c) = (id::<RiskId>(1), id(2), id(3));
    one_commit(&mut doc, "add risk \"Drift\"", |doc| {
        add_with_id(doc, 1_000, a, risk("Drift", 2, 2), Position::Last).unwrap()
    });
    add_with_id(&mut doc, 2_000, b, risk("Bias", 4, 4), Position::Last).unwrap();
    add_with_id(&mut doc, 3_000, c, risk("Leak", 1, 1), Position::First).unwrap();
    assert_eq!(titles(&doc), ["Leak", "Drift", "Bias"]);

    one_commit(&mut doc, "move risk \"Leak\"", |doc| move_to(doc, 4_000, c, Position::After(b)).unwrap());
    assert_eq!(titles(&doc), ["Drift", "Bias", "Leak"]);
    move_to(&mut doc, 4_000, b, Position::Before(a)).unwrap();
    assert_eq!(titles(&doc), ["Bias", "Drift", "Leak"]);

    one_commit(&mut doc, "edit risk \"Bias\": likelihood", |doc| {
        edit(doc, 5_000, b, RiskField::Likelihood(Some(1))).unwrap()
    });
    // Writing one scalar field is one operation: the other fields are untouched.
    assert_eq!(last_ops(&mut doc), 1);
    one_commit(&mut doc, "edit risk \"Bias\": description", |doc| {
        edit(doc, 6_000, b, RiskField::Description("Skews outcomes".into())).unwrap()
    });
    assert_eq!(get(&doc, b).unwrap().description.as_str(), "Skews outcomes");

    one_commit(&mut doc, "delete risk \"Drift\"", |doc| delete(doc, 7_000, a).unwrap());
    assert_eq!(titles(&doc), ["Bias", "Leak"]);
}

#[test]
fn refuses_invalid_ratings_and_sources() {
    let mut doc = register();
    let a = id::<RiskId>(1);
    add_with_id(&mut doc, 0, a, risk("Drift", 2, 2), Position::Last).unwrap();
    let check = |doc: &mut AutoCommit, field: RiskField, expected: &str| {
        let error = refused(doc, |doc| edit(doc, 1_000, a, field));
        assert_eq!(error.to_string(), expected);
    };
    check(&mut doc, RiskField::Likelihood(Some(6)), "likelihood 6 is outside the scale 1 to 5");
    check(
        &mut doc,
        RiskField::ResidualConsequence(Some(0)),
        "residual consequence 0 is outside the scale 1 to 5",
    );
    check(&mut doc, RiskField::Source(Some("weather".into())), "\"weather\" is not an Annex C risk source");
    let error =
        refused(&mut doc, |doc| add_with_id(doc, 0, id::<RiskId>(2), risk("Bad", 9, 1), Position::Last));
    assert!(matches!(error, ModelError::OutOfScale { .. }));
    let error = refused(&mut doc, |doc| edit(doc, 0, id::<RiskId>(9), RiskField::Title("x".into())));
    assert!(matches!(error, ModelError::NotFound { .. }));
}

#[test]
fn levels_come_from_the_criteria_inherent_and_residual() {
    let mut doc = register();
    let a = id::<RiskId>(1);
    add_with_id(&mut doc, 0, a, risk("Drift", 4, 4), Position::Last).unwrap();
    edit(&mut doc, 0, a, RiskField::ResidualLikelihood(Some(1))).unwrap();
    let reg = RiskRegister::load(&doc).unwrap();
    let r = &reg.risks[&a];
    assert_eq!(reg.inherent_level(r).unwrap().band, "High");
    assert_eq!(reg.residual_level(r), None, "residual consequence is not rated yet");
    edit(&mut doc, 0, a, RiskField::ResidualConsequence(Some(3))).unwrap();
    let reg = RiskRegister::load(&doc).unwrap();
    assert!(reg.residual_level(&reg.risks[&a]).unwrap().acceptable);

    let strict = RiskCriteria {
        bands: vec![
            RiskBand { name: "Low".into(), min_score: 1 },
            RiskBand { name: "Intolerable".into(), min_score: 3 },
        ],
        acceptance_max_score: 2,
        ..RiskCriteria::default()
    };
    one_commit(&mut doc, "edit risk criteria", |doc| set_risk_criteria(doc, 0, &strict).unwrap());
    let reg = RiskRegister::load(&doc).unwrap();
    let residual = reg.residual_level(&reg.risks[&a]).unwrap();
    assert_eq!((residual.band.as_str(), residual.acceptable), ("Intolerable", false));
}

#[test]
fn shortening_a_scale_shows_off_scale_ratings() {
    let mut doc = register();
    let a = id::<RiskId>(1);
    add_with_id(&mut doc, 0, a, risk("Drift", 5, 2), Position::Last).unwrap();
    let mut three = RiskCriteria::default();
    three.likelihood.truncate(3);
    three.bands.truncate(3);
    set_risk_criteria(&mut doc, 0, &three).unwrap();
    let reg = RiskRegister::load(&doc).unwrap();
    assert_eq!(reg.inherent_level(&reg.risks[&a]), None);
    assert_eq!(risk_violations(&reg), [RiskViolation::OffScale { risk: a, field: "likelihood" }]);
}

#[test]
fn controls_link_and_unlink_and_actions_go_with_their_risk() {
    let mut doc = register();
    let (a, b) = (id::<RiskId>(1), id::<RiskId>(2));
    add_with_id(&mut doc, 0, a, risk("Drift", 2, 2), Position::Last).unwrap();
    add_with_id(&mut doc, 0, b, risk("Bias", 2, 2), Position::Last).unwrap();
    let control: ControlId = "A.6.2.6".parse().unwrap();
    one_commit(&mut doc, "link A.6.2.6 to risk \"Drift\"", |doc| link_control(doc, 0, a, control).unwrap());
    assert!(get(&doc, a).unwrap().controls.contains_key(&control));
    unlink_control(&mut doc, 0, a, control).unwrap();
    assert!(get(&doc, a).unwrap().controls.is_empty());

    let (x, y) = (id::<TreatmentActionId>(1), id::<TreatmentActionId>(2));
    add_with_id(&mut doc, 0, x, TreatmentAction::new(a, "Retrain monthly"), Position::Last).unwrap();
    add_with_id(&mut doc, 0, y, TreatmentAction::new(b, "Audit outcomes"), Position::Last).unwrap();
    let orphan = refused(&mut doc, |doc| {
        add_with_id(doc, 0, id::<TreatmentActionId>(3), TreatmentAction::new(id(9), "x"), Position::Last)
    });
    assert!(matches!(orphan, ModelError::NotFound { what: "risk", .. }));
    delete(&mut doc, 0, a).unwrap();
    let reg = RiskRegister::load(&doc).unwrap();
    assert_eq!(reg.actions.keys().copied().collect::<Vec<_>>(), [y]);
    assert_eq!(reg.actions_of(b).len(), 1);
    assert!(risk_violations(&reg).is_empty());
}

#[test]
fn operations_refuse_other_kinds_of_document() {
    let mut doc = new_document();
    crate::model::create_soa(&mut doc, 0).unwrap();
    let error = refused(&mut doc, |doc| {
        crate::model::add(doc, 0, crate::model::testing::random(), risk("Drift", 1, 1), Position::Last)
    });
    assert_eq!(error.to_string(), "expected a risk-register document, found kind \"soa\"");
    assert!(matches!(RiskRegister::load(&doc), Err(ModelError::WrongKind { .. })));
    assert!(matches!(create_risk_register(&mut doc, 0), Err(ModelError::AlreadyCreated)));
}
