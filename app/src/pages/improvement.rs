//! SCAFFOLD: replaced by the page's real implementation.

use leptos::prelude::*;
use quorum_shared::model::DocumentKind;

use crate::components::register_page::RegisterPage;

#[component]
pub fn ImprovementPage() -> impl IntoView {
    view! {
        <RegisterPage kind=DocumentKind::Improvement title="Nonconformities and improvement" purpose="to track nonconformities and improvements" noun="nonconformity register"
            children=|_session, _doc_id| view! { <h1>"Nonconformities and improvement"</h1> }/>
    }
}
