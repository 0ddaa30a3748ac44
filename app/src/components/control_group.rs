use leptos::prelude::*;
use quorum_shared::catalog::{self, Objective};

/// One Annex A objective and its controls, each with its description and auditor hint.
#[component]
pub fn ControlGroup(objective: &'static Objective) -> impl IntoView {
    let heading_id = format!("objective-{}", objective.id);
    view! {
        <section class="control-group" aria-labelledby=heading_id.clone()>
            <h2 id=heading_id.clone()>
                <span class="ref">{objective.id}</span>" "{objective.title}
            </h2>
            <p class="muted">{objective.description}</p>
            <ul class="controls">
                {catalog::controls_of(objective.id)
                    .map(|control| {
                        view! {
                            <li class="control" data-control=control.id>
                                <h3><span class="ref">{control.id}</span>" "{control.title}</h3>
                                <p>{control.description}</p>
                                <p class="hint"><strong>"Auditors look for: "</strong>{control.auditor_hint}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
