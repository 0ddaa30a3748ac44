//! What a policy under 5.2 and Annex A.2 should cover, from the catalog's own-words
//! descriptions and auditor hints.

use leptos::prelude::*;
use quorum_shared::catalog;

#[component]
pub fn Guidance() -> impl IntoView {
    let clause = catalog::clause("5.2");
    let controls: Vec<_> = ["A.2.2", "A.2.3", "A.2.4"].into_iter().filter_map(catalog::control).collect();
    view! {
        <aside class="card policy-guidance" aria-labelledby="policy-guidance-heading">
            <h2 id="policy-guidance-heading">"What the policy should cover"</h2>
            {clause.map(|clause| view! {
                <p><span class="ref">{clause.id}</span>{clause.description}</p>
            })}
            <ul class="policy-guidance-list">
                {controls
                    .into_iter()
                    .map(|control| view! {
                        <li>
                            <strong><span class="ref">{control.id}</span>{control.title}</strong>
                            <p>{control.description}</p>
                        </li>
                    })
                    .collect_view()}
            </ul>
            {clause.map(|clause| view! {
                <h3>"What an auditor looks for"</h3>
                <p class="hint">{clause.auditor_hint}</p>
            })}
        </aside>
    }
}
