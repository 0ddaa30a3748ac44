//! Quorum's browser app: the root component and the router. Pages live one per file under
//! [`pages`], reusable pieces under [`components`].

pub mod components;
pub mod explain;
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
#[cfg(target_arch = "wasm32")]
mod timer;
#[cfg(target_arch = "wasm32")]
pub mod timings;

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
                    <A href="/context">"Context"</A>
                    <A href="/inventory">"AI systems"</A>
                    <A href="/policy">"Policy"</A>
                    <A href="/roles">"Roles"</A>
                    <A href="/risks">"Risks"</A>
                    <A href="/soa">"SoA"</A>
                    <A href="/impact">"Impact"</A>
                    <A href="/objectives">"Objectives"</A>
                    <A href="/members">"Members"</A>
                    <A href="/catalog">"Catalog"</A>
                </nav>
                <components::presence::PresenceAvatars/>
                <components::undo_button::UndoButton/>
                <components::sync_status::SyncStatus/>
            </header>
            <components::read_only_banner::ReadOnlyBanner/>
            <main id="main">
                <Routes fallback=|| view! { <pages::not_found::NotFound/> }>
                    <Route path=path!("/") view=pages::home::HomePage/>
                    <Route path=path!("/catalog") view=pages::catalog::CatalogPage/>
                    <Route path=path!("/soa") view=pages::soa::SoaPage/>
                    <Route path=path!("/dashboard") view=pages::dashboard::DashboardPage/>
                    <Route path=path!("/join") view=pages::join::JoinPage/>
                    <Route path=path!("/context") view=pages::context::ContextPage/>
                    <Route path=path!("/inventory") view=pages::inventory::InventoryPage/>
                    <Route path=path!("/inventory/:system") view=pages::inventory::AiSystemPage/>
                    <Route path=path!("/policy") view=pages::policy::PolicyPage/>
                    <Route path=path!("/roles") view=pages::roles::RolesPage/>
                    <Route path=path!("/risks") view=pages::risks::RisksPage/>
                    <Route path=path!("/impact") view=pages::impact::ImpactPage/>
                    <Route path=path!("/impact/:assessment") view=pages::impact::AssessmentPage/>
                    <Route path=path!("/objectives") view=pages::objectives::ObjectivesPage/>
                    <Route path=path!("/members") view=pages::members::MembersPage/>
                </Routes>
            </main>
        </Router>
    }
}
