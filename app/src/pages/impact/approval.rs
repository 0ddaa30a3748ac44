//! Review and approval of an assessment: where it stands, the step it can take next (submit for
//! review, approve, return to draft), who approved which text and when, and what is still
//! missing. An approval is bound to the document's heads, so after later edits the page says the
//! text changed and still shows the text that was approved. An approval is signed by this
//! device's key before it is recorded, and its signature is checked wherever it is shown.

use leptos::prelude::*;
use leptos::task::spawn_local;
use quorum_shared::model::{self, AssessmentStatus, ModelError, SectionId};

use super::assessment::Assessment;
use super::state::{ApprovalView, AssessmentView, member_name};
use crate::session::now_ms;

#[component]
pub fn ApprovalPanel(assessment: Assessment) -> impl IntoView {
    let Assessment { session, view, workspace, .. } = assessment;
    let error = RwSignal::new(None::<String>);
    let note = RwSignal::new(String::new());
    let status = Memo::new(move |_| view.with(|v| v.as_ref().map(|v| v.status).unwrap_or_default()));
    let approval = Memo::new(move |_| view.with(|v| v.as_ref().and_then(|v| v.approval.clone())));
    let changed = Memo::new(move |_| {
        view.with(|v| v.as_ref().map(AssessmentView::changed_since_approval).unwrap_or_default())
    });
    let missing = Memo::new(move |_| {
        view.with(|v| v.as_ref().map(AssessmentView::missing_before_approval).unwrap_or_default())
    });
    let sections_lost = Memo::new(move |_| {
        view.with(|v| {
            v.as_ref().is_some_and(|v| {
                v.violations
                    .iter()
                    .any(|violation| matches!(violation, model::AssessmentViolation::MissingSection(_)))
            })
        })
    });
    let approver =
        move |approval: &ApprovalView| workspace.with(|w| member_name(w.as_ref(), approval.member));
    let when = |approval: &ApprovalView| {
        quorum_shared::model::Date::of_ms(approval.at_ms, crate::session::timezone_offset()).to_string()
    };

    let run = move |operation: fn(&mut automerge::AutoCommit, i64) -> Result<(), ModelError>| {
        error.set(assessment.edit(|doc| operation(doc, now_ms())).err());
    };
    // While this device signs the approval (a moment; the button waits for it).
    let signing = RwSignal::new(false);
    let approve = move |_| {
        let text = note.get_untracked().trim().to_owned();
        let id = assessment.doc_id.get_value();
        let Some(member) = untrack(|| session.member_id()) else {
            error.set(Some(crate::explain::explain(&ModelError::NotFound {
                what: "member",
                id: String::new(),
            })));
            return;
        };
        // Exactly what is approved: the assessment as this person sees it now.
        let Some(heads) = session.heads_now(&id) else { return };
        signing.set(true);
        spawn_local(async move {
            let subject = model::ASSESSMENT_SUBJECT.to_owned();
            let result = session
                .approve(&id, subject, member, heads, |doc, at, signed| {
                    model::approve_assessment(doc, at, member, &text, signed)
                })
                .await
                .map_err(|e| crate::explain::explain(&e));
            signing.set(false);
            if result.is_ok() {
                note.set(String::new());
            }
            error.set(result.err());
        });
    };
    let verdict = move |approval: &ApprovalView| {
        let id = assessment.doc_id.get_value();
        let claim = approval.stored.claim(&id, model::ASSESSMENT_SUBJECT.to_owned(), approval.member);
        session.verify(&id, claim, approval.stored.signature.as_ref())
    };
    let restore = move |_| {
        error.set(assessment.edit(|doc| model::restore_missing_sections(doc, now_ms()).map(|_| ())).err());
    };

    view! {
        <section class="impact-approval-panel" aria-labelledby="impact-approval-heading">
            <h2 id="impact-approval-heading">"Review and approval"</h2>
            <p class="impact-stage">
                {move || match status.get() {
                    AssessmentStatus::Draft => "Draft: the sections are being written. Submit it for review once they say what they need to.",
                    AssessmentStatus::InReview => "In review: reviewers read it now. Approve it as it stands, or return it to draft with what should change.",
                    AssessmentStatus::Approved => "Approved: this is the organization's agreed view of the system's impacts until its next review.",
                }}
            </p>
            {move || approval.get().map(|approval| view! {
                <p class="impact-approval" data-approved-by=approver(&approval)>
                    {format!("Last approved by {} on {}.", approver(&approval), when(&approval))}
                    {(!approval.note.is_empty()).then(|| format!(" Note: {}", approval.note))}
                    {
                        let approval = approval.clone();
                        move || {
                            let verdict = verdict(&approval);
                            view! { <span class="approval-verdict" data-verdict=verdict.token()>{format!(" ({})", verdict.words())}</span> }
                        }
                    }
                </p>
            })}
            {move || {
                let approval = approval.get()?;
                let changed = changed.get();
                if changed.is_empty() {
                    return None;
                }
                let list = changed.iter().map(SectionId::as_str).collect::<Vec<_>>().join(", ");
                let what = if changed.len() == 1 { format!("section {list} has") } else { format!("sections {list} have") };
                let message = format!(
                    "{} approved it on {}; since then {what} been edited. Submit it for review again to have the changes approved.",
                    approver(&approval),
                    when(&approval),
                );
                Some(view! {
                    <div class="impact-changed" role="status">
                        <p>
                            <strong>"The text has changed since the approval. "</strong>
                            {message}
                        </p>
                        <ApprovedText approval changed/>
                    </div>
                })
            }}
            <Show when=move || session.can_edit()>
                <div class="impact-actions">
                    {move || match status.get() {
                        AssessmentStatus::Draft => view! {
                            <button type="button" class="button" on:click=move |_| run(model::submit_for_review)>"Submit for review"</button>
                        }
                        .into_any(),
                        AssessmentStatus::InReview => view! {
                            <div class="field impact-note">
                                <label for="impact-approval-note">"Approval note (optional)"</label>
                                <input id="impact-approval-note" type="text" bind:value=note placeholder="Conditions attached to the approval, if any"/>
                            </div>
                            <button type="button" class="button" on:click=approve prop:disabled=move || signing.get()>"Approve"</button>
                            <button type="button" class="button button-secondary" on:click=move |_| run(model::return_to_draft)>"Return to draft"</button>
                        }
                        .into_any(),
                        AssessmentStatus::Approved => view! {
                            <button type="button" class="button button-secondary" on:click=move |_| run(model::return_to_draft)>"Return to draft"</button>
                        }
                        .into_any(),
                    }}
                </div>
                <p class="field-error" role="alert">{move || error.get()}</p>
            </Show>
            {move || {
                let unchanged_approval = status.get() == AssessmentStatus::Approved && changed.with(Vec::is_empty);
                (!unchanged_approval).then(|| {
                    let missing = missing.get();
                    let count = missing.len();
                    view! {
                        <div class="impact-missing" data-missing=count>
                            <h3>"Before approval"</h3>
                            {if missing.is_empty() {
                                view! { <p class="impact-ready">"Nothing is missing: every section is written and marked complete, and a review date is set."</p> }.into_any()
                            } else {
                                view! { <ul>{missing.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> }.into_any()
                            }}
                        </div>
                    }
                })
            }}
            <Show when=move || sections_lost.get() && session.can_edit()>
                <button type="button" class="button button-secondary" on:click=restore>"Restore the missing sections"</button>
            </Show>
        </section>
    }
}

/// The sections as they were approved, behind a disclosure so the page stays about the current text.
#[component]
fn ApprovedText(approval: ApprovalView, changed: Vec<SectionId>) -> impl IntoView {
    view! {
        <details class="impact-approved-text">
            <summary>"View the approved text"</summary>
            {SectionId::all()
                .map(|id| {
                    let text = approval.sections.get(&id).cloned().unwrap_or_default();
                    let was_changed = changed.contains(&id);
                    view! {
                        <section class="impact-approved-section" data-section=id.as_str() data-changed=was_changed.to_string()>
                            <h3>
                                <span class="ref">{id.as_str()}</span>" "{id.section().title}
                                {was_changed.then(|| view! { <span class="impact-badge">"changed since"</span> })}
                            </h3>
                            {if text.trim().is_empty() {
                                view! { <p class="muted">"(empty when approved)"</p> }.into_any()
                            } else {
                                view! { <p class="impact-approved-narrative">{text}</p> }.into_any()
                            }}
                        </section>
                    }
                })
                .collect_view()}
        </details>
    }
}
