//! The interested parties (4.2), each with its requirements listed under it. Deleting a party
//! deletes its requirements in the same commit (the model's dependants).

use automerge::AutoCommit;
use leptos::prelude::*;
use quorum_shared::model::{
    self, Context, InterestedParty, InterestedPartyField, ModelError, PartyId, Position, Requirement,
    RequirementField, RequirementId, TextEdit,
};

use super::ordered;
use crate::components::field::TextField;
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::{Session, now_ms, random_id};

#[component]
pub fn Parties(session: Session, doc_id: String, context: Memo<Option<Context>>) -> impl IntoView {
    let doc_id = StoredValue::new(doc_id);
    let ids = Memo::new(move |_| {
        context.with(|c| c.as_ref().map(|c| ordered(&c.parties, |p| &p.rank)).unwrap_or_default())
    });
    let can_edit = session.can_edit();
    let error = RwSignal::new(None::<String>);
    let name_ref = NodeRef::<leptos::html::Input>::new();
    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(input) = name_ref.get_untracked() else { return };
        let name = input.value().trim().to_owned();
        if name.is_empty() {
            error.set(Some(
                "Name the party first, such as “Job applicants” or “Data protection authority”.".into(),
            ));
            return;
        }
        let party = InterestedParty { name, ..InterestedParty::default() };
        let result = doc_id.with_value(|id| {
            session.edit(id, |doc| model::add(doc, now_ms(), random_id(), party, Position::Last))
        });
        error.set(result.as_ref().err().map(explain));
        if result.is_ok() {
            input.set_value("");
        }
    };

    view! {
        <section class="card context-section" aria-labelledby="parties-heading">
            <h2 id="parties-heading"><span class="ref">"4.2"</span>"Interested parties and their requirements"</h2>
            <p class="hint">
                "Who affects or is affected by your AI: customers, people your systems make decisions about, staff, suppliers, regulators. Under each, note what they expect of you and whether the AIMS deals with it."
            </p>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="empty" data-empty="parties">
                    "No interested parties yet. Add the people your AI systems affect most directly first, then regulators and partners; then list what each requires."
                </p>
            </Show>
            <ul class="register parties">
                <For each=move || ids.get() key=|id| *id children=move |id| view! { <PartyCard session doc_id id context/> }/>
            </ul>
            <Show when=move || can_edit>
                <form class="add-record" on:submit=on_add>
                    <div class="field field-grow">
                        <label for="party-new-name">"New interested party"</label>
                        <input id="party-new-name" type="text" node_ref=name_ref aria-describedby="party-new-error"/>
                    </div>
                    <button type="submit" class="button">"Add party"</button>
                    <p id="party-new-error" class="field-error" role="alert">{move || error.get()}</p>
                </form>
            </Show>
        </section>
    }
}

/// One operation on the context document, as the page's handlers pass it.
type Operation<'a> = &'a dyn Fn(&mut AutoCommit) -> Result<(), ModelError>;

/// Runs one operation on the context document and shows its refusal in `error`.
fn editor(
    session: Session,
    doc_id: StoredValue<String>,
    error: RwSignal<Option<String>>,
) -> impl Fn(Operation<'_>) -> bool + Copy {
    move |operation: Operation<'_>| {
        let result = doc_id.with_value(|doc| session.edit(doc, operation));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    }
}

#[component]
fn PartyCard(
    session: Session,
    doc_id: StoredValue<String>,
    id: PartyId,
    context: Memo<Option<Context>>,
) -> impl IntoView {
    let party = Memo::new(move |_| context.with(|c| c.as_ref().and_then(|c| c.parties.get(&id).cloned())));
    let requirements = Memo::new(move |_| {
        context.with(|c| {
            c.as_ref()
                .map(|c| c.requirements_of(id).into_iter().map(|(r, _)| r).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let error = RwSignal::new(None::<String>);
    let can_edit = session.can_edit();
    let edit = editor(session, doc_id, error);
    let name = move || party.with(|p| p.as_ref().map(|p| p.name.clone()).unwrap_or_default());
    let description = Signal::derive(move || {
        party.with(|p| p.as_ref().map(|p| p.description.as_str().to_owned()).unwrap_or_default())
    });

    // `TextField` puts the stored name back when this says the edit was refused.
    let on_name = Callback::new(move |text: String| {
        let text = text.trim().to_owned();
        if text.is_empty() {
            error.set(Some("A party needs a name; to remove it, use Delete instead.".into()));
            return false;
        }
        text == name()
            || edit(&|doc| model::edit(doc, now_ms(), id, InterestedPartyField::Name(text.clone())))
    });
    let on_description = Callback::new(move |text: String| {
        edit(&|doc| {
            model::edit(doc, now_ms(), id, InterestedPartyField::Description(TextEdit::Replace(text.clone())))
        })
    });
    let on_delete = move |_: leptos::ev::MouseEvent| {
        edit(&|doc| model::delete(doc, now_ms(), id));
    };
    let new_requirement = NodeRef::<leptos::html::Input>::new();
    let on_add_requirement = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(input) = new_requirement.get_untracked() else { return };
        let summary = input.value().trim().to_owned();
        if summary.is_empty() {
            error.set(Some(
                "Write the requirement first, such as “An explanation of every automated decision”.".into(),
            ));
            return;
        }
        if edit(&|doc| {
            model::add(doc, now_ms(), random_id(), Requirement::new(id, &summary), Position::Last).map(|_| ())
        }) {
            input.set_value("");
        }
    };

    let field = move |name: &str| format!("party-{id}-{name}");
    view! {
        <li class="record party" data-party=id.to_string()>
            <fieldset class="record-fields party-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">{move || format!("Interested party: {}", name())}</legend>
                <TextField id=field("name") label="Interested party" classes="field-grow" input_class="name"
                    value=Signal::derive(name) on_change=on_name/>
                <Prose id=field("description") label="Their stake in your AI" value=description on_edit=on_description rows=2/>
            </fieldset>
            <h3 class="requirements-heading">"Requirements"</h3>
            <Show when=move || requirements.with(Vec::is_empty)>
                <p class="empty">"No requirements recorded for this party yet."</p>
            </Show>
            <ul class="requirements">
                <For
                    each=move || requirements.get()
                    key=|id| *id
                    children=move |requirement| view! { <RequirementRow session doc_id id=requirement context error/> }
                />
            </ul>
            <Show when=move || can_edit>
                <form class="add-record add-requirement" on:submit=on_add_requirement>
                    <div class="field field-grow">
                        <label for=field("new-requirement")>"New requirement"</label>
                        <input id=field("new-requirement") type="text" node_ref=new_requirement/>
                    </div>
                    <button type="submit" class="button button-quiet">"Add requirement"</button>
                </form>
                <button type="button" class="link-button delete" on:click=on_delete aria-label=move || format!("Delete {} and its requirements", name())>
                    "Delete party"
                </button>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </li>
    }
}

#[component]
fn RequirementRow(
    session: Session,
    doc_id: StoredValue<String>,
    id: RequirementId,
    context: Memo<Option<Context>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let requirement =
        Memo::new(move |_| context.with(|c| c.as_ref().and_then(|c| c.requirements.get(&id).cloned())));
    let can_edit = session.can_edit();
    let edit = editor(session, doc_id, error);
    let summary = move || requirement.with(|r| r.as_ref().map(|r| r.summary.clone()).unwrap_or_default());
    let addressed = move || requirement.with(|r| r.as_ref().is_some_and(|r| r.addressed));
    let on_summary = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        let text = input.value().trim().to_owned();
        if text.is_empty() {
            error.set(Some("A requirement cannot be blank; to remove it, use Delete instead.".into()));
            input.set_value(&summary());
            return;
        }
        if text != summary()
            && !edit(&|doc| model::edit(doc, now_ms(), id, RequirementField::Summary(text.clone())))
        {
            input.set_value(&summary());
        }
    };
    let on_addressed = move |event: leptos::ev::Event| {
        let checked = event_target_checked(&event);
        if !edit(&|doc| model::edit(doc, now_ms(), id, RequirementField::Addressed(checked))) {
            let input: web_sys::HtmlInputElement = event_target(&event);
            input.set_checked(addressed());
        }
    };
    let on_delete = move |_: leptos::ev::MouseEvent| {
        edit(&|doc| model::delete(doc, now_ms(), id));
    };
    let field = move |name: &str| format!("requirement-{id}-{name}");
    view! {
        <li class="requirement" data-requirement=id.to_string() data-addressed=move || addressed().to_string()>
            <div class="field field-grow">
                <label for=field("summary") class="visually-hidden">"Requirement"</label>
                <input id=field("summary") class="summary" type="text" prop:value=summary prop:disabled=!can_edit on:change=on_summary/>
            </div>
            <div class="check">
                <input id=field("addressed") type="checkbox" prop:checked=addressed prop:disabled=!can_edit on:change=on_addressed/>
                <label for=field("addressed")>"Addressed by the AIMS"</label>
            </div>
            <Show when=move || can_edit>
                <button type="button" class="link-button delete" on:click=on_delete aria-label=move || format!("Delete requirement {}", summary())>
                    "Delete"
                </button>
            </Show>
        </li>
    }
}
