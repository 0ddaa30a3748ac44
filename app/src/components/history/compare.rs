//! The panel's comparison of a past point with now: each record added, removed or changed
//! since, each changed field with its value then and now (prose character by character), and a
//! button that brings the past back as a new change: a field, a whole record, or a text.

use leptos::prelude::*;
use quorum_shared::model::{self, Comparison, Difference, FieldDifference, PartPath, Segment};

use super::CompareRange;
use crate::explain::explain;
use crate::session::{Session, now_ms};

#[component]
pub(super) fn CompareView(doc_id: String, range: CompareRange, on_close: Callback<()>) -> impl IntoView {
    let session = expect_context::<Session>();
    let CompareRange { from: heads, to } = range;
    let to_now = to.is_none();
    let differences = {
        let (doc_id, heads) = (doc_id.clone(), heads.clone());
        Memo::new(move |_| {
            session.read_log(&doc_id, |doc| {
                let to = to.clone().unwrap_or_else(|| doc.get_heads());
                model::compare(doc, &heads, &to)
            })
        })
    };
    let notice = RwSignal::new(None::<String>);
    let restore = move |path: PartPath, what: String| {
        // Restoring is an edit of the present: leave the past first.
        session.back_to_now();
        let result = session.edit(&doc_id, |doc| model::restore(doc, now_ms(), &heads, &path, &what));
        notice.set(Some(match result {
            Ok(()) => format!("Restored the {what}: everyone sees it as a new change."),
            Err(error) => explain(&error),
        }));
    };
    // Only now can be put back as it was: a comparison of two past points is for reading.
    let can_edit = session.role_can_write() && to_now;

    view! {
        <div class="history-compare">
            <button type="button" class="button-quiet" id="history-back-to-list" on:click=move |_| on_close.run(())>
                "← All changes"
            </button>
            <h3>{if to_now { "What changed since then" } else { "What changed between the two changes" }}</h3>
            <p class="history-notice" role="status" aria-live="polite">{move || notice.get()}</p>
            {move || {
                let differences = differences.get().unwrap_or_default();
                if differences.is_empty() {
                    let words = if to_now { "Nothing: the document is as it was then." } else { "Nothing: the document read the same at both points." };
                    return view! { <p class="muted">{words}</p> }.into_any();
                }
                let restore = restore.clone();
                view! {
                    <ul class="differences">
                        {differences.into_iter().map(|difference| {
                            difference_view(difference, can_edit, to_now, restore.clone())
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </div>
    }
}

fn difference_view(
    difference: Difference,
    can_edit: bool,
    to_now: bool,
    restore: impl Fn(PartPath, String) + Clone + 'static,
) -> impl IntoView {
    let Difference { record, label, change, fields } = difference;
    let own = record.is_empty();
    let heading = if own { "The document's own fields".to_owned() } else { label.clone() };
    let (state, words) = match change {
        Comparison::Added => ("added", "Added since"),
        Comparison::Removed => ("removed", "Removed since"),
        Comparison::Changed => ("changed", "Changed since"),
    };
    let whole = (!own && can_edit).then(|| {
        let restore = restore.clone();
        let (path, what) = (record.clone(), format!("record {label}"));
        let words =
            if change == Comparison::Added { "Remove it, as then" } else { "Restore the whole record" };
        view! {
            <button type="button" class="button-quiet history-restore-record"
                on:click=move |_| restore(path.clone(), what.clone())>{words}</button>
        }
    });
    view! {
        <li class="difference" data-record=record.join("/") data-change=state>
            <div class="difference-head">
                <strong>{heading}</strong>
                <span class=format!("difference-state difference-{state}")>{words}</span>
                {whole}
            </div>
            <ul class="field-differences">
                {fields.into_iter().map(|field| {
                    let what = if own { field.label.clone() } else { format!("{} of {label}", field.label) };
                    field_view(field, what, can_edit, if to_now { "now" } else { "later" }, restore.clone())
                }).collect_view()}
            </ul>
        </li>
    }
}

fn field_view(
    field: FieldDifference,
    what: String,
    can_edit: bool,
    // What the later side is called: "now", or "later" between two past points.
    later: &'static str,
    restore: impl Fn(PartPath, String) + Clone + 'static,
) -> impl IntoView {
    let FieldDifference { path, label, before, after, prose } = field;
    let values = match prose {
        Some(segments) => view! {
            <p class="prose-diff">
                {segments.into_iter().map(|segment| match segment {
                    Segment::Same(text) => view! { <span>{text}</span> }.into_any(),
                    Segment::Removed(text) => view! { <del>{text}</del> }.into_any(),
                    Segment::Added(text) => view! { <ins>{text}</ins> }.into_any(),
                }).collect_view()}
            </p>
        }.into_any(),
        None => view! {
            <p class="value-diff">
                <span class="value-then">{format!("then: {}", before.unwrap_or_else(|| "not there".into()))}</span>
                <span class="value-now">{format!("{later}: {}", after.unwrap_or_else(|| "not there".into()))}</span>
            </p>
        }.into_any(),
    };
    let button = can_edit.then(|| {
        view! {
            <button type="button" class="button-quiet history-restore"
                on:click=move |_| restore(path.clone(), what.clone())>"Restore this"</button>
        }
    });
    view! {
        <li class="field-difference" data-field=label.clone()>
            <span class="field-difference-label">{label.clone()}</span>
            {values}
            {button}
        </li>
    }
}
