//! An indicator's readings: newest first, each deletable, and a small form to record one.

use leptos::prelude::*;
use quorum_shared::model::{self, Date, IndicatorId, Monitoring, Position, Reading, ReadingId};

use super::with_unit;
use crate::explain::explain;
use crate::session::{Session, now_ms, random_id};

#[component]
pub fn Readings(
    session: Session,
    doc_id: StoredValue<String>,
    id: IndicatorId,
    monitoring: Memo<Option<Monitoring>>,
    today: Option<Date>,
) -> impl IntoView {
    let rows = Memo::new(move |_| {
        monitoring.with(|m| {
            let Some(m) = m else { return Vec::new() };
            let indicator = m.indicators.get(&id);
            let mut rows: Vec<(ReadingId, Reading, Option<bool>, String)> = m
                .readings_of(id)
                .into_iter()
                .map(|(rid, r)| {
                    let meets = indicator.and_then(|i| i.meets(r.value));
                    let unit = indicator.map(|i| i.unit.clone()).unwrap_or_default();
                    (rid, r.clone(), meets, unit)
                })
                .collect();
            rows.reverse();
            rows
        })
    });
    let can_edit = session.can_edit();
    let error = RwSignal::new(None::<String>);
    let on_delete = move |reading: ReadingId| {
        let result = doc_id.with_value(|doc| session.edit(doc, |doc| model::delete(doc, now_ms(), reading)));
        error.set(result.err().as_ref().map(explain));
    };
    let field = move |name: &str| format!("indicator-{id}-reading-{name}");
    view! {
        <section class="readings" aria-label="Readings">
            <h3 class="readings-heading">"Readings"</h3>
            <Show when=move || rows.with(Vec::is_empty)>
                <p class="muted" data-empty="readings">"No readings yet: record the first one below."</p>
            </Show>
            <ul class="reading-list">
                <For
                    each=move || rows.get()
                    key=|(rid, reading, meets, unit)| (*rid, reading.date, reading.value.to_bits(), reading.note.clone(), *meets, unit.clone())
                    children=move |(rid, reading, meets, unit)| {
                        let verdict = match meets {
                            Some(true) => ("meets", "meets the target"),
                            Some(false) => ("misses", "misses the target"),
                            None => ("none", ""),
                        };
                        view! {
                            <li class="reading" data-reading=rid.to_string() data-meets=verdict.0>
                                <span class="reading-date">{reading.date.to_string()}</span>
                                <span class="reading-value">{with_unit(reading.value, &unit)}</span>
                                <span class="reading-verdict">{verdict.1}</span>
                                <span class="reading-note">{reading.note.clone()}</span>
                                <Show when=move || can_edit>
                                    <button
                                        type="button"
                                        class="link-button delete"
                                        aria-label=format!("Delete the reading of {}", reading.date)
                                        on:click=move |_| on_delete(rid)
                                    >
                                        "Delete"
                                    </button>
                                </Show>
                            </li>
                        }
                    }
                />
            </ul>
            <Show when=move || can_edit>
                <AddReading session doc_id id today field/>
            </Show>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </section>
    }
}

#[component]
fn AddReading(
    session: Session,
    doc_id: StoredValue<String>,
    id: IndicatorId,
    today: Option<Date>,
    field: impl Fn(&str) -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let date_ref = NodeRef::<leptos::html::Input>::new();
    let value_ref = NodeRef::<leptos::html::Input>::new();
    let note_ref = NodeRef::<leptos::html::Input>::new();
    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(date_input), Some(value_input), Some(note_input)) =
            (date_ref.get_untracked(), value_ref.get_untracked(), note_ref.get_untracked())
        else {
            return;
        };
        let Ok(date) = date_input.value().parse::<Date>() else {
            error.set(Some("Pick the date the value was measured.".into()));
            return;
        };
        let value = match value_input.value().trim().parse::<f64>() {
            Ok(value) if value.is_finite() => value,
            _ => {
                error.set(Some("Write the measured value as a number, such as 4.5.".into()));
                return;
            }
        };
        let reading = Reading { note: note_input.value().trim().to_owned(), ..Reading::new(id, date, value) };
        let result = doc_id.with_value(|doc| {
            session.edit(doc, |doc| model::add(doc, now_ms(), random_id(), reading.clone(), Position::Last))
        });
        error.set(result.as_ref().err().map(explain));
        if result.is_ok() {
            value_input.set_value("");
            note_input.set_value("");
        }
    };
    let today = today.map(|d| d.to_string()).unwrap_or_default();
    view! {
        <form class="add-reading" on:submit=on_add data-add-reading=id.to_string()>
            <div class="field">
                <label for=field("date")>"Date"</label>
                <input id=field("date") type="date" node_ref=date_ref value=today/>
            </div>
            <div class="field">
                <label for=field("value")>"Value"</label>
                <input id=field("value") type="number" step="any" node_ref=value_ref/>
            </div>
            <div class="field field-grow">
                <label for=field("note")>"Note"</label>
                <input id=field("note") type="text" node_ref=note_ref placeholder="Optional"/>
            </div>
            <button type="submit" class="button" id=field("add")>"Record reading"</button>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
