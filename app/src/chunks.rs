//! The app's chunks: in the optimized build each `split!` here is fetched the first time it is
//! called (see [`crate::split`]), so the first download is the shell and the home page.
//!
//! - `workspace`, the runtime of an open workspace: Automerge, IndexedDB, the sync client and
//!   the document model, with the views that read them on every page (the header's live parts,
//!   the workspace frame) and the dashboard, where a workspace opens. It arrives when a
//!   workspace opens: at once when the browser kept one, else on creating or joining one.
//! - one per page (pages of a kind share one), fetched when the page is first opened. Pages
//!   build on the runtime, so the build puts what they share with it in its chunk
//!   (`scripts/build-app`).
//!
//! The history panel and the audit pack panel declare their own, beside their code.

use automerge::AutoCommit;
use leptos::prelude::*;

use crate::session::{Membership, Session};
use crate::split::split;

split!(
    /// Opens `membership`'s workspace under `owner` (closing `old`), with `initial` the documents
    /// made in this browser that nothing has stored yet.
    pub fn open(old: Option<Session>, membership: Membership, initial: Vec<(String, AutoCommit)>, owner: Owner)
        in workspace -> Session => crate::session::start(old, membership, initial, owner)
);
split!(
    /// The documents of a workspace created here (see `session::new_workspace_documents`).
    pub fn new_documents(membership: Membership, owner_name: String)
        in workspace -> Result<Vec<(String, AutoCommit)>, String> =>
        crate::session::new_workspace_documents(&membership, &owner_name).map_err(|e| e.to_string())
);
split!(pub fn header() in workspace => view! {
    <crate::components::presence::PresenceAvatars/>
    <crate::components::undo_button::UndoButton/>
    <crate::components::sync_status::SyncStatus/>
});
split!(pub fn banner() in workspace => view! { <crate::components::read_only_banner::ReadOnlyBanner/> });
split!(pub fn frame(session: Session) in workspace => crate::components::workspace_frame::open(session));
split!(pub fn workspace_name(session: Session) in workspace => move || session.workspace_name());
split!(pub fn dashboard() in workspace => view! { <crate::pages::dashboard::DashboardPage/> });

split!(pub fn catalog() in catalog => view! { <crate::pages::catalog::CatalogPage/> });
split!(pub fn join() in join => view! { <crate::pages::join::JoinPage/> });
split!(pub fn verify() in verify => view! { <crate::pages::verify::VerifyPage/> });
split!(pub fn restore() in restore => view! { <crate::pages::restore::RestorePage/> });
split!(pub fn soa() in soa => view! { <crate::pages::soa::SoaPage/> });
split!(pub fn context() in context => view! { <crate::pages::context::ContextPage/> });
split!(pub fn inventory() in inventory => view! { <crate::pages::inventory::InventoryPage/> });
split!(pub fn ai_system() in inventory => view! { <crate::pages::inventory::AiSystemPage/> });
split!(pub fn policy() in policy => view! { <crate::pages::policy::PolicyPage/> });
split!(pub fn roles() in roles => view! { <crate::pages::roles::RolesPage/> });
split!(pub fn risks() in risks => view! { <crate::pages::risks::RisksPage/> });
split!(pub fn impact() in impact => view! { <crate::pages::impact::ImpactPage/> });
split!(pub fn assessment() in impact => view! { <crate::pages::impact::AssessmentPage/> });
split!(pub fn objectives() in objectives => view! { <crate::pages::objectives::ObjectivesPage/> });
split!(pub fn changes() in changes => view! { <crate::pages::changes::ChangesPage/> });
split!(pub fn support() in support => view! { <crate::pages::support::SupportPage/> });
split!(pub fn documented() in documented => view! { <crate::pages::documented::DocumentedPage/> });
split!(pub fn monitoring() in monitoring => view! { <crate::pages::monitoring::MonitoringPage/> });
split!(pub fn audit_programme() in audits => view! { <crate::pages::audits::AuditProgrammePage/> });
split!(pub fn audit() in audits => view! { <crate::pages::audits::AuditPage/> });
split!(pub fn reviews() in reviews => view! { <crate::pages::reviews::ReviewsPage/> });
split!(pub fn review() in reviews => view! { <crate::pages::reviews::ReviewPage/> });
split!(pub fn improvement() in improvement => view! { <crate::pages::improvement::ImprovementPage/> });
split!(pub fn members() in members => view! { <crate::pages::members::MembersPage/> });
