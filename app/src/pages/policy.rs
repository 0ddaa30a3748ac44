//! The AI policy (ISO/IEC 42001 5.2, A.2): its title and text, edited by several people at once
//! with character-level merging, its review date, and its versions: the text is proposed as a
//! version, a member approves it, and approved versions stay readable however the draft changes.
//! Everything is read from the policy document on every change; every edit is one
//! `shared::model` operation through the session.

mod approval;
mod guidance;
mod standing;
mod versions;

use std::collections::BTreeMap;

use automerge::AutoCommit;
use leptos::prelude::*;
use quorum_shared::model::{
    self, AiPolicy, Date, DocumentKind, MemberId, ModelError, PolicyVersionId, TextEdit, Workspace,
};

use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::{Session, now_ms, timezone_offset, today};
pub use standing::{PolicyView, Standing, VersionView};

#[component]
pub fn PolicyPage() -> impl IntoView {
    let session = expect_context::<Session>();
    view! { <PolicyEditor session/> }
}

#[component]
fn PolicyEditor(session: Session) -> impl IntoView {
    let policy_id = Memo::new(move |_| session.document_of(DocumentKind::Policy));
    let root_id = session.membership().root_id().to_owned();
    let workspace = Memo::new(move |_| session.read(&root_id, |doc| Workspace::load(doc).ok()).flatten());
    let names = Memo::new(move |_| {
        workspace.with(|w| {
            w.iter()
                .flat_map(|w| w.members.iter().map(|(id, m)| (*id, m.name.clone())))
                .collect::<BTreeMap<_, _>>()
        })
    });
    let policy = Memo::new(move |previous: Option<&Option<PolicyView>>| {
        let id = policy_id.get()?;
        // A version's text never changes once proposed, so what was read before is reused
        // instead of reading the document at old heads again on every keystroke.
        let known: BTreeMap<PolicyVersionId, String> = previous
            .and_then(Option::as_ref)
            .map(|p| p.versions.iter().map(|v| (v.id, v.text.clone())).collect())
            .unwrap_or_default();
        session.read(&id, |doc| read_policy(doc, &known)).flatten()
    });
    let loaded = Memo::new(move |_| policy.with(Option::is_some));

    view! {
        <div class="page policy">
            <h1>"AI policy"</h1>
            <p class="lede">
                "What the organization commits to in its use of AI, approved by a member and reviewed on a date you set. "
                "Several people can type at once; changes are saved as you make them."
            </p>
            {move || {
                let Some(doc_id) = policy_id.get().filter(|_| loaded.get()) else {
                    return view! { <p class="muted" role="status">"Loading the AI policy…"</p> }.into_any();
                };
                view! { <PolicyBody session doc_id policy workspace names/> }.into_any()
            }}
        </div>
    }
}

#[component]
fn PolicyBody(
    session: Session,
    doc_id: String,
    policy: Memo<Option<PolicyView>>,
    workspace: Memo<Option<Workspace>>,
    names: Memo<BTreeMap<MemberId, String>>,
) -> impl IntoView {
    let doc_id = StoredValue::new(doc_id);
    let title = Memo::new(move |_| policy.with(|p| p.as_ref().map(|p| p.title.clone()).unwrap_or_default()));
    let text = Memo::new(move |_| policy.with(|p| p.as_ref().map(|p| p.text.clone()).unwrap_or_default()));
    let review_date = Memo::new(move |_| policy.with(|p| p.as_ref().and_then(|p| p.review_date)));
    let standing = Memo::new(move |_| {
        policy.with(|p| {
            let p = p.as_ref()?;
            let standing = p.standing();
            Some((standing.key(), names.with(|names| standing.sentence(names, timezone_offset()))))
        })
    });
    // The version in force while the draft has changed since: what the history compares with now.
    let changed_from = Memo::new(move |_| {
        policy.with(|p| match p.as_ref()?.standing() {
            Standing::DraftChanges { since } => {
                let heads = since.sign_offs.first()?.1.heads.clone();
                Some((since.number, model::parse_heads(&heads).ok()?))
            }
            _ => None,
        })
    });
    let history = use_context::<crate::components::history::HistoryState>();
    let title_error = RwSignal::new(None::<String>);
    let date_error = RwSignal::new(None::<String>);
    let text_error = RwSignal::new(None::<String>);

    let on_text = Callback::new(move |new_text: String| {
        let result = doc_id.with_value(|id| {
            session.edit(id, |doc| model::edit_policy_text(doc, now_ms(), TextEdit::Replace(new_text)))
        });
        text_error.set(result.as_ref().err().map(explain));
        result.is_ok()
    });
    let on_title = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        if value == title.get_untracked() {
            return;
        }
        if value.trim().is_empty() {
            title_error.set(Some("Give the policy a title, such as \"AI policy\".".to_owned()));
            return;
        }
        let result = doc_id
            .with_value(|id| session.edit(id, |doc| model::set_policy_title(doc, now_ms(), value.trim())));
        title_error.set(result.err().as_ref().map(explain));
    };
    let on_review_date = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        let date = match value.trim() {
            "" => None,
            value => match value.parse::<Date>() {
                Ok(date) => Some(date),
                Err(_) => {
                    date_error.set(Some(
                        "Pick the review date from the calendar, or type it as YYYY-MM-DD.".to_owned(),
                    ));
                    return;
                }
            },
        };
        let result = doc_id
            .with_value(|id| session.edit(id, |doc| model::set_policy_review_date(doc, now_ms(), date)));
        date_error.set(result.err().as_ref().map(explain));
    };
    let review_note = move || {
        let today = today();
        match review_date.get() {
            None => Some(("unset", "No review date yet: set when the policy is next reviewed.")),
            Some(date) if date < today => {
                Some(("overdue", "The review date has passed: review the policy, then set the next date."))
            }
            Some(_) => None,
        }
    };

    view! {
        <p
            class="policy-standing"
            role="status"
            data-standing=move || standing.with(|s| s.as_ref().map_or("", |(key, _)| *key))
        >
            {move || standing.with(|s| s.as_ref().map(|(_, sentence)| sentence.clone()).unwrap_or_default())}
            {move || {
                let (number, heads) = changed_from.get()?;
                let history = history?;
                Some(view! {
                    " "
                    <button type="button" class="button-quiet" id="policy-changed-since"
                        on:click=move |_| history.compare_with_now(heads.clone())>
                        {format!("What changed since version {number}")}
                    </button>
                })
            }}
        </p>
        <div class="policy-layout">
            <div class="policy-main">
                <section class="card policy-editor" aria-label="Policy text">
                    <fieldset class="policy-fields" prop:disabled=move || !session.can_edit()>
                        <legend class="policy-legend">"The policy"</legend>
                        <div class="field">
                            <label for="policy-title">"Title"</label>
                            <input
                                id="policy-title"
                                type="text"
                                prop:value=move || title.get()
                                aria-describedby="policy-title-error"
                                on:change=on_title
                            />
                            <p id="policy-title-error" class="field-error" role="alert">{move || title_error.get()}</p>
                        </div>
                        <Prose
                            id="policy-text"
                            label="Policy text"
                            hint="Write the commitments in plain words; the guidance beside this says what an auditor expects to find."
                            value=text
                            on_edit=on_text
                            disabled=Signal::derive(move || !session.can_edit())
                            rows=16
                        />
                        <p class="field-error" role="alert">{move || text_error.get()}</p>
                        <div class="field policy-review">
                            <label for="policy-review-date">"Next review"</label>
                            <input
                                id="policy-review-date"
                                type="date"
                                prop:value=move || review_date.get().map(|d| d.to_string()).unwrap_or_default()
                                aria-describedby="policy-review-note policy-review-error"
                                on:change=on_review_date
                            />
                            <p id="policy-review-note" class="policy-review-note" data-review=move || review_note().map_or("set", |(k, _)| k)>
                                {move || review_note().map(|(_, note)| note)}
                            </p>
                            <p id="policy-review-error" class="field-error" role="alert">{move || date_error.get()}</p>
                        </div>
                    </fieldset>
                </section>
                <approval::ApprovalPanel session doc_id policy workspace/>
                <versions::VersionList policy names doc_id/>
            </div>
            <guidance::Guidance/>
        </div>
    }
}

/// The policy as the page shows it; `known` holds version texts read before.
fn read_policy(doc: &AutoCommit, known: &BTreeMap<PolicyVersionId, String>) -> Option<PolicyView> {
    let policy = AiPolicy::load(doc).ok()?;
    Some(PolicyView::new(&policy, |version| {
        known
            .get(&version)
            .cloned()
            .unwrap_or_else(|| model::policy_text_at(doc, version).unwrap_or_default())
    }))
}

/// The member this tab acts for: the document's actor (the session sets it to this tab's before
/// every operation) is listed in the root document under its member.
fn acting_member(doc: &AutoCommit, workspace: Option<&Workspace>) -> Result<MemberId, ModelError> {
    let actor = doc.get_actor();
    workspace
        .and_then(|w| w.member_for_actor(actor))
        .ok_or_else(|| ModelError::NotFound { what: "member", id: actor.to_string() })
}
