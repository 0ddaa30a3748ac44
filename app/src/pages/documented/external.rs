//! A document kept outside the workspace, added by hand: its reference, version, owner,
//! approval, review date, where it is kept, for how long and what happens to it after.

use leptos::prelude::*;
use quorum_shared::model::{
    self, DocumentRows, DocumentedInformation, DocumentedInformationField as Field,
    DocumentedInformationRegister, InformationId, MemberId, RowSource,
};

use super::{Flags, date_text, parse_date};
use crate::components::field::TextField;
use crate::components::owner::OwnerSelect;
use crate::explain::explain;
use crate::session::{Session, now_ms};

#[component]
pub fn ExternalCard(
    session: Session,
    doc_id: StoredValue<String>,
    id: InformationId,
    rows: Memo<Option<DocumentRows>>,
    register: Memo<Option<DocumentedInformationRegister>>,
    members: Memo<Vec<(MemberId, String)>>,
) -> impl IntoView {
    let entry = Memo::new(move |_| register.with(|r| r.as_ref().and_then(|r| r.entries.get(&id).cloned())));
    let flags = Signal::derive(move || {
        rows.with(|rows| {
            rows.as_ref()
                .and_then(|rows| rows.rows.iter().find(|r| r.source == RowSource::External(id)))
                .map(|r| r.flags.clone())
                .unwrap_or_default()
        })
    });
    let error = RwSignal::new(None::<String>);
    let can_edit = session.can_edit();
    let save = move |field: Field| {
        let result = doc_id.with_value(|doc| session.edit(doc, |doc| model::edit(doc, now_ms(), id, field)));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    };
    let read = move |f: fn(&DocumentedInformation) -> String| {
        Signal::derive(move || entry.with(|e| e.as_ref().map(f).unwrap_or_default()))
    };
    let title = read(|e| e.title.clone());
    let text = move |make: fn(String) -> Field| {
        Callback::new(move |text: String| save(make(text.trim().to_owned())))
    };
    let dated = move |make: fn(Option<model::Date>) -> Field| {
        Callback::new(move |text: String| match parse_date(&text) {
            Ok(date) => save(make(date)),
            Err(reason) => {
                error.set(Some(reason));
                false
            }
        })
    };
    let on_title = Callback::new(move |text: String| {
        let text = text.trim().to_owned();
        if text.is_empty() {
            error.set(Some("A document needs a title; to remove it, use Delete instead.".into()));
            return false;
        }
        save(Field::Title(text))
    });
    let owner = Signal::derive(move || entry.with(|e| e.as_ref().and_then(|e| e.owner)));
    let approved_by = Signal::derive(move || entry.with(|e| e.as_ref().and_then(|e| e.approved_by)));
    let on_owner = Callback::new(move |chosen| save(Field::Owner(chosen)));
    let on_approved_by = Callback::new(move |chosen| save(Field::ApprovedBy(chosen)));
    let on_delete = move |_: leptos::ev::MouseEvent| {
        let result = doc_id.with_value(|doc| session.edit(doc, |doc| model::delete(doc, now_ms(), id)));
        error.set(result.as_ref().err().map(explain));
    };

    let field = move |name: &str| format!("documented-{id}-{name}");
    view! {
        <li class="card record document-row" data-row=id.to_string() data-kind="external"
            data-flags=move || flags.with(|f| f.iter().map(|f| f.as_token()).collect::<Vec<_>>().join(" "))>
            <header class="document-head">
                <Flags flags/>
            </header>
            <fieldset class="record-fields document-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">{move || format!("Document: {}", title.get())}</legend>
                <TextField id=field("title") label="Document" value=title on_change=on_title classes="field-wide"/>
                <TextField id=field("reference") label="Reference or link" value=read(|e| e.reference.clone()) on_change=text(Field::Reference) classes="field-grow"/>
                <TextField id=field("version") label="Version" value=read(|e| e.version.clone()) on_change=text(Field::Version)/>
                <div class="field">
                    <label for=field("owner")>"Owner"</label>
                    <OwnerSelect id=field("owner") members value=owner on_change=on_owner/>
                </div>
                <div class="field">
                    <label for=field("approved-by")>"Approved by"</label>
                    <OwnerSelect id=field("approved-by") members value=approved_by on_change=on_approved_by/>
                </div>
                <TextField id=field("approved-on") label="Approved on" kind="date" value=read(|e| date_text(e.approved_on)) on_change=dated(Field::ApprovedOn)/>
                <TextField id=field("review-on") label="Next review" kind="date" value=read(|e| date_text(e.review_on)) on_change=dated(Field::ReviewOn)/>
                <TextField id=field("location") label="Kept in" value=read(|e| e.location.clone()) on_change=text(Field::Location) classes="field-grow"/>
                <TextField id=field("retention") label="Kept for" value=read(|e| e.retention.clone()) on_change=text(Field::Retention) classes="field-grow"/>
                <TextField id=field("disposal") label="Then" placeholder="Such as “deleted” or “archived”" value=read(|e| e.disposal.clone()) on_change=text(Field::Disposal) classes="field-grow"/>
            </fieldset>
            <p class="field-error" role="alert">{move || error.get()}</p>
            <Show when=move || can_edit>
                <button type="button" class="link-button delete" on:click=on_delete aria-label=move || format!("Delete document {}", title.get())>
                    "Delete document"
                </button>
            </Show>
        </li>
    }
}
