//! The checklist: one row per clause and control in scope, with a verdict, notes and links to
//! the evidence seen. A verdict other than "conforms" offers to record a finding for the row.

use leptos::prelude::*;
use quorum_shared::model::{self, AuditItem, ChecklistText, TextEdit, Verdict};

use super::audit::Audit;
use crate::components::prose::Prose;
use crate::session::now_ms;

#[component]
pub fn Checklist(audit: Audit) -> impl IntoView {
    let items = Memo::new(move |_| {
        audit
            .audit
            .with(|a| a.as_ref().map(|a| a.scope.keys().copied().collect::<Vec<_>>()).unwrap_or_default())
    });
    let judged = move || {
        audit.audit.with(|a| {
            a.as_ref().map_or((0, 0), |a| {
                let rows = a.rows_in_scope();
                (rows.iter().filter(|(_, r)| r.verdict.is_some()).count(), rows.len())
            })
        })
    };
    view! {
        <section class="card audit-checklist" aria-labelledby="audit-checklist-heading">
            <h2 id="audit-checklist-heading">"Checklist"</h2>
            <p class="muted" data-judged=move || judged().0.to_string()>
                {move || {
                    let (done, all) = judged();
                    format!("{done} of {all} rows have a verdict. Every row needs one before the audit can close.")
                }}
            </p>
            <Show when=move || items.with(Vec::is_empty)>
                <p class="empty" data-empty="checklist">"The checklist follows the scope: choose the clauses and controls this audit covers above, and a row appears for each."</p>
            </Show>
            <ol class="checklist">
                <For each=move || items.get() key=|item| *item children=move |item| view! { <Row audit item/> }/>
            </ol>
        </section>
    }
}

#[component]
fn Row(audit: Audit, item: AuditItem) -> impl IntoView {
    let row =
        Memo::new(move |_| audit.audit.with(|a| a.as_ref().and_then(|a| a.checklist.get(&item).cloned())));
    let error = RwSignal::new(None::<String>);
    let can_edit = audit.session.can_edit();
    let verdict = move || row.with(|r| r.as_ref().and_then(|r| r.verdict));
    let notes = Signal::derive(move || {
        row.with(|r| r.as_ref().map(|r| r.notes.as_str().to_owned()).unwrap_or_default())
    });
    let evidence = Signal::derive(move || {
        row.with(|r| r.as_ref().map(|r| r.evidence.as_str().to_owned()).unwrap_or_default())
    });
    let key = item.to_string();
    let field = move |name: &str| format!("audit-row-{item}-{name}");
    let on_verdict = move |event: leptos::ev::Event| {
        let chosen = Verdict::from_token(&event_target_value(&event));
        let result = audit.edit(|doc| model::set_verdict(doc, now_ms(), item, chosen));
        if result.is_err() {
            let select: web_sys::HtmlSelectElement = event_target(&event);
            select.set_value(verdict().map_or("", |v| v.as_token()));
        }
        error.set(result.err());
    };
    let text = move |which: ChecklistText| {
        Callback::new(move |text: String| {
            let result = audit
                .edit(|doc| model::edit_checklist_text(doc, now_ms(), item, which, TextEdit::Replace(text)));
            error.set(result.clone().err());
            result.is_ok()
        })
    };
    let has_finding = move || {
        audit.audit.with(|a| a.as_ref().is_some_and(|a| a.findings.values().any(|f| f.item == Some(item))))
    };
    let suggest = move || verdict().and_then(|v| v.finding_kind()).filter(|_| !has_finding() && can_edit);
    let record_finding = move |_| {
        if let Some(kind) = verdict().and_then(|v| v.finding_kind()) {
            audit.prefill.set(Some((item, kind)));
        }
    };
    view! {
        <li class="checklist-row" data-item=key.clone() data-verdict=move || verdict().map_or("none", |v| v.as_token())>
            <fieldset class="checklist-fields" prop:disabled=!can_edit>
                <legend>
                    <span class="checklist-id">{key.clone()}</span>
                    " "
                    <span class="checklist-title">{item.title()}</span>
                </legend>
                <div class="field checklist-verdict">
                    <label for=field("verdict")>"Verdict"</label>
                    <select id=field("verdict") on:change=on_verdict>
                        <option value="" prop:selected=move || verdict().is_none()>"Not judged yet"</option>
                        {Verdict::ALL
                            .into_iter()
                            .map(|v| view! { <option value=v.as_token() prop:selected=move || verdict() == Some(v)>{v.label()}</option> })
                            .collect_view()}
                    </select>
                </div>
                <Prose id=field("notes") label="Notes" value=notes on_edit=text(ChecklistText::Notes) rows=2/>
                <Prose id=field("evidence") label="Evidence seen" value=evidence on_edit=text(ChecklistText::Evidence) rows=1
                    hint="One link per line: a workspace page, a document address."/>
            </fieldset>
            <EvidenceLinks text=evidence/>
            {move || suggest().map(|kind| view! {
                <button type="button" class="link-button checklist-record-finding" id=field("record-finding") on:click=record_finding>
                    {format!("Record a finding ({})", kind.label().to_lowercase())}
                </button>
            })}
            <p class="field-error" role="alert">{move || error.get()}</p>
        </li>
    }
}

/// The lines of the evidence box that are links, as links.
#[component]
fn EvidenceLinks(text: Signal<String>) -> impl IntoView {
    move || {
        let links: Vec<String> = text
            .get()
            .lines()
            .map(str::trim)
            .filter(|line| {
                line.starts_with("https://") || line.starts_with("http://") || line.starts_with('/')
            })
            .map(str::to_owned)
            .collect();
        (!links.is_empty()).then(|| {
            view! {
                <ul class="checklist-links">
                    {links.into_iter().map(|link| view! { <li><a href=link.clone() rel="noopener">{link.clone()}</a></li> }).collect_view()}
                </ul>
            }
        })
    }
}
