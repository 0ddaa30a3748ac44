//! Roles and responsibilities: placeholder until its page is built.

use leptos::prelude::*;

#[component]
pub fn RolesPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Roles and responsibilities"</h1>
        </section>
    }
}
