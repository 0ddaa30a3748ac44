//! A textarea for prose that several people type into at once (policy text, impact assessment
//! sections, the scope statement). Every keystroke is sent as the field's whole new value, which
//! `shared`'s `TextEdit::Replace` diffs into character edits, so concurrent typing merges by
//! character. When someone else's typing changes the text, the person's cursor stays on the
//! characters it was next to instead of jumping to the end.

use leptos::prelude::*;
use web_sys::HtmlTextAreaElement;

/// `value` is the stored text (a memo over the document); `on_edit` gets the new whole value on
/// every input and says whether the model took it (a refused edit puts the stored text back).
#[component]
pub fn Prose(
    /// The element id, which the label's `for` names.
    #[prop(into)]
    id: String,
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<String>,
    on_edit: Callback<String, bool>,
    #[prop(optional, into)] hint: Option<String>,
    /// A short note inside the label itself, after its words (the SoA's "required when excluded").
    #[prop(optional, into)]
    label_note: Option<String>,
    /// The textarea's class, for pages whose styles and tests name it.
    #[prop(optional, into)]
    class: String,
    /// The id of an element outside the field that also describes it, such as the place where the
    /// model's refusal is shown; with `invalid` it tells assistive technology why an edit failed.
    #[prop(optional, into)]
    described_by: Option<String>,
    #[prop(optional, into)] invalid: Signal<bool>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(default = 6)] rows: u32,
) -> impl IntoView {
    let textarea = NodeRef::<leptos::html::Textarea>::new();
    // What this textarea last showed or sent, so that its own echo is not treated as remote.
    let shown = StoredValue::new(value.get_untracked());

    Effect::new(move |_| {
        let stored = value.get();
        let Some(element) = textarea.get() else { return };
        let current = element.value();
        if stored == current {
            shown.set_value(stored);
            return;
        }
        let cursor = selection(&element);
        element.set_value(&stored);
        if let Some((start, end)) = cursor {
            let moved = (shift(&current, &stored, start), shift(&current, &stored, end));
            let _ = element.set_selection_range(moved.0, moved.1);
        }
        shown.set_value(stored);
    });

    let on_input = move |event: leptos::ev::Event| {
        let element: HtmlTextAreaElement = event_target(&event);
        let text = element.value();
        if shown.with_value(|shown| *shown == text) {
            return;
        }
        shown.set_value(text.clone());
        if !on_edit.run(text) {
            let stored = value.get_untracked();
            element.set_value(&stored);
            shown.set_value(stored);
        }
    };

    let hint_id = format!("{id}-hint");
    let described_by = match described_by {
        Some(other) => format!("{hint_id} {other}"),
        None => hint_id.clone(),
    };
    view! {
        <div class="field field-wide prose">
            <label for=id.clone()>
                {label}
                {label_note.map(|note| view! { " " <span class="hint">{note}</span> })}
            </label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            <textarea
                id=id
                class=class
                rows=rows
                node_ref=textarea
                aria-describedby=described_by
                aria-invalid=move || if invalid.get() { "true" } else { "false" }
                prop:value=move || value.get_untracked()
                prop:disabled=move || disabled.get()
                on:input=on_input
            ></textarea>
        </div>
    }
}

/// The selection of a focused textarea, in UTF-16 offsets; none when it is not focused.
fn selection(element: &HtmlTextAreaElement) -> Option<(u32, u32)> {
    let focused = document().active_element().is_some_and(|active| {
        let element: &web_sys::Element = element.as_ref();
        active == *element
    });
    if !focused {
        return None;
    }
    Some((element.selection_start().ok()??, element.selection_end().ok()??))
}

/// Where a cursor at `at` (UTF-16 offset) in `before` belongs in `after`: text changed before it
/// moves it by the change's length; text changed after it leaves it where it is.
pub fn shift(before: &str, after: &str, at: u32) -> u32 {
    let before: Vec<u16> = before.encode_utf16().collect();
    let after: Vec<u16> = after.encode_utf16().collect();
    let prefix = before.iter().zip(&after).take_while(|(a, b)| a == b).count();
    let rest = before.len().min(after.len()) - prefix;
    let suffix = before.iter().rev().zip(after.iter().rev()).take(rest).take_while(|(a, b)| a == b).count();
    let at = at as usize;
    if at <= prefix {
        return at as u32;
    }
    let changed_end = before.len() - suffix;
    if at >= changed_end {
        // After the change: keep the distance to the end of the text.
        return (after.len() - (before.len() - at)) as u32;
    }
    // Inside the replaced stretch: the end of what replaced it.
    (after.len() - suffix) as u32
}

#[cfg(test)]
mod tests {
    use super::shift;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn text_typed_before_the_cursor_moves_it_and_text_after_does_not() {
        assert_eq!(shift("hello world", "oh hello world", 6), 9);
        assert_eq!(shift("hello world", "hello world!", 6), 6);
        assert_eq!(shift("hello world", "hello, world", 5), 5);
        assert_eq!(shift("hello world", "world", 8), 2);
        assert_eq!(shift("abc", "aXc", 2), 2);
        assert_eq!(shift("é 1", "é 12", 3), 3);
    }
}
