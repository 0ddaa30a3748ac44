//! One of the workspace's own documents as a row of the register: its version and (for the
//! policy and impact assessments) approval come from the document itself; owner, approval,
//! review date, location and retention are recorded here, each field saved as one edit.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::components::A;
use quorum_shared::model::{
    self, ArtifactControlField, DocumentEntry, DocumentId, DocumentRow, DocumentRows, MemberId, RowSource,
};

use super::{Flags, date_text, parse_date};
use crate::components::field::TextField;
use crate::components::gap_list::page_of;
use crate::components::owner::OwnerSelect;
use crate::explain::explain;
use crate::session::{Session, now_ms};

#[component]
pub fn ArtifactCard(
    session: Session,
    doc_id: StoredValue<String>,
    id: DocumentId,
    rows: Memo<Option<DocumentRows>>,
    members: Memo<Vec<(MemberId, String)>>,
    documents: Memo<BTreeMap<DocumentId, DocumentEntry>>,
) -> impl IntoView {
    let row = Memo::new(move |_| {
        rows.with(|rows| {
            rows.as_ref()?
                .rows
                .iter()
                .find(|r| matches!(r.source, RowSource::Artifact { id: found, .. } if found == id))
                .cloned()
        })
    });
    let kind = documents.with_untracked(|d| d.get(&id).map(|e| e.kind));
    let error = RwSignal::new(None::<String>);
    let can_edit = session.can_edit();
    let save = move |field: ArtifactControlField| {
        let title = row.with_untracked(|r| r.as_ref().map(|r| r.title.clone()).unwrap_or_default());
        let result = doc_id.with_value(|doc| {
            session.edit(doc, |doc| model::set_artifact_control(doc, now_ms(), id, &title, field))
        });
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    };
    let read = move |f: fn(&DocumentRow) -> String| {
        Signal::derive(move || row.with(|r| r.as_ref().map(f).unwrap_or_default()))
    };
    let title = read(|r| r.title.clone());
    let version = read(|r| r.version.clone());
    let own_approval = Signal::derive(move || row.with(|r| r.as_ref().and_then(|r| r.own_approval.clone())));
    let flags = Signal::derive(move || row.with(|r| r.as_ref().map(|r| r.flags.clone()).unwrap_or_default()));
    let owner = Signal::derive(move || row.with(|r| r.as_ref().and_then(|r| r.owner)));
    let approved_by = Signal::derive(move || row.with(|r| r.as_ref().and_then(|r| r.approved_by)));
    let approved_on = read(|r| date_text(r.approved_on));
    let review_on = read(|r| date_text(r.review_on));
    let location = read(|r| r.location.clone());
    let retention = read(|r| r.retention.clone());

    let on_owner = Callback::new(move |chosen| save(ArtifactControlField::Owner(chosen)));
    let on_approved_by = Callback::new(move |chosen| save(ArtifactControlField::ApprovedBy(chosen)));
    let dated = move |make: fn(Option<model::Date>) -> ArtifactControlField| {
        Callback::new(move |text: String| match parse_date(&text) {
            Ok(date) => save(make(date)),
            Err(reason) => {
                error.set(Some(reason));
                false
            }
        })
    };
    let on_approved_on = dated(ArtifactControlField::ApprovedOn);
    let on_review_on = dated(ArtifactControlField::ReviewOn);
    let on_location = Callback::new(move |text: String| save(ArtifactControlField::Location(text)));
    let on_retention = Callback::new(move |text: String| save(ArtifactControlField::Retention(text)));

    let field = move |name: &str| format!("documented-{id}-{name}");
    let kind_token = kind.map(|k| k.as_token()).unwrap_or_default();
    let href = kind.map(page_of).unwrap_or("/");
    view! {
        <li class="card record document-row" data-row=id.to_string() data-kind=kind_token
            data-flags=move || flags.with(|f| f.iter().map(|f| f.as_token()).collect::<Vec<_>>().join(" "))>
            <header class="document-head">
                <h3 class="document-title"><A href=href>{title}</A></h3>
                <span class="document-version" data-field="version">{version}</span>
                <Flags flags/>
            </header>
            <fieldset class="record-fields document-fields" prop:disabled=!can_edit>
                <legend class="visually-hidden">{move || format!("Register entry for {}", title.get())}</legend>
                <div class="field">
                    <label for=field("owner")>"Owner"</label>
                    <OwnerSelect id=field("owner") members value=owner on_change=on_owner/>
                </div>
                {move || match own_approval.get() {
                    Some(state) => view! {
                        <div class="field document-own-approval">
                            <span class="field-label">"Approval"</span>
                            <p class="own-approval" data-field="own-approval">
                                {state}" · "<A href=href>"approved on its own page"</A>
                            </p>
                        </div>
                    }
                    .into_any(),
                    None => view! {
                        <div class="field">
                            <label for=field("approved-by")>"Approved by"</label>
                            <OwnerSelect id=field("approved-by") members value=approved_by on_change=on_approved_by/>
                        </div>
                        <TextField id=field("approved-on") label="Approved on" kind="date" value=approved_on on_change=on_approved_on/>
                    }
                    .into_any(),
                }}
                <TextField id=field("review-on") label="Next review" kind="date" value=review_on on_change=on_review_on/>
                <TextField id=field("location") label="Kept in" placeholder="Where the current copy lives" value=location on_change=on_location classes="field-grow"/>
                <TextField id=field("retention") label="Kept for" placeholder="Such as “five years after it is replaced”" value=retention on_change=on_retention classes="field-grow"/>
            </fieldset>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </li>
    }
}
