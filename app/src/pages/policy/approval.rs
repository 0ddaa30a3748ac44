//! Putting the policy to a member for approval: the current text is proposed as the next
//! version, and members approve the latest version, the first putting it in force and any
//! others co-signing. Both record the member this browser acts for; viewers see neither button.
//! An approval is signed by this device's key before it is recorded (`session/approvals.rs`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use quorum_shared::model::{self, AiPolicy, ModelError, Workspace};

use super::{PolicyView, acting_member};
use crate::explain::explain;
use crate::session::{Session, now_ms, random_id};

#[component]
pub fn ApprovalPanel(
    session: Session,
    doc_id: StoredValue<String>,
    policy: Memo<Option<PolicyView>>,
    workspace: Memo<Option<Workspace>>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let label = RwSignal::new(String::new());
    let next_proposal = Memo::new(move |_| policy.with(|p| p.as_ref().and_then(PolicyView::next_proposal)));
    // The latest version, while this member has not approved it: the first approval puts it in
    // force, and each further one adds a co-signer.
    let awaiting = Memo::new(move |_| {
        let me = session.member_id();
        policy.with(|p| {
            let latest = p.as_ref()?.versions.last()?;
            let signed = latest.approvals.iter().any(|(member, _)| Some(*member) == me);
            (!signed).then_some((latest.number, latest.id, latest.is_approved()))
        })
    });

    let propose = move |_| {
        let summary = label.get_untracked();
        let number = next_proposal.get_untracked().unwrap_or_default();
        let summary =
            if summary.trim().is_empty() { format!("Version {number}") } else { summary.trim().to_owned() };
        let result = doc_id.with_value(|id| {
            session.edit(id, |doc| {
                let member = workspace.with_untracked(|w| acting_member(doc, w.as_ref()))?;
                model::propose_policy_version(doc, now_ms(), random_id(), member, &summary)
            })
        });
        if result.is_ok() {
            label.set(String::new());
        }
        error.set(result.err().as_ref().map(explain));
    };
    // While this device signs the approval (a moment; the button waits for it).
    let signing = RwSignal::new(false);
    let approve = move |_| {
        let Some((_, version, _)) = awaiting.get_untracked() else { return };
        let id = doc_id.get_value();
        let Some(member) = untrack(|| session.member_id()) else {
            error.set(Some(explain(&ModelError::NotFound { what: "member", id: String::new() })));
            return;
        };
        // Exactly what is approved: the version's heads, frozen when it was proposed.
        let heads = untrack(|| {
            session.read(&id, |doc| AiPolicy::load(doc).ok()?.versions.get(&version).map(|v| v.heads.clone()))
        });
        let Some(heads) = heads.flatten() else { return };
        signing.set(true);
        spawn_local(async move {
            let subject = model::policy_version_subject(version);
            let result = session
                .approve(&id, subject, member, heads, |doc, at, signed| {
                    model::approve_policy_version(doc, at, member, version, "", signed)
                })
                .await;
            signing.set(false);
            error.set(result.err().as_ref().map(explain));
        });
    };

    view! {
        <Show when=move || session.can_edit()>
            <section class="card policy-approval" aria-labelledby="policy-approval-heading">
                <h2 id="policy-approval-heading">"Approval"</h2>
                {move || match (awaiting.get(), next_proposal.get()) {
                    (None, None) => view! {
                        <p class="muted">"Nothing to approve: the text is the latest version. Edit it to prepare the next one."</p>
                    }
                    .into_any(),
                    _ => ().into_any(),
                }}
                <Show when=move || awaiting.with(Option::is_some)>
                    <div class="policy-approve">
                        <p>
                            {move || match awaiting.get() {
                                Some((n, _, true)) => format!("Version {n} is approved and in force. Approving it too adds your name, the date and its exact text beside the others'."),
                                Some((n, _, false)) => format!("Approving records your name, the date and the exact text of version {n}, which stays readable below however the draft changes."),
                                None => String::new(),
                            }}
                        </p>
                        <button type="button" class="button approve-version" on:click=approve prop:disabled=move || signing.get()>
                            {move || match awaiting.get() {
                                Some((n, _, true)) => format!("Also approve version {n}"),
                                Some((n, ..)) => format!("Approve version {n}"),
                                None => String::new(),
                            }}
                        </button>
                    </div>
                </Show>
                <Show when=move || next_proposal.with(Option::is_some)>
                    <div class="policy-propose">
                        <div class="field">
                            <label for="policy-version-label">"What changed " <span class="hint">"(optional)"</span></label>
                            <input
                                id="policy-version-label"
                                type="text"
                                placeholder="e.g. First issue"
                                prop:value=move || label.get()
                                on:input=move |event| label.set(event_target_value(&event))
                            />
                        </div>
                        <button type="button" class="button propose-version" on:click=propose>
                            {move || format!("Propose this text as version {}", next_proposal.get().unwrap_or_default())}
                        </button>
                    </div>
                </Show>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </section>
        </Show>
    }
}
