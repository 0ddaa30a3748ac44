//! Runs in headless Chromium: the dashboard's empty state without a workspace, and with one
//! (no relay), the readiness it draws from the SoA, which follows an edit made through the
//! session.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use quorum_app::session::{self, Sessions};
use quorum_shared::model::{self, ControlId, DocumentId, DocumentKind};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

// Not every test uses every helper.
#[allow(dead_code)]
#[path = "support/page.rs"]
mod page;

use page::{element, host};

#[wasm_bindgen_test]
async fn without_a_workspace_the_frame_says_what_to_do_first() {
    // The dashboard, like every page of a workspace, sits in the workspace frame, which shows
    // what to do first instead of the page when there is no workspace.
    let host = host();
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        provide_context(Sessions::new());
        view! { <leptos_router::components::Router><quorum_app::components::workspace_frame::WorkspaceFrame/></leptos_router::components::Router> }
    });
    let heading = element(&host, "section.empty-state h1").await;
    assert_eq!(heading.text_content().as_deref(), Some("No workspace yet"));
    assert_eq!(element(&host, "section.empty-state a").await.get_attribute("href").as_deref(), Some("/"));
}

#[wasm_bindgen_test]
async fn the_dashboard_draws_readiness_and_follows_an_edit() {
    let membership =
        page::membership("dashboard-test", DocumentId::new_random().url().to_string(), "m1", "owner");
    let documents = session::new_workspace_documents(&membership, "Ada").unwrap();
    let host = host();
    let opened = RwSignal::new(None);
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        let sessions = Sessions::new();
        sessions.open(membership, documents);
        opened.set(sessions.current.get_untracked());
        // What the workspace frame hands every page.
        provide_context(sessions.current.get_untracked().expect("a session"));
        provide_context(sessions);
        view! { <leptos_router::components::Router><quorum_app::pages::dashboard::DashboardPage/></leptos_router::components::Router> }
    });

    let bar = element(&host, "li.progress-bar[data-bar='A.10'][data-total='3']").await;
    assert_eq!(bar.get_attribute("data-met").as_deref(), Some("0"));
    let label = bar.query_selector("svg").unwrap().unwrap().get_attribute("aria-label").unwrap_or_default();
    assert!(label.contains("0 of 3"), "{label}");
    assert_eq!(
        host.query_selector_all("li.progress-bar").unwrap().length(),
        7 + 9,
        "clauses 4 to 10, 9 objectives"
    );
    element(&host, ".control-gap-list li[data-control='A.10.4']").await;

    // Once the documents are open (their history shows), an edit through the session
    // re-renders the dashboard.
    element(&host, ".recent-changes li.change").await;
    let session = opened.get_untracked().expect("a session");
    let soa =
        untrack(|| session.document_of(DocumentKind::StatementOfApplicability)).expect("the SoA is listed");
    let control: ControlId = "A.10.4".parse().unwrap();
    session
        .edit(&soa, |doc| model::exclude_control(doc, session::now_ms(), control, "We buy no AI services"))
        .unwrap();
    element(&host, "li.progress-bar[data-bar='A.10'][data-met='1']").await;
    assert!(host.query_selector(".control-gap-list li[data-control='A.10.4']").unwrap().is_none());
    // Among the recent changes, not necessarily first: Automerge keeps times in whole seconds,
    // so the workspace's creation may share the edit's second.
    element(&host, ".recent-changes li.change").await;
    let changes = host.query_selector_all(".recent-changes li.change").unwrap();
    let lines: Vec<String> = (0..changes.length()).filter_map(|i| changes.item(i)?.text_content()).collect();
    assert!(lines.iter().any(|line| line.contains("Exclude A.10.4")), "{lines:?}");
}
