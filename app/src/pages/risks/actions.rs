//! The treatment actions of one risk (ISO/IEC 42001 6.1.3, 8.3): what will be done, by whom,
//! by when, and whether it is done. Each action is its own record pointing at its risk, so two
//! people adding actions at once both keep theirs.

use leptos::prelude::*;
use quorum_shared::model::{
    self, Date, Position, RiskId, RiskRegister, TreatmentAction, TreatmentActionField, TreatmentActionId,
};

use super::Choices;
use crate::components::field::{SelectField, TextField};
use crate::explain::explain;
use crate::session::{Session, now_ms, random_id};

#[component]
pub fn TreatmentActions(
    session: Session,
    doc_id: StoredValue<String>,
    risk: RiskId,
    register: Memo<Option<RiskRegister>>,
    choices: Memo<Choices>,
) -> impl IntoView {
    let ids = Memo::new(move |_| {
        register.with(|r| {
            r.as_ref()
                .map(|r| r.actions_of(risk).into_iter().map(|(id, _)| id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    let title = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let new_id = format!("risk-{risk}-new-action");
    let error_id = format!("risk-{risk}-action-error");
    // The input inside `Show` needs its own copy: the closure that renders it keeps one.
    let described_by = error_id.clone();
    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = title.get_untracked().trim().to_owned();
        if text.is_empty() {
            error.set(Some(
                "Say what will be done first, such as \"Test the model on older applicants\".".into(),
            ));
            return;
        }
        let action = TreatmentAction::new(risk, &text);
        let result = doc_id.with_value(|doc| {
            session.edit(doc, |d| model::add(d, now_ms(), random_id(), action, Position::Last))
        });
        match result {
            Ok(_) => {
                title.set(String::new());
                error.set(None);
            }
            Err(problem) => error.set(Some(explain(&problem))),
        }
    };
    view! {
        <div class="treatment-actions">
            <h4>"Treatment actions"</h4>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="muted">"No actions yet: add what will be done to treat this risk."</p>
            </Show>
            <ul class="action-list">
                <For each=move || ids.get() key=|id| *id let:id>
                    <ActionRow session doc_id id register choices error/>
                </For>
            </ul>
            <Show when=move || session.can_edit()>
                <form class="add-action" on:submit=on_add>
                    <div class="field">
                        <label for=new_id.clone()>"New action"</label>
                        <input
                            id=new_id.clone()
                            type="text"
                            class="new-action"
                            placeholder="What will be done?"
                            aria-describedby=described_by.clone()
                            prop:value=move || title.get()
                            on:input=move |event| title.set(event_target_value(&event))
                        />
                    </div>
                    <button type="submit" class="button secondary">"Add action"</button>
                </form>
            </Show>
            <p id=error_id class="field-error" role="alert">{move || error.get()}</p>
        </div>
    }
}

#[component]
fn ActionRow(
    session: Session,
    doc_id: StoredValue<String>,
    id: TreatmentActionId,
    register: Memo<Option<RiskRegister>>,
    choices: Memo<Choices>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let action = Memo::new(move |_| register.with(|r| r.as_ref().and_then(|r| r.actions.get(&id).cloned())));
    let edit = move |field: TreatmentActionField| {
        let result = doc_id.with_value(|doc| session.edit(doc, |d| model::edit(d, now_ms(), id, field)));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    };
    let text = move |read: fn(&TreatmentAction) -> String| {
        Signal::derive(move || action.with(|a| a.as_ref().map(read).unwrap_or_default()))
    };
    let done = move || action.with(|a| a.as_ref().is_some_and(|a| a.done));
    let on_title = Callback::new(move |title: String| {
        if title.trim().is_empty() {
            error.set(Some("An action needs a title; say what will be done.".into()));
            return false;
        }
        edit(TreatmentActionField::Title(title.trim().to_owned()))
    });
    let on_owner = Callback::new(move |value: String| edit(TreatmentActionField::Owner(value.parse().ok())));
    let on_due = Callback::new(move |value: String| {
        if value.is_empty() {
            return edit(TreatmentActionField::Due(None));
        }
        match value.parse::<Date>() {
            Ok(date) => edit(TreatmentActionField::Due(Some(date))),
            Err(_) => {
                error.set(Some("Write the due date as a calendar date, such as 2025-06-30.".into()));
                false
            }
        }
    });
    let on_done = move |event: leptos::ev::Event| {
        let checked = event_target_checked(&event);
        if !edit(TreatmentActionField::Done(checked)) {
            let input: web_sys::HtmlInputElement = event_target(&event);
            input.set_checked(done());
        }
    };
    let on_delete = move |_| {
        let result = doc_id.with_value(|doc| session.edit(doc, |d| model::delete(d, now_ms(), id)));
        error.set(result.as_ref().err().map(explain));
    };
    let owner_options: Signal<Vec<(String, String)>> = Signal::derive(move || {
        let members = choices.with(|c| c.members.clone());
        std::iter::once((String::new(), "No owner yet".to_owned()))
            .chain(members.into_iter().map(|(id, name)| (id.to_string(), name)))
            .collect()
    });
    let ids = move |field: &str| format!("action-{id}-{field}");
    let done_id = ids("done");
    view! {
        <li class="treatment-action" data-action=id.to_string() data-done=move || done().to_string()>
            <TextField id=ids("title") label="Action" classes="action-title" value=text(|a| a.title.clone()) on_change=on_title/>
            <SelectField id=ids("owner") label="Owner" classes="action-owner" options=owner_options value=text(|a| a.owner.map(|m| m.to_string()).unwrap_or_default()) on_change=on_owner/>
            <TextField id=ids("due") label="Due" kind="date" classes="action-due" value=text(|a| a.due.map(|d| d.to_string()).unwrap_or_default()) on_change=on_due/>
            <div class="field action-done">
                <input id=done_id.clone() type="checkbox" prop:checked=done on:change=on_done/>
                <label for=done_id>"Done"</label>
            </div>
            <Show when=move || session.can_edit()>
                <button
                    type="button"
                    class="link-button delete-action"
                    aria-label=move || format!("Delete the action \"{}\"", action.with(|a| a.as_ref().map(|a| a.title.clone()).unwrap_or_default()))
                    on:click=on_delete
                >
                    "Delete"
                </button>
            </Show>
        </li>
    }
}
