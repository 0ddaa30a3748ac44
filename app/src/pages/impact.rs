//! AI system impact assessments: placeholder until its page is built.

use leptos::prelude::*;

#[component]
pub fn ImpactPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"AI system impact assessments"</h1>
        </section>
    }
}

#[component]
pub fn AssessmentPage() -> impl IntoView {
    view! { <section class="page"><h1>"Impact assessment"</h1></section> }
}
