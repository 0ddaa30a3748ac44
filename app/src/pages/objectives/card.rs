//! One objective as a card of fields, each saved as one register edit when it changes.

use automerge::AutoCommit;
use leptos::prelude::*;
use quorum_shared::catalog;
use quorum_shared::model::{
    self, AiObjective, Date, MemberId, ModelError, Monitoring, ObjectiveField, ObjectiveId, ObjectiveStatus,
    Objectives, TextEdit,
};

use super::measured::MeasuredBy;
use super::progress::{ProgressBar, parse_percent};
use crate::components::field::TextField;
use crate::components::owner::OwnerSelect;
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::{Session, now_ms};

const STATUSES: [(ObjectiveStatus, &str, &str); 5] = [
    (ObjectiveStatus::Planned, "planned", "Planned"),
    (ObjectiveStatus::OnTrack, "on-track", "On track"),
    (ObjectiveStatus::AtRisk, "at-risk", "At risk"),
    (ObjectiveStatus::Achieved, "achieved", "Achieved"),
    (ObjectiveStatus::Missed, "missed", "Missed"),
];

fn status_value(status: ObjectiveStatus) -> &'static str {
    STATUSES.iter().find(|(s, ..)| *s == status).map_or("planned", |(_, value, _)| value)
}

#[component]
pub fn ObjectiveCard(
    session: Session,
    doc_id: StoredValue<String>,
    id: ObjectiveId,
    objectives: Memo<Option<Objectives>>,
    members: Memo<Vec<(MemberId, String)>>,
    monitoring: Memo<Option<Monitoring>>,
) -> impl IntoView {
    let objective =
        Memo::new(move |_| objectives.with(|o| o.as_ref().and_then(|o| o.objectives.get(&id).cloned())));
    let error = RwSignal::new(None::<String>);
    let can_edit = session.can_edit();
    let edit = move |operation: &dyn Fn(&mut AutoCommit) -> Result<(), ModelError>| {
        let result = doc_id.with_value(|doc| session.edit(doc, operation));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    };
    let read = move |f: fn(&AiObjective) -> String| {
        move || objective.with(|o| o.as_ref().map(f).unwrap_or_default())
    };
    let title = read(|o| o.title.clone());
    let measure = read(|o| o.measure.clone());
    let target = read(|o| o.target.clone());
    let due = read(|o| o.due.map(|d| d.to_string()).unwrap_or_default());
    let annex_c = read(|o| o.annex_c.clone().unwrap_or_default());
    let description = Signal::derive(read(|o| o.description.as_str().to_owned()));
    let status = move || objective.with(|o| o.as_ref().map(|o| o.status).unwrap_or_default());
    let owner = Signal::derive(move || objective.with(|o| o.as_ref().and_then(|o| o.owner)));
    let progress = Signal::derive(move || objective.with(|o| o.as_ref().and_then(|o| o.progress)));

    // A text field: `make` turns the trimmed text into the field, or refuses it with a reason;
    // `TextField` (or the progress input) puts the stored value back when it is refused.
    let text_field = move |stored: fn(&AiObjective) -> String,
                           make: fn(String) -> Result<ObjectiveField, String>| {
        Callback::new(move |text: String| {
            let text = text.trim().to_owned();
            if text == objective.with_untracked(|o| o.as_ref().map(stored).unwrap_or_default()) {
                return true;
            }
            match make(text) {
                Ok(field) => edit(&|doc| model::edit(doc, now_ms(), id, field.clone())),
                Err(reason) => {
                    error.set(Some(reason));
                    false
                }
            }
        })
    };
    let on_title = text_field(
        |o| o.title.clone(),
        |text| {
            if text.is_empty() {
                Err("An objective needs a title; to remove it, use Delete instead.".into())
            } else {
                Ok(ObjectiveField::Title(text))
            }
        },
    );
    let on_measure = text_field(|o| o.measure.clone(), |text| Ok(ObjectiveField::Measure(text)));
    let on_target = text_field(|o| o.target.clone(), |text| Ok(ObjectiveField::Target(text)));
    let on_due = text_field(
        |o| o.due.map(|d| d.to_string()).unwrap_or_default(),
        |text| {
            if text.is_empty() {
                return Ok(ObjectiveField::Due(None));
            }
            text.parse::<Date>()
                .map(|date| ObjectiveField::Due(Some(date)))
                .map_err(|_| "The due date is not a real date: pick one from the calendar.".to_owned())
        },
    );
    let progress_field = text_field(
        |o| o.progress.map(|p| p.to_string()).unwrap_or_default(),
        |text| parse_percent(&text).map(ObjectiveField::Progress),
    );
    let on_progress = move |event: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        if !progress_field.run(input.value()) {
            input.set_value(&progress.get_untracked().map(|p| p.to_string()).unwrap_or_default());
        }
    };
    let on_annex_c = move |event: leptos::ev::Event| {
        let chosen = event_target_value(&event);
        let key = (!chosen.is_empty()).then_some(chosen);
        if !edit(&|doc| model::edit(doc, now_ms(), id, ObjectiveField::AnnexC(key.clone()))) {
            let select: web_sys::HtmlSelectElement = event_target(&event);
            select.set_value(&annex_c());
        }
    };
    let on_status = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        let Some((chosen, ..)) = STATUSES.iter().find(|(_, v, _)| *v == value) else { return };
        let chosen = *chosen;
        if !edit(&|doc| model::edit(doc, now_ms(), id, ObjectiveField::Status(chosen))) {
            let select: web_sys::HtmlSelectElement = event_target(&event);
            select.set_value(status_value(status()));
        }
    };
    let on_description = Callback::new(move |text: String| {
        edit(&|doc| {
            model::edit(doc, now_ms(), id, ObjectiveField::Description(TextEdit::Replace(text.clone())))
        })
    });
    let on_owner = Callback::new(move |chosen: Option<MemberId>| {
        edit(&|doc| model::edit(doc, now_ms(), id, ObjectiveField::Owner(chosen)))
    });
    let on_delete = move |_: leptos::ev::MouseEvent| {
        edit(&|doc| model::delete(doc, now_ms(), id));
    };

    let field = move |name: &str| format!("objective-{id}-{name}");
    view! {
        <li class="card record objective" data-objective=id.to_string() data-status=move || status_value(status())>
            <fieldset class="record-fields objective-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">{move || format!("Objective: {}", title())}</legend>
                <TextField id=field("title") label="Objective" classes="field-wide objective-title" input_class="title"
                    value=Signal::derive(title) on_change=on_title/>
                <TextField id=field("measure") label="Measure" input_class="measure" placeholder="How progress is measured"
                    value=Signal::derive(measure) on_change=on_measure/>
                <TextField id=field("target") label="Target" input_class="target" placeholder="The value that counts as achieved"
                    value=Signal::derive(target) on_change=on_target/>
                <div class="field">
                    <label for=field("owner")>"Owner"</label>
                    <OwnerSelect id=field("owner") members value=owner on_change=on_owner/>
                </div>
                <TextField id=field("due") label="Due" kind="date" input_class="due" value=Signal::derive(due) on_change=on_due/>
                <div class="field">
                    <label for=field("status")>"Status"</label>
                    <select id=field("status") class="status" on:change=on_status>
                        {STATUSES
                            .iter()
                            .map(|(value, name, label)| {
                                let value = *value;
                                view! { <option value=*name prop:selected=move || status() == value>{*label}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=field("progress")>"Progress (%)"</label>
                    <div class="progress-field">
                        <input
                            id=field("progress")
                            class="progress"
                            type="number"
                            min="0"
                            max="100"
                            step="5"
                            prop:value=move || progress.get().map(|p| p.to_string()).unwrap_or_default()
                            on:change=on_progress
                        />
                        <ProgressBar percent=progress/>
                    </div>
                </div>
                <div class="field">
                    <label for=field("annex-c")>"Annex C objective"</label>
                    <select id=field("annex-c") class="annex-c" on:change=on_annex_c>
                        <option value="" prop:selected=move || annex_c().is_empty()>"None"</option>
                        {catalog::annex_c_objectives()
                            .iter()
                            .map(|entry| {
                                let key = entry.key;
                                view! { <option value=key prop:selected=move || annex_c() == key>{entry.title}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <Prose id=field("description") label="Notes" value=description on_edit=on_description rows=2/>
            </fieldset>
            <MeasuredBy id monitoring/>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <Show when=move || can_edit>
                <button type="button" class="link-button delete" on:click=on_delete aria-label=move || format!("Delete objective {}", title())>
                    "Delete objective"
                </button>
            </Show>
        </li>
    }
}
