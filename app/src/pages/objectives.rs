//! AI objectives (ISO/IEC 42001 6.2): what the organization aims for with its AI, with the
//! measure, target, owner, due date, status and progress of each. The objectives document is
//! read once here; each card edits one objective through the register operations.

mod card;
mod measured;
mod progress;

use leptos::prelude::*;
use leptos_router::components::A;
use quorum_shared::model::{self, AiObjective, DocumentKind, ObjectiveId, Objectives, Position};

use crate::components::owner;
use crate::explain::explain;
use crate::session::{Session, Sessions, now_ms};

#[component]
pub fn ObjectivesPage() -> impl IntoView {
    let sessions = expect_context::<Sessions>();
    move || {
        match sessions.current.get() {
        Some(session) => view! { <ObjectivesEditor session/> }.into_any(),
        None => view! {
            <section class="page empty-state">
                <h1>"No workspace yet"</h1>
                <p class="lede">"Create a workspace, or open the invite link someone sent you, to set its AI objectives."</p>
                <A href="/">"Create a workspace"</A>
            </section>
        }
        .into_any(),
    }
    }
}

#[component]
fn ObjectivesEditor(session: Session) -> impl IntoView {
    let doc_id = Memo::new(move |_| session.document_of(DocumentKind::Objectives));
    let objectives = Memo::new(move |_| {
        doc_id.get().and_then(|id| session.read(&id, |doc| Objectives::load(doc).ok()).flatten())
    });
    let loaded = Memo::new(move |_| objectives.with(Option::is_some));
    let ids = Memo::new(move |_| {
        objectives.with(|o| {
            let Some(o) = o else { return Vec::new() };
            let mut ids: Vec<(_, ObjectiveId)> =
                o.objectives.iter().map(|(id, x)| (x.rank.clone(), *id)).collect();
            ids.sort();
            ids.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
        })
    });
    let members = owner::members(session);
    // Read here once for every card; none when the workspace has no monitoring document.
    let monitoring = crate::pages::monitoring::monitoring_of(session);
    view! {
        <div class="page objectives">
            <h1>"AI objectives"</h1>
            <p class="lede">
                "What the organization aims to achieve with its AI, how it will know, who sees to it and by when. Changes are saved as you make them."
            </p>
            {move || {
                let Some(doc_id) = doc_id.get().filter(|_| loaded.get()) else {
                    return view! { <p class="muted" role="status">"Loading the objectives…"</p> }.into_any();
                };
                let doc_id = StoredValue::new(doc_id);
                view! {
                    <Show when=move || ids.with(Vec::is_empty)>
                        <p class="empty card" data-empty="objectives">
                            "No objectives yet. Start with one your AI policy commits to, such as fair treatment of applicants, and give it a measure and a target you can check."
                        </p>
                    </Show>
                    <ul class="register objective-list">
                        <For
                            each=move || ids.get()
                            key=|id| *id
                            children=move |id| view! { <card::ObjectiveCard session doc_id id objectives members monitoring/> }
                        />
                    </ul>
                    <Show when=move || session.can_edit()>
                        <AddObjective session doc_id/>
                    </Show>
                }
                .into_any()
            }}
        </div>
    }
}

#[component]
fn AddObjective(session: Session, doc_id: StoredValue<String>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let title_ref = NodeRef::<leptos::html::Input>::new();
    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(input) = title_ref.get_untracked() else { return };
        let title = input.value().trim().to_owned();
        if title.is_empty() {
            error.set(Some("Write the objective first, such as “Explain every automated rejection”.".into()));
            return;
        }
        let objective = AiObjective { title, ..AiObjective::default() };
        let result = doc_id
            .with_value(|id| session.edit(id, |doc| model::add(doc, now_ms(), objective, Position::Last)));
        error.set(result.as_ref().err().map(explain));
        if result.is_ok() {
            input.set_value("");
        }
    };
    view! {
        <form class="card add-record" on:submit=on_add>
            <div class="field field-grow">
                <label for="objective-new-title">"New objective"</label>
                <input id="objective-new-title" type="text" node_ref=title_ref aria-describedby="objective-new-error"/>
            </div>
            <button type="submit" class="button">"Add objective"</button>
            <p id="objective-new-error" class="field-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
