//! AI policy: placeholder until its page is built.

use leptos::prelude::*;

#[component]
pub fn PolicyPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"AI policy"</h1>
        </section>
    }
}
