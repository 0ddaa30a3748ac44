//! The audit programme: what it sets out to do, the certification cycle it plans, the coverage
//! of its planned audits, the planned audits themselves and the form that adds one.

use leptos::prelude::*;
use quorum_shared::model::{
    self, AuditProgramme, DEFAULT_CYCLE_YEARS, PlannedAudit, ProgrammeField, TextEdit,
};

use super::Context;
use super::coverage::CoverageView;
use super::planned::PlannedCard;
use crate::components::add_record::AddRecord;
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::{Session, now_ms};

#[component]
pub fn Programme(session: Session, doc_id: StoredValue<String>) -> impl IntoView {
    let programme = Memo::new(move |_| {
        doc_id.with_value(|id| session.read(id, |doc| AuditProgramme::load(doc).ok())).flatten()
    });
    let context = Context::new(session);
    let error = RwSignal::new(None::<String>);
    let can_edit = session.can_edit();
    let edit = move |field: ProgrammeField| {
        let result =
            doc_id.with_value(|id| session.edit(id, |doc| model::edit_audit_programme(doc, now_ms(), field)));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    };
    let description = Signal::derive(move || {
        programme.with(|p| p.as_ref().map(|p| p.description.as_str().to_owned()).unwrap_or_default())
    });
    let on_description =
        Callback::new(move |text: String| edit(ProgrammeField::Description(TextEdit::Replace(text))));
    let start = move || {
        programme.with(|p| p.as_ref().and_then(|p| p.cycle_start).map(|y| y.to_string()).unwrap_or_default())
    };
    let years = move || {
        programme.with(|p| p.as_ref().and_then(|p| p.cycle_years).map(|y| y.to_string()).unwrap_or_default())
    };
    let number_field = move |make: fn(Option<u64>) -> ProgrammeField,
                             current: fn(&AuditProgramme) -> Option<u64>| {
        move |event: leptos::ev::Event| {
            let input: web_sys::HtmlInputElement = event_target(&event);
            let text = input.value().trim().to_owned();
            let value = if text.is_empty() { Ok(None) } else { text.parse::<u64>().map(Some) };
            let done = match value {
                Ok(value) => edit(make(value)),
                Err(_) => {
                    error.set(Some("Write a whole number of years, such as 2026.".into()));
                    false
                }
            };
            if !done {
                input.set_value(&programme.with_untracked(|p| {
                    p.as_ref().and_then(current).map(|y| y.to_string()).unwrap_or_default()
                }));
            }
        }
    };
    let on_start = number_field(ProgrammeField::CycleStart, |p| p.cycle_start);
    let on_years = number_field(ProgrammeField::CycleYears, |p| p.cycle_years);
    let cycle = move || {
        programme.with(|p| match p.as_ref().and_then(AuditProgramme::cycle) {
            Some((first, last)) => format!("The cycle runs from {first} to {last}; plan audits so that by its end every clause and applicable control has been audited."),
            None => "Set the first year of the certification cycle to see the years it spans.".into(),
        })
    };
    let ids = Memo::new(move |_| {
        programme.with(|p| {
            p.as_ref()
                .map(|p| p.audits_in_order().into_iter().map(|(id, _)| id).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });

    view! {
        <div class="page audits audit-programme">
            <h1>"Internal audit"</h1>
            <p class="lede">
                "The audit programme plans which parts of the AI management system are audited, when, against what and by whom, so that over a certification cycle everything is looked at by someone who does not own it. Changes are saved as you make them."
            </p>
            <fieldset class="card audit-programme-fields" prop:disabled=!can_edit>
                <legend>"The programme"</legend>
                <div class="audit-cycle">
                    <div class="field">
                        <label for="audit-cycle-start">"First year of the cycle"</label>
                        <input id="audit-cycle-start" type="number" min="2000" max="2100" step="1" placeholder="2026" prop:value=start on:change=on_start/>
                    </div>
                    <div class="field">
                        <label for="audit-cycle-years">"Years in the cycle"</label>
                        <input id="audit-cycle-years" type="number" min="1" max="10" step="1" placeholder=DEFAULT_CYCLE_YEARS.to_string() prop:value=years on:change=on_years/>
                    </div>
                    <p class="hint audit-cycle-span">{cycle}</p>
                </div>
                <Prose id="audit-programme-description" label="Objectives, frequency and methods" value=description on_edit=on_description rows=3
                    hint="Why the organization audits, how often, how audits are done and reported, and who may audit what."/>
            </fieldset>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <CoverageView programme soa=context.soa/>
            <h2>"Planned audits"</h2>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="card empty" data-empty="planned-audits">
                    "No audits planned yet. Plan the first one below: give it a title, then choose the clauses and controls it covers, its criteria, its dates and an auditor who does not own what is audited."
                </p>
            </Show>
            <ul class="register planned-audits">
                <For each=move || ids.get() key=|id| *id
                    children=move |id| view! { <PlannedCard session doc_id id programme context/> }/>
            </ul>
            <Show when=move || can_edit>
                <AddRecord session doc_id input_id="planned-audit-new-title" error_id="planned-audit-new-error"
                    label="Plan an audit" button="Add planned audit" button_id="planned-audit-add"
                    empty="Name the audit first, such as “Year 1: leadership and planning”."
                    make=|title| PlannedAudit { title, ..Default::default() }/>
            </Show>
        </div>
    }
}
