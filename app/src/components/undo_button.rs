//! The header's Undo button: reverts this tab's own last change, as a new change that reaches
//! everyone like any edit. Ctrl+Z (Cmd+Z) does the same while the focus is not in a text field,
//! where the browser's own undo of the typing is the one a person expects.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::session::Sessions;

#[component]
pub fn UndoButton() -> impl IntoView {
    let current = expect_context::<Sessions>().current;
    // What the last undo could not do, said beside the button until the next one.
    let notice = RwSignal::new(None::<String>);
    let label = move || current.get().and_then(|s| s.undo_label());
    let undo = move || {
        let Some(session) = current.get_untracked() else { return };
        if session.undo_label().is_none() {
            return;
        }
        notice.set(session.undo().err());
    };
    let on_key = window_event_listener(ev::keydown, move |event: web_sys::KeyboardEvent| {
        let shortcut = (event.ctrl_key() || event.meta_key()) && !event.shift_key() && !event.alt_key();
        if shortcut && event.key().eq_ignore_ascii_case("z") && !in_text_field() && label().is_some() {
            event.prevent_default();
            undo();
        }
    });
    on_cleanup(move || on_key.remove());

    move || {
        current.get().filter(|s| s.can_edit()).map(|_| {
            let title = move || match label() {
                Some(label) => format!("Undo your last change: {label}"),
                None => "Nothing of yours to undo".to_owned(),
            };
            view! {
                <div class="undo">
                    <button
                        type="button"
                        class="undo-button"
                        prop:disabled=move || label().is_none()
                        title=title
                        aria-label=title
                        on:click=move |_| undo()
                    >
                        "Undo"
                    </button>
                    <span class="undo-notice" role="status" aria-live="polite">{move || notice.get()}</span>
                </div>
            }
        })
    }
}

/// Whether the focus is where typing goes, so Ctrl+Z belongs to the browser.
fn in_text_field() -> bool {
    let Some(element) = document().active_element() else { return false };
    if element.get_attribute("contenteditable").is_some_and(|v| v != "false") {
        return true;
    }
    match element.tag_name().as_str() {
        "TEXTAREA" => true,
        "INPUT" => element.dyn_ref::<web_sys::HtmlInputElement>().is_none_or(|input| {
            !matches!(
                input.type_().as_str(),
                "checkbox" | "radio" | "button" | "submit" | "reset" | "range" | "color" | "file"
            )
        }),
        _ => false,
    }
}
