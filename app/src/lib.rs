//! Quorum's browser app: the root component and the router. Pages live one per file under
//! [`pages`], reusable pieces under [`components`].

pub mod components;
pub mod pages;
// Browser glue: its dependencies (automerge, rexie) are wasm32-only.
#[cfg(target_arch = "wasm32")]
pub mod storage;

use leptos::prelude::*;
use leptos_router::{
    components::{A, Route, Router, Routes},
    path,
};

/// The whole app: the header and whichever page the URL names.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <header class="app-header">
                <A href="/" attr:class="brand">"Quorum"</A>
                <nav aria-label="Main">
                    <A href="/catalog">"Catalog"</A>
                </nav>
            </header>
            <main id="main">
                <Routes fallback=|| view! { <pages::not_found::NotFound/> }>
                    <Route path=path!("/") view=pages::catalog::CatalogPage/>
                    <Route path=path!("/catalog") view=pages::catalog::CatalogPage/>
                </Routes>
            </main>
        </Router>
    }
}
