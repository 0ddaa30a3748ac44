//! Quorum's browser app: the root component and the router. Pages live one per file under
//! [`pages`], reusable pieces under [`components`].

pub mod components;
pub mod explain;
#[cfg(target_arch = "wasm32")]
pub mod files;
pub mod pages;
// Browser glue: its dependencies (automerge, rexie, web-sys sockets) are wasm32-only.
#[cfg(target_arch = "wasm32")]
pub mod keys;
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
    components::{A, ParentRoute, Route, Router, Routes},
    path,
};

/// The whole app: the header and whichever page the URL names. The workspace this browser kept
/// reopens at once, from IndexedDB, before any network answers.
#[cfg(target_arch = "wasm32")]
#[component]
pub fn App() -> impl IntoView {
    let sessions = session::Sessions::new();
    if let Some(membership) = <session::Membership as session::KeptMembership>::load() {
        sessions.open(membership, Vec::new());
    }
    provide_context(sessions);
    view! {
        <Router>
            <header class="app-header">
                <A href="/" attr:class="brand">"Quorum"</A>
                <nav aria-label="Main">
                    <A href="/dashboard">"Dashboard"</A>
                    <NavGroup label="Plan">
                        <A href="/context">"Context"</A>
                        <A href="/inventory">"AI systems"</A>
                        <A href="/policy">"Policy"</A>
                        <A href="/roles">"Roles"</A>
                        <A href="/risks">"Risks"</A>
                        <A href="/soa">"SoA"</A>
                        <A href="/objectives">"Objectives"</A>
                        <A href="/changes">"Changes"</A>
                    </NavGroup>
                    <NavGroup label="Support">
                        <A href="/support">"People and resources"</A>
                        <A href="/documents">"Documents"</A>
                    </NavGroup>
                    <NavGroup label="Operate">
                        <A href="/impact">"Impact"</A>
                    </NavGroup>
                    <NavGroup label="Check">
                        <A href="/monitoring">"Monitoring"</A>
                        <A href="/audits">"Audits"</A>
                        <A href="/reviews">"Reviews"</A>
                    </NavGroup>
                    <NavGroup label="Improve">
                        <A href="/improvement">"Nonconformities"</A>
                    </NavGroup>
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
                    <Route path=path!("/join") view=pages::join::JoinPage/>
                    <Route path=path!("/verify") view=pages::verify::VerifyPage/>
                    <Route path=path!("/restore") view=pages::restore::RestorePage/>
                    // Every page of the open workspace: the frame shows what to do first when there
                    // is none, and hands the page the session otherwise.
                    <ParentRoute path=path!("") view=components::workspace_frame::WorkspaceFrame>
                        <Route path=path!("/soa") view=pages::soa::SoaPage/>
                        <Route path=path!("/dashboard") view=pages::dashboard::DashboardPage/>
                        <Route path=path!("/context") view=pages::context::ContextPage/>
                        <Route path=path!("/inventory") view=pages::inventory::InventoryPage/>
                        <Route path=path!("/inventory/:system") view=pages::inventory::AiSystemPage/>
                        <Route path=path!("/policy") view=pages::policy::PolicyPage/>
                        <Route path=path!("/roles") view=pages::roles::RolesPage/>
                        <Route path=path!("/risks") view=pages::risks::RisksPage/>
                        <Route path=path!("/impact") view=pages::impact::ImpactPage/>
                        <Route path=path!("/impact/:assessment") view=pages::impact::AssessmentPage/>
                        <Route path=path!("/objectives") view=pages::objectives::ObjectivesPage/>
                        <Route path=path!("/changes") view=pages::changes::ChangesPage/>
                        <Route path=path!("/support") view=pages::support::SupportPage/>
                        <Route path=path!("/documents") view=pages::documented::DocumentedPage/>
                        <Route path=path!("/monitoring") view=pages::monitoring::MonitoringPage/>
                        <Route path=path!("/audits") view=pages::audits::AuditProgrammePage/>
                        <Route path=path!("/audits/:audit") view=pages::audits::AuditPage/>
                        <Route path=path!("/reviews") view=pages::reviews::ReviewsPage/>
                        <Route path=path!("/reviews/:review") view=pages::reviews::ReviewPage/>
                        <Route path=path!("/improvement") view=pages::improvement::ImprovementPage/>
                        <Route path=path!("/members") view=pages::members::MembersPage/>
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}

#[cfg(target_arch = "wasm32")]
/// A labelled group of the header's links, one stage of the management system's cycle, so that
/// twenty pages read as five steps.
#[component]
fn NavGroup(label: &'static str, children: Children) -> impl IntoView {
    view! {
        <span class="nav-group" role="group" aria-label=label>
            <span class="nav-group-label" aria-hidden="true">{label}</span>
            {children()}
        </span>
    }
}
