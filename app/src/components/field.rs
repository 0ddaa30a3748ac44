//! Labelled inputs for the fields of records (risks, risk criteria, impacts). Each one saves on
//! change through a callback that runs one domain operation and says whether the model took it;
//! a refused change puts the stored value back, so the field never shows what was not saved.

use leptos::prelude::*;
use web_sys::{HtmlInputElement, HtmlSelectElement};

/// A one-line text (or date, or number) input.
#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<String>,
    on_change: Callback<String, bool>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] classes: String,
    /// The input's own class, for pages whose styles and tests name it.
    #[prop(optional, into)]
    input_class: String,
    #[prop(optional, into)] placeholder: String,
) -> impl IntoView {
    let on_input_change = move |event: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&event);
        let text = input.value();
        if text == value.get_untracked() {
            return;
        }
        if !on_change.run(text) {
            input.set_value(&value.get_untracked());
        }
    };
    view! {
        <div class=format!("field {classes}")>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                class=input_class
                type=kind
                placeholder=placeholder
                prop:value=move || value.get()
                on:change=on_input_change
            />
        </div>
    }
}

/// A select over `options` (value, text); `value` is the chosen option's value.
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into)] value: Signal<String>,
    on_change: Callback<String, bool>,
    #[prop(optional, into)] classes: String,
    /// The select's own class, for pages whose styles and tests name it.
    #[prop(optional, into)]
    select_class: String,
) -> impl IntoView {
    let on_select = move |event: leptos::ev::Event| {
        let select: HtmlSelectElement = event_target(&event);
        if !on_change.run(select.value()) {
            select.set_value(&value.get_untracked());
        }
    };
    view! {
        <div class=format!("field {classes}")>
            <label for=id.clone()>{label}</label>
            <select id=id class=select_class on:change=on_select>
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(option, text)| {
                            let chosen = option.clone();
                            view! {
                                <option value=option prop:selected=move || value.with(|v| *v == chosen)>
                                    {text}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}

/// The options of a rating select: "not rated", then each level of the scale by number.
pub fn scale_options(levels: &[quorum_shared::model::ScaleLevel]) -> Vec<(String, String)> {
    std::iter::once((String::new(), "Not rated".to_owned()))
        .chain(
            levels
                .iter()
                .enumerate()
                .map(|(i, level)| ((i + 1).to_string(), format!("{} — {}", i + 1, level.label))),
        )
        .collect()
}

/// An optional rating as a select's value ("" for none).
pub fn rating_value(rating: Option<u64>) -> String {
    rating.map(|r| r.to_string()).unwrap_or_default()
}
