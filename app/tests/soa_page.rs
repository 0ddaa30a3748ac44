//! Runs in headless Chromium: the SoA page edits the document through the model and shows the
//! model's refusal, with no relay (the session keeps retrying in the background meanwhile).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use quorum_app::session::{self, Sessions};
use quorum_shared::model::DocumentId;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

// Not every test uses every helper.
#[allow(dead_code)]
#[path = "support/page.rs"]
mod page;

use page::{element, tick};

async fn text_of(element: &web_sys::Element, expected: &str) {
    for _ in 0..200 {
        if element.text_content().unwrap_or_default().contains(expected) {
            return;
        }
        tick().await;
    }
    panic!("{expected:?} never appeared; found {:?}", element.text_content());
}

fn change(element: &web_sys::Element, property: &str, value: &str) {
    js_sys::Reflect::set(element, &property.into(), &value.into()).unwrap();
    element.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
}

#[wasm_bindgen_test]
async fn excluding_needs_a_justification_and_then_takes_effect() {
    let membership = page::membership(
        "page-test",
        DocumentId::from_bytes(quorum_app::session::random_id()).url().to_string(),
        "m1",
        "owner",
    );
    let documents = session::new_workspace_documents(&membership, "Ada").unwrap();
    let host = page::host();
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        let sessions = Sessions::new();
        sessions.open(membership, documents);
        // What the workspace frame hands every page.
        provide_context(sessions.current.get_untracked().expect("a session"));
        provide_context(sessions);
        view! { <quorum_app::pages::soa::SoaPage/> }
    });

    let row = element(&host, "li[data-control='A.10.4']").await;
    assert_eq!(host.query_selector_all("li.soa-row").unwrap().length(), 38, "every control has a row");
    let applicability = row.query_selector("select.applicability").unwrap().unwrap();
    change(&applicability, "value", "excluded");
    let error = row.query_selector(".field-error").unwrap().unwrap();
    text_of(&error, "needs a justification").await;
    assert_eq!(row.get_attribute("data-applicability").as_deref(), Some("applicable"));

    let justification = row.query_selector("textarea.justification").unwrap().unwrap();
    // The justification saves as the person types (an `input` event), like every prose field.
    js_sys::Reflect::set(&justification, &"value".into(), &"We have no customers of AI services".into())
        .unwrap();
    justification.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    change(&applicability, "value", "excluded");
    element(&host, "li[data-control='A.10.4'][data-applicability='excluded']").await;
    assert_eq!(error.text_content().unwrap_or_default(), "", "the refusal is gone");
    let status = row.query_selector("select.status").unwrap().unwrap();
    assert_eq!(js_sys::Reflect::get(&status, &"disabled".into()).unwrap(), true, "no status when excluded");
}
