//! AI risks: placeholder until its page is built.

use leptos::prelude::*;

#[component]
pub fn RisksPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"AI risks"</h1>
        </section>
    }
}
