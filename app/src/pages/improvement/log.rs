//! The improvement log (10.1): improvements made to the AI management system beyond fixing
//! nonconformities, with who made them and when.

use automerge::AutoCommit;
use leptos::prelude::*;
use quorum_shared::model::{
    self, Improvement, ImprovementEntry, ImprovementField, ImprovementId, MemberId, ModelError, Position,
    TextEdit,
};

use super::nonconformity::parse_date;
use crate::components::field::TextField;
use crate::components::owner::OwnerSelect;
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::{Session, now_ms, random_id};

#[component]
pub fn ImprovementLog(
    session: Session,
    doc_id: StoredValue<String>,
    improvement: Memo<Option<Improvement>>,
    members: Memo<Vec<(MemberId, String)>>,
) -> impl IntoView {
    let ids = Memo::new(move |_| {
        improvement.with(|i| {
            let Some(i) = i else { return Vec::new() };
            let mut ids: Vec<_> = i.log.iter().map(|(id, e)| (e.rank.clone(), *id)).collect();
            quorum_shared::order::sort(&mut ids);
            ids.into_iter().map(|(_, id)| id).collect::<Vec<ImprovementId>>()
        })
    });
    let error = RwSignal::new(None::<String>);
    let title = RwSignal::new(String::new());
    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = title.get_untracked().trim().to_owned();
        if text.is_empty() {
            error.set(Some("Name the improvement first, such as \u{201c}Monthly bias dashboard for the screening model\u{201d}.".into()));
            return;
        }
        let entry = ImprovementEntry { title: text, ..Default::default() };
        let result = doc_id.with_value(|id| {
            session.edit(id, |doc| model::add(doc, now_ms(), random_id(), entry, Position::Last))
        });
        error.set(result.as_ref().err().map(explain));
        if result.is_ok() {
            title.set(String::new());
        }
    };
    view! {
        <section class="improvement-log" aria-labelledby="improvement-log-heading">
            <h2 id="improvement-log-heading">"Improvement log"</h2>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="card empty" data-empty="improvements">
                    "No improvement logged yet. Record what the organization changed to make its AI management system work better, such as a clearer process, a new check or better training."
                </p>
            </Show>
            <ul class="register improvement-list">
                <For each=move || ids.get() key=|id| *id children=move |id| view! { <Entry session doc_id id improvement members/> }/>
            </ul>
            <Show when=move || session.can_edit()>
                <form class="card add-record" on:submit=on_add>
                    <div class="field field-grow">
                        <label for="improvement-new-title">"New improvement"</label>
                        <input id="improvement-new-title" type="text" bind:value=title/>
                    </div>
                    <button type="submit" class="button">"Log improvement"</button>
                </form>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
}

#[component]
fn Entry(
    session: Session,
    doc_id: StoredValue<String>,
    id: ImprovementId,
    improvement: Memo<Option<Improvement>>,
    members: Memo<Vec<(MemberId, String)>>,
) -> impl IntoView {
    let entry = Memo::new(move |_| improvement.with(|i| i.as_ref().and_then(|i| i.log.get(&id).cloned())));
    let error = RwSignal::new(None::<String>);
    let edit = move |operation: &dyn Fn(&mut AutoCommit) -> Result<(), ModelError>| {
        let result = doc_id.with_value(|doc| session.edit(doc, operation));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    };
    let set = move |field: ImprovementField| edit(&|doc| model::edit(doc, now_ms(), id, field.clone()));
    let title =
        Signal::derive(move || entry.with(|e| e.as_ref().map(|e| e.title.clone()).unwrap_or_default()));
    let made_on = Signal::derive(move || {
        entry.with(|e| e.as_ref().and_then(|e| e.made_on).map(|d| d.to_string()).unwrap_or_default())
    });
    let description = Signal::derive(move || {
        entry.with(|e| e.as_ref().map(|e| e.description.as_str().to_owned()).unwrap_or_default())
    });
    let owner = Signal::derive(move || entry.with(|e| e.as_ref().and_then(|e| e.owner)));
    let field = move |name: &str| format!("improvement-{id}-{name}");
    let on_title = Callback::new(move |text: String| {
        let text = text.trim().to_owned();
        if text.is_empty() {
            error.set(Some("An improvement needs a name; to remove it, use Delete instead.".into()));
            return false;
        }
        set(ImprovementField::Title(text))
    });
    let on_made = Callback::new(move |text: String| match parse_date(&text) {
        Ok(date) => set(ImprovementField::MadeOn(date)),
        Err(reason) => {
            error.set(Some(reason));
            false
        }
    });
    let on_owner = Callback::new(move |chosen: Option<MemberId>| set(ImprovementField::Owner(chosen)));
    let on_description =
        Callback::new(move |text: String| set(ImprovementField::Description(TextEdit::Replace(text))));
    let can_edit = session.can_edit();
    view! {
        <li class="card record improvement-entry" data-improvement=id.to_string()>
            <fieldset class="record-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">{move || format!("Improvement: {}", title.get())}</legend>
                <TextField id=field("title") label="Improvement" value=title on_change=on_title classes="field-wide"/>
                <TextField id=field("made-on") label="Made on" kind="date" value=made_on on_change=on_made/>
                <div class="field">
                    <label for=field("owner")>"Owner"</label>
                    <OwnerSelect id=field("owner") members value=owner on_change=on_owner/>
                </div>
                <Prose id=field("description") label="What changed and why" value=description on_edit=on_description rows=2/>
            </fieldset>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <Show when=move || can_edit>
                <button type="button" class="link-button delete" on:click=move |_| { edit(&|doc| model::delete(doc, now_ms(), id)); }
                    aria-label=move || format!("Delete improvement {}", title.get())>"Delete improvement"</button>
            </Show>
        </li>
    }
}
