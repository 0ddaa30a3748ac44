//! Members and sharing: placeholder until its page is built.

use leptos::prelude::*;

#[component]
pub fn MembersPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Members and sharing"</h1>
        </section>
    }
}
