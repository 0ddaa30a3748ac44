//! One nonconformity as a card: what happened and where it came from, the reaction, the root
//! cause, the corrective actions, the effectiveness review and the closure.

use automerge::AutoCommit;
use leptos::prelude::*;
use leptos_router::components::A;
use quorum_shared::model::{
    self, Date, Improvement, MemberId, ModelError, Nonconformity, NonconformityField, NonconformityId,
    NonconformitySource, NonconformityStatus, TextEdit,
};

use super::corrective::CorrectiveActions;
use super::effectiveness::EffectivenessReview;
use crate::components::field::{SelectField, TextField};
use crate::components::owner::OwnerSelect;
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::today;
use crate::session::{Session, now_ms};

#[component]
pub fn NonconformityCard(
    session: Session,
    doc_id: StoredValue<String>,
    id: NonconformityId,
    improvement: Memo<Option<Improvement>>,
    members: Memo<Vec<(MemberId, String)>>,
) -> impl IntoView {
    let nc = Memo::new(move |_| {
        improvement.with(|i| i.as_ref().and_then(|i| i.nonconformities.get(&id).cloned()))
    });
    let stage = Memo::new(move |_| improvement.with(|i| i.as_ref().and_then(|i| i.stage(id))));
    let closed =
        Memo::new(move |_| nc.with(|n| n.as_ref().is_some_and(|n| n.status == NonconformityStatus::Closed)));
    let error = RwSignal::new(None::<String>);
    let can_edit = session.can_edit();
    let edit = move |operation: &dyn Fn(&mut AutoCommit) -> Result<(), ModelError>| {
        let result = doc_id.with_value(|doc| session.edit(doc, operation));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    };
    let read = move |f: fn(&Nonconformity) -> String| {
        Signal::derive(move || nc.with(|n| n.as_ref().map(f).unwrap_or_default()))
    };
    let title = read(|n| n.title.clone());
    let detected = read(|n| n.detected_on.map(|d| d.to_string()).unwrap_or_default());
    let source = read(|n| n.source.as_token().to_owned());
    let description = read(|n| n.description.as_str().to_owned());
    let reaction = read(|n| n.reaction.as_str().to_owned());
    let root_cause = read(|n| n.root_cause.as_str().to_owned());
    let owner = Signal::derive(move || nc.with(|n| n.as_ref().and_then(|n| n.owner)));
    let audit = Memo::new(move |_| nc.with(|n| n.as_ref().and_then(|n| n.audit)));
    let field = move |name: &str| format!("nc-{id}-{name}");

    let set = move |field: NonconformityField| edit(&|doc| model::edit(doc, now_ms(), id, field.clone()));
    let prose = move |make: fn(TextEdit) -> NonconformityField| {
        Callback::new(move |text: String| set(make(TextEdit::Replace(text))))
    };
    let on_title = Callback::new(move |text: String| {
        let text = text.trim().to_owned();
        if text.is_empty() {
            error.set(Some("A nonconformity needs a title; to remove it, use Delete instead.".into()));
            return false;
        }
        set(NonconformityField::Title(text))
    });
    let on_source = Callback::new(move |token: String| {
        let Some(source) = NonconformitySource::ALL.into_iter().find(|s| s.as_token() == token) else {
            return false;
        };
        set(NonconformityField::Source(source))
    });
    let on_detected = Callback::new(move |text: String| match parse_date(&text) {
        Ok(date) => set(NonconformityField::DetectedOn(date)),
        Err(reason) => {
            error.set(Some(reason));
            false
        }
    });
    let on_owner = Callback::new(move |chosen: Option<MemberId>| set(NonconformityField::Owner(chosen)));
    let sources = Signal::derive(|| {
        NonconformitySource::ALL
            .iter()
            .map(|s| (s.as_token().to_owned(), s.label().to_owned()))
            .collect::<Vec<_>>()
    });
    let on_close = move |_| {
        edit(&|doc| model::close_nonconformity(doc, now_ms(), id, today()));
    };
    let on_reopen = move |_| {
        edit(&|doc| model::reopen_nonconformity(doc, now_ms(), id));
    };
    let on_delete = move |_| {
        edit(&|doc| model::delete(doc, now_ms(), id));
    };

    view! {
        <li
            id=format!("nc-{id}")
            class="card record nonconformity"
            data-nonconformity=id.to_string()
            data-stage=move || stage.get().map_or("", |s| s.as_token())
        >
            <header class="nc-header">
                <h3>{move || title.get()}</h3>
                <span class=move || format!("nc-stage nc-stage-{}", stage.get().map_or("", |s| s.as_token()))>
                    {move || stage.get().map_or("", |s| s.label())}
                </span>
            </header>
            {move || audit.get().map(|audit| view! {
                <p class="nc-audit">
                    "Raised by an internal audit: "
                    <A href=format!("/audits/{audit}")>"open the audit"</A>
                </p>
            })}
            <fieldset class="record-fields" prop:disabled=move || !can_edit || closed.get()>
                <legend class="visually-hidden">{move || format!("Nonconformity: {}", title.get())}</legend>
                <TextField id=field("title") label="What went wrong" value=title on_change=on_title classes="field-wide"/>
                <SelectField id=field("source") label="Found through" options=sources value=source on_change=on_source/>
                <TextField id=field("detected") label="Found on" kind="date" value=detected on_change=on_detected/>
                <div class="field">
                    <label for=field("owner")>"Owner"</label>
                    <OwnerSelect id=field("owner") members value=owner on_change=on_owner/>
                </div>
                <Prose id=field("description") label="What happened" value=description on_edit=prose(NonconformityField::Description) rows=2/>
                <Prose id=field("reaction") label="What was done at once" hint="To contain it and deal with its consequences." value=reaction on_edit=prose(NonconformityField::Reaction) rows=2/>
                <Prose id=field("root-cause") label="Root cause" hint="Why it happened, and whether it could happen elsewhere." value=root_cause on_edit=prose(NonconformityField::RootCause) rows=2/>
            </fieldset>
            <CorrectiveActions session doc_id nc=id improvement members closed/>
            <EffectivenessReview session doc_id id nc members closed/>
            <p class="field-error" role="alert" id=field("error")>{move || error.get()}</p>
            <Show when=move || can_edit>
                <div class="nc-closure">
                    {move || if closed.get() {
                        let on = nc.with(|n| n.as_ref().and_then(|n| n.closed_on)).map(|d| d.to_string()).unwrap_or_default();
                        view! {
                            <p class="nc-closed">{format!("Closed on {on}.")}</p>
                            <button type="button" class="button secondary" id=field("reopen") on:click=on_reopen>"Reopen"</button>
                        }
                        .into_any()
                    } else {
                        view! {
                            <button type="button" class="button" id=field("close") on:click=on_close>"Close nonconformity"</button>
                        }
                        .into_any()
                    }}
                    <button type="button" class="link-button delete" on:click=on_delete
                        aria-label=move || format!("Delete nonconformity {}", title.get())>"Delete nonconformity"</button>
                </div>
            </Show>
        </li>
    }
}

/// A date field's value: empty is no date; anything else must be a real date.
pub(super) fn parse_date(text: &str) -> Result<Option<Date>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<Date>()
        .map(Some)
        .map_err(|_| "That is not a real date: pick one from the calendar.".to_owned())
}
