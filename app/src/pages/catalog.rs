//! The ISO/IEC 42001 catalog: Annex A's controls grouped by objective, with the clause tree
//! beside them, so a committee can see the whole standard's shape before it starts.

use leptos::prelude::*;
use quorum_shared::catalog;

use crate::components::{clause_tree::ClauseTree, control_group::ControlGroup};

#[component]
pub fn CatalogPage() -> impl IntoView {
    view! {
        <div class="page catalog">
            <aside class="catalog-clauses" aria-labelledby="clauses-heading">
                <h2 id="clauses-heading">"Clauses 4 to 10"</h2>
                <ClauseTree/>
            </aside>
            <section class="catalog-controls" aria-labelledby="controls-heading">
                <h1 id="controls-heading">"Annex A controls"</h1>
                <p class="lede">
                    {format!(
                        "{} controls under {} objectives. Each says what it asks for and what an auditor will look for.",
                        catalog::controls().len(),
                        catalog::objectives().len(),
                    )}
                </p>
                {catalog::objectives()
                    .iter()
                    .map(|objective| view! { <ControlGroup objective/> })
                    .collect_view()}
            </section>
        </div>
    }
}
