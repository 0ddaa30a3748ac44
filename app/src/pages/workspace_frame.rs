//! The parent route of every page that works on the open workspace: with no workspace in this
//! browser it shows what to do first; otherwise it hands the pages the session as context and
//! shows the page the address names in its `Outlet`. Pages take the session with
//! `expect_context::<Session>()` and never check for a workspace themselves.
//!
//! ```ignore
//! <ParentRoute path=path!("") view=WorkspaceFrame>
//!     <Route path=path!("/soa") view=SoaPage/>
//! </ParentRoute>
//! ```

use leptos::context::Provider;
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::use_location;

use crate::components::damaged_records::DamagedRecords;
use crate::components::history::{HistoryBar, HistoryPanel, HistoryState};
use crate::pages::dashboard::OpeningDashboard;
use crate::session::{Session, Sessions};
use crate::split::{Lazy, split};

#[component]
pub fn WorkspaceFrame() -> impl IntoView {
    let sessions = expect_context::<Sessions>();
    let location = use_location();
    // Only the page's section of the address, so that moving within a page (another audit, a
    // filter in the query) does not rebuild the frame.
    let section = Memo::new(move |_| location.pathname.with(|path| section_of(path).to_owned()));
    move || match sessions.current.get() {
        // A new session (another workspace opened) makes a new page with it. The frame is the
        // workspace chunk's, which is here once there is a session.
        Some(session) => view! { <Lazy quiet=true load=move || frame(session)/> }.into_any(),
        None => match (sessions.opening.get(), sessions.unavailable.get()) {
            // The dashboard, where a workspace opens, as this browser last saw it.
            (Some(membership), _) if section.get() == "dashboard" => {
                view! { <OpeningDashboard membership/> }.into_any()
            }
            (Some(_), _) => {
                view! { <p class="page muted workspace-opening" role="status">"Opening the workspace…"</p> }
                    .into_any()
            }
            (None, Some(membership)) => {
                let sessions = sessions.clone();
                let again = move |_| sessions.open(membership.clone(), Vec::new());
                view! {
                    <p class="page field-error lazy-unavailable" role="alert">
                        "The workspace cannot be opened: this part of Quorum has not been downloaded to this browser yet, and the server cannot be reached. "
                        <button type="button" class="button-quiet" on:click=again>"Try again"</button>
                    </p>
                }
                .into_any()
            }
            (None, None) => view! { <NoWorkspace purpose=purpose_of(&section.get())/> }.into_any(),
        },
    }
}

// The frame of an open workspace: the workspace's chunk (see `session::Sessions`).
split!(fn frame(session: Session) in workspace => open(session));

/// The frame of an open workspace: the history bar and panel, damaged records, and the page.
fn open(session: Session) -> impl IntoView {
    // The page is built again when travel to a past version starts or ends (see
    // `session/as_of.rs`), so that it reads its fields' editability afresh.
    let history = HistoryState::new(session);
    view! {
        <Provider value=session>
        <Provider value=history>
            <HistoryBar history/>
            <div class="workspace-body" class:history-open=move || history.open.get()>
                <div class="workspace-page">
                    <DamagedRecords/>
                    {move || {
                        session.as_of.track();
                        view! { <Outlet/> }
                    }}
                </div>
                <HistoryPanel history/>
            </div>
        </Provider>
        </Provider>
    }
}

/// What a page shows before this browser has a workspace: what to do first.
#[component]
pub fn NoWorkspace(
    /// What a workspace lets one do on this page, such as "to hold its management reviews".
    purpose: &'static str,
) -> impl IntoView {
    view! {
        <section class="page empty-state">
            <h1>"No workspace yet"</h1>
            <p class="lede">"Create a workspace, or open the invite link someone sent you, "{purpose}"."</p>
            <A href="/">"Create a workspace"</A>
        </section>
    }
}

/// The first segment of a path, such as "audits" for "/audits/2BHg…".
fn section_of(path: &str) -> &str {
    path.trim_start_matches('/').split('/').next().unwrap_or_default()
}

/// What a workspace lets one do in each section of the app, after "Create a workspace … ".
fn purpose_of(section: &str) -> &'static str {
    match section {
        "dashboard" => "to see how ready its AI management system is",
        "context" => "to record the context of your organization",
        "inventory" => "to keep its AI system inventory",
        "policy" => "to write and approve its AI policy",
        "roles" => "to share out its roles and responsibilities",
        "risks" => "to assess and treat its AI risks",
        "soa" => "to edit its Statement of Applicability",
        "objectives" => "to set its AI objectives",
        "changes" => "to plan changes to its AI management system",
        "support" => "to record its resources, competence, awareness and communication",
        "documents" => "to keep its register of controlled documents",
        "impact" => "to assess the impacts of your AI systems",
        "monitoring" => "to track its indicators",
        "audits" => "to plan and hold its internal audits",
        "reviews" => "to hold its management reviews",
        "improvement" => "to track nonconformities and improvements",
        "members" => "to see who is in it",
        _ => "to work on it",
    }
}

#[cfg(test)]
mod tests {
    use super::section_of;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_section_is_the_first_segment_of_the_path() {
        assert_eq!(section_of("/audits/2BHgUequGS6sSncHJSFfxYd5riqY"), "audits");
        assert_eq!(section_of("/soa"), "soa");
        assert_eq!(section_of("/"), "");
    }
}
