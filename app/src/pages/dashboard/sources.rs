//! Reads what the dashboard needs from the session's documents: the [`Evidence`] readiness is
//! assessed on, and the documents' latest changes. Every read goes through [`Session::read`], so the
//! calling memo re-runs when any of these documents changes.

use std::cell::RefCell;
use std::collections::HashMap;

use automerge::AutoCommit;
use leptos::prelude::*;
use quorum_shared::model::{
    AiPolicy, AuditProgramme, Context, DocumentKind, DocumentedInformationRegister, HistoryEntry,
    ImpactAssessment, Improvement, InternalAudit, Inventory, ManagementReview, Monitoring, Objectives,
    PlannedChanges, RiskRegister, Roles, StatementOfApplicability, Support, Workspace,
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

/// The latest changes of each document, one memo per document, so that a change re-reads the
/// history of the document it changed and not of all fifty: reading a history copies the
/// document and walks every change of it.
pub struct Histories {
    session: Session,
    limit: usize,
    /// The dashboard's owner: the memos live as long as the page, not as one run of the memo
    /// that asks for them.
    owner: Owner,
    memos: RefCell<HashMap<String, Memo<Vec<HistoryEntry>>>>,
}

impl Histories {
    pub fn new(session: Session, limit: usize) -> Self {
        let owner = Owner::current().unwrap_or_default();
        Self { session, limit, owner, memos: RefCell::default() }
    }

    /// The `limit` latest changes across the root and every document it lists.
    pub fn recent(&self, root_id: &str, workspace: Option<&Workspace>) -> Vec<ChangeLine> {
        let mut documents = vec![(root_id.to_owned(), "Workspace".to_owned())];
        if let Some(workspace) = workspace {
            documents
                .extend(workspace.documents.iter().map(|(id, entry)| (id.to_string(), entry.title.clone())));
        }
        let histories = documents.into_iter().map(|(id, title)| (title, self.memo(&id).get())).collect();
        recent_changes::latest(histories, workspace, self.limit)
    }

    fn memo(&self, doc_id: &str) -> Memo<Vec<HistoryEntry>> {
        let mut memos = self.memos.borrow_mut();
        if let Some(memo) = memos.get(doc_id) {
            return *memo;
        }
        let (session, limit, id) = (self.session, self.limit, doc_id.to_owned());
        // A document not open yet has no history here; its memo re-runs when it opens.
        let memo = self.owner.with(|| {
            Memo::new(move |_| session.read(&id, |doc| latest_entries(doc, limit)).unwrap_or_default())
        });
        memos.insert(doc_id.to_owned(), memo);
        memo
    }
}

/// The document's last `limit` changes, oldest first, from their metadata alone: building
/// whole changes (as [`model::history`] does) would encode every operation of every change.
fn latest_entries(doc: &AutoCommit, limit: usize) -> Vec<HistoryEntry> {
    // Reading needs the document without an open transaction, which only a mutable one
    // guarantees; the session lends a shared one, so read a copy.
    let mut copy = doc.clone();
    let metas = copy.document().get_changes_meta(&[]);
    let skip = metas.len().saturating_sub(limit);
    metas
        .into_iter()
        .skip(skip)
        .map(|meta| HistoryEntry {
            hash: meta.hash.to_string(),
            actor: meta.actor.to_string(),
            time_ms: meta.timestamp * 1000,
            message: meta.message.map(|message| message.into_owned()),
        })
        .collect()
}
