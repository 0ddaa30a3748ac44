//! Planned changes to the AI management system (ISO/IEC 42001 6.3): what changes, why, what
//! could follow, with what resources, who carries it out, by when and how far it has got. The
//! register is read once here; each card edits one change through the register operations.

mod card;

use leptos::prelude::*;
use quorum_shared::model::{self, ChangeId, DocumentKind, PlannedChange, PlannedChanges, Position};

use crate::components::owner;
use crate::components::register_page::RegisterPage;
use crate::explain::explain;
use crate::session::{Session, now_ms};

#[component]
pub fn ChangesPage() -> impl IntoView {
    view! {
        <RegisterPage kind=DocumentKind::PlannedChanges title="Planned changes" purpose="to plan changes to its AI management system" noun="register of planned changes"
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
            ids.sort();
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
                <AddChange session doc_id/>
            </Show>
        </div>
    }
}

#[component]
fn AddChange(session: Session, doc_id: StoredValue<String>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let title_ref = NodeRef::<leptos::html::Input>::new();
    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(input) = title_ref.get_untracked() else { return };
        let title = input.value().trim().to_owned();
        if title.is_empty() {
            error.set(Some("Say what changes first, such as “Add a second reviewer to approvals”.".into()));
            return;
        }
        let change = PlannedChange { title, ..PlannedChange::default() };
        let result =
            doc_id.with_value(|id| session.edit(id, |doc| model::add(doc, now_ms(), change, Position::Last)));
        error.set(result.as_ref().err().map(explain));
        if result.is_ok() {
            input.set_value("");
        }
    };
    view! {
        <form class="card add-record" on:submit=on_add>
            <div class="field field-grow">
                <label for="change-new-title">"New planned change"</label>
                <input id="change-new-title" type="text" node_ref=title_ref aria-describedby="change-new-error"/>
            </div>
            <button type="submit" class="button">"Add change"</button>
            <p id="change-new-error" class="field-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
