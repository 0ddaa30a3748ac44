//! Reads what the dashboard needs from the session's documents: the [`Evidence`] readiness is
//! assessed on, and the documents' histories. Every read goes through [`Session::read`], so the
//! calling memo re-runs when any of these documents changes.

use quorum_shared::model::{
    self, AiPolicy, AuditProgramme, Context, DocumentKind, DocumentedInformationRegister, ImpactAssessment,
    Improvement, InternalAudit, Inventory, ManagementReview, Monitoring, Objectives, PlannedChanges,
    RiskRegister, Roles, StatementOfApplicability, Support, Workspace,
};
use quorum_shared::readiness::Evidence;

use crate::components::recent_changes::{self, ChangeLine};
use crate::session::Session;

/// The evidence of every document the root lists and this browser has open. A document that is
/// not open yet, or does not load as its kind, counts as not written: readiness is then lower,
/// never wrong in the other direction.
pub fn evidence(session: Session, workspace: &Workspace) -> Evidence {
    let mut evidence = Evidence::default();
    for (id, entry) in &workspace.documents {
        session.read(&id.to_string(), |doc| {
            let e = &mut evidence;
            match entry.kind {
                DocumentKind::Workspace => {}
                DocumentKind::Context => e.context = e.context.take().or(Context::load(doc).ok()),
                DocumentKind::Inventory => e.inventory = e.inventory.take().or(Inventory::load(doc).ok()),
                DocumentKind::Policy => e.policy = e.policy.take().or(AiPolicy::load(doc).ok()),
                DocumentKind::Roles => e.roles = e.roles.take().or(Roles::load(doc).ok()),
                DocumentKind::RiskRegister => e.risks = e.risks.take().or(RiskRegister::load(doc).ok()),
                DocumentKind::StatementOfApplicability => {
                    e.soa = e.soa.take().or(StatementOfApplicability::load(doc).ok());
                }
                DocumentKind::ImpactAssessment => e.assessments.extend(ImpactAssessment::load(doc).ok()),
                DocumentKind::Objectives => e.objectives = e.objectives.take().or(Objectives::load(doc).ok()),
                DocumentKind::PlannedChanges => {
                    e.changes = e.changes.take().or(PlannedChanges::load(doc).ok())
                }
                DocumentKind::Support => e.support = e.support.take().or(Support::load(doc).ok()),
                DocumentKind::DocumentedInformation => {
                    e.documented = e.documented.take().or(DocumentedInformationRegister::load(doc).ok());
                }
                DocumentKind::Monitoring => e.monitoring = e.monitoring.take().or(Monitoring::load(doc).ok()),
                DocumentKind::AuditProgramme => {
                    e.audit_programme = e.audit_programme.take().or(AuditProgramme::load(doc).ok());
                }
                DocumentKind::Audit => e.audits.extend(InternalAudit::load(doc).ok()),
                DocumentKind::ManagementReview => e.reviews.extend(ManagementReview::load(doc).ok()),
                DocumentKind::Improvement => {
                    e.improvement = e.improvement.take().or(Improvement::load(doc).ok())
                }
            }
        });
    }
    evidence
}

/// The `limit` latest changes across the root and every document it lists.
pub fn recent(
    session: Session,
    root_id: &str,
    workspace: Option<&Workspace>,
    limit: usize,
) -> Vec<ChangeLine> {
    let mut documents = vec![(root_id.to_owned(), "Workspace".to_owned())];
    if let Some(workspace) = workspace {
        documents.extend(workspace.documents.iter().map(|(id, entry)| (id.to_string(), entry.title.clone())));
    }
    let histories = documents
        .into_iter()
        .filter_map(|(id, title)| {
            // History needs a mutable document (automerge closes any open transaction first);
            // the session lends a shared one, so read a copy.
            let entries = session.read(&id, |doc| model::history(&mut doc.clone()))?;
            Some((title, entries))
        })
        .collect();
    recent_changes::latest(histories, workspace, limit)
}
