//! Runs in headless Chromium: what `Lazy` shows while a chunk is fetched, when it is already
//! here, and when it cannot be had (the loader stands in for the split build's chunk fetch).
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use quorum_app::split::{ChunkUnavailable, Lazy, Loaded};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn host() -> web_sys::HtmlElement {
    let document = web_sys::window().and_then(|w| w.document()).expect("a browser document");
    let host: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    host
}

fn arrived() -> Loaded {
    Ok(view! { <p id="arrived">"The page"</p> }.into_any())
}

/// Lets the executor run what was spawned, and the DOM take what it set: a timer's turn.
async fn settle() {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 30)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(wait).await.unwrap();
}

#[wasm_bindgen_test]
fn a_chunk_already_here_is_drawn_at_once() {
    let host = host();
    let _mounted = leptos::mount::mount_to(host.clone(), || view! { <Lazy load=|| async { arrived() }/> });
    assert!(host.query_selector("#arrived").unwrap().is_some(), "drawn in the same frame");
    assert!(!host.inner_html().contains("Loading"), "no loading flash: {}", host.inner_html());
}

#[wasm_bindgen_test]
async fn a_chunk_that_cannot_be_fetched_says_so_and_is_tried_again() {
    let host = host();
    let tries = Rc::new(Cell::new(0));
    let counted = tries.clone();
    let load = move || {
        counted.set(counted.get() + 1);
        let first = counted.get() == 1;
        async move {
            leptos::task::tick().await;
            if first { Err(ChunkUnavailable) } else { arrived() }
        }
    };
    let _mounted = leptos::mount::mount_to(host.clone(), move || view! { <Lazy load/> });
    assert!(host.query_selector("[role=status]").unwrap().is_some(), "loading: {}", host.inner_html());

    settle().await;
    let alert = host.query_selector("[role=alert]").unwrap().expect("the failure is said");
    assert!(alert.text_content().unwrap().contains("cannot be reached"), "{}", host.inner_html());
    assert!(host.query_selector("#arrived").unwrap().is_none());

    let again: web_sys::HtmlElement = alert.query_selector("button").unwrap().unwrap().unchecked_into();
    again.click();
    settle().await;
    assert_eq!(tries.get(), 2, "fetched again, not the failure kept");
    assert!(host.query_selector("#arrived").unwrap().is_some(), "{}", host.inner_html());
    assert!(host.query_selector("[role=alert]").unwrap().is_none());
}
