//! The agenda: one input per topic, each with a live line from the workspace's own records and
//! the committee's notes. The first input also lists the open actions of earlier reviews, read
//! from their own documents; marking one done edits that earlier review, so every later review
//! sees it done at once and nothing is copied.

use leptos::prelude::*;
use leptos_router::components::A;
use quorum_shared::model::{
    self, DocumentId, ManagementReview, MemberId, ReviewActionField, ReviewTopic, TextEdit, Workspace,
};
use quorum_shared::readiness::review_input_summary;

use super::all_reviews;
use crate::components::owner::owner_name;
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::pages::dashboard::sources::Pieces;
use crate::session::today;
use crate::session::{Session, now_ms};

#[component]
pub fn Agenda(
    session: Session,
    doc_id: StoredValue<String>,
    review: Memo<Option<ManagementReview>>,
    members: Memo<Vec<(MemberId, String)>>,
) -> impl IntoView {
    let root = session.membership().root_id().to_owned();
    let workspace = Memo::new(move |_| session.read(&root, |doc| Workspace::load(doc).ok()).flatten());
    let pieces = StoredValue::new_local(Pieces::new(session));
    let held_on = Memo::new(move |_| review.with(|r| r.as_ref().and_then(|r| r.held_on)));
    let summaries = Memo::new(move |_| {
        let evidence = workspace
            .with(|w| w.as_ref().map(|w| pieces.with_value(|pieces| pieces.evidence(w))))
            .unwrap_or_default();
        let (held, today) = (held_on.get(), today());
        ReviewTopic::ALL.map(|topic| review_input_summary(topic, &evidence, held, today))
    });
    let error = RwSignal::new(None::<String>);
    let can_edit = session.can_edit();

    view! {
        <section class="card review-agenda" aria-labelledby="review-agenda-heading">
            <h2 id="review-agenda-heading">"Agenda"</h2>
            <p class="hint">
                "Each input starts with what the workspace's own records say today. Write what the committee made of it: what it means, what worries it, what it wants done."
            </p>
            <ol class="review-inputs">
                {ReviewTopic::ALL
                    .into_iter()
                    .enumerate()
                    .map(|(n, topic)| {
                        let token = topic.as_token();
                        let notes = Signal::derive(move || {
                            review.with(|r| r.as_ref().map(|r| r.notes(topic).to_owned()).unwrap_or_default())
                        });
                        let noted = move || !notes.with(|n| n.trim().is_empty());
                        let on_edit = Callback::new(move |text: String| {
                            let result = doc_id.with_value(|id| {
                                session.edit(id, |doc| {
                                    model::edit_review_input(doc, now_ms(), topic, TextEdit::Replace(text))
                                })
                            });
                            error.set(result.as_ref().err().map(explain));
                            result.is_ok()
                        });
                        view! {
                            <li class="review-input" data-topic=token data-noted=move || noted().to_string()>
                                <h3>{topic.label()}</h3>
                                <p class="review-summary" data-summary=token>
                                    <span class="visually-hidden">"From the records: "</span>
                                    {move || summaries.with(|s| s[n].clone())}
                                </p>
                                {(topic == ReviewTopic::EarlierActions)
                                    .then(|| view! { <CarriedActions session doc_id members/> })}
                                <Prose
                                    id=format!("review-input-{token}")
                                    label="The committee's notes"
                                    hint=topic.hint()
                                    value=notes
                                    on_edit
                                    disabled=!can_edit
                                    rows=3
                                />
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
}

#[component]
fn CarriedActions(
    session: Session,
    doc_id: StoredValue<String>,
    members: Memo<Vec<(MemberId, String)>>,
) -> impl IntoView {
    let carried = Memo::new(move |_| {
        let reviews: Vec<(DocumentId, ManagementReview)> =
            all_reviews(session).into_iter().filter_map(|(id, _, _, r)| Some((id, r?))).collect();
        let Some(this) = doc_id.with_value(|id| id.parse::<DocumentId>().ok()) else { return Vec::new() };
        model::carried_actions(&reviews, this)
    });
    let error = RwSignal::new(None::<String>);
    let can_edit = session.can_edit();
    let today = today();
    view! {
        <Show
            when=move || !carried.with(Vec::is_empty)
            fallback=|| view! { <p class="muted review-carried-none">"No open action is carried over from an earlier review."</p> }
        >
            <ul class="review-carried" aria-label="Open actions of earlier reviews">
                <For
                    each=move || carried.get()
                    key=|c| (c.review, c.id, c.action.done)
                    children=move |c| {
                        let box_id = format!("carried-{}-done", c.id);
                        let (review_id, action_id) = (c.review.to_string(), c.id);
                        let late = c.action.due.is_some_and(|due| due < today);
                        let on_done = move |event: leptos::ev::Event| {
                            let input: web_sys::HtmlInputElement = event_target(&event);
                            let done = input.checked();
                            let result = session.edit(&review_id, |doc| {
                                model::edit(doc, now_ms(), action_id, ReviewActionField::Done(done))
                            });
                            if result.is_err() {
                                input.set_checked(!done);
                            }
                            error.set(result.as_ref().err().map(explain));
                        };
                        let owner = members.with_untracked(|m| owner_name(m, c.action.owner));
                        view! {
                            <li class="review-carried-action" data-action=c.id.to_string() class:overdue=late>
                                <input id=box_id.clone() type="checkbox" prop:disabled=!can_edit on:change=on_done/>
                                <label for=box_id>
                                    <span class="review-carried-title">{c.action.title.clone()}</span>
                                    " — "
                                    {if owner.is_empty() { "nobody yet".to_owned() } else { owner }}
                                    {c.action.due.map(|due| format!(", due {due}{}", if late { " (overdue)" } else { "" }))}
                                </label>
                                " "
                                <A href=format!("/reviews/{}", c.review)>{format!("from {} ({})", c.review_title, c.held_on)}</A>
                            </li>
                        }
                    }
                />
            </ul>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </Show>
    }
}
