//! One indicator as a card: its fields, each saved as one register edit when it changes, whether
//! its next reading is overdue, its chart, and its readings.

use automerge::AutoCommit;
use leptos::prelude::*;
use quorum_shared::model::{
    self, Date, Direction, Frequency, Indicator, IndicatorField, IndicatorId, IndicatorLink, MemberId,
    ModelError, Monitoring, TextEdit,
};

use super::LinkChoices;
use super::chart::IndicatorChart;
use super::readings::Readings;
use crate::components::owner::OwnerSelect;
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::{Session, now_ms};

#[component]
pub fn IndicatorCard(
    session: Session,
    doc_id: StoredValue<String>,
    id: IndicatorId,
    monitoring: Memo<Option<Monitoring>>,
    members: Memo<Vec<(MemberId, String)>>,
    links: LinkChoices,
    today: Option<Date>,
) -> impl IntoView {
    let indicator =
        Memo::new(move |_| monitoring.with(|m| m.as_ref().and_then(|m| m.indicators.get(&id).cloned())));
    let overdue = Memo::new(move |_| {
        monitoring.with(|m| matches!((m, today), (Some(m), Some(today)) if m.is_overdue(id, today)))
    });
    let error = RwSignal::new(None::<String>);
    let can_edit = session.can_edit();
    let edit = move |operation: &dyn Fn(&mut AutoCommit) -> Result<(), ModelError>| {
        let result = doc_id.with_value(|doc| session.edit(doc, operation));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    };
    let read =
        move |f: fn(&Indicator) -> String| move || indicator.with(|i| i.as_ref().map(f).unwrap_or_default());
    let name = read(|i| i.name.clone());
    let method = read(|i| i.method.clone());
    let unit = read(|i| i.unit.clone());
    let target = read(|i| i.target.map(|t| t.to_string()).unwrap_or_default());
    let since = read(|i| i.since.map(|d| d.to_string()).unwrap_or_default());
    let frequency = read(|i| i.frequency.as_token().to_owned());
    let direction = read(|i| i.direction.as_token().to_owned());
    let link = read(|i| i.link.map(|l| l.to_string()).unwrap_or_default());
    let description = Signal::derive(read(|i| i.description.as_str().to_owned()));
    let owner = Signal::derive(move || indicator.with(|i| i.as_ref().and_then(|i| i.owner)));

    // A text input: `make` turns the trimmed text into the field, or refuses it with a reason.
    let text_field = move |stored: fn(&Indicator) -> String,
                           make: fn(String) -> Result<IndicatorField, String>| {
        move |event: leptos::ev::Event| {
            let input: web_sys::HtmlInputElement = event_target(&event);
            let text = input.value().trim().to_owned();
            let current = indicator.with_untracked(|i| i.as_ref().map(stored).unwrap_or_default());
            if text == current {
                return;
            }
            let done = match make(text) {
                Ok(field) => edit(&|doc| model::edit(doc, now_ms(), id, field.clone())),
                Err(reason) => {
                    error.set(Some(reason));
                    false
                }
            };
            if !done {
                input.set_value(&current);
            }
        }
    };
    let on_name = text_field(
        |i| i.name.clone(),
        |text| {
            if text.is_empty() {
                Err("An indicator needs a name; to remove it, use Delete instead.".into())
            } else {
                Ok(IndicatorField::Name(text))
            }
        },
    );
    let on_method = text_field(|i| i.method.clone(), |text| Ok(IndicatorField::Method(text)));
    let on_unit = text_field(|i| i.unit.clone(), |text| Ok(IndicatorField::Unit(text)));
    let on_target = text_field(
        |i| i.target.map(|t| t.to_string()).unwrap_or_default(),
        |text| {
            if text.is_empty() {
                return Ok(IndicatorField::Target(None));
            }
            match text.parse::<f64>() {
                Ok(value) if value.is_finite() => Ok(IndicatorField::Target(Some(value))),
                _ => Err("The target must be a number, such as 95 or 0.5.".into()),
            }
        },
    );
    let on_since = text_field(
        |i| i.since.map(|d| d.to_string()).unwrap_or_default(),
        |text| {
            if text.is_empty() {
                return Ok(IndicatorField::Since(None));
            }
            text.parse::<Date>()
                .map(|date| IndicatorField::Since(Some(date)))
                .map_err(|_| "That is not a real date: pick one from the calendar.".to_owned())
        },
    );
    // A select: `make` turns the chosen option's value into the field, when it is one.
    let select_field = move |current: fn(&Indicator) -> String, make: fn(&str) -> Option<IndicatorField>| {
        move |event: leptos::ev::Event| {
            let chosen = event_target_value(&event);
            let done =
                make(&chosen).is_some_and(|field| edit(&|doc| model::edit(doc, now_ms(), id, field.clone())));
            if !done {
                let select: web_sys::HtmlSelectElement = event_target(&event);
                select.set_value(&indicator.with_untracked(|i| i.as_ref().map(current).unwrap_or_default()));
            }
        }
    };
    let on_frequency = select_field(
        |i| i.frequency.as_token().to_owned(),
        |token| Frequency::from_token(token).map(IndicatorField::Frequency),
    );
    let on_direction = select_field(
        |i| i.direction.as_token().to_owned(),
        |token| Direction::from_token(token).map(IndicatorField::Direction),
    );
    let on_link = select_field(
        |i| i.link.map(|l| l.to_string()).unwrap_or_default(),
        |value| {
            if value.is_empty() {
                Some(IndicatorField::Link(None))
            } else {
                value.parse::<IndicatorLink>().ok().map(|link| IndicatorField::Link(Some(link)))
            }
        },
    );
    let on_description = Callback::new(move |text: String| {
        edit(&|doc| {
            model::edit(doc, now_ms(), id, IndicatorField::Description(TextEdit::Replace(text.clone())))
        })
    });
    let on_owner = Callback::new(move |chosen: Option<MemberId>| {
        edit(&|doc| model::edit(doc, now_ms(), id, IndicatorField::Owner(chosen)))
    });
    let on_delete = move |_: leptos::ev::MouseEvent| {
        edit(&|doc| model::delete(doc, now_ms(), id));
    };

    let due_note = move || {
        let (frequency, since) =
            indicator.with(|i| i.as_ref().map(|i| (i.frequency, i.since)).unwrap_or_default());
        let last = monitoring.with(|m| m.as_ref().and_then(|m| m.latest(id).map(|(_, r)| r.date)));
        let period = frequency.period();
        match (overdue.get(), last, since) {
            (true, Some(last), _) => {
                format!("Overdue: the last reading, on {last}, is more than a {period} old.")
            }
            (true, None, _) => format!("Overdue: no reading yet; one is due every {period}."),
            (false, Some(last), _) => format!("Up to date: last read on {last}; one reading every {period}."),
            (false, None, Some(since)) => {
                format!("No reading yet; the first is due within a {period} of {since}.")
            }
            (false, None, None) => format!("No reading yet; one is due every {period}."),
        }
    };

    let field = move |name: &str| format!("indicator-{id}-{name}");
    view! {
        <li class="card record indicator" data-indicator=id.to_string() data-overdue=move || overdue.get().to_string()>
            <fieldset class="record-fields indicator-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">{move || format!("Indicator: {}", name())}</legend>
                <div class="field field-wide indicator-name">
                    <label for=field("name")>"What is measured"</label>
                    <input id=field("name") class="title" type="text" prop:value=name on:change=on_name/>
                </div>
                <div class="field field-wide">
                    <label for=field("method")>"Method"</label>
                    <input id=field("method") type="text" placeholder="Where the numbers come from and how they are counted" prop:value=method on:change=on_method/>
                </div>
                <div class="field">
                    <label for=field("frequency")>"Frequency"</label>
                    <select id=field("frequency") on:change=on_frequency>
                        {Frequency::ALL
                            .iter()
                            .map(|f| {
                                let token = f.as_token();
                                view! { <option value=token prop:selected=move || frequency() == token>{f.label()}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=field("target")>"Target"</label>
                    <input id=field("target") type="number" step="any" prop:value=target on:change=on_target/>
                </div>
                <div class="field">
                    <label for=field("direction")>"Good is"</label>
                    <select id=field("direction") on:change=on_direction>
                        {Direction::ALL
                            .iter()
                            .map(|d| {
                                let token = d.as_token();
                                view! { <option value=token prop:selected=move || direction() == token>{d.label()}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=field("unit")>"Unit"</label>
                    <input id=field("unit") type="text" placeholder="%, cases, days" prop:value=unit on:change=on_unit/>
                </div>
                <div class="field">
                    <label for=field("owner")>"Owner"</label>
                    <OwnerSelect id=field("owner") members value=owner on_change=on_owner/>
                </div>
                <div class="field">
                    <label for=field("since")>"Measured since"</label>
                    <input id=field("since") type="date" prop:value=since on:change=on_since/>
                </div>
                <div class="field field-wide">
                    <label for=field("link")>"Tells about"</label>
                    <select id=field("link") on:change=on_link>
                        <option value="" prop:selected=move || link().is_empty()>"Nothing chosen yet"</option>
                        {move || {
                            links
                                .get()
                                .into_iter()
                                .map(|(choice, label)| {
                                    let value = choice.to_string();
                                    let selected = value.clone();
                                    view! { <option value=value prop:selected=move || link() == selected>{label}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                <Prose id=field("description") label="Why it matters" value=description on_edit=on_description rows=2/>
            </fieldset>
            <p class="indicator-due" data-due=move || if overdue.get() { "overdue" } else { "ok" }>{due_note}</p>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <IndicatorChart id monitoring/>
            <Readings session doc_id id monitoring today/>
            <Show when=move || can_edit>
                <button type="button" class="link-button delete" on:click=on_delete aria-label=move || format!("Delete indicator {}", name())>
                    "Delete indicator"
                </button>
            </Show>
        </li>
    }
}
