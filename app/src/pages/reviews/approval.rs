//! Approving the minutes: a member signs the review as it stands, the approval bound to the
//! document's heads; when the minutes change afterwards, the page says so and asks for a new
//! approval. Viewers see who approved, never the button. An approval is signed by this device's
//! key before it is recorded, and each one shows whether its signature holds.

use leptos::prelude::*;
use leptos::task::spawn_local;
use quorum_shared::model::{self, ManagementReview, MemberId, MinutesState, ModelError};

use crate::components::owner::owner_name;
use crate::explain::explain;
use crate::session::Session;

#[component]
pub fn MinutesApproval(
    session: Session,
    doc_id: StoredValue<String>,
    review: Memo<Option<ManagementReview>>,
    state: Memo<Option<MinutesState>>,
    members: Memo<Vec<(MemberId, String)>>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let approvals = Memo::new(move |_| {
        review.with(|r| {
            let mut list: Vec<(MemberId, i64, bool)> = r
                .as_ref()
                .map(|r| {
                    let digest = r.minutes_digest();
                    r.approvals.iter().map(|(m, a)| (*m, a.at_ms, a.digest == digest)).collect()
                })
                .unwrap_or_default();
            quorum_shared::order::sort_by_key(&mut list, |(m, at, _)| (*at, *m));
            list
        })
    });
    // While this device signs the approval (a moment; the button waits for it).
    let signing = RwSignal::new(false);
    let approve = move |_| {
        // Who approves is read before the edit: the session's documents are not readable while
        // one of them is being changed.
        let Some(member) = session.member_id() else {
            error.set(Some(explain(&ModelError::NotFound { what: "member", id: String::new() })));
            return;
        };
        let id = doc_id.get_value();
        let Some(heads) = session.heads_now(&id) else { return };
        signing.set(true);
        spawn_local(async move {
            let subject = model::MINUTES_SUBJECT.to_owned();
            let result = session
                .approve(&id, subject, member, heads, |doc, at, signed| {
                    model::approve_minutes(doc, at, member, "", signed)
                })
                .await;
            signing.set(false);
            error.set(result.as_ref().err().map(explain));
        });
    };
    // Each approval's signature, checked against the keys the relay certified.
    let verdict = move |member: MemberId| {
        let id = doc_id.get_value();
        let approval = review.with(|r| r.as_ref()?.approvals.get(&member).cloned());
        let claim = approval.as_ref().and_then(|a| a.claim(&id, member));
        session.verify(&id, claim, approval.as_ref().and_then(|a| a.signature.as_ref()))
    };
    let status = move || match state.get() {
        Some(MinutesState::Approved { at_ms, by }) => {
            format!("Approved by {} on {}.", members.with(|m| owner_name(m, Some(by))), when(at_ms))
        }
        Some(MinutesState::ChangedSince { at_ms, by }) => format!(
            "Changed since approval: {} approved the minutes on {}, and they have been edited since.",
            members.with(|m| owner_name(m, Some(by))),
            when(at_ms)
        ),
        _ => "Not approved yet. Once the review is held and the minutes read right, a member approves them."
            .into(),
    };
    view! {
        <section class="card review-approval" aria-labelledby="review-approval-heading">
            <h2 id="review-approval-heading">"Minutes"</h2>
            <p class="review-approval-status" role="status">{status}</p>
            <Show when=move || !approvals.with(Vec::is_empty)>
                <ul class="review-approvals">
                    {move || approvals.get().into_iter().map(|(member, at, current)| view! {
                        <li data-member=member.to_string() data-current=current.to_string()>
                            {members.with(|m| owner_name(m, Some(member)))}", "{when(at)}
                            {(!current).then(|| view! { <span class="review-badge review-badge-changed">"changed since"</span> })}
                            {move || {
                                let verdict = verdict(member);
                                view! { <span class="approval-verdict" data-verdict=verdict.token()>{format!(" ({})", verdict.words())}</span> }
                            }}
                        </li>
                    }).collect_view()}
                </ul>
            </Show>
            <Show when=move || session.can_edit() && !state.get().is_some_and(|s| s.is_current())>
                <button type="button" class="button approve-minutes" on:click=approve prop:disabled=move || signing.get()>"Approve the minutes"</button>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
}

/// A time as the person's calendar day.
fn when(at_ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at_ms as f64));
    format!("{:04}-{:02}-{:02}", date.get_full_year(), date.get_month() + 1, date.get_date())
}
