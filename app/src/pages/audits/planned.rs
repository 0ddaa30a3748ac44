//! One planned audit as a card: title, auditor, dates, criteria, scope, a warning when the
//! auditor would audit their own area, and the button that starts the audit (its own document,
//! linked both ways), or the link to it once started.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use quorum_shared::model::{
    self, AuditItem, AuditProgramme, Date, DocumentKind, InternalAudit, MemberId, ModelError, PlannedAudit,
    PlannedAuditField, PlannedAuditId, TextEdit, impartiality_conflicts,
};

use super::Context;
use super::audit::ImpartialityWarning;
use super::scope::ScopeEditor;
use crate::components::field::TextField;
use crate::components::owner::OwnerSelect;
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::{Session, now_ms};

#[component]
pub fn PlannedCard(
    session: Session,
    doc_id: StoredValue<String>,
    id: PlannedAuditId,
    programme: Memo<Option<AuditProgramme>>,
    context: Context,
) -> impl IntoView {
    let planned = Memo::new(move |_| programme.with(|p| p.as_ref().and_then(|p| p.audits.get(&id).cloned())));
    let error = RwSignal::new(None::<String>);
    let can_edit = session.can_edit();
    let edit = move |operation: &dyn Fn(&mut automerge::AutoCommit) -> Result<(), ModelError>| {
        let result = doc_id.with_value(|doc| session.edit(doc, operation));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    };
    let read =
        move |f: fn(&PlannedAudit) -> String| move || planned.with(|p| p.as_ref().map(f).unwrap_or_default());
    let title = read(|p| p.title.clone());
    let from = read(|p| p.planned_from.map(|d| d.to_string()).unwrap_or_default());
    let to = read(|p| p.planned_to.map(|d| d.to_string()).unwrap_or_default());
    let criteria = Signal::derive(read(|p| p.criteria.as_str().to_owned()));
    let auditor = Signal::derive(move || planned.with(|p| p.as_ref().and_then(|p| p.auditor)));
    let scope =
        Signal::derive(move || planned.with(|p| p.as_ref().map(|p| p.scope.clone()).unwrap_or_default()));
    let audit_doc = move || planned.with(|p| p.as_ref().and_then(|p| p.audit));

    // `TextField` puts the stored value back when these say the edit was refused.
    let on_title = Callback::new(move |text: String| {
        let text = text.trim().to_owned();
        if text.is_empty() {
            error.set(Some("A planned audit needs a title; to remove it, use Delete instead.".into()));
            return false;
        }
        edit(&|doc| model::edit(doc, now_ms(), id, PlannedAuditField::Title(text.clone())))
    });
    let date_field = move |make: fn(Option<Date>) -> PlannedAuditField| {
        Callback::new(move |text: String| {
            let date = if text.is_empty() { Ok(None) } else { text.parse::<Date>().map(Some) };
            match date {
                Ok(date) => edit(&|doc| model::edit(doc, now_ms(), id, make(date))),
                Err(_) => {
                    error.set(Some("That is not a real date: pick one from the calendar.".into()));
                    false
                }
            }
        })
    };
    let on_from = date_field(PlannedAuditField::PlannedFrom);
    let on_to = date_field(PlannedAuditField::PlannedTo);
    let on_criteria = Callback::new(move |text: String| {
        edit(&|doc| {
            model::edit(doc, now_ms(), id, PlannedAuditField::Criteria(TextEdit::Replace(text.clone())))
        })
    });
    let on_auditor = Callback::new(move |chosen: Option<MemberId>| {
        edit(&|doc| model::edit(doc, now_ms(), id, PlannedAuditField::Auditor(chosen)))
    });
    let on_scope = Callback::new(move |(items, included): (Vec<AuditItem>, bool)| {
        edit(&|doc| model::set_planned_scope(doc, now_ms(), id, &items, included))
    });
    let on_delete = move |_| {
        edit(&|doc| model::delete(doc, now_ms(), id));
    };
    let navigate = use_navigate();
    let on_start = move |_| {
        let Some(plan) = planned.get_untracked() else { return };
        let audit = InternalAudit::from_plan(id, &plan);
        let created = session.create_document(DocumentKind::Audit, &plan.title, |doc, now| {
            model::create_audit(doc, now, audit)
        });
        match created {
            Ok(audit_id) => {
                edit(&|doc| model::edit(doc, now_ms(), id, PlannedAuditField::Audit(Some(audit_id))));
                navigate(&format!("/audits/{audit_id}"), Default::default());
            }
            Err(e) => error.set(Some(explain(&e))),
        }
    };
    let conflicts = Memo::new(move |_| {
        let Some(auditor) = auditor.get() else { return Vec::new() };
        scope.with(|scope| impartiality_conflicts_of(context, auditor, scope))
    });
    let status = Memo::new(move |_| {
        let Some(audit) = audit_doc() else { return "planned" };
        match session.read(&audit.to_string(), |doc| InternalAudit::load(doc).ok()).flatten() {
            Some(audit) if audit.is_closed() => "closed",
            _ => "in-progress",
        }
    });
    let field = move |name: &str| format!("planned-{id}-{name}");

    view! {
        <li class="card record planned-audit" data-planned=id.to_string() data-status=move || status.get()>
            <fieldset class="record-fields planned-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">{move || format!("Planned audit: {}", title())}</legend>
                <TextField id=field("title") label="Audit" classes="field-wide" input_class="title"
                    value=Signal::derive(title) on_change=on_title/>
                <div class="field">
                    <label for=field("auditor")>"Auditor"</label>
                    <OwnerSelect id=field("auditor") members=context.members value=auditor on_change=on_auditor/>
                </div>
                <TextField id=field("from") label="Planned from" kind="date" value=Signal::derive(from) on_change=on_from/>
                <TextField id=field("to") label="Planned to" kind="date" value=Signal::derive(to) on_change=on_to/>
                <Prose id=field("criteria") label="Criteria" value=criteria on_edit=on_criteria rows=2
                    hint="What the audit compares practice against: the standard, the AI policy, procedures."/>
            </fieldset>
            <ImpartialityWarning conflicts/>
            <details class="planned-scope" open=scope.with_untracked(BTreeMap::is_empty)>
                <summary>{move || format!("Scope: {}", scope_words(&scope.get()))}</summary>
                <ScopeEditor prefix=field("scope-editor") scope soa=context.soa on_change=on_scope disabled=Signal::derive(move || !can_edit)/>
            </details>
            <div class="planned-actions">
                {move || match audit_doc() {
                    Some(audit) => view! {
                        <a class="button planned-open" href=format!("/audits/{audit}") data-audit=audit.to_string()>
                            {move || if status.get() == "closed" { "See the closed audit" } else { "Open the audit" }}
                        </a>
                    }
                    .into_any(),
                    None if can_edit => view! {
                        <button type="button" class="button planned-start" id=field("start") on:click=on_start.clone()>"Start the audit"</button>
                    }
                    .into_any(),
                    None => view! { <span class="muted">"Not started yet"</span> }.into_any(),
                }}
                <Show when=move || can_edit && audit_doc().is_none()>
                    <button type="button" class="link-button delete" on:click=on_delete aria-label=move || format!("Delete planned audit {}", title())>
                        "Delete"
                    </button>
                </Show>
            </div>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </li>
    }
}

/// The impartiality conflicts of `auditor` over `scope`, from the workspace's other registers.
pub fn impartiality_conflicts_of(
    context: Context,
    auditor: MemberId,
    scope: &BTreeMap<AuditItem, bool>,
) -> Vec<model::ImpartialityConflict> {
    context.soa.with(|soa| {
        context.roles.with(|roles| {
            context.risks.with(|risks| {
                impartiality_conflicts(auditor, scope, soa.as_ref(), roles.as_ref(), risks.as_ref())
            })
        })
    })
}

fn scope_words(scope: &BTreeMap<AuditItem, bool>) -> String {
    let clauses = scope.keys().filter(|i| matches!(i, AuditItem::Clause(_))).count();
    let controls = scope.len() - clauses;
    if scope.is_empty() {
        return "nothing chosen yet".into();
    }
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!("{}, {}", plural(clauses, "clause", "clauses"), plural(controls, "control", "controls"))
}
