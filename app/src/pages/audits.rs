//! Internal audit (ISO/IEC 42001 9.2). `/audits` edits the audit programme: its description, the
//! certification cycle, the planned audits with their scope, and a picture of what they cover;
//! `/audits/:audit` (the audit's document id) holds one audit: scope, criteria, auditor, the
//! checklist, findings (a nonconformity goes to the register of 10.2), the conclusion, closing.

mod audit;
mod checklist;
mod coverage;
mod findings;
mod planned;
mod programme;
mod scope;

use leptos::prelude::*;
use quorum_shared::model::{DocumentKind, MemberId, RiskRegister, Roles, StatementOfApplicability};

use crate::components::listed_document::ListedDocumentPage;
use crate::components::register_page::RegisterPage;
use crate::session::Session;

#[component]
pub fn AuditProgrammePage() -> impl IntoView {
    view! {
        <RegisterPage kind=DocumentKind::AuditProgramme title="Internal audit" noun="audit programme"
            children=|session, doc_id| view! { <programme::Programme session doc_id/> }/>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <ListedDocumentPage kind=DocumentKind::Audit param="audit" class="audits audit-page"
            noun="internal audit" back=("/audits", "See the audit programme")
            children=|session, doc_id| view! { <audit::AuditEditor session doc_id/> }/>
    }
}

/// The other registers an audit page reads: the SoA (applicable controls, control owners), the
/// roles (accountable people) and the risk register (risk owners).
#[derive(Clone, Copy)]
pub struct Context {
    pub soa: Memo<Option<StatementOfApplicability>>,
    pub roles: Memo<Option<Roles>>,
    pub risks: Memo<Option<RiskRegister>>,
    pub members: Memo<Vec<(MemberId, String)>>,
}

impl Context {
    pub fn new(session: Session) -> Self {
        Self {
            soa: Memo::new(move |_| {
                read_single(session, DocumentKind::StatementOfApplicability, StatementOfApplicability::load)
            }),
            roles: Memo::new(move |_| read_single(session, DocumentKind::Roles, Roles::load)),
            risks: Memo::new(move |_| read_single(session, DocumentKind::RiskRegister, RiskRegister::load)),
            members: crate::components::owner::members(session),
        }
    }
}

fn read_single<T>(
    session: Session,
    kind: DocumentKind,
    load: fn(&automerge::AutoCommit) -> Result<T, quorum_shared::model::ModelError>,
) -> Option<T> {
    let id = session.document_of(kind)?;
    session.read(&id, |doc| load(doc).ok()).flatten()
}
