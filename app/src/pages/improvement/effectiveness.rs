//! The review of whether a nonconformity's corrective actions worked: what was checked, by whom,
//! when, and the verdict. Closing needs it complete and effective; a closed one's review is
//! settled until someone reopens it.

use leptos::prelude::*;
use quorum_shared::model::{self, EffectivenessField, MemberId, Nonconformity, NonconformityId, TextEdit};

use super::nonconformity::parse_date;
use crate::components::field::{SelectField, TextField};
use crate::components::owner::OwnerSelect;
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::{Session, now_ms};

#[component]
pub fn EffectivenessReview(
    session: Session,
    doc_id: StoredValue<String>,
    id: NonconformityId,
    nc: Memo<Option<Nonconformity>>,
    members: Memo<Vec<(MemberId, String)>>,
    closed: Memo<bool>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let set = move |field: EffectivenessField| {
        let result = doc_id
            .with_value(|doc| session.edit(doc, |doc| model::edit_effectiveness(doc, now_ms(), id, field)));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    };
    let checked = Signal::derive(move || {
        nc.with(|n| n.as_ref().map(|n| n.effectiveness.checked.as_str().to_owned()).unwrap_or_default())
    });
    let by = Signal::derive(move || nc.with(|n| n.as_ref().and_then(|n| n.effectiveness.by)));
    let on = Signal::derive(move || {
        nc.with(|n| n.as_ref().and_then(|n| n.effectiveness.on).map(|d| d.to_string()).unwrap_or_default())
    });
    let verdict = Signal::derive(move || {
        match nc.with(|n| n.as_ref().and_then(|n| n.effectiveness.effective)) {
            Some(true) => "effective",
            Some(false) => "not-effective",
            None => "",
        }
        .to_owned()
    });
    let verdicts = Signal::derive(|| {
        [("", "Not decided yet"), ("effective", "Effective"), ("not-effective", "Not effective")]
            .map(|(v, l)| (v.to_owned(), l.to_owned()))
            .to_vec()
    });
    let field = move |name: &str| format!("nc-{id}-{name}");
    let on_checked =
        Callback::new(move |text: String| set(EffectivenessField::Checked(TextEdit::Replace(text))));
    let on_by = Callback::new(move |member: Option<MemberId>| set(EffectivenessField::By(member)));
    let on_on = Callback::new(move |text: String| match parse_date(&text) {
        Ok(date) => set(EffectivenessField::On(date)),
        Err(reason) => {
            error.set(Some(reason));
            false
        }
    });
    let on_verdict = Callback::new(move |value: String| {
        let effective = match value.as_str() {
            "effective" => Some(true),
            "not-effective" => Some(false),
            _ => None,
        };
        set(EffectivenessField::Effective(effective))
    });
    let can_edit = session.can_edit();
    view! {
        <fieldset class="record-fields nc-effectiveness" prop:disabled=move || !can_edit || closed.get()>
            <legend>"Effectiveness review"</legend>
            <Prose id=field("checked") label="What was checked" hint="The evidence that the cause is gone, such as a sample of records after the fix." value=checked on_edit=on_checked rows=2/>
            <div class="field">
                <label for=field("reviewed-by")>"Reviewed by"</label>
                <OwnerSelect id=field("reviewed-by") members value=by on_change=on_by/>
            </div>
            <TextField id=field("reviewed-on") label="Reviewed on" kind="date" value=on on_change=on_on/>
            <SelectField id=field("effective") label="Verdict" options=verdicts value=verdict on_change=on_verdict/>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </fieldset>
    }
}
