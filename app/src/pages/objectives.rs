//! AI objectives (ISO/IEC 42001 6.2): what the organization aims for with its AI, with the
//! measure, target, owner, due date, status and progress of each. The objectives document is
//! read once here; each card edits one objective through the register operations.

mod card;
mod measured;
mod progress;

use leptos::prelude::*;
use quorum_shared::model::{AiObjective, DocumentKind, ObjectiveId, Objectives};

use crate::components::add_record::AddRecord;
use crate::components::owner;
use crate::session::Session;

#[component]
pub fn ObjectivesPage() -> impl IntoView {
    let session = expect_context::<Session>();
    view! { <ObjectivesEditor session/> }
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
            quorum_shared::order::sort(&mut ids);
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
                        <AddRecord session doc_id input_id="objective-new-title" error_id="objective-new-error"
                            label="New objective" button="Add objective"
                            empty="Write the objective first, such as “Explain every automated rejection”."
                            make=|title| AiObjective { title, ..AiObjective::default() }/>
                    </Show>
                }
                .into_any()
            }}
        </div>
    }
}
