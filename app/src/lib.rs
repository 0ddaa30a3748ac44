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
pub mod split;
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
#[cfg(target_arch = "wasm32")]
use split::{Lazy, split};

/// The whole app: the header and whichever page the URL names. The workspace this browser kept
/// reopens at once, from IndexedDB, before any network answers.
#[cfg(target_arch = "wasm32")]
#[component]
pub fn App() -> impl IntoView {
    let sessions = session::Sessions::new();
    if let Some(membership) = <session::Membership as session::KeptMembership>::load() {
        sessions.open(membership, Vec::new());
    }
    // The header's live parts are the workspace's (its chunk is here once a session is).
    let open = Memo::new({
        let current = sessions.current;
        move |_| current.with(Option::is_some)
    });
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
                {move || open.get().then(|| view! { <Lazy quiet=true load=header/> })}
            </header>
            {move || open.get().then(|| view! { <Lazy quiet=true load=banner/> })}
            <main id="main">
                <Routes fallback=|| view! { <pages::not_found::NotFound/> }>
                    <Route path=path!("/") view=pages::home::HomePage/>
                    <Route path=path!("/catalog") view=|| view! { <Lazy load=pages::chunks::catalog/> }/>
                    <Route path=path!("/join") view=|| view! { <Lazy load=pages::chunks::join/> }/>
                    <Route path=path!("/verify") view=|| view! { <Lazy load=pages::chunks::verify/> }/>
                    <Route path=path!("/restore") view=|| view! { <Lazy load=pages::chunks::restore/> }/>
                    // Every page of the open workspace: the frame shows what to do first when there
                    // is none, and hands the page the session otherwise.
                    <ParentRoute path=path!("") view=pages::workspace_frame::WorkspaceFrame>
                        <Route path=path!("/soa") view=|| view! { <Lazy load=pages::chunks::soa/> }/>
                        <Route path=path!("/dashboard") view=|| view! { <Lazy load=pages::dashboard::load/> }/>
                        <Route path=path!("/context") view=|| view! { <Lazy load=pages::chunks::context/> }/>
                        <Route path=path!("/inventory") view=|| view! { <Lazy load=pages::chunks::inventory/> }/>
                        <Route path=path!("/inventory/:system") view=|| view! { <Lazy load=pages::chunks::ai_system/> }/>
                        <Route path=path!("/policy") view=|| view! { <Lazy load=pages::chunks::policy/> }/>
                        <Route path=path!("/roles") view=|| view! { <Lazy load=pages::chunks::roles/> }/>
                        <Route path=path!("/risks") view=|| view! { <Lazy load=pages::chunks::risks/> }/>
                        <Route path=path!("/impact") view=|| view! { <Lazy load=pages::chunks::impact/> }/>
                        <Route path=path!("/impact/:assessment") view=|| view! { <Lazy load=pages::chunks::assessment/> }/>
                        <Route path=path!("/objectives") view=|| view! { <Lazy load=pages::chunks::objectives/> }/>
                        <Route path=path!("/changes") view=|| view! { <Lazy load=pages::chunks::changes/> }/>
                        <Route path=path!("/support") view=|| view! { <Lazy load=pages::chunks::support/> }/>
                        <Route path=path!("/documents") view=|| view! { <Lazy load=pages::chunks::documented/> }/>
                        <Route path=path!("/monitoring") view=|| view! { <Lazy load=pages::chunks::monitoring/> }/>
                        <Route path=path!("/audits") view=|| view! { <Lazy load=pages::chunks::audit_programme/> }/>
                        <Route path=path!("/audits/:audit") view=|| view! { <Lazy load=pages::chunks::audit/> }/>
                        <Route path=path!("/reviews") view=|| view! { <Lazy load=pages::chunks::reviews/> }/>
                        <Route path=path!("/reviews/:review") view=|| view! { <Lazy load=pages::chunks::review/> }/>
                        <Route path=path!("/improvement") view=|| view! { <Lazy load=pages::chunks::improvement/> }/>
                        <Route path=path!("/members") view=|| view! { <Lazy load=pages::chunks::members/> }/>
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}

// The header's live parts read the open workspace: the workspace's chunk (see `session::Sessions`).
#[cfg(target_arch = "wasm32")]
split!(fn header() in workspace => view! {
    <components::presence::PresenceAvatars/>
    <components::undo_button::UndoButton/>
    <components::sync_status::SyncStatus/>
});
#[cfg(target_arch = "wasm32")]
split!(fn banner() in workspace => view! { <components::read_only_banner::ReadOnlyBanner/> });

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
