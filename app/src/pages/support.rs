//! Support (ISO/IEC 42001 7.1 to 7.4, A.4): the resources of each AI system and who provides
//! them, the competence matrix of AIMS roles with training records and its gaps, the members'
//! acknowledgements of the AI policy in force with awareness activities, and the communication
//! plan. The support document is read once here; each section edits it through `shared::model`
//! operations, and gaps are computed by `model::competence_gaps` and
//! `model::awaiting_acknowledgement`.

mod awareness;
mod communication;
mod competence;
mod resources;
mod training;

use automerge::AutoCommit;
use leptos::prelude::*;
use quorum_shared::model::{
    self, AiPolicy, Date, DocumentKind, Field, Inventory, MemberId, ModelError, Record, Support, SystemId,
    Workspace,
};

use crate::components::owner;
use crate::components::register_page::RegisterPage;
use crate::explain::explain;
use crate::session::{Session, now_ms};

#[component]
pub fn SupportPage() -> impl IntoView {
    view! {
        <RegisterPage kind=DocumentKind::Support title="People and resources" noun="support register"
            children=|session, doc_id| view! { <SupportBody session doc_id/> }/>
    }
}

/// What every section reads and how it writes, handed down once.
#[derive(Clone, Copy)]
struct Ctx {
    session: Session,
    doc_id: StoredValue<String>,
    support: Memo<Option<Support>>,
    members: Memo<Vec<(MemberId, String)>>,
    workspace: Memo<Option<Workspace>>,
}

impl Ctx {
    /// Runs one operation on the support document, showing a refusal in `error`; says whether
    /// it was kept.
    fn edit(
        &self,
        error: RwSignal<Option<String>>,
        operation: impl FnOnce(&mut AutoCommit) -> Result<(), ModelError>,
    ) -> bool {
        let result = self.doc_id.with_value(|id| self.session.edit(id, operation));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    }

    /// Writes one field of one record.
    fn save<F: Field>(
        &self,
        error: RwSignal<Option<String>>,
        id: <F::Record as Record>::Id,
        field: F,
    ) -> bool {
        self.edit(error, |doc| model::edit(doc, now_ms(), id, field))
    }

    /// A member's name, or "a former member" for one who left.
    fn name(&self, member: MemberId) -> String {
        self.members.with(|m| owner::owner_name(m, Some(member)))
    }
}

/// A date field's text as an optional date; `None` inside when the text is not a date.
fn parse_date(text: &str) -> Option<Option<Date>> {
    if text.trim().is_empty() { Some(None) } else { text.trim().parse().ok().map(Some) }
}

#[component]
fn SupportBody(session: Session, doc_id: StoredValue<String>) -> impl IntoView {
    let support =
        Memo::new(move |_| doc_id.with_value(|id| session.read(id, |doc| Support::load(doc).ok())).flatten());
    let root_id = session.membership().root_id().to_owned();
    let workspace = Memo::new(move |_| session.read(&root_id, |doc| Workspace::load(doc).ok()).flatten());
    let members = owner::members(session);
    let inventory_id = Memo::new(move |_| session.document_of(DocumentKind::Inventory));
    let systems = Memo::new(move |_| {
        let Some(id) = inventory_id.get() else { return Vec::new() };
        let inventory = session.read(&id, |doc| Inventory::load(doc).ok()).flatten();
        let mut systems: Vec<_> = inventory
            .map(|i| i.systems.into_iter().map(|(id, s)| (s.rank, id, s.name)).collect())
            .unwrap_or_default();
        quorum_shared::order::sort(&mut systems);
        systems.into_iter().map(|(_, id, name)| (id, name)).collect::<Vec<(SystemId, String)>>()
    });
    let policy_id = Memo::new(move |_| session.document_of(DocumentKind::Policy));
    let policy = Memo::new(move |_| {
        let id = policy_id.get()?;
        session.read(&id, |doc| AiPolicy::load(doc).ok()).flatten()
    });
    let ctx = Ctx { session, doc_id, support, members, workspace };
    view! {
        <div class="page support">
            <h1>"People and resources"</h1>
            <p class="lede">
                "What each AI system runs on and who provides it, the competences the AIMS roles need and the training that shows them, who has read the AI policy in force, and who tells whom what. Changes are saved as you make them."
            </p>
            <nav class="support-sections" aria-label="Sections of this page">
                <a href="#support-resources">"Resources"</a>
                <a href="#support-competence">"Competence"</a>
                <a href="#support-awareness">"Awareness"</a>
                <a href="#support-communication">"Communication"</a>
            </nav>
            <Show when=move || support.with(Option::is_some) fallback=|| view! { <p class="muted" role="status">"Loading the support register…"</p> }>
                <resources::Resources ctx systems/>
                <competence::CompetenceMatrix ctx/>
                <training::Training ctx/>
                <awareness::Awareness ctx policy/>
                <communication::CommunicationPlan ctx/>
            </Show>
        </div>
    }
}
