//! One management review: its name, date and attendees, then the agenda, the decisions and
//! actions, and the approval of the minutes. The review document is read once here and handed
//! down; every field saves on change through one model operation.

use leptos::prelude::*;
use leptos_router::components::A;
use quorum_shared::model::{self, Date, ManagementReview, MinutesState, ReviewField};

use super::actions::{ActionList, DecisionList};
use super::agenda::Agenda;
use super::approval::MinutesApproval;
use crate::components::field::TextField;
use crate::components::owner;
use crate::explain::explain;
use crate::session::{Session, now_ms};

#[component]
pub fn ReviewEditor(session: Session, doc_id: String) -> impl IntoView {
    let doc_id = StoredValue::new(doc_id);
    let review = Memo::new(move |_| {
        doc_id.with_value(|id| session.read(id, |doc| ManagementReview::load(doc).ok())).flatten()
    });
    let members = owner::members(session);
    // Only arriving re-renders the page: re-rendering on every change would replace the fields
    // under the person's cursor.
    let arrived = Memo::new(move |_| review.with(Option::is_some));
    move || {
        if !arrived.get() {
            return view! { <p class="muted" role="status">"Loading the review…"</p> }.into_any();
        }
        view! { <Loaded session doc_id review members/> }.into_any()
    }
}

#[component]
fn Loaded(
    session: Session,
    doc_id: StoredValue<String>,
    review: Memo<Option<ManagementReview>>,
    members: Memo<Vec<(model::MemberId, String)>>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let can_edit = session.can_edit();
    let edit_review = move |field: ReviewField| -> bool {
        let result = doc_id.with_value(|id| session.edit(id, |doc| model::edit_review(doc, now_ms(), field)));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    };
    let read = move |f: fn(&ManagementReview) -> String| {
        Signal::derive(move || review.with(|r| r.as_ref().map(f).unwrap_or_default()))
    };
    let title = read(|r| r.title.clone());
    let held_on = read(|r| r.held_on.map(|d| d.to_string()).unwrap_or_default());
    let attendees = read(|r| r.attendees.clone());
    let state = Memo::new(move |_| review.with(|r| r.as_ref().map(ManagementReview::approval_state)));
    let state_token = move || match state.get() {
        Some(MinutesState::Approved { .. }) => "approved",
        Some(MinutesState::ChangedSince { .. }) => "changed",
        _ => "not-approved",
    };

    let on_title = Callback::new(move |text: String| {
        let text = text.trim().to_owned();
        if text.is_empty() {
            error.set(Some("A review needs a name, such as \"Management review, spring 2026\".".to_owned()));
            return false;
        }
        edit_review(ReviewField::Title(text))
    });
    let on_held = Callback::new(move |text: String| {
        if text.is_empty() {
            return edit_review(ReviewField::HeldOn(None));
        }
        match text.parse::<Date>() {
            Ok(date) => edit_review(ReviewField::HeldOn(Some(date))),
            Err(_) => {
                error.set(Some("That is not a real date: pick one from the calendar.".into()));
                false
            }
        }
    });
    let on_attendees =
        Callback::new(move |text: String| edit_review(ReviewField::Attendees(text.trim().to_owned())));

    view! {
        <div class="review-editor" data-approval=state_token>
            <p class="breadcrumb"><A href="/reviews">"All management reviews"</A></p>
            <h1>{move || title.get()}</h1>
            <Show when=move || matches!(state.get(), Some(MinutesState::ChangedSince { .. }))>
                <p class="review-changed card" role="status">
                    <strong>"Changed since approval. "</strong>
                    "The minutes were edited after they were approved; approve them again once the committee agrees."
                </p>
            </Show>
            <section class="card review-meeting" aria-labelledby="review-meeting-heading">
                <h2 id="review-meeting-heading">"The meeting"</h2>
                <fieldset class="record-fields" prop:disabled=!can_edit>
                    <legend class="visually-hidden">"When and with whom the review was held"</legend>
                    <TextField id="review-title" label="Name" value=title on_change=on_title classes="field-wide"/>
                    <TextField id="review-held-on" label="Held on" kind="date" value=held_on on_change=on_held/>
                    <TextField
                        id="review-attendees"
                        label="Attendees"
                        value=attendees
                        on_change=on_attendees
                        classes="field-grow"
                        placeholder="Names and roles, such as Ada (CEO), Bea (AI lead)"
                    />
                </fieldset>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </section>
            <Agenda session doc_id review members/>
            <DecisionList session doc_id review/>
            <ActionList session doc_id review members/>
            <MinutesApproval session doc_id review state members/>
        </div>
    }
}
