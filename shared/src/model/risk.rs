//! The AI risk register (ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3): risks with their Annex C
//! source, affected AI system, rating, owner, treatment, linked Annex A controls and residual
//! rating, and the actions that treat them. The register's document also holds the risk
//! criteria, so a risk's level always comes from the criteria it was merged with. Each risk's
//! owner approves its treatment plan and accepts its residual risk ([`approve_treatment`]); an
//! approval shows which of the risk's fields changed since ([`RiskRegister::approval_state`]).
//!
//! ```
//! use quorum_shared::model::{self, Position, Risk, RiskRegister};
//!
//! let mut doc = model::new_document();
//! model::create_risk_register(&mut doc, 0).unwrap();
//! let risk = Risk {
//!     title: "Model drift".into(),
//!     source: Some("ml-specific".into()),
//!     likelihood: Some(3),
//!     consequence: Some(4),
//!     ..Risk::default()
//! };
//! let id = model::add(&mut doc, 1_000, [1; 16], risk, Position::Last).unwrap();
//! model::link_control(&mut doc, 2_000, id, "A.6.2.6".parse().unwrap()).unwrap();
//! let register = RiskRegister::load(&doc).unwrap();
//! assert_eq!(register.inherent_level(&register.risks[&id]).unwrap().band, "High");
//! ```

use std::collections::BTreeMap;

use automerge::{AutoCommit, ROOT, transaction::Transactable};
use autosurgeon::{Hydrate, Reconcile, Text, reconcile_prop};

use super::document::{artifact, change, create, entry, object};
use super::register::{Record, get, list, record, record_fields};
use super::{
    ControlId, Date, DocumentKind, MemberId, ModelError, Rank, RiskCriteria, RiskId, RiskLevel, SystemId,
    TextEdit, TreatmentActionId,
};
use crate::catalog;

/// The risk register document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct RiskRegister {
    #[autosurgeon(with = "crate::model::risk_criteria::read_checked")]
    pub criteria: RiskCriteria,
    #[autosurgeon(with = "crate::model::records")]
    pub risks: BTreeMap<RiskId, Risk>,
    /// Treatment actions, each pointing at its risk (see [`Record::dependants`]).
    #[autosurgeon(with = "crate::model::records")]
    pub actions: BTreeMap<TreatmentActionId, TreatmentAction>,
}

artifact!(RiskRegister, RiskRegister);

/// An identified AI risk.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Risk {
    pub rank: Rank,
    pub title: String,
    /// The Annex C risk source's key, such as `ml-specific`.
    pub source: Option<String>,
    /// The AI system the risk affects, from the inventory.
    pub system: Option<SystemId>,
    pub description: Text,
    pub likelihood: Option<u64>,
    pub consequence: Option<u64>,
    pub owner: Option<MemberId>,
    pub treatment: Treatment,
    /// Annex A controls that treat the risk, as a set (values are always `true`): a map lets
    /// two people link different controls at once and keep both.
    #[autosurgeon(with = "crate::model::records")]
    pub controls: BTreeMap<ControlId, bool>,
    pub residual_likelihood: Option<u64>,
    pub residual_consequence: Option<u64>,
    /// The owner's approval of the treatment plan, written only by [`approve_treatment`];
    /// risks made before there were approvals have none.
    #[autosurgeon(missing = "Option::default")]
    pub approval: Option<TreatmentApproval>,
}

/// How a risk is treated (ISO 31000's options).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum Treatment {
    #[default]
    #[autosurgeon(rename = "undecided")]
    Undecided,
    /// Change the likelihood or the consequence, usually with controls.
    #[autosurgeon(rename = "modify")]
    Modify,
    #[autosurgeon(rename = "avoid")]
    Avoid,
    /// Share or transfer it, by contract or insurance.
    #[autosurgeon(rename = "share")]
    Share,
    /// Retain (accept) it, knowingly.
    #[autosurgeon(rename = "retain")]
    Retain,
}

impl Treatment {
    /// As people read it, in the middle of a sentence or in a register's cell.
    pub fn label(self) -> &'static str {
        match self {
            Self::Undecided => "undecided",
            Self::Modify => "modify",
            Self::Avoid => "avoid",
            Self::Share => "share",
            Self::Retain => "retain",
        }
    }
}

record_fields! {
    /// A field of a [`Risk`], for [`edit`](super::edit).
    pub enum RiskField for Risk {
        Title(String) => scalar title,
        Source(Option<String>) => scalar source,
        System(Option<SystemId>) => scalar system,
        Description(TextEdit) => text description,
        Likelihood(Option<u64>) => scalar likelihood,
        Consequence(Option<u64>) => scalar consequence,
        Owner(Option<MemberId>) => scalar owner,
        Treatment(Treatment) => scalar treatment,
        ResidualLikelihood(Option<u64>) => scalar residual_likelihood,
        ResidualConsequence(Option<u64>) => scalar residual_consequence,
    }
}

record! {
    Risk {
        id: RiskId,
        field: RiskField,
        kind: RiskRegister,
        register: "risks",
        noun: "risk",
        label: |risk| risk.title.clone(),
    }
    {
        fn check(&self, doc: &AutoCommit) -> Result<(), ModelError> {
            check_source(self.source.as_deref())?;
            let criteria = criteria(doc)?;
            criteria.check("likelihood", self.likelihood)?;
            criteria.check("consequence", self.consequence)?;
            criteria.check("residual likelihood", self.residual_likelihood)?;
            criteria.check("residual consequence", self.residual_consequence)
        }

        fn check_field(field: &RiskField, doc: &AutoCommit) -> Result<(), ModelError> {
            let (scale, value) = match field {
                RiskField::Source(source) => return check_source(source.as_deref()),
                RiskField::Likelihood(v) => ("likelihood", v),
                RiskField::Consequence(v) => ("consequence", v),
                RiskField::ResidualLikelihood(v) => ("residual likelihood", v),
                RiskField::ResidualConsequence(v) => ("residual consequence", v),
                _ => return Ok(()),
            };
            criteria(doc)?.check(scale, *value)
        }

        fn dependants(doc: &AutoCommit, id: RiskId) -> Result<Vec<(&'static str, String)>, ModelError> {
            Ok(list::<TreatmentAction>(doc)?
                .into_iter()
                .filter(|(_, action)| action.risk == id)
                .map(|(action, _)| ("actions", action.to_string()))
                .collect())
        }
    }
}

/// An action that carries out a risk's treatment.
#[derive(Clone, PartialEq, Debug, Reconcile, Hydrate)]
pub struct TreatmentAction {
    pub rank: Rank,
    pub risk: RiskId,
    pub title: String,
    pub owner: Option<MemberId>,
    pub due: Option<Date>,
    pub done: bool,
}

impl TreatmentAction {
    pub fn new(risk: RiskId, title: &str) -> Self {
        Self { rank: Rank::default(), risk, title: title.to_string(), owner: None, due: None, done: false }
    }
}

record_fields! {
    /// A field of a [`TreatmentAction`].
    pub enum TreatmentActionField for TreatmentAction {
        Title(String) => scalar title,
        Owner(Option<MemberId>) => scalar owner,
        Due(Option<Date>) => scalar due,
        Done(bool) => scalar done,
    }
}

record! {
    TreatmentAction {
        id: TreatmentActionId,
        field: TreatmentActionField,
        kind: RiskRegister,
        register: "actions",
        noun: "treatment action",
        label: |action| action.title.clone(),
    }
    {
        fn check(&self, doc: &AutoCommit) -> Result<(), ModelError> {
            get(doc, self.risk).map(|_| ())
        }
    }
}

/// Something wrong in the register that concurrent edits can cause.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum RiskViolation {
    /// A rating is off its scale, as after a merge with a shortened scale.
    OffScale { risk: RiskId, field: &'static str },
    /// The risk source is not an Annex C risk source.
    UnknownSource { risk: RiskId },
    /// A treatment action whose risk was deleted while the action was added.
    OrphanAction { action: TreatmentActionId },
}

impl RiskRegister {
    /// The risk's level before treatment; `None` until rated.
    pub fn inherent_level(&self, risk: &Risk) -> Option<RiskLevel> {
        self.criteria.level_of(risk.likelihood, risk.consequence)
    }

    /// The risk's level after treatment; `None` until rated.
    pub fn residual_level(&self, risk: &Risk) -> Option<RiskLevel> {
        self.criteria.level_of(risk.residual_likelihood, risk.residual_consequence)
    }

    /// The risks in register order.
    pub fn risks_in_order(&self) -> Vec<(RiskId, &Risk)> {
        let mut risks: Vec<_> = self.risks.iter().map(|(id, r)| (*id, r)).collect();
        crate::order::sort_by(&mut risks, |(a_id, a), (b_id, b)| a.rank.cmp(&b.rank).then(a_id.cmp(b_id)));
        risks
    }

    /// The treatment actions of one risk, in order.
    pub fn actions_of(&self, risk: RiskId) -> Vec<(TreatmentActionId, &TreatmentAction)> {
        let mut actions: Vec<_> =
            self.actions.iter().filter(|(_, a)| a.risk == risk).map(|(id, a)| (*id, a)).collect();
        crate::order::sort_by(&mut actions, |(a_id, a), (b_id, b)| a.rank.cmp(&b.rank).then(a_id.cmp(b_id)));
        actions
    }
}

/// Creates the register with the default 5 × 5 criteria.
pub fn create_risk_register(doc: &mut AutoCommit, now_ms: i64) -> Result<(), ModelError> {
    create(doc, now_ms, &RiskRegister::default(), "create risk register")
}

/// Replaces the risk criteria; only the values that differ are written.
pub fn set_risk_criteria(
    doc: &mut AutoCommit,
    now_ms: i64,
    criteria: &RiskCriteria,
) -> Result<(), ModelError> {
    super::check_kind(doc, DocumentKind::RiskRegister)?;
    criteria.validate()?;
    change(doc, now_ms, "edit risk criteria", |doc| Ok(reconcile_prop(doc, ROOT, "criteria", criteria)?))
}

/// Links an Annex A control to a risk as part of its treatment.
pub fn link_control(
    doc: &mut AutoCommit,
    now_ms: i64,
    risk: RiskId,
    control: ControlId,
) -> Result<(), ModelError> {
    let (controls, label) = controls_of(doc, risk)?;
    let message = format!("link {control} to risk {label:?}");
    change(doc, now_ms, message, |doc| Ok(doc.put(&controls, control.as_str(), true)?))
}

/// Unlinks an Annex A control from a risk.
pub fn unlink_control(
    doc: &mut AutoCommit,
    now_ms: i64,
    risk: RiskId,
    control: ControlId,
) -> Result<(), ModelError> {
    let (controls, label) = controls_of(doc, risk)?;
    let message = format!("unlink {control} from risk {label:?}");
    change(doc, now_ms, message, |doc| Ok(doc.delete(&controls, control.as_str())?))
}

/// Breaks of the register's invariants that concurrent edits can cause.
pub fn risk_violations(register: &RiskRegister) -> Vec<RiskViolation> {
    let mut violations = Vec::new();
    for (id, risk) in register.risks_in_order() {
        if check_source(risk.source.as_deref()).is_err() {
            violations.push(RiskViolation::UnknownSource { risk: id });
        }
        let ratings = [
            ("likelihood", risk.likelihood),
            ("consequence", risk.consequence),
            ("residual likelihood", risk.residual_likelihood),
            ("residual consequence", risk.residual_consequence),
        ];
        for (field, value) in ratings {
            if register.criteria.check(field, value).is_err() {
                violations.push(RiskViolation::OffScale { risk: id, field });
            }
        }
    }
    for (id, action) in &register.actions {
        if !register.risks.contains_key(&action.risk) {
            violations.push(RiskViolation::OrphanAction { action: *id });
        }
    }
    violations
}

fn check_source(source: Option<&str>) -> Result<(), ModelError> {
    match source {
        Some(key) if catalog::risk_source(key).is_none() => {
            Err(ModelError::UnknownRiskSource(key.to_string()))
        }
        _ => Ok(()),
    }
}

fn criteria(doc: &AutoCommit) -> Result<RiskCriteria, ModelError> {
    Ok(super::risk_criteria::read_checked::hydrate(doc, &ROOT, "criteria".into())?)
}

fn controls_of(doc: &AutoCommit, risk: RiskId) -> Result<(automerge::ObjId, String), ModelError> {
    let record = get(doc, risk)?;
    let risks = object(doc, &ROOT, Risk::REGISTER)?;
    let obj = entry(doc, &risks, risk.to_string(), Risk::NOUN)?;
    Ok((object(doc, &obj, "controls")?, record.title))
}

mod treatment;

pub use treatment::*;

#[cfg(test)]
mod tests;
