//! The readiness dashboard, where a workspace opens: how complete each clause (4 to 10) and
//! each Annex A objective is, what is still missing and where to fix it, and who changed what
//! lately. Everything is read through the session, so it re-renders whenever any document
//! changes, here or in another browser.
//!
//! The view logic that is more than layout ([`summary`]) is plain data in and out, tested
//! natively; the page itself needs the browser's session.

#[cfg(target_arch = "wasm32")]
mod audit_pack;
#[cfg(target_arch = "wasm32")]
pub mod last_seen;
#[cfg(target_arch = "wasm32")]
mod page;
#[cfg(target_arch = "wasm32")]
pub(crate) mod sources;
mod summary;
#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub use page::DashboardPage;
pub use summary::{Summary, summarize};
#[cfg(target_arch = "wasm32")]
pub use view::OpeningDashboard;

// The live dashboard is the workspace's chunk (see `session::Sessions`), where a workspace opens.
#[cfg(target_arch = "wasm32")]
crate::split::split!(pub fn load() in workspace => leptos::prelude::view! { <DashboardPage/> });
