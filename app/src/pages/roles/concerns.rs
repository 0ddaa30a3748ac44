//! How people report concerns about the organization's AI (A.3.3): the channel described as
//! prose that several people can write at once, and where reports go.

use leptos::prelude::*;
use quorum_shared::catalog;
use quorum_shared::model::{self, TextEdit};

use super::RolesView;
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::{Session, now_ms};

#[component]
pub fn ConcernReporting(
    session: Session,
    doc_id: StoredValue<String>,
    roles: Memo<Option<RolesView>>,
) -> impl IntoView {
    let text = Memo::new(move |_| {
        roles.with(|r| r.as_ref().map(|r| r.concern_reporting.clone()).unwrap_or_default())
    });
    let contact =
        Memo::new(move |_| roles.with(|r| r.as_ref().map(|r| r.concern_contact.clone()).unwrap_or_default()));
    let error = RwSignal::new(None::<String>);
    let contact_error = RwSignal::new(None::<String>);
    let on_text = Callback::new(move |new_text: String| {
        let result = doc_id.with_value(|id| {
            session.edit(id, |doc| model::edit_concern_reporting(doc, now_ms(), TextEdit::Replace(new_text)))
        });
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    });
    let on_contact = move |event: leptos::ev::Event| {
        let value = event_target_value(&event);
        if value == contact.get_untracked() {
            return;
        }
        let result = doc_id
            .with_value(|id| session.edit(id, |doc| model::set_concern_contact(doc, now_ms(), value.trim())));
        contact_error.set(result.err().as_ref().map(explain));
    };
    let guidance = catalog::control("A.3.3").map(|control| control.description);

    view! {
        <section class="card concern-reporting" aria-labelledby="concern-heading">
            <h2 id="concern-heading"><span class="ref">"A.3.3"</span>"Reporting concerns"</h2>
            {guidance.map(|text| view! { <p class="hint">{text}</p> })}
            <fieldset class="concern-fields" prop:disabled=move || !session.can_edit()>
                <legend class="roles-legend">"The reporting channel"</legend>
                <Prose
                    id="concern-reporting"
                    label="How to raise a concern"
                    hint="Who can report, how (openly or anonymously), what happens next, and how reporters are protected."
                    value=text
                    on_edit=on_text
                    disabled=Signal::derive(move || !session.can_edit())
                    rows=6
                />
                <p class="field-error" role="alert">{move || error.get()}</p>
                <div class="field concern-contact">
                    <label for="concern-contact">"Where concerns go"</label>
                    <input
                        id="concern-contact"
                        type="text"
                        placeholder="e.g. ethics@example.org, or the name of a person"
                        prop:value=move || contact.get()
                        aria-describedby="concern-contact-error"
                        on:change=on_contact
                    />
                    <p id="concern-contact-error" class="field-error" role="alert">{move || contact_error.get()}</p>
                </div>
            </fieldset>
        </section>
    }
}
