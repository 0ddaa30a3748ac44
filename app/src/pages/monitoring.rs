//! SCAFFOLD: replaced by the page's real implementation.

use leptos::prelude::*;
use quorum_shared::model::DocumentKind;

use crate::components::register_page::RegisterPage;

#[component]
pub fn MonitoringPage() -> impl IntoView {
    view! {
        <RegisterPage kind=DocumentKind::Monitoring title="Monitoring and measurement" purpose="to track its indicators" noun="monitoring register"
            children=|_session, _doc_id| view! { <h1>"Monitoring and measurement"</h1> }/>
    }
}
