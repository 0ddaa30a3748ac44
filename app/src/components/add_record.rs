//! The form at the foot of a register that adds a record by its title (an objective, a planned
//! change, a planned audit...): one text field, refused in the register's own words when empty,
//! cleared once the record is added.
//!
//! ```ignore
//! view! {
//!     <AddRecord session doc_id input_id="change-new-title" error_id="change-new-error"
//!         label="New planned change" button="Add change" empty="Say what changes first."
//!         make=|title| PlannedChange { title, ..PlannedChange::default() }/>
//! }
//! ```

use leptos::prelude::*;
use quorum_shared::model::{self, Position, Record};

use crate::explain::explain;
use crate::session::{Session, now_ms, random_id};

#[component]
pub fn AddRecord<R, F>(
    session: Session,
    doc_id: StoredValue<String>,
    input_id: &'static str,
    error_id: &'static str,
    label: &'static str,
    button: &'static str,
    /// What to say when the field is empty, with an example of a good title.
    empty: &'static str,
    /// The new record, from the trimmed text.
    make: F,
    #[prop(optional)] button_id: Option<&'static str>,
) -> impl IntoView
where
    R: Record + 'static,
    F: Fn(String) -> R + 'static,
{
    let error = RwSignal::new(None::<String>);
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(input) = input_ref.get_untracked() else { return };
        let text = input.value().trim().to_owned();
        if text.is_empty() {
            error.set(Some(empty.to_owned()));
            return;
        }
        let record = make(text);
        let result = doc_id.with_value(|id| {
            session.edit(id, |doc| model::add(doc, now_ms(), random_id(), record, Position::Last))
        });
        error.set(result.as_ref().err().map(explain));
        if result.is_ok() {
            input.set_value("");
        }
    };
    view! {
        <form class="card add-record" on:submit=on_add>
            <div class="field field-grow">
                <label for=input_id>{label}</label>
                <input id=input_id type="text" node_ref=input_ref aria-describedby=error_id/>
            </div>
            <button type="submit" class="button" id=button_id>{button}</button>
            <p id=error_id class="field-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
