//! One planned change as a card of fields, each saved as one register edit when it changes.

use leptos::prelude::*;
use quorum_shared::model::{
    self, ChangeId, ChangeStatus, MemberId, PlannedChange, PlannedChangeField as Field, PlannedChanges,
    TextEdit,
};

use crate::components::field::{SelectField, TextField};
use crate::components::owner::OwnerSelect;
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::{Session, now_ms};

const STATUSES: [(ChangeStatus, &str, &str); 5] = [
    (ChangeStatus::Proposed, "proposed", "Proposed"),
    (ChangeStatus::Approved, "approved", "Approved"),
    (ChangeStatus::InProgress, "in-progress", "In progress"),
    (ChangeStatus::Done, "done", "Done"),
    (ChangeStatus::Cancelled, "cancelled", "Cancelled"),
];

fn status_token(status: ChangeStatus) -> &'static str {
    STATUSES.iter().find(|(s, ..)| *s == status).map_or("proposed", |(_, token, _)| token)
}

#[component]
pub fn ChangeCard(
    session: Session,
    doc_id: StoredValue<String>,
    id: ChangeId,
    changes: Memo<Option<PlannedChanges>>,
    members: Memo<Vec<(MemberId, String)>>,
) -> impl IntoView {
    let change = Memo::new(move |_| changes.with(|c| c.as_ref().and_then(|c| c.changes.get(&id).cloned())));
    let error = RwSignal::new(None::<String>);
    let can_edit = session.can_edit();
    let save = move |field: Field| {
        let result = doc_id.with_value(|doc| session.edit(doc, |doc| model::edit(doc, now_ms(), id, field)));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    };
    let read = move |f: fn(&PlannedChange) -> String| {
        Signal::derive(move || change.with(|c| c.as_ref().map(f).unwrap_or_default()))
    };
    let title = read(|c| c.title.clone());
    let status = read(|c| status_token(c.status).to_owned());
    let owner = Signal::derive(move || change.with(|c| c.as_ref().and_then(|c| c.owner)));

    let on_title = Callback::new(move |text: String| {
        let text = text.trim().to_owned();
        if text.is_empty() {
            error.set(Some("A planned change needs a title; to remove it, use Delete instead.".into()));
            return false;
        }
        save(Field::Title(text))
    });
    let on_resources = Callback::new(move |text: String| save(Field::Resources(text.trim().to_owned())));
    let on_due = Callback::new(move |text: String| {
        let text = text.trim();
        if text.is_empty() {
            return save(Field::Due(None));
        }
        match text.parse() {
            Ok(date) => save(Field::Due(Some(date))),
            Err(_) => {
                error.set(Some("The due date is not a real date: pick one from the calendar.".into()));
                false
            }
        }
    });
    let on_status = Callback::new(move |token: String| match STATUSES.iter().find(|(_, t, _)| *t == token) {
        Some((chosen, ..)) => save(Field::Status(*chosen)),
        None => false,
    });
    let on_owner = Callback::new(move |chosen| save(Field::Owner(chosen)));
    let on_purpose = Callback::new(move |text: String| save(Field::Purpose(TextEdit::Replace(text))));
    let on_consequences =
        Callback::new(move |text: String| save(Field::Consequences(TextEdit::Replace(text))));
    let on_delete = move |_: leptos::ev::MouseEvent| {
        let result = doc_id.with_value(|doc| session.edit(doc, |doc| model::delete(doc, now_ms(), id)));
        error.set(result.as_ref().err().map(explain));
    };
    let statuses =
        Signal::derive(|| STATUSES.iter().map(|(_, t, l)| ((*t).to_owned(), (*l).to_owned())).collect());

    let field = move |name: &str| format!("change-{id}-{name}");
    view! {
        <li class="card record planned-change" data-change=id.to_string() data-status=move || status.get()>
            <fieldset class="record-fields change-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">{move || format!("Planned change: {}", title.get())}</legend>
                <TextField id=field("title") label="What changes" value=title on_change=on_title classes="field-wide"/>
                <div class="field">
                    <label for=field("owner")>"Who"</label>
                    <OwnerSelect id=field("owner") members value=owner on_change=on_owner/>
                </div>
                <TextField id=field("due") label="By when" kind="date" value=read(|c| c.due.map(|d| d.to_string()).unwrap_or_default()) on_change=on_due/>
                <SelectField id=field("status") label="Status" options=statuses value=status on_change=on_status classes="status"/>
                <TextField id=field("resources") label="Resources" placeholder="People, time, money, tools" value=read(|c| c.resources.clone()) on_change=on_resources classes="field-grow"/>
                <Prose id=field("purpose") label="Why" hint="The purpose of the change." value=read(|c| c.purpose.as_str().to_owned()) on_edit=on_purpose rows=2/>
                <Prose id=field("consequences") label="What could follow" hint="Its possible consequences, good or bad, and how they are handled." value=read(|c| c.consequences.as_str().to_owned()) on_edit=on_consequences rows=2/>
            </fieldset>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <Show when=move || can_edit>
                <button type="button" class="link-button delete" on:click=on_delete aria-label=move || format!("Delete planned change {}", title.get())>
                    "Delete change"
                </button>
            </Show>
        </li>
    }
}
