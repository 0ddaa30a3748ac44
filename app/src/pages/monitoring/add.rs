//! The form that adds an indicator: its name first; the rest is filled in on its card.

use leptos::prelude::*;
use quorum_shared::model::{self, Date, Indicator, Position};

use crate::explain::explain;
use crate::session::{Session, now_ms};

#[component]
pub fn AddIndicator(session: Session, doc_id: StoredValue<String>, today: Option<Date>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let name_ref = NodeRef::<leptos::html::Input>::new();
    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(input) = name_ref.get_untracked() else { return };
        let name = input.value().trim().to_owned();
        if name.is_empty() {
            error.set(Some("Name what is measured first, such as “Appeals upheld”.".into()));
            return;
        }
        // Measuring starts today, so a new indicator is not overdue before its first period ends.
        let indicator = Indicator { name, since: today, ..Indicator::default() };
        let result = doc_id
            .with_value(|id| session.edit(id, |doc| model::add(doc, now_ms(), indicator, Position::Last)));
        error.set(result.as_ref().err().map(explain));
        if result.is_ok() {
            input.set_value("");
        }
    };
    view! {
        <form class="card add-record" on:submit=on_add>
            <div class="field field-grow">
                <label for="indicator-new-name">"New indicator"</label>
                <input id="indicator-new-name" type="text" node_ref=name_ref aria-describedby="indicator-new-error"/>
            </div>
            <button type="submit" class="button">"Add indicator"</button>
            <p id="indicator-new-error" class="field-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
