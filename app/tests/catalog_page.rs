//! Runs in headless Chromium: the catalog page renders every Annex A control from `shared`.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a browser document")
}

#[wasm_bindgen_test]
fn catalog_page_lists_every_control_under_its_objective() {
    let host: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    let _mounted = leptos::mount::mount_to(host.clone(), || {
        view! { <quorum_app::pages::catalog::CatalogPage/> }
    });

    let controls = host.query_selector_all("li.control").unwrap();
    assert_eq!(controls.length(), 38, "every Annex A control is shown");
    let groups = host.query_selector_all("section.control-group").unwrap();
    assert_eq!(groups.length(), 9, "one group per Annex A objective");
    let a52 = host.query_selector("li.control[data-control='A.5.2']").unwrap().expect("A.5.2 is shown");
    let in_group = a52.closest("section.control-group").unwrap().unwrap();
    assert!(in_group.text_content().unwrap().contains("A.5"), "A.5.2 sits under objective A.5");
    let clause = host.query_selector("[data-clause='6.1.4']").unwrap();
    assert!(clause.is_some(), "the clause tree shows 6.1.4");
}
