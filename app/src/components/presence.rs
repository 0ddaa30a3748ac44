//! Presence in the header: the initials of everyone else on this page, and a coloured outline
//! with a name tag on the field each of them is in. It also tells the session where this tab is
//! (the route, and the focused form field), so pages need no code of their own for any of it.

use leptos::ev;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use wasm_bindgen::JsCast;

use crate::session::Sessions;
use crate::session::presence::{Announcement, initials};

/// The class a field someone else is in gets, and the one its container gets for the name tag
/// (a form control cannot show generated content of its own).
const FIELD_CLASS: &str = "presence-field";
const HOST_CLASS: &str = "presence-host";

#[component]
pub fn PresenceAvatars() -> impl IntoView {
    let current = expect_context::<Sessions>().current;
    let path = use_location().pathname;
    let field = RwSignal::new(focused_field());
    track_focus(field);
    Effect::new(move |_| {
        let (path, field) = (path.get(), field.get());
        if let Some(session) = current.get() {
            session.set_presence_place(path, field);
        }
    });

    // The others on this page, tracked: they come and go, move and change fields.
    let here = Memo::new(move |_| {
        let path = path.get();
        let Some(session) = current.get() else { return Vec::new() };
        let mut here: Vec<Announcement> =
            session.others_present().into_iter().filter(|a| a.path == path).collect();
        quorum_shared::order::sort_by(&mut here, |a, b| (&a.name, &a.tab).cmp(&(&b.name, &b.tab)));
        here
    });
    // Not from the memo: every heartbeat runs it again, which marks a field that a page has
    // re-rendered since.
    outline_fields(move || {
        let path = path.get();
        let others = current.get().map(|s| s.others_present()).unwrap_or_default();
        others.into_iter().filter(|a| a.path == path).collect()
    });

    view! {
        <ul class="presence" aria-label="Others on this page">
            <For each=move || here.get() key=|a| (a.tab.clone(), a.field.clone(), a.name.clone()) let:other>
                {
                    let label = describe(&other);
                    view! {
                        <li
                            class="presence-avatar"
                            style:background-color=other.colour.clone()
                            data-presence-member=other.name.clone()
                            data-presence-field=other.field.clone().unwrap_or_default()
                            title=label.clone()
                            aria-label=label
                            role="img"
                        >
                            {initials(&other.name)}
                        </li>
                    }
                }
            </For>
        </ul>
    }
}

/// "Bea is on this page, editing Justification" (the field's label as this page shows it).
fn describe(other: &Announcement) -> String {
    match other.field.as_deref().and_then(field_label) {
        Some(label) => format!("{} is on this page, editing {label}", other.name),
        None => format!("{} is on this page", other.name),
    }
}

/// The first words of the label of the field with this id: its name without any hint after it.
fn field_label(id: &str) -> Option<String> {
    let document = document();
    let field = document.get_element_by_id(id)?;
    let labels = js_sys::Reflect::get(&field, &"labels".into()).ok()?;
    let label: web_sys::Node = js_sys::Reflect::get(&labels, &0.into()).ok()?.dyn_into().ok()?;
    let first = label.first_child().and_then(|n| n.text_content()).unwrap_or_default();
    let text = if first.trim().is_empty() { label.text_content().unwrap_or_default() } else { first };
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// Follows which form field has the focus, anywhere in the app.
fn track_focus(field: RwSignal<Option<String>>) {
    let on_in = window_event_listener(ev::focusin, move |_| field.set(focused_field()));
    let on_out = window_event_listener(ev::focusout, move |event: web_sys::FocusEvent| {
        // Moving straight to another element: its `focusin` follows, so say nothing in between.
        if event.related_target().is_none() {
            field.set(None);
        }
    });
    on_cleanup(move || {
        on_in.remove();
        on_out.remove();
    });
}

/// The id of the focused form field, if the focus is in one that has an id.
fn focused_field() -> Option<String> {
    let element = document().active_element()?;
    let editable = matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        || element.get_attribute("contenteditable").is_some_and(|v| v != "false");
    Some(element.id()).filter(|id| editable && !id.is_empty())
}

/// Outlines the field each other person is in, with their colour and name; fields they left
/// lose it. Pages re-render their rows, so this runs again on each announcement too.
fn outline_fields(here: impl Fn() -> Vec<Announcement> + 'static) {
    let marked = StoredValue::new(Vec::<String>::new());
    Effect::new(move |_| {
        let here = here();
        let document = document();
        for id in marked.get_value() {
            if let Some(element) = document.get_element_by_id(&id) {
                unmark(&element);
            }
        }
        let mut now = Vec::new();
        for other in &here {
            let Some(id) = &other.field else { continue };
            let Some(element) = document.get_element_by_id(id) else { continue };
            mark(&element, other);
            now.push(id.clone());
        }
        marked.set_value(now);
    });
}

fn mark(element: &web_sys::Element, other: &Announcement) {
    let _ = element.class_list().add_1(FIELD_CLASS);
    let _ = element.set_attribute("data-presence-name", &other.name);
    set_colour(element, &other.colour);
    if let Some(host) = element.parent_element() {
        let _ = host.class_list().add_1(HOST_CLASS);
        let _ = host.set_attribute("data-presence-name", &other.name);
        set_colour(&host, &other.colour);
    }
}

fn unmark(element: &web_sys::Element) {
    let _ = element.class_list().remove_1(FIELD_CLASS);
    let _ = element.remove_attribute("data-presence-name");
    clear_colour(element);
    if let Some(host) = element.parent_element() {
        let _ = host.class_list().remove_1(HOST_CLASS);
        let _ = host.remove_attribute("data-presence-name");
        clear_colour(&host);
    }
}

fn set_colour(element: &web_sys::Element, colour: &str) {
    if let Some(element) = element.dyn_ref::<web_sys::HtmlElement>() {
        let _ = element.style().set_property("--presence-colour", colour);
    }
}

fn clear_colour(element: &web_sys::Element) {
    if let Some(element) = element.dyn_ref::<web_sys::HtmlElement>() {
        let _ = element.style().remove_property("--presence-colour");
    }
}
