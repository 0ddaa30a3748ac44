//! SCAFFOLD: replaced by the page's real implementation.

use leptos::prelude::*;
use quorum_shared::model::DocumentKind;

use crate::components::register_page::RegisterPage;

#[component]
pub fn ChangesPage() -> impl IntoView {
    view! {
        <RegisterPage kind=DocumentKind::PlannedChanges title="Planned changes" purpose="to plan changes to its AI management system" noun="register of planned changes"
            children=|_session, _doc_id| view! { <h1>"Planned changes"</h1> }/>
    }
}
