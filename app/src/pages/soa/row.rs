//! One control of the Statement of Applicability, as a labelled group of fields. Each change is
//! one domain operation; when the model refuses it (excluding without a justification), the
//! person sees the model's reason beside the field and the field shows the stored value again.

use leptos::prelude::*;
use leptos_router::components::A;
use quorum_shared::model::{
    self, Applicability, ControlId, ImplementationStatus, MemberId, ModelError, TextEdit,
};
use web_sys::HtmlSelectElement;

use super::RowView;
use super::conflict::SoaConflict;
use super::evidence::EvidenceList;
use crate::components::owner::OwnerSelect;
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::{Session, now_ms};

#[component]
pub fn SoaRowEditor(
    session: Session,
    doc_id: StoredValue<String>,
    control: ControlId,
    title: &'static str,
    row: Memo<Option<RowView>>,
    /// Whether the page's filters show this control.
    visible: Signal<bool>,
    /// The workspace's members, read once for the whole page.
    members: Memo<Vec<(MemberId, String)>>,
) -> impl IntoView {
    // A viewer's membership never changes while the session is open, and the relay would drop
    // their changes anyway: every field is shown, none can be changed.
    let read_only = !session.can_edit();
    let error = RwSignal::new(None::<String>);
    let ids = |field: &str| format!("soa-{control}-{field}");
    let excluded =
        move || row.with(|r| r.as_ref().is_some_and(|r| r.applicability == Applicability::Excluded));
    let status = move || row.with(|r| r.as_ref().map(|r| r.status).unwrap_or_default());
    let stored_justification =
        move || row.with(|r| r.as_ref().map(|r| r.justification.clone()).unwrap_or_default());

    let edit = move |operation: &dyn Fn(&mut automerge::AutoCommit) -> Result<(), ModelError>| {
        let result = doc_id.with_value(|id| session.edit(id, operation));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    };
    let on_applicability = move |event: leptos::ev::Event| {
        let select: HtmlSelectElement = event_target(&event);
        let now = now_ms();
        let done = if select.value() == "excluded" {
            // The justification box saves as the person types, so the stored text is what it shows.
            let text = stored_justification();
            edit(&|doc| model::exclude_control(doc, now, control, &text))
        } else {
            edit(&|doc| model::include_control(doc, now, control))
        };
        if !done {
            select.set_value(if excluded() { "excluded" } else { "applicable" });
        }
    };
    // Every keystroke goes to the model as the whole new text, which it diffs into character
    // edits; `Prose` keeps what the person is typing when a collaborator's characters arrive.
    let on_justification = Callback::new(move |text: String| {
        edit(&|doc| model::edit_justification(doc, now_ms(), control, TextEdit::Replace(text.clone())))
    });
    let owner = Signal::derive(move || row.with(|r| r.as_ref().and_then(|r| r.owner)));
    let on_owner = Callback::new(move |owner: Option<MemberId>| {
        edit(&|doc| model::set_control_owner(doc, now_ms(), control, owner))
    });
    let evidence =
        Signal::derive(move || row.with(|r| r.as_ref().map(|r| r.evidence.clone()).unwrap_or_default()));
    let risks = move || row.with(|r| r.as_ref().map(|r| r.risks.clone()).unwrap_or_default());
    let on_status = move |event: leptos::ev::Event| {
        let select: HtmlSelectElement = event_target(&event);
        let Some(chosen) = ImplementationStatus::from_token(&select.value()) else { return };
        if !edit(&|doc| model::set_implementation_status(doc, now_ms(), control, chosen)) {
            select.set_value(status().as_token());
        }
    };

    let heading = ids("heading");
    let error_id = ids("error");
    view! {
        <li
            class="control soa-row"
            data-control=control.as_str()
            data-applicability=move || if excluded() { "excluded" } else { "applicable" }
            data-status=move || status().as_token()
            data-done=move || row.with(|r| r.as_ref().is_some_and(|r| r.done)).to_string()
            aria-labelledby=heading.clone()
            prop:hidden=move || !visible.get()
        >
            <h3 id=heading.clone()><span class="ref">{control.as_str()}</span>" "{title}</h3>
            <div class="soa-fields">
                <div class="field">
                    <label for=ids("applicability")>"Applicability"</label>
                    <select
                        id=ids("applicability")
                        class="applicability"
                        prop:disabled=read_only
                        on:change=on_applicability
                    >
                        <option value="applicable" prop:selected=move || !excluded()>"Applicable"</option>
                        <option value="excluded" prop:selected=excluded>"Excluded"</option>
                    </select>
                </div>
                <div class="field">
                    <label for=ids("status")>"Implementation status"</label>
                    <select id=ids("status") class="status" prop:disabled=move || read_only || excluded() on:change=on_status>
                        {ImplementationStatus::ALL
                            .into_iter()
                            .map(|value| {
                                view! {
                                    <option value=value.as_token() prop:selected=move || status() == value>
                                        {capitalized(value.label())}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=ids("owner")>"Owner"</label>
                    <OwnerSelect id=ids("owner") members value=owner on_change=on_owner disabled=Signal::derive(move || read_only)/>
                </div>
                <Prose
                    id=ids("justification")
                    label="Justification"
                    label_note="(required when excluded)"
                    class="justification"
                    rows=2
                    value=Signal::derive(stored_justification)
                    on_edit=on_justification
                    described_by=error_id.clone()
                    invalid=Signal::derive(move || error.with(Option::is_some))
                    disabled=Signal::derive(move || read_only)
                />
            </div>
            {move || {
                row.with(|r| r.as_ref().map(|r| r.conflicts.clone()).unwrap_or_default())
                    .into_iter()
                    .map(|conflict| view! { <SoaConflict session doc_id control conflict error/> })
                    .collect_view()
            }}
            <p id=error_id class="field-error" role="alert">{move || error.get()}</p>
            <div class="soa-links">
                <div class="soa-risks">
                    <h4>"Risks it treats"</h4>
                    {move || {
                        let linked = risks();
                        if linked.is_empty() {
                            view! { <p class="muted">"None yet: link it from a risk in the risk register."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="risk-chips">
                                    {linked.into_iter().map(|(id, title)| view! {
                                        <li class="risk-chip" data-risk=id.to_string()><A href="/risks">{title}</A></li>
                                    }).collect_view()}
                                </ul>
                            }
                            .into_any()
                        }
                    }}
                </div>
                <EvidenceList session doc_id control evidence/>
            </div>
        </li>
    }
}

pub(super) fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
