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
        view! { <leptos_router::components::Router><quorum_app::pages::workspace_frame::WorkspaceFrame/></leptos_router::components::Router> }
    });
    let heading = element(&host, "section.empty-state h1").await;
    assert_eq!(heading.text_content().as_deref(), Some("No workspace yet"));
    assert_eq!(element(&host, "section.empty-state a").await.get_attribute("href").as_deref(), Some("/"));
}

#[wasm_bindgen_test]
async fn the_dashboard_draws_readiness_and_follows_an_edit() {
    let membership = page::membership(
        "dashboard-test",
        DocumentId::from_bytes(quorum_app::session::random_id()).url().to_string(),
        "m1",
        "owner",
    );
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

/// A workspace opened again draws the dashboard this browser last showed at once, marked so,
/// while its documents load from IndexedDB; then the live dashboard replaces it and is
/// remembered in its place. What was remembered here differs from the documents (A.10.4
/// excluded, a change that never happened), so each view shows which source drew it.
#[wasm_bindgen_test]
async fn a_reopened_workspace_is_drawn_as_last_seen_then_live() {
    use quorum_app::components::recent_changes::ChangeLine;
    use quorum_app::pages::dashboard::last_seen;
    use quorum_app::storage::Storage;
    use quorum_shared::model::StatementOfApplicability;
    use quorum_shared::readiness::{self, Evidence};

    let membership = page::membership(
        "last-seen-test",
        DocumentId::from_bytes(quorum_app::session::random_id()).url().to_string(),
        "m1",
        "owner",
    );
    let workspace_id = membership.workspace_id.clone();
    let storage = Storage::open(&format!("quorum-{workspace_id}")).await.unwrap();
    for (id, mut doc) in session::new_workspace_documents(&membership, "Ada").unwrap() {
        storage.save_changes(&id, &mut doc).await.unwrap();
    }
    storage.close();
    let mut soa = model::new_document();
    model::create_soa(&mut soa, 0).unwrap();
    model::exclude_control(&mut soa, 1_000, "A.10.4".parse().unwrap(), "We buy no AI services").unwrap();
    let remembered = readiness::assess(&Evidence {
        soa: Some(StatementOfApplicability::load(&soa).unwrap()),
        ..Evidence::default()
    });
    let change = ChangeLine {
        hash: "remembered".into(),
        time_ms: 1_000,
        who: "Ada".into(),
        what: "Exclude A.10.4".into(),
        document: "Statement of Applicability".into(),
    };
    last_seen::remember(&workspace_id, 1_000, &remembered, std::slice::from_ref(&change));

    let host = host();
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        let sessions = Sessions::new();
        sessions.open(membership, Vec::new());
        // What the workspace frame hands every page.
        provide_context(sessions.current.get_untracked().expect("a session"));
        provide_context(sessions);
        view! { <leptos_router::components::Router><quorum_app::pages::dashboard::DashboardPage/></leptos_router::components::Router> }
    });
    // Drawn in the same task as the mount, before IndexedDB has answered.
    let shown = |selector: &str| host.query_selector(selector).unwrap().is_some();
    assert!(shown(".dashboard-last-seen"), "marked as last seen");
    assert!(shown("li.progress-bar[data-bar='A.10'][data-met='1']"), "the remembered readiness");
    assert!(shown(".recent-changes li.change[data-hash='remembered']"), "the remembered change");
    assert!(!shown(".dashboard-risks svg"), "the heat map waits for the risk register");

    // Live: the documents have A.10.4 undecided and no such change.
    element(&host, "li.progress-bar[data-bar='A.10'][data-met='0']").await;
    element(&host, ".recent-changes li.change").await;
    assert!(!shown(".dashboard-last-seen"));
    assert!(!shown(".recent-changes li.change[data-hash='remembered']"));
    let now_remembered = last_seen::read(&workspace_id).expect("the live dashboard is remembered");
    assert_ne!(now_remembered.readiness, remembered);
    assert!(
        now_remembered.changes.iter().all(|c| c.hash != "remembered") && !now_remembered.changes.is_empty()
    );
}

/// In the optimized build the workspace's code arrives after the first download: meanwhile the
/// frame draws the dashboard as this browser last saw it, and says so if the code cannot be had.
#[wasm_bindgen_test]
async fn while_the_workspace_code_is_on_its_way_the_dashboard_is_drawn_as_last_seen() {
    use quorum_app::pages::dashboard::last_seen;
    use quorum_shared::readiness::{self, Evidence};
    use wasm_bindgen::JsCast;

    let membership = page::membership(
        "opening-test",
        DocumentId::from_bytes(quorum_app::session::random_id()).url().to_string(),
        "m1",
        "owner",
    );
    let mut soa = model::new_document();
    model::create_soa(&mut soa, 0).unwrap();
    model::exclude_control(&mut soa, 1_000, "A.10.4".parse().unwrap(), "We buy no AI services").unwrap();
    let remembered = readiness::assess(&Evidence {
        soa: Some(model::StatementOfApplicability::load(&soa).unwrap()),
        ..Evidence::default()
    });
    last_seen::remember(&membership.workspace_id, 1_000, &remembered, &[]);
    let history = web_sys::window().unwrap().history().unwrap();
    history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/dashboard")).unwrap();

    let host = host();
    let sessions = Sessions::new();
    let frame_sessions = sessions.clone();
    let _mounted = leptos::mount::mount_to(host.clone(), move || {
        use leptos_router::components::{ParentRoute, Route, Router, Routes};
        use leptos_router::path;
        provide_context(frame_sessions);
        view! {
            <Router>
                <Routes fallback=|| ()>
                    <ParentRoute path=path!("") view=quorum_app::pages::workspace_frame::WorkspaceFrame>
                        <Route path=path!("/dashboard") view=|| view! { <p class="live-page">"live"</p> }/>
                    </ParentRoute>
                </Routes>
            </Router>
        }
    });
    // What `Sessions::open` sets while the chunk is fetched.
    sessions.opening.set(Some(membership.clone()));
    element(&host, ".dashboard[aria-busy='true'] .dashboard-last-seen").await;
    element(&host, "li.progress-bar[data-bar='A.10'][data-met='1']").await;

    // The chunk could not be fetched: said, and tried again (here the code is in the module).
    sessions.opening.set(None);
    sessions.unavailable.set(Some(membership));
    let again = element(&host, ".lazy-unavailable button").await;
    again.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
    // Opened: the frame shows the page the address names.
    element(&host, ".live-page").await;
    assert!(sessions.current.get_untracked().is_some());
    assert!(host.query_selector(".lazy-unavailable").unwrap().is_none());
    history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/")).unwrap();
}

/// A stored dashboard that does not read (damaged, or another version's) is dropped, never drawn.
#[wasm_bindgen_test]
fn a_damaged_last_seen_dashboard_is_dropped() {
    use quorum_app::pages::dashboard::last_seen;
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let cases = [
        ("not json", "{"),
        ("another version's readiness", r#"{"at_ms":1,"readiness":"quorum-readiness 0","changes":[]}"#),
        ("a field missing", r#"{"at_ms":1,"changes":[]}"#),
    ];
    for (what, text) in cases {
        let id = format!("damaged-{}", js_sys::Math::random());
        storage.set_item(&format!("quorum.dashboard.{id}"), text).unwrap();
        assert!(last_seen::read(&id).is_none(), "{what}");
        assert_eq!(storage.get_item(&format!("quorum.dashboard.{id}")).unwrap(), None, "{what} is removed");
    }
}
