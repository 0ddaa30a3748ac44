//! AI systems: placeholder until its page is built.

use leptos::prelude::*;

#[component]
pub fn InventoryPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"AI systems"</h1>
        </section>
    }
}

#[component]
pub fn AiSystemPage() -> impl IntoView {
    view! { <section class="page"><h1>"AI system"</h1></section> }
}
