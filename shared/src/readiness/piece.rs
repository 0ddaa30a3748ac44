//! What one document contributes to the [`Evidence`]: the dashboard reads each document into a
//! piece of its own (one memo per document), and the audit pack reads every document the same
//! way, so both see a workspace alike.

use automerge::AutoCommit;

use super::Evidence;
use crate::model::{
    AiPolicy, AuditProgramme, Context, DocumentKind, DocumentedInformationRegister, ImpactAssessment,
    Improvement, InternalAudit, Inventory, ManagementReview, Monitoring, Objectives, OwnApproval,
    PlannedChanges, RiskRegister, Roles, StatementOfApplicability, Support,
};

/// One document read as its kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    /// Not open yet, or not loadable as its kind: counts as not written.
    Nothing,
    Context(Context),
    Inventory(Inventory),
    Policy(AiPolicy),
    Roles(Roles),
    Risks(RiskRegister),
    Soa(StatementOfApplicability),
    Assessment(ImpactAssessment),
    Objectives(Objectives),
    Changes(PlannedChanges),
    Support(Support),
    Documented(DocumentedInformationRegister),
    Monitoring(Monitoring),
    AuditProgramme(AuditProgramme),
    Audit(InternalAudit),
    Review(ManagementReview),
    Improvement(Improvement),
}

impl Piece {
    /// The document read as `kind`; the root (read as a [`crate::model::Workspace`]) and a
    /// document that does not load as its kind are [`Piece::Nothing`].
    pub fn load(kind: DocumentKind, doc: &AutoCommit) -> Self {
        let piece = match kind {
            DocumentKind::Workspace => None,
            DocumentKind::Context => Context::load(doc).ok().map(Self::Context),
            DocumentKind::Inventory => Inventory::load(doc).ok().map(Self::Inventory),
            DocumentKind::Policy => AiPolicy::load(doc).ok().map(Self::Policy),
            DocumentKind::Roles => Roles::load(doc).ok().map(Self::Roles),
            DocumentKind::RiskRegister => RiskRegister::load(doc).ok().map(Self::Risks),
            DocumentKind::StatementOfApplicability => StatementOfApplicability::load(doc).ok().map(Self::Soa),
            DocumentKind::ImpactAssessment => ImpactAssessment::load(doc).ok().map(Self::Assessment),
            DocumentKind::Objectives => Objectives::load(doc).ok().map(Self::Objectives),
            DocumentKind::PlannedChanges => PlannedChanges::load(doc).ok().map(Self::Changes),
            DocumentKind::Support => Support::load(doc).ok().map(Self::Support),
            DocumentKind::DocumentedInformation => {
                DocumentedInformationRegister::load(doc).ok().map(Self::Documented)
            }
            DocumentKind::Monitoring => Monitoring::load(doc).ok().map(Self::Monitoring),
            DocumentKind::AuditProgramme => AuditProgramme::load(doc).ok().map(Self::AuditProgramme),
            DocumentKind::Audit => InternalAudit::load(doc).ok().map(Self::Audit),
            DocumentKind::ManagementReview => ManagementReview::load(doc).ok().map(Self::Review),
            DocumentKind::Improvement => Improvement::load(doc).ok().map(Self::Improvement),
        };
        piece.unwrap_or(Self::Nothing)
    }

    /// The approval the artifact keeps itself, for the documented information register.
    pub fn own_approval(&self) -> Option<OwnApproval> {
        match self {
            Self::Policy(policy) => Some(OwnApproval::of_policy(policy)),
            Self::Assessment(assessment) => Some(OwnApproval::of_assessment(assessment)),
            _ => None,
        }
    }

    /// Adds the piece to `e`; of the single documents, the first added counts (the dashboard
    /// adds them in the order the root lists them).
    pub fn add_to(self, e: &mut Evidence) {
        match self {
            Self::Nothing => {}
            Self::Context(x) => _ = e.context.get_or_insert(x),
            Self::Inventory(x) => _ = e.inventory.get_or_insert(x),
            Self::Policy(x) => _ = e.policy.get_or_insert(x),
            Self::Roles(x) => _ = e.roles.get_or_insert(x),
            Self::Risks(x) => _ = e.risks.get_or_insert(x),
            Self::Soa(x) => _ = e.soa.get_or_insert(x),
            Self::Assessment(x) => e.assessments.push(x),
            Self::Objectives(x) => _ = e.objectives.get_or_insert(x),
            Self::Changes(x) => _ = e.changes.get_or_insert(x),
            Self::Support(x) => _ = e.support.get_or_insert(x),
            Self::Documented(x) => _ = e.documented.get_or_insert(x),
            Self::Monitoring(x) => _ = e.monitoring.get_or_insert(x),
            Self::AuditProgramme(x) => _ = e.audit_programme.get_or_insert(x),
            Self::Audit(x) => e.audits.push(x),
            Self::Review(x) => e.reviews.push(x),
            Self::Improvement(x) => _ = e.improvement.get_or_insert(x),
        }
    }
}
