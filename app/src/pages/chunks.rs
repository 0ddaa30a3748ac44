//! The pages that arrive with their route: in the optimized build each is a chunk of its own
//! (see [`crate::split`]), fetched the first time it is opened; pages of a kind share one. They
//! build on the workspace's runtime, the chunk `workspace` (see `session::Sessions`), so the build
//! puts what they share with it in its file and what they share among themselves in one more
//! (`scripts/build-app`). The home page and "not found" are in the first download; the
//! dashboard is the runtime's, and its layout in the first download (`dashboard/view.rs`).

use leptos::prelude::*;

use crate::split::split;

split!(pub fn catalog() in catalog => view! { <super::catalog::CatalogPage/> });
split!(pub fn join() in join => view! { <super::join::JoinPage/> });
split!(pub fn verify() in verify => view! { <super::verify::VerifyPage/> });
split!(pub fn restore() in restore => view! { <super::restore::RestorePage/> });
split!(pub fn soa() in soa => view! { <super::soa::SoaPage/> });
split!(pub fn context() in context => view! { <super::context::ContextPage/> });
split!(pub fn inventory() in inventory => view! { <super::inventory::InventoryPage/> });
split!(pub fn ai_system() in inventory => view! { <super::inventory::AiSystemPage/> });
split!(pub fn policy() in policy => view! { <super::policy::PolicyPage/> });
split!(pub fn roles() in roles => view! { <super::roles::RolesPage/> });
split!(pub fn risks() in risks => view! { <super::risks::RisksPage/> });
split!(pub fn impact() in impact => view! { <super::impact::ImpactPage/> });
split!(pub fn assessment() in impact => view! { <super::impact::AssessmentPage/> });
split!(pub fn objectives() in objectives => view! { <super::objectives::ObjectivesPage/> });
split!(pub fn changes() in changes => view! { <super::changes::ChangesPage/> });
split!(pub fn support() in support => view! { <super::support::SupportPage/> });
split!(pub fn documented() in documented => view! { <super::documented::DocumentedPage/> });
split!(pub fn monitoring() in monitoring => view! { <super::monitoring::MonitoringPage/> });
split!(pub fn audit_programme() in audits => view! { <super::audits::AuditProgrammePage/> });
split!(pub fn audit() in audits => view! { <super::audits::AuditPage/> });
split!(pub fn reviews() in reviews => view! { <super::reviews::ReviewsPage/> });
split!(pub fn review() in reviews => view! { <super::reviews::ReviewPage/> });
split!(pub fn improvement() in improvement => view! { <super::improvement::ImprovementPage/> });
split!(pub fn members() in members => view! { <super::members::MembersPage/> });
