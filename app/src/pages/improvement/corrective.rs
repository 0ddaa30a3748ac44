//! The corrective actions of one nonconformity: what will stop it happening again, who does it,
//! by when, and whether it is done.

use automerge::AutoCommit;
use leptos::prelude::*;
use quorum_shared::model::{
    self, CorrectiveAction, CorrectiveActionField, CorrectiveActionId, Improvement, MemberId, ModelError,
    NonconformityId, Position,
};

use super::nonconformity::parse_date;
use crate::components::field::TextField;
use crate::components::owner::OwnerSelect;
use crate::explain::explain;
use crate::session::{Session, now_ms, random_id};

#[component]
pub fn CorrectiveActions(
    session: Session,
    doc_id: StoredValue<String>,
    nc: NonconformityId,
    improvement: Memo<Option<Improvement>>,
    members: Memo<Vec<(MemberId, String)>>,
    closed: Memo<bool>,
) -> impl IntoView {
    let ids = Memo::new(move |_| {
        improvement.with(|i| {
            i.as_ref()
                .map(|i| i.actions_of(nc).into_iter().map(|(id, _)| id).collect())
                .unwrap_or_else(Vec::new)
        })
    });
    let error = RwSignal::new(None::<String>);
    let title = RwSignal::new(String::new());
    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = title.get_untracked().trim().to_owned();
        if text.is_empty() {
            error.set(Some(
                "Write the corrective action first, such as \u{201c}Make the owner a required field\u{201d}."
                    .into(),
            ));
            return;
        }
        let action = CorrectiveAction::new(nc, &text);
        let result = doc_id.with_value(|id| {
            session.edit(id, |doc| model::add(doc, now_ms(), random_id(), action, Position::Last))
        });
        error.set(result.as_ref().err().map(explain));
        if result.is_ok() {
            title.set(String::new());
        }
    };
    let new_id = format!("nc-{nc}-new-action");
    view! {
        <div class="nc-actions">
            <h4>"Corrective actions"</h4>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="muted">"None yet: what will remove the cause, so that it does not happen again?"</p>
            </Show>
            <ul class="nc-action-list">
                <For each=move || ids.get() key=|id| *id children=move |id| view! { <ActionRow session doc_id id improvement members closed/> }/>
            </ul>
            <Show when=move || session.can_edit() && !closed.get()>
                <form class="add-record" on:submit=on_add>
                    <div class="field field-grow">
                        <label for=new_id.clone()>"New corrective action"</label>
                        <input id=new_id.clone() type="text" bind:value=title/>
                    </div>
                    <button type="submit" class="button">"Add action"</button>
                </form>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </div>
    }
}

#[component]
fn ActionRow(
    session: Session,
    doc_id: StoredValue<String>,
    id: CorrectiveActionId,
    improvement: Memo<Option<Improvement>>,
    members: Memo<Vec<(MemberId, String)>>,
    closed: Memo<bool>,
) -> impl IntoView {
    let action = Memo::new(move |_| {
        improvement.with(|i| i.as_ref().and_then(|i| i.corrective_actions.get(&id).cloned()))
    });
    let error = RwSignal::new(None::<String>);
    let edit = move |operation: &dyn Fn(&mut AutoCommit) -> Result<(), ModelError>| {
        let result = doc_id.with_value(|doc| session.edit(doc, operation));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    };
    let set = move |field: CorrectiveActionField| edit(&|doc| model::edit(doc, now_ms(), id, field.clone()));
    let title =
        Signal::derive(move || action.with(|a| a.as_ref().map(|a| a.title.clone()).unwrap_or_default()));
    let due = Signal::derive(move || {
        action.with(|a| a.as_ref().and_then(|a| a.due).map(|d| d.to_string()).unwrap_or_default())
    });
    let owner = Signal::derive(move || action.with(|a| a.as_ref().and_then(|a| a.owner)));
    let done = move || action.with(|a| a.as_ref().is_some_and(|a| a.done));
    let field = move |name: &str| format!("ca-{id}-{name}");
    let on_title = Callback::new(move |text: String| {
        let text = text.trim().to_owned();
        if text.is_empty() {
            error.set(Some("An action needs a title; to remove it, use Delete instead.".into()));
            return false;
        }
        set(CorrectiveActionField::Title(text))
    });
    let on_due = Callback::new(move |text: String| match parse_date(&text) {
        Ok(date) => set(CorrectiveActionField::Due(date)),
        Err(reason) => {
            error.set(Some(reason));
            false
        }
    });
    let on_owner = Callback::new(move |chosen: Option<MemberId>| set(CorrectiveActionField::Owner(chosen)));
    let on_done = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        let checked = input.checked();
        if !set(CorrectiveActionField::Done(checked)) {
            input.set_checked(!checked);
        }
    };
    let can_edit = session.can_edit();
    view! {
        <li class="nc-action" data-action=id.to_string() data-done=move || done().to_string()>
            <fieldset class="record-fields" prop:disabled=move || !can_edit || closed.get()>
                <legend class="visually-hidden">{move || format!("Corrective action: {}", title.get())}</legend>
                <TextField id=field("title") label="Action" value=title on_change=on_title classes="field-grow"/>
                <div class="field">
                    <label for=field("owner")>"Owner"</label>
                    <OwnerSelect id=field("owner") members value=owner on_change=on_owner/>
                </div>
                <TextField id=field("due") label="Due" kind="date" value=due on_change=on_due/>
                <div class="field field-check">
                    <input id=field("done") type="checkbox" prop:checked=done on:change=on_done/>
                    <label for=field("done")>"Done"</label>
                </div>
                <Show when=move || can_edit && !closed.get()>
                    <button type="button" class="link-button delete" on:click=move |_| { edit(&|doc| model::delete(doc, now_ms(), id)); }
                        aria-label=move || format!("Delete action {}", title.get())>"Delete"</button>
                </Show>
            </fieldset>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </li>
    }
}
