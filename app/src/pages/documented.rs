//! SCAFFOLD: replaced by the page's real implementation.

use leptos::prelude::*;
use quorum_shared::model::DocumentKind;

use crate::components::register_page::RegisterPage;

#[component]
pub fn DocumentedPage() -> impl IntoView {
    view! {
        <RegisterPage kind=DocumentKind::DocumentedInformation title="Documented information" purpose="to keep its register of controlled documents" noun="documented information register"
            children=|_session, _doc_id| view! { <h1>"Documented information"</h1> }/>
    }
}
