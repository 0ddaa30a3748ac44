//! The audit's findings. A nonconformity (minor or major) goes to the nonconformity register of
//! clause 10.2 as soon as it is recorded: its record there names this audit and finding, and
//! the finding names the record back and links to it.

use leptos::prelude::*;
use quorum_shared::model::{
    self, AuditItem, DocumentKind, Finding, FindingField, FindingId, FindingKind, Improvement, ModelError,
    NonconformityId, Position, TextEdit, nonconformity_of_finding,
};

use super::audit::Audit;
use crate::components::field::TextField;
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::today;
use crate::session::{now_ms, random_id};

/// Records the nonconformity of finding `id` in the improvement document (starting that
/// document if the workspace has none) and links the finding to it; nothing if it has one.
fn raise_nonconformity(audit: Audit, id: FindingId) -> Result<(), String> {
    let Some(audit_id) = audit.document_id() else { return Err("This audit's address is not valid.".into()) };
    let Some(finding) = audit.audit.with_untracked(|a| a.as_ref().and_then(|a| a.findings.get(&id).cloned()))
    else {
        return Ok(());
    };
    if finding.nonconformity.is_some() || !finding.kind.is_nonconformity() {
        return Ok(());
    }
    let session = audit.session;
    let improvement = session.start_document(DocumentKind::Improvement).map_err(|e| explain(&e))?;
    let record = nonconformity_of_finding(audit_id, id, &finding, Some(today()));
    let nc = session
        .edit(&improvement, |doc| model::add(doc, now_ms(), random_id(), record, Position::Last))
        .map_err(|e| explain(&e))?;
    audit.edit(|doc| model::edit(doc, now_ms(), id, FindingField::Nonconformity(Some(nc))))
}

#[component]
pub fn Findings(audit: Audit) -> impl IntoView {
    let ids = Memo::new(move |_| {
        audit.audit.with(|a| {
            a.as_ref()
                .map(|a| a.findings_in_order().into_iter().map(|(id, _)| id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    view! {
        <section class="card audit-findings" aria-labelledby="audit-findings-heading">
            <h2 id="audit-findings-heading">"Findings"</h2>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="empty" data-empty="findings">
                    "No findings yet. Record what the audit found: a nonconformity goes to the nonconformity register at once, where its correction is followed up."
                </p>
            </Show>
            <ul class="register findings">
                <For each=move || ids.get() key=|id| *id children=move |id| view! { <FindingCard audit id/> }/>
            </ul>
            <Show when=move || audit.session.can_edit()>
                <AddFinding audit/>
            </Show>
        </section>
    }
}

fn item_options(
    audit: Audit,
    selected: impl Fn() -> Option<AuditItem> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    move || {
        let items: Vec<AuditItem> =
            audit.audit.with(|a| a.as_ref().map(|a| a.scope.keys().copied().collect()).unwrap_or_default());
        view! {
            <option value="" prop:selected=move || selected().is_none()>"The audit as a whole"</option>
            {items
                .into_iter()
                .map(|item| view! {
                    <option value=item.to_string() prop:selected=move || selected() == Some(item)>{format!("{item} {}", item.title())}</option>
                })
                .collect_view()}
        }
    }
}

fn kind_options(selected: impl Fn() -> FindingKind + Copy + Send + Sync + 'static) -> impl IntoView {
    FindingKind::ALL
        .into_iter()
        .map(|k| view! { <option value=k.as_token() prop:selected=move || selected() == k>{k.label()}</option> })
        .collect_view()
}

#[component]
fn FindingCard(audit: Audit, id: FindingId) -> impl IntoView {
    let finding =
        Memo::new(move |_| audit.audit.with(|a| a.as_ref().and_then(|a| a.findings.get(&id).cloned())));
    let error = RwSignal::new(None::<String>);
    let can_edit = audit.session.can_edit();
    let edit = move |field: FindingField| {
        let result = audit.edit(|doc| model::edit(doc, now_ms(), id, field));
        error.set(result.clone().err());
        result.is_ok()
    };
    let read =
        move |f: fn(&Finding) -> String| move || finding.with(|x| x.as_ref().map(f).unwrap_or_default());
    let summary = read(|f| f.summary.clone());
    let description = Signal::derive(read(|f| f.description.as_str().to_owned()));
    let kind = move || finding.with(|f| f.as_ref().map(|f| f.kind).unwrap_or_default());
    let item = move || finding.with(|f| f.as_ref().and_then(|f| f.item));
    let nonconformity = move || finding.with(|f| f.as_ref().and_then(|f| f.nonconformity));
    // `TextField` puts the stored summary back when this says the edit was refused.
    let on_summary = Callback::new(move |text: String| {
        let text = text.trim().to_owned();
        if text.is_empty() {
            error.set(Some("A finding needs a summary; to remove it, use Delete instead.".into()));
            return false;
        }
        edit(FindingField::Summary(text))
    });
    let on_kind = move |event: leptos::ev::Event| {
        let Some(chosen) = FindingKind::from_token(&event_target_value(&event)) else { return };
        if edit(FindingField::Kind(chosen)) && chosen.is_nonconformity() {
            error.set(raise_nonconformity(audit, id).err());
        }
    };
    let on_item = move |event: leptos::ev::Event| {
        let chosen = event_target_value(&event).parse::<AuditItem>().ok();
        edit(FindingField::Item(chosen));
    };
    let on_description =
        Callback::new(move |text: String| edit(FindingField::Description(TextEdit::Replace(text))));
    let on_raise = move |_| error.set(raise_nonconformity(audit, id).err());
    let on_delete = move |_| {
        let result = audit.edit(|doc| model::delete(doc, now_ms(), id));
        error.set(result.err());
    };
    let field = move |name: &str| format!("finding-{id}-{name}");
    view! {
        <li class="record finding" data-finding=id.to_string() data-kind=move || kind().as_token()>
            <fieldset class="record-fields finding-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">{move || format!("Finding: {}", summary())}</legend>
                <TextField id=field("summary") label="Finding" classes="field-wide" input_class="summary"
                    value=Signal::derive(summary) on_change=on_summary/>
                <div class="field">
                    <label for=field("kind")>"Kind"</label>
                    <select id=field("kind") on:change=on_kind>{kind_options(kind)}</select>
                </div>
                <div class="field">
                    <label for=field("item")>"Clause or control"</label>
                    <select id=field("item") on:change=on_item>{item_options(audit, item)}</select>
                </div>
                <Prose id=field("description") label="What was seen" value=description on_edit=on_description rows=2/>
            </fieldset>
            {move || match nonconformity() {
                Some(nc) => view! { <NonconformityLink audit nc/> }.into_any(),
                None if kind().is_nonconformity() && can_edit => view! {
                    <button type="button" class="button secondary finding-raise" on:click=on_raise>"Record it in the nonconformity register"</button>
                }
                .into_any(),
                None => ().into_any(),
            }}
            <Show when=move || can_edit>
                <button type="button" class="link-button delete" on:click=on_delete aria-label=move || format!("Delete finding {}", summary())>"Delete finding"</button>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </li>
    }
}

/// The link to the finding's record in the nonconformity register, saying whether this browser
/// has that record yet (it may still be on its way from the relay).
#[component]
fn NonconformityLink(audit: Audit, nc: NonconformityId) -> impl IntoView {
    let session = audit.session;
    let recorded = Memo::new(move |_| {
        let Some(improvement) = session.document_of(DocumentKind::Improvement) else { return false };
        let this = audit.document_id();
        session
            .read(&improvement, |doc| Improvement::load(doc).ok())
            .flatten()
            .is_some_and(|i| i.nonconformities.get(&nc).is_some_and(|n| n.audit == this))
    });
    view! {
        <p class="finding-nonconformity" data-nc=nc.to_string() data-nc-state=move || if recorded.get() { "recorded" } else { "arriving" }>
            <a href=format!("/improvement#nc-{nc}")>"See it in the nonconformity register"</a>
            {move || if recorded.get() { " (recorded for follow-up under 10.2)" } else { " (on its way from the relay)" }}
        </p>
    }
}

#[component]
fn AddFinding(audit: Audit) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let summary = RwSignal::new(String::new());
    let kind = RwSignal::new(FindingKind::MinorNonconformity);
    let item = RwSignal::new(None::<AuditItem>);
    let summary_ref = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some((prefilled_item, prefilled_kind)) = audit.prefill.get() {
            item.set(Some(prefilled_item));
            kind.set(prefilled_kind);
            if let Some(input) = summary_ref.get_untracked() {
                let _ = input.focus();
            }
        }
    });
    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = summary.get_untracked().trim().to_owned();
        if text.is_empty() {
            error.set(Some(
                "Summarize the finding first, such as \u{201c}Two risks have no owner\u{201d}.".into(),
            ));
            return;
        }
        let finding = Finding {
            kind: kind.get_untracked(),
            summary: text,
            item: item.get_untracked(),
            ..Default::default()
        };
        let added: Result<FindingId, ModelError> = audit.doc_id.with_value(|doc| {
            audit.session.edit(doc, |doc| model::add(doc, now_ms(), random_id(), finding, Position::Last))
        });
        match added {
            Ok(id) => {
                summary.set(String::new());
                audit.prefill.set(None);
                error.set(raise_nonconformity(audit, id).err());
            }
            Err(e) => error.set(Some(explain(&e))),
        }
    };
    view! {
        <form class="add-record finding-new" on:submit=on_add>
            <div class="field field-grow">
                <label for="finding-new-summary">"New finding"</label>
                <input id="finding-new-summary" type="text" node_ref=summary_ref bind:value=summary aria-describedby="finding-new-error"/>
            </div>
            <div class="field">
                <label for="finding-new-kind">"Kind"</label>
                <select id="finding-new-kind" on:change=move |e| if let Some(k) = FindingKind::from_token(&event_target_value(&e)) { kind.set(k) }>
                    {kind_options(move || kind.get())}
                </select>
            </div>
            <div class="field">
                <label for="finding-new-item">"Clause or control"</label>
                <select id="finding-new-item" on:change=move |e| item.set(event_target_value(&e).parse().ok())>
                    {item_options(audit, move || item.get())}
                </select>
            </div>
            <button type="submit" class="button" id="finding-add">"Record finding"</button>
            <p id="finding-new-error" class="field-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
