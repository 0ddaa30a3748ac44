//! AI objectives: placeholder until its page is built.

use leptos::prelude::*;

#[component]
pub fn ObjectivesPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"AI objectives"</h1>
        </section>
    }
}
