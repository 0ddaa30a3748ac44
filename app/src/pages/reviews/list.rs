//! The workspace's management reviews, newest first, and the form that holds a new one.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use quorum_shared::model::{self, DocumentKind, MinutesState};

use super::all_reviews;
use crate::session::Session;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Row {
    doc_id: String,
    title: String,
    held_on: Option<model::Date>,
    actions_open: usize,
    approval: Option<&'static str>,
}

#[component]
pub fn ReviewList(session: Session) -> impl IntoView {
    let rows = Memo::new(move |_| {
        let mut reviews = all_reviews(session);
        // Newest first: by the date held, then by when it was made; a review not held yet is
        // the one being prepared, so it comes first.
        quorum_shared::order::sort_by(&mut reviews, |a, b| {
            let held =
                |r: &(_, i64, _, Option<model::ManagementReview>)| r.3.as_ref().and_then(|r| r.held_on);
            (held(b).is_none(), held(b), b.1).cmp(&(held(a).is_none(), held(a), a.1))
        });
        reviews
            .into_iter()
            .map(|(id, _, title, review)| Row {
                doc_id: id.to_string(),
                title: review.as_ref().map_or(title, |r| r.title.clone()),
                held_on: review.as_ref().and_then(|r| r.held_on),
                actions_open: review.as_ref().map_or(0, |r| r.actions.values().filter(|a| !a.done).count()),
                approval: review.as_ref().map(|r| match r.approval_state() {
                    MinutesState::NotApproved => "not-approved",
                    MinutesState::Approved { .. } => "approved",
                    MinutesState::ChangedSince { .. } => "changed",
                }),
            })
            .collect::<Vec<_>>()
    });
    view! {
        <div class="page reviews">
            <h1>"Management reviews"</h1>
            <p class="lede">
                "Top management looks at how the AI management system is doing, at planned intervals: what changed, what the records show, what to decide and who does what next. Each review keeps its agenda, decisions, actions and approved minutes."
            </p>
            <Show
                when=move || !rows.with(Vec::is_empty)
                fallback=move || view! {
                    <section class="card empty" data-empty="reviews">
                        <h2>"No management review yet"</h2>
                        <p>{if session.can_edit() {
                            "Hold the first one below: give it a name, then fill in the date, who attended and the notes on each input as the meeting goes."
                        } else {
                            "Editors and owners of this workspace hold them; each appears here as soon as it is made."
                        }}</p>
                    </section>
                }
            >
                <table class="review-table">
                    <thead>
                        <tr>
                            <th scope="col">"Review"</th>
                            <th scope="col">"Held on"</th>
                            <th scope="col">"Open actions"</th>
                            <th scope="col">"Minutes"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || rows.get() key=|row| row.clone() children=move |row| view! { <ListRow row/> }/>
                    </tbody>
                </table>
            </Show>
            <Show when=move || session.can_edit()>
                <NewReview session/>
            </Show>
        </div>
    }
}

#[component]
fn ListRow(row: Row) -> impl IntoView {
    let approval = match row.approval {
        Some("approved") => "Approved",
        Some("changed") => "Changed since approval",
        Some(_) => "Not approved",
        None => "Arriving from the relay…",
    };
    view! {
        <tr class="review-row" data-review=row.doc_id.clone() data-approval=row.approval.unwrap_or("loading")>
            <th scope="row"><A href=format!("/reviews/{}", row.doc_id)>{row.title}</A></th>
            <td>{row.held_on.map_or_else(|| "Not held yet".to_owned(), |d| d.to_string())}</td>
            <td>{row.actions_open}</td>
            <td><span class=format!("review-badge review-badge-{}", row.approval.unwrap_or("loading"))>{approval}</span></td>
        </tr>
    }
}

#[component]
fn NewReview(session: Session) -> impl IntoView {
    let navigate = use_navigate();
    let title = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let named = title.get_untracked().trim().to_owned();
        if named.is_empty() {
            error.set(Some("Give the review a name, such as \"Management review, spring 2026\".".into()));
            return;
        }
        let created = session.create_document(DocumentKind::ManagementReview, &named, |doc, now| {
            model::create_management_review(doc, now, &named)
        });
        match created {
            Ok(id) => {
                error.set(None);
                navigate(&format!("/reviews/{id}"), Default::default());
            }
            Err(reason) => error
                .set(Some(format!("The review was not created ({reason}); reload the page and try again."))),
        }
    };
    view! {
        <form class="card add-record review-new" on:submit=submit aria-labelledby="review-new-heading">
            <h2 id="review-new-heading">"Hold a new review"</h2>
            <div class="field field-grow">
                <label for="review-new-title">"Name"</label>
                <input
                    id="review-new-title"
                    type="text"
                    bind:value=title
                    placeholder="Management review, spring 2026"
                    aria-describedby="review-new-error"
                />
            </div>
            <button type="submit" class="button">"Hold a new review"</button>
            <p id="review-new-error" class="field-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
