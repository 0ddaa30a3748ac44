use leptos::prelude::*;
use quorum_shared::catalog::{self, Clause};

/// Clauses 4 to 10 as a nested list, each sub-clause under its parent.
#[component]
pub fn ClauseTree() -> impl IntoView {
    view! { <ul class="clause-tree">{catalog::top_level_clauses().map(clause_item).collect_view()}</ul> }
}

fn clause_item(clause: &'static Clause) -> AnyView {
    let children: Vec<_> = catalog::sub_clauses(clause.id).collect();
    view! {
        <li data-clause=clause.id>
            <span class="ref">{clause.id}</span>" "{clause.title}
            {(!children.is_empty())
                .then(|| view! { <ul>{children.into_iter().map(clause_item).collect_view()}</ul> })}
        </li>
    }
    .into_any()
}
