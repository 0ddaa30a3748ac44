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
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use quorum_shared::model::{
    DocumentKind, MemberId, RiskRegister, Roles, StatementOfApplicability, Workspace,
};

use crate::components::register_page::RegisterPage;
use crate::session::{Session, Sessions};

#[component]
pub fn AuditProgrammePage() -> impl IntoView {
    view! {
        <RegisterPage kind=DocumentKind::AuditProgramme title="Internal audit" purpose="to plan its internal audits" noun="audit programme"
            children=|session, doc_id| view! { <programme::Programme session doc_id/> }/>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let sessions = expect_context::<Sessions>();
    let params = use_params_map();
    let doc_id = Memo::new(move |_| params.read().get("audit").unwrap_or_default());
    move || {
        let Some(session) = sessions.current.get() else { return no_workspace().into_any() };
        let doc_id = doc_id.get();
        let root_id = session.membership().root_id().to_owned();
        let id = doc_id.clone();
        let listed = Memo::new(move |_| {
            let id = id.clone();
            session
                .read(&root_id, move |doc| {
                    let workspace = Workspace::load(doc).ok()?;
                    Some(
                        workspace
                            .documents_of(DocumentKind::Audit)
                            .any(|(listed, _)| listed.to_string() == id),
                    )
                })
                .flatten()
        });
        view! {
            <div class="page audits audit-page">
                {move || match listed.get() {
                    None => view! { <p class="muted" role="status">"Loading the workspace…"</p> }.into_any(),
                    Some(false) => view! {
                        <section class="empty-state">
                            <h1>"No such audit"</h1>
                            <p class="lede">"This workspace lists no internal audit at this address. It may have been removed, or the link is incomplete."</p>
                            <A href="/audits">"See the audit programme"</A>
                        </section>
                    }
                    .into_any(),
                    Some(true) => view! { <audit::AuditEditor session doc_id=doc_id.clone()/> }.into_any(),
                }}
            </div>
        }
        .into_any()
    }
}

fn no_workspace() -> impl IntoView {
    view! {
        <section class="page empty-state">
            <h1>"No workspace yet"</h1>
            <p class="lede">"Create a workspace, or open the invite link someone sent you, to hold its internal audits."</p>
            <A href="/">"Create a workspace"</A>
        </section>
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
