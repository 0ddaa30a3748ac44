//! SCAFFOLD: replaced by the page's real implementation.

use leptos::prelude::*;

#[component]
pub fn ReviewsPage() -> impl IntoView {
    view! { <h1>"Management reviews"</h1> }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    view! { <h1>"Management review"</h1> }
}
