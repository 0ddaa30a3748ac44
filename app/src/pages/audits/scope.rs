//! Choosing what an audit covers: clauses 4 to 10 and the controls the SoA holds applicable, one
//! checkbox each, with "select all" and "clear all". Each change is one edit of the set, so two
//! people ticking different boxes at once both keep theirs.

use std::collections::BTreeMap;

use leptos::prelude::*;
use quorum_shared::model::{AuditItem, StatementOfApplicability};

/// The items one can choose: clauses, applicable controls, and anything already in scope
/// that the SoA has since excluded (so it can be taken out).
fn choices(
    soa: Option<&StatementOfApplicability>,
    scope: &BTreeMap<AuditItem, bool>,
) -> (Vec<AuditItem>, Vec<AuditItem>) {
    let mut controls = AuditItem::applicable_controls(soa);
    for item in scope.keys() {
        if matches!(item, AuditItem::Control(_)) && !controls.contains(item) {
            controls.push(*item);
        }
    }
    quorum_shared::order::sort(&mut controls);
    (AuditItem::clauses().collect(), controls)
}

#[component]
pub fn ScopeEditor(
    /// Prefix of the element ids, such as `planned-<id>`.
    #[prop(into)]
    prefix: String,
    #[prop(into)] scope: Signal<BTreeMap<AuditItem, bool>>,
    soa: Memo<Option<StatementOfApplicability>>,
    /// Gets the items and whether they go in or out; says whether the model took it.
    on_change: Callback<(Vec<AuditItem>, bool), bool>,
    #[prop(into)] disabled: Signal<bool>,
) -> impl IntoView {
    let lists = Memo::new(move |_| soa.with(|soa| scope.with(|scope| choices(soa.as_ref(), scope))));
    let count = move || scope.with(|s| s.len());
    let prefix = StoredValue::new(prefix);
    let all =
        move || lists.with(|(clauses, controls)| clauses.iter().chain(controls).copied().collect::<Vec<_>>());
    let select_all = move |_| {
        let missing: Vec<AuditItem> =
            scope.with_untracked(|s| all().into_iter().filter(|i| !s.contains_key(i)).collect());
        on_change.run((missing, true));
    };
    let clear_all = move |_| {
        let present: Vec<AuditItem> = scope.with_untracked(|s| s.keys().copied().collect());
        on_change.run((present, false));
    };
    let boxes = move |items: Vec<AuditItem>| {
        items
            .into_iter()
            .map(|item| {
                let id = format!("{}-scope-{item}", prefix.get_value());
                let checked = move || scope.with(|s| s.contains_key(&item));
                let on_toggle = move |event: leptos::ev::Event| {
                    let input: web_sys::HtmlInputElement = event_target(&event);
                    if !on_change.run((vec![item], input.checked())) {
                        input.set_checked(scope.with_untracked(|s| s.contains_key(&item)));
                    }
                };
                view! {
                    <li class="scope-choice" data-item=item.to_string()>
                        <input type="checkbox" id=id.clone() prop:checked=checked on:change=on_toggle prop:disabled=move || disabled.get()/>
                        <label for=id>
                            <span class="scope-id">{item.to_string()}</span>
                            " "
                            <span class="scope-title">{item.title()}</span>
                        </label>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="audit-scope" data-scope-count=move || count().to_string()>
            <div class="audit-scope-head">
                <span class="muted">{move || format!("{} clauses and controls in scope", count())}</span>
                <Show when=move || !disabled.get()>
                    <button type="button" class="link-button scope-select-all" id=format!("{}-scope-all", prefix.get_value()) on:click=select_all>
                        "Select all"
                    </button>
                    <button type="button" class="link-button scope-clear" id=format!("{}-scope-clear", prefix.get_value()) on:click=clear_all>
                        "Clear all"
                    </button>
                </Show>
            </div>
            <fieldset class="scope-group">
                <legend>"Clauses 4 to 10"</legend>
                <ul class="scope-list scope-clauses">{move || boxes(lists.with(|(c, _)| c.clone()))}</ul>
            </fieldset>
            <fieldset class="scope-group">
                <legend>"Annex A controls the SoA holds applicable"</legend>
                <ul class="scope-list scope-controls">{move || boxes(lists.with(|(_, c)| c.clone()))}</ul>
            </fieldset>
        </div>
    }
}
