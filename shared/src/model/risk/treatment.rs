//! Approval of a risk's treatment plan (ISO/IEC 42001 6.1.3): the risk owner signs off the
//! treatment, its controls and actions, and accepts the residual risk.
//!
//! An approval is a field of the risk it approves, so approvals of different risks made at the
//! same time merge, and a second approval of the same risk replaces the first (it is written as
//! a new object, so two concurrent approvals of one risk never mix their fields: one wins
//! whole). Like the policy's and the impact assessments' approvals it stores the register's
//! heads, so the risk stays readable exactly as approved with [`at_heads`](crate::model::at_heads).
//!
//! It also stores a [`TreatmentPlan`], the approved values of the fields the approval covers.
//! That copy is what lets "changed since approval" be a pure function of the hydrated register
//! ([`RiskRegister::approval_state`]), which the page and the readiness check both need: they
//! hold the struct, not the document's history. The copy is taken from the very state the heads
//! name, in the same commit, so it is the risk at the heads ([`plan_at_heads`] reads it back from
//! the history, and the tests check that both agree).

use automerge::{AutoCommit, ObjType, ROOT, transaction::Transactable};
use autosurgeon::{Hydrate, Reconcile, reconcile_prop};

use super::{Risk, RiskRegister, Treatment};
use crate::model::document::{change, check_kind, entry, object};
use crate::model::register::Record;
use crate::model::{
    Approval, ControlId, Date, DocumentKind, MemberId, ModelError, RiskId, Signed, SystemId,
    TreatmentActionId, at_heads,
};

/// What an approval of a risk's treatment approves.
pub fn treatment_subject(risk: RiskId) -> String {
    format!("treatment of risk {risk}")
}

/// The owner's sign-off of one risk's treatment plan.
#[derive(Clone, PartialEq, Debug, Reconcile, Hydrate)]
pub struct TreatmentApproval {
    /// Who approved: the risk's owner at the time.
    pub member: MemberId,
    /// When, the register's heads approved, and the owner's note.
    pub sign_off: Approval,
    /// The risk as approved, as of `sign_off.heads`.
    pub plan: TreatmentPlan,
}

/// What an approval covers: the risk's fields that make up its assessment, its treatment and
/// the residual risk accepted, in a form that compares field by field.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct TreatmentPlan {
    pub title: String,
    pub source: Option<String>,
    pub system: Option<SystemId>,
    pub description: String,
    pub likelihood: Option<u64>,
    pub consequence: Option<u64>,
    pub owner: Option<MemberId>,
    pub treatment: Treatment,
    /// The linked Annex A controls, in catalog order.
    pub controls: Vec<ControlId>,
    /// The treatment actions, in register order.
    pub actions: Vec<PlannedAction>,
    pub residual_likelihood: Option<u64>,
    pub residual_consequence: Option<u64>,
}

/// A treatment action as planned. Whether it is done is not part of the plan: carrying the plan
/// out does not void its approval.
#[derive(Clone, PartialEq, Debug, Reconcile, Hydrate)]
pub struct PlannedAction {
    pub id: TreatmentActionId,
    pub title: String,
    pub owner: Option<MemberId>,
    pub due: Option<Date>,
}

/// A field of a [`TreatmentPlan`], as "changed since approval" names it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PlanField {
    Title,
    Source,
    System,
    Description,
    Likelihood,
    Consequence,
    Owner,
    Treatment,
    Controls,
    Actions,
    ResidualLikelihood,
    ResidualConsequence,
}

impl PlanField {
    /// The field's name in a sentence, such as "residual likelihood".
    pub fn label(self) -> &'static str {
        match self {
            PlanField::Title => "title",
            PlanField::Source => "risk source",
            PlanField::System => "affected AI system",
            PlanField::Description => "description",
            PlanField::Likelihood => "likelihood",
            PlanField::Consequence => "consequence",
            PlanField::Owner => "owner",
            PlanField::Treatment => "treatment",
            PlanField::Controls => "linked controls",
            PlanField::Actions => "treatment actions",
            PlanField::ResidualLikelihood => "residual likelihood",
            PlanField::ResidualConsequence => "residual consequence",
        }
    }
}

/// Where a risk's treatment approval stands.
#[derive(Clone, PartialEq, Debug)]
pub enum ApprovalState<'a> {
    /// No approval, or the risk is gone.
    NotApproved,
    /// Approved, and nothing it covers has changed since.
    Approved(&'a TreatmentApproval),
    /// Approved, but these fields changed afterwards (never empty): it needs approving again.
    Changed { approval: &'a TreatmentApproval, changes: Vec<PlanField> },
}

impl ApprovalState<'_> {
    pub fn is_approved(&self) -> bool {
        matches!(self, ApprovalState::Approved(_))
    }
}

/// How many risks are approved, changed since approval, or awaiting approval.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct ApprovalSummary {
    pub approved: usize,
    pub changed: usize,
    pub awaiting: usize,
}

impl TreatmentPlan {
    /// The plan of `risk` as the register holds it.
    pub fn of(register: &RiskRegister, id: RiskId, risk: &Risk) -> Self {
        TreatmentPlan {
            title: risk.title.clone(),
            source: risk.source.clone(),
            system: risk.system,
            description: risk.description.as_str().to_owned(),
            likelihood: risk.likelihood,
            consequence: risk.consequence,
            owner: risk.owner,
            treatment: risk.treatment,
            controls: risk.controls.iter().filter(|(_, linked)| **linked).map(|(c, _)| *c).collect(),
            actions: register
                .actions_of(id)
                .into_iter()
                .map(|(id, a)| PlannedAction { id, title: a.title.clone(), owner: a.owner, due: a.due })
                .collect(),
            residual_likelihood: risk.residual_likelihood,
            residual_consequence: risk.residual_consequence,
        }
    }
}

/// The fields that differ between the plan as approved and the plan now, in the order a risk
/// shows them.
pub fn plan_changes(approved: &TreatmentPlan, now: &TreatmentPlan) -> Vec<PlanField> {
    let differs = [
        (PlanField::Title, approved.title != now.title),
        (PlanField::Source, approved.source != now.source),
        (PlanField::System, approved.system != now.system),
        (PlanField::Description, approved.description != now.description),
        (PlanField::Likelihood, approved.likelihood != now.likelihood),
        (PlanField::Consequence, approved.consequence != now.consequence),
        (PlanField::Owner, approved.owner != now.owner),
        (PlanField::Treatment, approved.treatment != now.treatment),
        (PlanField::Controls, approved.controls != now.controls),
        (PlanField::Actions, approved.actions != now.actions),
        (PlanField::ResidualLikelihood, approved.residual_likelihood != now.residual_likelihood),
        (PlanField::ResidualConsequence, approved.residual_consequence != now.residual_consequence),
    ];
    differs.into_iter().filter(|(_, differs)| *differs).map(|(field, _)| field).collect()
}

impl RiskRegister {
    /// The treatment plan of a risk as it is now.
    pub fn treatment_plan(&self, id: RiskId) -> Option<TreatmentPlan> {
        self.risks.get(&id).map(|risk| TreatmentPlan::of(self, id, risk))
    }

    /// Whether the risk's treatment is approved, and what changed since if it was.
    pub fn approval_state(&self, id: RiskId) -> ApprovalState<'_> {
        let Some(risk) = self.risks.get(&id) else { return ApprovalState::NotApproved };
        let Some(approval) = risk.approval.as_ref() else { return ApprovalState::NotApproved };
        let changes = plan_changes(&approval.plan, &TreatmentPlan::of(self, id, risk));
        if changes.is_empty() {
            ApprovalState::Approved(approval)
        } else {
            ApprovalState::Changed { approval, changes }
        }
    }

    /// Counts of the risks by approval state.
    pub fn approval_summary(&self) -> ApprovalSummary {
        self.risks.keys().fold(ApprovalSummary::default(), |mut summary, id| {
            match self.approval_state(*id) {
                ApprovalState::Approved(_) => summary.approved += 1,
                ApprovalState::Changed { .. } => summary.changed += 1,
                ApprovalState::NotApproved => summary.awaiting += 1,
            }
            summary
        })
    }
}

/// Records `member`'s approval of the risk's treatment plan and acceptance of its residual risk.
/// Only the risk's owner may approve, once a treatment is decided and, for a risk being
/// modified, once its residual level is rated.
///
/// With `signed`, the approval records the heads the owner's device signed (every one must be in
/// the register) and its signature; `now_ms` must be the time the signature covers.
pub fn approve_treatment(
    doc: &mut AutoCommit,
    now_ms: i64,
    member: MemberId,
    risk: RiskId,
    note: &str,
    signed: Option<Signed>,
) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::RiskRegister)?;
    let register = RiskRegister::load(doc)?;
    let current = register
        .risks
        .get(&risk)
        .ok_or_else(|| ModelError::NotFound { what: Risk::NOUN, id: risk.to_string() })?;
    if current.owner != Some(member) {
        return Err(ModelError::NotRiskOwner);
    }
    if current.treatment == Treatment::Undecided {
        return Err(ModelError::TreatmentUndecided);
    }
    if current.treatment == Treatment::Modify && register.residual_level(current).is_none() {
        return Err(ModelError::NoResidualLevel);
    }
    let approval = TreatmentApproval {
        member,
        sign_off: {
            let (heads, signature) = crate::model::approval::signed_heads(doc, signed)?;
            Approval { at_ms: now_ms, heads, note: note.to_owned(), signature }
        },
        plan: TreatmentPlan::of(&register, risk, current),
    };
    let risks = object(doc, &ROOT, Risk::REGISTER)?;
    let obj = entry(doc, &risks, risk.to_string(), Risk::NOUN)?;
    let message = format!("approve treatment of risk {:?}", current.title);
    change(doc, now_ms, message, |doc| {
        // A new object each time: a concurrent approval of the same risk wins whole or not at all.
        doc.put_object(&obj, "approval", ObjType::Map)?;
        Ok(reconcile_prop(doc, &obj, "approval", &approval)?)
    })
}

/// The plan of a risk as it was at its approval's heads, read from the history; `None` if the
/// risk has no approval or did not exist then.
pub fn plan_at_heads(doc: &mut AutoCommit, risk: RiskId) -> Result<Option<TreatmentPlan>, ModelError> {
    let register = RiskRegister::load(doc)?;
    let Some(approval) = register.risks.get(&risk).and_then(|r| r.approval.as_ref()) else {
        return Ok(None);
    };
    let past: RiskRegister = at_heads(doc, &approval.sign_off.heads)?;
    Ok(past.treatment_plan(risk))
}

#[cfg(test)]
mod tests;
