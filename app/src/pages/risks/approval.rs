//! The owner's approval of a risk's treatment plan (ISO/IEC 42001 6.1.3): who approved and
//! when, or what changed since the approval and what it was, and for the risk's owner a button
//! that approves the treatment and accepts the residual risk. Viewers and other members see the
//! state only. The approval is signed by the owner's device before it is recorded, and shows
//! whether its signature holds.

use leptos::prelude::*;
use leptos::task::spawn_local;
use quorum_shared::model::{self, ApprovalState, RiskId, RiskRegister};

use super::{Choices, words};
use crate::explain::explain;
use crate::session::Session;

/// One risk's approval, as its card shows it.
#[component]
pub fn TreatmentApproval(
    session: Session,
    doc_id: StoredValue<String>,
    id: RiskId,
    register: Memo<Option<RiskRegister>>,
    choices: Memo<Choices>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let note = RwSignal::new(String::new());
    let offset = crate::session::timezone_offset();
    // (state name, headline, what each changed field was, the approver's note)
    let shown = Memo::new(move |_| {
        register.with(|r| {
            let register = r.as_ref()?;
            let state = register.approval_state(id);
            choices.with(|choices| {
                let (kind, was, note) = match &state {
                    ApprovalState::NotApproved => ("none", vec![], String::new()),
                    ApprovalState::Approved(a) => ("approved", vec![], a.sign_off.note.clone()),
                    ApprovalState::Changed { approval, changes } => (
                        "changed",
                        changes.iter().map(|f| words::was(*f, &approval.plan, choices)).collect(),
                        approval.sign_off.note.clone(),
                    ),
                };
                Some((kind, words::headline(&state, choices, offset), was, note))
            })
        })
    });
    let owner = Memo::new(move |_| register.with(|r| r.as_ref()?.risks.get(&id)?.owner));
    let is_owner = move || owner.get().is_some_and(|owner| session.member_id() == Some(owner));
    let can_approve = move || {
        session.can_edit() && is_owner() && shown.with(|s| s.as_ref().is_some_and(|s| s.0 != "approved"))
    };
    // While this device signs the approval (a moment; the button waits for it).
    let signing = RwSignal::new(false);
    let approve = move |_| {
        let Some(member) = session.member_id() else {
            error.set(Some(explain(&model::ModelError::NotFound { what: "member", id: String::new() })));
            return;
        };
        let text = note.get_untracked().trim().to_owned();
        let doc = doc_id.get_value();
        let Some(heads) = session.heads_now(&doc) else { return };
        signing.set(true);
        spawn_local(async move {
            let subject = model::treatment_subject(id);
            let result = session
                .approve(&doc, subject, member, heads, |d, at, signed| {
                    model::approve_treatment(d, at, member, id, &text, signed)
                })
                .await;
            signing.set(false);
            if result.is_ok() {
                note.set(String::new());
            }
            error.set(result.err().as_ref().map(explain));
        });
    };
    // The approval's signature, checked against the keys the relay certified.
    let verdict = Memo::new(move |_| {
        let approval = register.with(|r| r.as_ref()?.risks.get(&id)?.approval.clone())?;
        let doc = doc_id.get_value();
        let claim = approval.sign_off.claim(&doc, model::treatment_subject(id), approval.member);
        Some(session.verify(&doc, claim, approval.sign_off.signature.as_ref()))
    });
    let state_id = format!("risk-{id}-approval");
    let note_id = format!("risk-{id}-approval-note");
    let button_id = format!("risk-{id}-approve");
    let kind = move || shown.with(|s| s.as_ref().map_or("none", |s| s.0));

    view! {
        <section class="treatment-approval" data-approval=kind aria-label="Treatment approval">
            <p id=state_id class="approval-state" role="status">
                {move || shown.with(|s| s.as_ref().map(|s| s.1.clone()).unwrap_or_default())}
                {move || verdict.get().map(|verdict| view! {
                    <span class="approval-verdict" data-verdict=verdict.token()>{format!(" ({})", verdict.words())}</span>
                })}
            </p>
            <ul class="approval-was">
                {move || {
                    shown.with(|s| s.as_ref().map(|s| s.2.clone()).unwrap_or_default())
                        .into_iter()
                        .map(|line| view! { <li>{line}</li> })
                        .collect_view()
                }}
            </ul>
            {move || {
                let text = shown.with(|s| s.as_ref().map(|s| s.3.clone()).unwrap_or_default());
                (!text.trim().is_empty()).then(|| view! { <p class="approval-note">"Note: "{text}</p> })
            }}
            <Show when=can_approve>
                <div class="approve-treatment">
                    <div class="field">
                        <label for=note_id.clone()>"Note " <span class="hint">"(optional)"</span></label>
                        <input
                            id=note_id.clone()
                            type="text"
                            placeholder="e.g. Accepted until the next review"
                            prop:value=move || note.get()
                            on:input=move |event| note.set(event_target_value(&event))
                        />
                    </div>
                    <button id=button_id.clone() type="button" class="button approve-treatment-button" on:click=approve prop:disabled=move || signing.get()>
                        "Approve treatment and accept residual risk"
                    </button>
                </div>
            </Show>
            <Show when=move || session.can_edit() && !is_owner() && kind() != "approved">
                <p class="hint">
                    {move || match owner.get() {
                        Some(owner) => format!(
                            "Only its owner, {}, can approve this treatment.",
                            choices.with(|c| words::name(Some(owner), c))
                        ),
                        None => "Choose a risk owner: the owner approves the treatment.".to_owned(),
                    }}
                </p>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
}
