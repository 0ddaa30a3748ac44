//! SCAFFOLD: replaced by the page's real implementation.

use leptos::prelude::*;
use quorum_shared::model::DocumentKind;

use crate::components::register_page::RegisterPage;

#[component]
pub fn SupportPage() -> impl IntoView {
    view! {
        <RegisterPage kind=DocumentKind::Support title="People and resources" purpose="to record its resources, competence, awareness and communication" noun="support register"
            children=|_session, _doc_id| view! { <h1>"People and resources"</h1> }/>
    }
}
