//! What an objective's indicators last read: each linked indicator's name, latest value and date,
//! and whether that meets its target, from the monitoring document (absent in a workspace that
//! has none, and then nothing is shown).

use leptos::prelude::*;
use leptos_router::components::A;
use quorum_shared::model::{IndicatorId, IndicatorLink, Monitoring, ObjectiveId};

use crate::pages::monitoring::with_unit;

/// One linked indicator as the card shows it.
#[derive(Clone, PartialEq)]
struct Line {
    id: IndicatorId,
    name: String,
    /// The latest reading as "4.5 % on 2025-03-31", if any.
    latest: Option<String>,
    /// "meets", "misses" or "none" (no target or no reading).
    verdict: &'static str,
}

#[component]
pub fn MeasuredBy(id: ObjectiveId, monitoring: Memo<Option<Monitoring>>) -> impl IntoView {
    let lines = Memo::new(move |_| {
        monitoring.with(|m| {
            let Some(m) = m else { return Vec::new() };
            m.linked_to(&IndicatorLink::Objective(id))
                .into_iter()
                .map(|(iid, indicator)| {
                    let latest = m.latest(iid).map(|(_, r)| r);
                    let verdict = match latest.and_then(|r| indicator.meets(r.value)) {
                        Some(true) => "meets",
                        Some(false) => "misses",
                        None => "none",
                    };
                    Line {
                        id: iid,
                        name: indicator.name.clone(),
                        latest: latest
                            .map(|r| format!("{} on {}", with_unit(r.value, &indicator.unit), r.date)),
                        verdict,
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    move || {
        let lines = lines.get();
        (!lines.is_empty()).then(|| {
            view! {
                <div class="objective-measured">
                    <h3 class="objective-measured-heading">"Measured by"</h3>
                    <ul>
                        {lines
                            .into_iter()
                            .map(|line| {
                                let reading = match (&line.latest, line.verdict) {
                                    (None, _) => "no reading yet".to_owned(),
                                    (Some(latest), "meets") => format!("{latest}, meets the target"),
                                    (Some(latest), "misses") => format!("{latest}, misses the target"),
                                    (Some(latest), _) => format!("{latest}, no target set"),
                                };
                                view! {
                                    <li data-linked-indicator=line.id.to_string() data-meets=line.verdict>
                                        <A href="/monitoring">{line.name}</A>
                                        ": "
                                        <span class="measured-reading">{reading}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}
