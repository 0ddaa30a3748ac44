//! What the app's browser tests share: a host element to mount a page in, waiting for what the
//! page renders on later ticks, and a membership for a workspace with no relay behind it.
//! Each test file takes it with `#[path = "support/page.rs"] mod page;`.

use quorum_app::session::Membership;
use wasm_bindgen::{JsCast, JsValue};

pub fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a browser document")
}

/// A fresh element in the body to mount a page in.
pub fn host() -> web_sys::HtmlElement {
    let host: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    host
}

/// Waits (up to 10 s) until `selector` matches in `host`: the page renders what storage loads,
/// and re-renders after an edit, on later ticks.
pub async fn element(host: &web_sys::HtmlElement, selector: &str) -> web_sys::Element {
    for _ in 0..200 {
        if let Some(found) = host.query_selector(selector).unwrap() {
            return found;
        }
        tick().await;
    }
    panic!("nothing matches {selector}");
}

/// Lets the browser run its tasks for 50 ms.
pub async fn tick() {
    let tick = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().unwrap();
        window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(tick).await.unwrap();
}

/// A membership of a workspace of its own (a fresh id, so tests never share a database), with
/// no relay behind it; its token does not expire within the test, so the page never asks the
/// (absent) relay to refresh it.
pub fn membership(test: &str, root_document_url: String, member_id: &str, role: &str) -> Membership {
    Membership {
        workspace_id: format!("{test}-{}", js_sys::Math::random()),
        workspace_name: "Acme AIMS".into(),
        root_document_url,
        member_id: member_id.into(),
        role: role.parse().expect("a role token"),
        token: "no-relay-in-this-test".into(),
        expires_at: u64::MAX,
    }
}

/// Milliseconds since the page started, with the browser's best resolution.
pub fn now() -> f64 {
    thread_local! {
        static NOW: (JsValue, js_sys::Function) = {
            let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).unwrap();
            let now = js_sys::Reflect::get(&performance, &"now".into()).unwrap().unchecked_into();
            (performance, now)
        };
    }
    NOW.with(|(performance, now)| now.call0(performance).unwrap().as_f64().unwrap())
}
