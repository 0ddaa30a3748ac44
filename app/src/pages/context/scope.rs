//! The scope of the AIMS (4.3): the scope statement as prose several people can type into at
//! once, and its boundary as the inventory draws it: which AI systems are inside and which are
//! outside. The boundary is edited on each system's page, so it is never kept twice.

use leptos::prelude::*;
use leptos_router::components::A;
use quorum_shared::model::{self, Context, DocumentKind, Inventory, SystemId, TextEdit};

use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::{Session, now_ms};

#[component]
pub fn Scope(session: Session, doc_id: String, context: Memo<Option<Context>>) -> impl IntoView {
    let doc_id = StoredValue::new(doc_id);
    let error = RwSignal::new(None::<String>);
    let scope = Signal::derive(move || {
        context.with(|c| c.as_ref().map(|c| c.scope.as_str().to_owned()).unwrap_or_default())
    });
    let on_scope = Callback::new(move |text: String| {
        let result = doc_id.with_value(|id| {
            session.edit(id, |doc| model::edit_scope(doc, now_ms(), TextEdit::Replace(text)))
        });
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    });
    let inventory = Memo::new(move |_| session.document_of(DocumentKind::Inventory));
    let systems = Memo::new(move |_| {
        let mut systems: Vec<(SystemId, String, bool)> = inventory
            .get()
            .and_then(|id| session.read(&id, |doc| Inventory::load(doc).ok()).flatten())
            .map(|i| i.systems.into_iter().map(|(id, s)| (id, s.name, s.in_scope)).collect())
            .unwrap_or_default();
        quorum_shared::order::sort_by_key(&mut systems, |(id, name, _)| (name.to_lowercase(), *id));
        systems
    });
    let list = move |inside: bool| {
        move || {
            systems
                .get()
                .into_iter()
                .filter(|(_, _, in_scope)| *in_scope == inside)
                .map(|(id, name, _)| view! { <li data-system=id.to_string()><A href=format!("/inventory/{id}")>{name}</A></li> })
                .collect_view()
        }
    };
    let count =
        move |inside: bool| systems.with(|s| s.iter().filter(|(.., in_scope)| *in_scope == inside).count());

    view! {
        <section class="card context-section" aria-labelledby="scope-heading">
            <h2 id="scope-heading"><span class="ref">"4.3"</span>"Scope of the AI management system"</h2>
            <fieldset class="record-fields" prop:disabled=!session.can_edit()>
                <legend class="visually-hidden">"Scope"</legend>
                <Prose
                    id="scope"
                    label="Scope statement"
                    hint="Which parts of the organization, which AI systems and which activities the AIMS covers, and anything left out with the reason why."
                    value=scope
                    on_edit=on_scope
                    rows=5
                />
            </fieldset>
            <Show when=move || scope.with(|s| s.trim().is_empty())>
                <p class="empty" data-empty="scope">
                    "No scope written yet. Start with one sentence naming the organization and the AI systems it governs; refine it as the issues and parties above become clear."
                </p>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <h3>"Boundaries"</h3>
            <p class="hint">"The AI systems inside the boundary are those marked “Within the AIMS scope” in the inventory."</p>
            <Show
                when=move || systems.with(|s| !s.is_empty())
                fallback=|| view! {
                    <p class="empty" data-empty="boundaries">
                        "No AI systems in the inventory yet. "
                        <A href="/inventory">"Add your AI systems"</A>
                        " and say for each whether the AIMS covers it."
                    </p>
                }
            >
                <div class="boundaries">
                    <div>
                        <h4>{move || format!("Inside ({})", count(true))}</h4>
                        <ul class="boundary-inside">{list(true)}</ul>
                    </div>
                    <div>
                        <h4>{move || format!("Outside ({})", count(false))}</h4>
                        <ul class="boundary-outside">{list(false)}</ul>
                    </div>
                </div>
            </Show>
        </section>
    }
}
