//! Reads what the dashboard needs from the session's documents: the [`Evidence`] readiness is
//! assessed on, and the documents' latest changes. Each document is read by a memo of its own,
//! which re-runs only when that document changes: with fifty documents, re-reading all of them
//! on every change (as one memo over the workspace did) made one remote edit cost tens of
//! milliseconds and opening a workspace quadratic in its documents.

use std::cell::RefCell;
use std::collections::HashMap;

use automerge::AutoCommit;
use leptos::prelude::*;
use quorum_shared::model::{
    self, AiPolicy, ArtifactFacts, AuditProgramme, Context, DocumentKind, DocumentedInformationRegister,
    HistoryEntry, ImpactAssessment, Improvement, InternalAudit, Inventory, ManagementReview, Monitoring,
    Objectives, OwnApproval, PlannedChanges, RiskRegister, Roles, StatementOfApplicability, Support,
    Workspace,
};
use quorum_shared::readiness::Evidence;

use crate::components::recent_changes::{self, ChangeLine};
use crate::session::Session;
use crate::timings;

/// One memo per document id, made under the dashboard's owner so that the memos live as long as
/// the page, not as one run of the memo that asks for them.
struct PerDocument<T: Send + Sync + 'static> {
    owner: Owner,
    memos: RefCell<HashMap<String, Memo<T>>>,
}

impl<T: Clone + PartialEq + Send + Sync + 'static> PerDocument<T> {
    fn new() -> Self {
        Self { owner: Owner::current().unwrap_or_default(), memos: RefCell::default() }
    }

    /// The memo of `doc_id`, made with `read` the first time it is asked for.
    fn memo(&self, doc_id: &str, read: impl Fn() -> T + Send + Sync + 'static) -> Memo<T> {
        let mut memos = self.memos.borrow_mut();
        if let Some(memo) = memos.get(doc_id) {
            return *memo;
        }
        let memo = self.owner.with(|| Memo::new(move |_| read()));
        memos.insert(doc_id.to_owned(), memo);
        memo
    }
}

/// What one document contributes to the [`Evidence`].
#[derive(Clone, PartialEq)]
enum Piece {
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
    fn load(kind: DocumentKind, doc: &AutoCommit) -> Self {
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
    fn own_approval(&self) -> Option<OwnApproval> {
        match self {
            Self::Policy(policy) => Some(OwnApproval::of_policy(policy)),
            Self::Assessment(assessment) => Some(OwnApproval::of_assessment(assessment)),
            _ => None,
        }
    }

    /// Adds the piece to `e`; of the single documents, the first the root lists counts.
    fn add_to(self, e: &mut Evidence) {
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

/// The [`Evidence`] of the workspace's documents, each read by a memo of its own.
pub struct Pieces {
    session: Session,
    memos: PerDocument<Piece>,
}

impl Pieces {
    pub fn new(session: Session) -> Self {
        Self { session, memos: PerDocument::new() }
    }

    /// The evidence of every document the root lists and this browser has open. A document that
    /// is not open yet, or does not load as its kind, counts as not written: readiness is then
    /// lower, never wrong in the other direction.
    pub fn evidence(&self, workspace: &Workspace) -> Evidence {
        let mut evidence = Evidence {
            workspace: Some(workspace.clone()),
            today: Some(crate::session::today()),
            ..Evidence::default()
        };
        for (id, entry) in &workspace.documents {
            let (session, kind, doc_id) = (self.session, entry.kind, id.to_string());
            let memo = self.memos.memo(&doc_id.clone(), move || {
                session
                    .read(&doc_id, |doc| timings::measure(timings::VIEW_READ, || Piece::load(kind, doc)))
                    .unwrap_or(Piece::Nothing)
            });
            memo.with(|piece| {
                if let Some(own_approval) = piece.own_approval() {
                    let facts = ArtifactFacts { own_approval: Some(own_approval), ..Default::default() };
                    evidence.artifact_facts.insert(*id, facts);
                }
                piece.clone().add_to(&mut evidence)
            });
        }
        evidence
    }
}

/// The latest changes of each document, one memo per document, so that a change re-reads the
/// history of the document it changed and not of all fifty: reading a history copies the
/// document and walks every change of it.
pub struct Histories {
    session: Session,
    limit: usize,
    memos: PerDocument<Vec<HistoryEntry>>,
}

impl Histories {
    pub fn new(session: Session, limit: usize) -> Self {
        Self { session, limit, memos: PerDocument::new() }
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
        let (session, limit, id) = (self.session, self.limit, doc_id.to_owned());
        // A document not open yet has no history here; its memo re-runs when it opens. Only the
        // `limit` latest changes are read (see [`model::latest_history`]), where walking every
        // change's metadata cost a third of a millisecond per document of 400 changes.
        self.memos.memo(doc_id, move || {
            session
                .read_history(&id, |doc| {
                    timings::measure(timings::VIEW_READ, || model::latest_history(doc, limit))
                })
                .unwrap_or_default()
        })
    }
}
