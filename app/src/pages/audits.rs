//! SCAFFOLD: replaced by the page's real implementation.

use leptos::prelude::*;
use quorum_shared::model::DocumentKind;

use crate::components::register_page::RegisterPage;

#[component]
pub fn AuditProgrammePage() -> impl IntoView {
    view! {
        <RegisterPage kind=DocumentKind::AuditProgramme title="Internal audit" purpose="to plan its internal audits" noun="audit programme"
            children=|_session, _doc_id| view! { <h1>"Internal audit"</h1> }/>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <RegisterPage kind=DocumentKind::AuditProgramme title="Internal audit" purpose="to hold its internal audits" noun="audit programme"
            children=|_session, _doc_id| view! { <h1>"Internal audit"</h1> }/>
    }
}
