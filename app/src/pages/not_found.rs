use leptos::prelude::*;
use leptos_router::components::A;

/// Shown for a URL the app has no page for.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page empty-state">
            <h1>"Page not found"</h1>
            <p>"There is nothing at this address. "<A href="/">"Go to the catalog"</A>"."</p>
        </section>
    }
}
