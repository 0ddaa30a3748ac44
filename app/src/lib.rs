//! Quorum's browser app: the root component and the router. Pages live one per file under
//! [`pages`], reusable pieces under [`components`].

pub mod components;
pub mod pages;
// Browser glue: its dependencies (automerge, rexie, web-sys sockets) are wasm32-only.
#[cfg(target_arch = "wasm32")]
pub mod net;
#[cfg(target_arch = "wasm32")]
pub mod session;
#[cfg(target_arch = "wasm32")]
pub mod storage;
#[cfg(target_arch = "wasm32")]
mod tabs;

use leptos::prelude::*;
use leptos_router::{
    components::{A, Route, Router, Routes},
    path,
};

/// The whole app: the header and whichever page the URL names. The workspace this browser kept
/// reopens at once, from IndexedDB, before any network answers.
#[cfg(target_arch = "wasm32")]
#[component]
pub fn App() -> impl IntoView {
    let sessions = session::Sessions::new();
    if let Some(membership) = session::Membership::load() {
        sessions.open(membership, Vec::new());
    }
    provide_context(sessions);
    view! {
        <Router>
            <header class="app-header">
                <A href="/" attr:class="brand">"Quorum"</A>
                <nav aria-label="Main">
                    <A href="/dashboard">"Dashboard"</A>
                    <A href="/soa">"Statement of Applicability"</A>
                    <A href="/catalog">"Catalog"</A>
                </nav>
                <components::sync_status::SyncStatus/>
            </header>
            <main id="main">
                <Routes fallback=|| view! { <pages::not_found::NotFound/> }>
                    <Route path=path!("/") view=pages::home::HomePage/>
                    <Route path=path!("/catalog") view=pages::catalog::CatalogPage/>
                    <Route path=path!("/soa") view=pages::soa::SoaPage/>
                    <Route path=path!("/dashboard") view=pages::dashboard::DashboardPage/>
                    <Route path=path!("/join") view=pages::join::JoinPage/>
                </Routes>
            </main>
        </Router>
    }
}
