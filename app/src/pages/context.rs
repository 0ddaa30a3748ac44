//! Context of the organization: placeholder until its page is built.

use leptos::prelude::*;

#[component]
pub fn ContextPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Context of the organization"</h1>
        </section>
    }
}
