//! One internal audit: its fields, the impartiality warning, the scope, the checklist, the
//! findings, the conclusion and closing. The audit is read once here, on every change, and
//! handed to the parts as a memo.

use leptos::prelude::*;
use quorum_shared::model::{
    self, AuditField, AuditItem, Date, DocumentId, FindingKind, ImpartialityConflict, InternalAudit,
    MemberId, ModelError, TextEdit, audit_violations,
};

use super::Context;
use super::checklist::Checklist;
use super::findings::Findings;
use super::planned::impartiality_conflicts_of;
use super::scope::ScopeEditor;
use crate::components::field::TextField;
use crate::components::owner::OwnerSelect;
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::{Session, now_ms};

/// What the parts of the audit page share.
#[derive(Clone, Copy)]
pub struct Audit {
    pub session: Session,
    pub doc_id: StoredValue<String>,
    pub audit: Memo<Option<InternalAudit>>,
    pub context: Context,
    /// A finding to start in the findings form, asked for by a checklist row.
    pub prefill: RwSignal<Option<(AuditItem, FindingKind)>>,
}

impl Audit {
    /// Runs one domain operation on the audit; the error, if any, in a person's words.
    pub fn edit(
        &self,
        operation: impl FnOnce(&mut automerge::AutoCommit) -> Result<(), ModelError>,
    ) -> Result<(), String> {
        self.doc_id.with_value(|id| self.session.edit(id, operation)).map_err(|e| explain(&e))
    }

    pub fn document_id(&self) -> Option<DocumentId> {
        self.doc_id.with_value(|id| id.parse().ok())
    }
}

#[component]
pub fn AuditEditor(session: Session, doc_id: String) -> impl IntoView {
    let read_id = doc_id.clone();
    let audit = Memo::new(move |_| session.read(&read_id, |doc| InternalAudit::load(doc).ok()).flatten());
    let context = Context::new(session);
    let shared =
        Audit { session, doc_id: StoredValue::new(doc_id), audit, context, prefill: RwSignal::new(None) };
    let loaded = Memo::new(move |_| audit.with(Option::is_some));
    move || {
        if !loaded.get() {
            return view! { <p class="muted" role="status">"Loading the audit… it opens as soon as this browser has it."</p> }.into_any();
        }
        let closed = move || audit.with(|a| a.as_ref().is_some_and(InternalAudit::is_closed));
        view! {
            <div class="audit" data-status=move || if closed() { "closed" } else { "open" }>
                <header class="audit-header">
                    <p class="audit-kicker"><a href="/audits">"Internal audit"</a>" · ISO/IEC 42001 9.2"</p>
                    <h1>{move || audit.with(|a| a.as_ref().map(|a| a.title.clone()).unwrap_or_default())}</h1>
                    <span class=move || format!("audit-status audit-status-{}", if closed() { "closed" } else { "open" })>
                        {move || match audit.with(|a| a.as_ref().and_then(|a| a.closed_on)) {
                            Some(on) => format!("Closed on {on}"),
                            None => "Open".into(),
                        }}
                    </span>
                </header>
                <AuditFields audit=shared/>
                <details class="card audit-scope-card">
                    <summary>{move || match audit.with(|a| a.as_ref().map_or(0, |a| a.scope.len())) {
                        1 => "Scope: 1 clause or control".to_owned(),
                        n => format!("Scope: {n} clauses and controls"),
                    }}</summary>
                    <ScopeEditor prefix="audit" scope=Signal::derive(move || audit.with(|a| a.as_ref().map(|a| a.scope.clone()).unwrap_or_default()))
                        soa=context.soa
                        on_change=Callback::new(move |(items, included): (Vec<AuditItem>, bool)| {
                            let result = shared.edit(|doc| model::set_audit_scope(doc, now_ms(), &items, included));
                            result.is_ok()
                        })
                        disabled=Signal::derive(move || !session.can_edit())/>
                </details>
                <Checklist audit=shared/>
                <Findings audit=shared/>
                <Conclusion audit=shared/>
            </div>
        }
        .into_any()
    }
}

#[component]
fn AuditFields(audit: Audit) -> impl IntoView {
    let Audit { session, audit: memo, context, .. } = audit;
    let error = RwSignal::new(None::<String>);
    let edit = move |field: AuditField| {
        let result = audit.edit(|doc| model::edit_audit(doc, now_ms(), field));
        error.set(result.clone().err());
        result.is_ok()
    };
    let read =
        move |f: fn(&InternalAudit) -> String| move || memo.with(|a| a.as_ref().map(f).unwrap_or_default());
    let title = read(|a| a.title.clone());
    let held_on = read(|a| a.held_on.map(|d| d.to_string()).unwrap_or_default());
    let criteria = Signal::derive(read(|a| a.criteria.as_str().to_owned()));
    let auditor = Signal::derive(move || memo.with(|a| a.as_ref().and_then(|a| a.auditor)));
    // A refused edit puts the stored value back (`TextField` does that).
    let on_title = Callback::new(move |text: String| edit(AuditField::Title(text.trim().to_owned())));
    let on_held = Callback::new(move |text: String| match text.parse::<Date>() {
        Ok(date) => edit(AuditField::HeldOn(Some(date))),
        Err(_) if text.is_empty() => edit(AuditField::HeldOn(None)),
        Err(_) => {
            error.set(Some("That is not a real date: pick one from the calendar.".into()));
            false
        }
    });
    let on_criteria = Callback::new(move |text: String| edit(AuditField::Criteria(TextEdit::Replace(text))));
    let on_auditor = Callback::new(move |chosen: Option<MemberId>| edit(AuditField::Auditor(chosen)));
    let conflicts = Memo::new(move |_| {
        let Some(auditor) = auditor.get() else { return Vec::new() };
        memo.with(|a| {
            a.as_ref().map(|a| impartiality_conflicts_of(context, auditor, &a.scope)).unwrap_or_default()
        })
    });
    view! {
        <fieldset class="card audit-fields" prop:disabled=move || !session.can_edit()>
            <legend class="visually-hidden">"About this audit"</legend>
            <TextField id="audit-title" label="Title" classes="field-wide" value=Signal::derive(title) on_change=on_title/>
            <div class="field">
                <label for="audit-auditor">"Auditor"</label>
                <OwnerSelect id="audit-auditor" members=context.members value=auditor on_change=on_auditor/>
            </div>
            <TextField id="audit-held-on" label="Held on" kind="date" value=Signal::derive(held_on) on_change=on_held/>
            <Prose id="audit-criteria" label="Criteria" value=criteria on_edit=on_criteria rows=2
                hint="What practice is compared against: the standard, the AI policy, procedures."/>
        </fieldset>
        <ImpartialityWarning conflicts/>
        <p class="field-error" role="alert">{move || error.get()}</p>
    }
}

/// The areas the auditor is responsible for, as a warning: an audit should be done by someone
/// who does not audit their own work.
#[component]
pub fn ImpartialityWarning(conflicts: Memo<Vec<ImpartialityConflict>>) -> impl IntoView {
    move || {
        let conflicts = conflicts.get();
        if conflicts.is_empty() {
            return ().into_any();
        }
        view! {
            <div class="impartiality-warning" role="status" data-conflicts=conflicts.len().to_string()>
                <p><strong>"The auditor would audit their own work."</strong>" Choose someone independent of these areas, or record why this is acceptable in the criteria. The auditor:"</p>
                <ul>{conflicts.iter().map(|c| view! { <li>{c.describe()}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any()
    }
}

#[component]
fn Conclusion(audit: Audit) -> impl IntoView {
    let Audit { session, audit: memo, .. } = audit;
    let error = RwSignal::new(None::<String>);
    let conclusion = Signal::derive(move || {
        memo.with(|a| a.as_ref().map(|a| a.conclusion.as_str().to_owned()).unwrap_or_default())
    });
    let on_conclusion = Callback::new(move |text: String| {
        let result = audit
            .edit(|doc| model::edit_audit(doc, now_ms(), AuditField::Conclusion(TextEdit::Replace(text))));
        error.set(result.clone().err());
        result.is_ok()
    });
    let closed = move || memo.with(|a| a.as_ref().is_some_and(InternalAudit::is_closed));
    let on_close = move |_| {
        let today = crate::session::today();
        let result = audit.edit(|doc| model::close_audit(doc, now_ms(), today));
        error.set(result.err());
    };
    let on_reopen = move |_| {
        let result = audit.edit(|doc| model::reopen_audit(doc, now_ms()));
        error.set(result.err());
    };
    let broken = move || {
        memo.with(|a| a.as_ref().map(audit_violations).unwrap_or_default()).into_iter().next().map(|v| match v {
            model::AuditViolation::ClosedButOpen(refusal) => {
                format!("This audit was closed while someone changed it: {refusal}. Reopen it, complete it and close it again.")
            }
        })
    };
    view! {
        <section class="card audit-conclusion" aria-labelledby="audit-conclusion-heading">
            <h2 id="audit-conclusion-heading">"Conclusion"</h2>
            <fieldset prop:disabled=move || !session.can_edit()>
                <legend class="visually-hidden">"Conclusion"</legend>
                <Prose id="audit-conclusion" label="What the audit concluded" value=conclusion on_edit=on_conclusion rows=4
                    hint="Whether the AI management system in scope conforms and is effective, in a few sentences a reader of the management review understands."/>
            </fieldset>
            <p class="audit-broken" role="status">{broken}</p>
            <Show when=move || session.can_edit()>
                {move || if closed() {
                    view! { <button type="button" class="button secondary" id="audit-reopen" on:click=on_reopen>"Reopen the audit"</button> }.into_any()
                } else {
                    view! { <button type="button" class="button" id="audit-close" on:click=on_close>"Close the audit"</button> }.into_any()
                }}
            </Show>
            <p class="field-error" id="audit-close-error" role="alert">{move || error.get()}</p>
        </section>
    }
}
