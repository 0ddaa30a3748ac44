//! Planned changes to the AI management system (ISO/IEC 42001 6.3): what changes, why, what
//! could follow, with what resources, who carries it out, by when and how far it has got. The
//! register is read once here; each card edits one change through the register operations.

mod card;

use leptos::prelude::*;
use quorum_shared::model::{ChangeId, DocumentKind, PlannedChange, PlannedChanges};

use crate::components::add_record::AddRecord;
use crate::components::owner;
use crate::components::register_page::RegisterPage;
use crate::session::Session;

#[component]
pub fn ChangesPage() -> impl IntoView {
    view! {
        <RegisterPage kind=DocumentKind::PlannedChanges title="Planned changes" noun="register of planned changes"
            children=|session, doc_id| view! { <Changes session doc_id/> }/>
    }
}

#[component]
fn Changes(session: Session, doc_id: StoredValue<String>) -> impl IntoView {
    let changes = Memo::new(move |_| {
        doc_id.with_value(|id| session.read(id, |doc| PlannedChanges::load(doc).ok())).flatten()
    });
    let ids = Memo::new(move |_| {
        changes.with(|c| {
            let Some(c) = c else { return Vec::new() };
            let mut ids: Vec<(_, ChangeId)> = c.changes.iter().map(|(id, x)| (x.rank.clone(), *id)).collect();
            quorum_shared::order::sort(&mut ids);
            ids.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
        })
    });
    let members = owner::members(session);
    view! {
        <div class="page changes">
            <h1>"Planned changes"</h1>
            <p class="lede">
                "Changes to the management system itself, planned before they are made: what changes and why, what could follow from it, what it needs, who sees to it and by when. Changes are saved as you make them."
            </p>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="empty card" data-empty="changes">
                    "No planned changes yet. When the management system needs to change (a new AI system in scope, a second reviewer for approvals, a new supplier), plan it here first."
                </p>
            </Show>
            <ul class="register change-list">
                <For
                    each=move || ids.get()
                    key=|id| *id
                    children=move |id| view! { <card::ChangeCard session doc_id id changes members/> }
                />
            </ul>
            <Show when=move || session.can_edit()>
                <AddRecord session doc_id input_id="change-new-title" error_id="change-new-error"
                    label="New planned change" button="Add change"
                    empty="Say what changes first, such as “Add a second reviewer to approvals”."
                    make=|title| PlannedChange { title, ..PlannedChange::default() }/>
            </Show>
        </div>
    }
}
