//! The decisions the review took and the actions that follow, each a card saved field by field.

use automerge::AutoCommit;
use leptos::prelude::*;
use quorum_shared::model::{
    self, Date, Decision, DecisionField, DecisionId, ManagementReview, MemberId, ModelError, Position,
    ReviewAction, ReviewActionField, ReviewActionId, TextEdit,
};

use crate::components::field::TextField;
use crate::components::owner::OwnerSelect;
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::{Session, now_ms, random_id};

type Operation<'a> = &'a dyn Fn(&mut AutoCommit) -> Result<(), ModelError>;

/// Runs one operation on the review, showing a refusal in `error`; says whether it was made.
fn edit_with(
    session: Session,
    doc_id: StoredValue<String>,
    error: RwSignal<Option<String>>,
) -> impl Fn(Operation) -> bool + Copy {
    move |operation| {
        let result = doc_id.with_value(|id| session.edit(id, operation));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    }
}

#[component]
pub fn DecisionList(
    session: Session,
    doc_id: StoredValue<String>,
    review: Memo<Option<ManagementReview>>,
) -> impl IntoView {
    let ids = Memo::new(move |_| {
        review.with(|r| {
            r.as_ref()
                .map(|r| r.decisions_in_order().into_iter().map(|(id, _)| id).collect())
                .unwrap_or_else(Vec::new)
        })
    });
    let error = RwSignal::new(None::<String>);
    let edit = edit_with(session, doc_id, error);
    let summary = RwSignal::new(String::new());
    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = summary.get_untracked().trim().to_owned();
        if text.is_empty() {
            error.set(Some("Write the decision first, such as \"Fund a second internal audit\".".into()));
            return;
        }
        let decision = Decision { summary: text, ..Default::default() };
        if edit(&|doc| model::add(doc, now_ms(), random_id(), decision.clone(), Position::Last).map(|_| ())) {
            summary.set(String::new());
        }
    };
    view! {
        <section class="card review-decisions" aria-labelledby="review-decisions-heading">
            <h2 id="review-decisions-heading">"Decisions"</h2>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="muted" data-empty="decisions">"No decision recorded yet: what did the committee decide about the AI management system, its changes and its resources?"</p>
            </Show>
            <ul class="register review-decision-list">
                <For each=move || ids.get() key=|id| *id children=move |id| view! { <DecisionCard session doc_id id review/> }/>
            </ul>
            <Show when=move || session.can_edit()>
                <form class="add-record" on:submit=on_add>
                    <div class="field field-grow">
                        <label for="decision-new-summary">"New decision"</label>
                        <input id="decision-new-summary" type="text" bind:value=summary/>
                    </div>
                    <button type="submit" class="button">"Add decision"</button>
                </form>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
}

#[component]
fn DecisionCard(
    session: Session,
    doc_id: StoredValue<String>,
    id: DecisionId,
    review: Memo<Option<ManagementReview>>,
) -> impl IntoView {
    let decision =
        Memo::new(move |_| review.with(|r| r.as_ref().and_then(|r| r.decisions.get(&id).cloned())));
    let error = RwSignal::new(None::<String>);
    let edit = edit_with(session, doc_id, error);
    let summary =
        Signal::derive(move || decision.with(|d| d.as_ref().map(|d| d.summary.clone()).unwrap_or_default()));
    let description = Signal::derive(move || {
        decision.with(|d| d.as_ref().map(|d| d.description.as_str().to_owned()).unwrap_or_default())
    });
    let field = move |name: &str| format!("decision-{id}-{name}");
    let on_summary = Callback::new(move |text: String| {
        let text = text.trim().to_owned();
        if text.is_empty() {
            error.set(Some("A decision needs a summary; to remove it, use Delete instead.".into()));
            return false;
        }
        edit(&|doc| model::edit(doc, now_ms(), id, DecisionField::Summary(text.clone())))
    });
    let on_description = Callback::new(move |text: String| {
        edit(&|doc| {
            model::edit(doc, now_ms(), id, DecisionField::Description(TextEdit::Replace(text.clone())))
        })
    });
    let can_edit = session.can_edit();
    view! {
        <li class="card record review-decision" data-decision=id.to_string()>
            <fieldset class="record-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">{move || format!("Decision: {}", summary.get())}</legend>
                <TextField id=field("summary") label="Decision" value=summary on_change=on_summary classes="field-wide"/>
                <Prose id=field("description") label="Reasons and details" value=description on_edit=on_description rows=2/>
            </fieldset>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <Show when=move || can_edit>
                <button type="button" class="link-button delete" on:click=move |_| { edit(&|doc| model::delete(doc, now_ms(), id)); }
                    aria-label=move || format!("Delete decision {}", summary.get())>"Delete decision"</button>
            </Show>
        </li>
    }
}

#[component]
pub fn ActionList(
    session: Session,
    doc_id: StoredValue<String>,
    review: Memo<Option<ManagementReview>>,
    members: Memo<Vec<(MemberId, String)>>,
) -> impl IntoView {
    let ids = Memo::new(move |_| {
        review.with(|r| {
            r.as_ref()
                .map(|r| r.actions_in_order().into_iter().map(|(id, _)| id).collect())
                .unwrap_or_else(Vec::new)
        })
    });
    let error = RwSignal::new(None::<String>);
    let edit = edit_with(session, doc_id, error);
    let title = RwSignal::new(String::new());
    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = title.get_untracked().trim().to_owned();
        if text.is_empty() {
            error.set(Some("Write the action first, such as \"Appoint a data steward\".".into()));
            return;
        }
        let action = ReviewAction { title: text, ..Default::default() };
        if edit(&|doc| model::add(doc, now_ms(), random_id(), action.clone(), Position::Last).map(|_| ())) {
            title.set(String::new());
        }
    };
    view! {
        <section class="card review-actions" aria-labelledby="review-actions-heading">
            <h2 id="review-actions-heading">"Actions"</h2>
            <p class="hint">"Open actions come back on the agenda of the next review until someone marks them done."</p>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="muted" data-empty="actions">"No action yet: what must happen after this review, by whom and by when?"</p>
            </Show>
            <ul class="register review-action-list">
                <For each=move || ids.get() key=|id| *id children=move |id| view! { <ActionCard session doc_id id review members/> }/>
            </ul>
            <Show when=move || session.can_edit()>
                <form class="add-record" on:submit=on_add>
                    <div class="field field-grow">
                        <label for="action-new-title">"New action"</label>
                        <input id="action-new-title" type="text" bind:value=title/>
                    </div>
                    <button type="submit" class="button">"Add action"</button>
                </form>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
}

#[component]
fn ActionCard(
    session: Session,
    doc_id: StoredValue<String>,
    id: ReviewActionId,
    review: Memo<Option<ManagementReview>>,
    members: Memo<Vec<(MemberId, String)>>,
) -> impl IntoView {
    let action = Memo::new(move |_| review.with(|r| r.as_ref().and_then(|r| r.actions.get(&id).cloned())));
    let error = RwSignal::new(None::<String>);
    let edit = edit_with(session, doc_id, error);
    let read = move |f: fn(&ReviewAction) -> String| {
        Signal::derive(move || action.with(|a| a.as_ref().map(f).unwrap_or_default()))
    };
    let title = read(|a| a.title.clone());
    let due = read(|a| a.due.map(|d| d.to_string()).unwrap_or_default());
    let owner = Signal::derive(move || action.with(|a| a.as_ref().and_then(|a| a.owner)));
    let done = move || action.with(|a| a.as_ref().is_some_and(|a| a.done));
    let field = move |name: &str| format!("action-{id}-{name}");
    let on_title = Callback::new(move |text: String| {
        let text = text.trim().to_owned();
        if text.is_empty() {
            error.set(Some("An action needs a title; to remove it, use Delete instead.".into()));
            return false;
        }
        edit(&|doc| model::edit(doc, now_ms(), id, ReviewActionField::Title(text.clone())))
    });
    let on_due = Callback::new(move |text: String| {
        let due = if text.is_empty() {
            None
        } else if let Ok(date) = text.parse::<Date>() {
            Some(date)
        } else {
            error.set(Some("That is not a real date: pick one from the calendar.".into()));
            return false;
        };
        edit(&|doc| model::edit(doc, now_ms(), id, ReviewActionField::Due(due)))
    });
    let on_owner = Callback::new(move |chosen: Option<MemberId>| {
        edit(&|doc| model::edit(doc, now_ms(), id, ReviewActionField::Owner(chosen)))
    });
    let on_done = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        let checked = input.checked();
        if !edit(&|doc| model::edit(doc, now_ms(), id, ReviewActionField::Done(checked))) {
            input.set_checked(!checked);
        }
    };
    let can_edit = session.can_edit();
    view! {
        <li class="card record review-action" data-action=id.to_string() data-done=move || done().to_string()>
            <fieldset class="record-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">{move || format!("Action: {}", title.get())}</legend>
                <TextField id=field("title") label="Action" value=title on_change=on_title classes="field-wide"/>
                <div class="field">
                    <label for=field("owner")>"Owner"</label>
                    <OwnerSelect id=field("owner") members value=owner on_change=on_owner/>
                </div>
                <TextField id=field("due") label="Due" kind="date" value=due on_change=on_due/>
                <div class="field field-check">
                    <input id=field("done") type="checkbox" prop:checked=done on:change=on_done/>
                    <label for=field("done")>"Done"</label>
                </div>
            </fieldset>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <Show when=move || can_edit>
                <button type="button" class="link-button delete" on:click=move |_| { edit(&|doc| model::delete(doc, now_ms(), id)); }
                    aria-label=move || format!("Delete action {}", title.get())>"Delete action"</button>
            </Show>
        </li>
    }
}
