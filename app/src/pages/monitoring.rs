//! Monitoring and measurement (ISO/IEC 42001 9.1): the indicators the organization watches, each
//! with its method, frequency, target, owner and the objective or control it informs, and its
//! readings over time as a list and a line chart against the target. An indicator whose next
//! reading is overdue is flagged on its card and counted at the top.

mod card;
mod chart;
mod readings;

use leptos::prelude::*;
use quorum_shared::model::{DocumentKind, Indicator, IndicatorLink, Monitoring, Objectives};

use crate::components::add_record::AddRecord;
use crate::components::owner;
use crate::components::register_page::RegisterPage;
use crate::session::Session;

#[component]
pub fn MonitoringPage() -> impl IntoView {
    view! {
        <RegisterPage kind=DocumentKind::Monitoring title="Monitoring and measurement" noun="monitoring register"
            children=|session, doc_id| view! { <Indicators session doc_id/> }/>
    }
}

/// The monitoring document of the session's workspace, read again on every change; none while
/// the workspace has none or it has not opened yet.
pub fn monitoring_of(session: Session) -> Memo<Option<Monitoring>> {
    Memo::new(move |_| {
        session
            .document_of(DocumentKind::Monitoring)
            .and_then(|id| session.read(&id, |doc| Monitoring::load(doc).ok()).flatten())
    })
}

/// What an indicator can be linked to, as (link, label): the workspace's AI objectives, then the
/// Annex A controls.
pub type LinkChoices = Memo<Vec<(IndicatorLink, String)>>;

fn link_choices(session: Session) -> LinkChoices {
    Memo::new(move |_| {
        let objectives = session
            .document_of(DocumentKind::Objectives)
            .and_then(|id| session.read(&id, |doc| Objectives::load(doc).ok()).flatten())
            .unwrap_or_default();
        let mut ordered: Vec<_> = objectives.objectives.iter().collect();
        quorum_shared::order::sort_by(&mut ordered, |(a_id, a), (b_id, b)| {
            a.rank.cmp(&b.rank).then(a_id.cmp(b_id))
        });
        let objectives = ordered
            .into_iter()
            .map(|(id, o)| (IndicatorLink::Objective(*id), format!("Objective: {}", o.title)));
        let controls = quorum_shared::model::ControlId::all()
            .map(|c| (IndicatorLink::Control(c), format!("{c} {}", c.control().title)));
        objectives.chain(controls).collect()
    })
}

#[component]
fn Indicators(session: Session, doc_id: StoredValue<String>) -> impl IntoView {
    let monitoring = monitoring_of(session);
    let today = Some(crate::session::today());
    let ids = Memo::new(move |_| {
        monitoring
            .with(|m| m.as_ref().map(|m| m.ordered().into_iter().map(|(id, _)| id).collect::<Vec<_>>()))
            .unwrap_or_default()
    });
    let overdue = Memo::new(move |_| {
        monitoring.with(|m| match (m, today) {
            (Some(m), Some(today)) => m.overdue(today).len(),
            _ => 0,
        })
    });
    let members = owner::members(session);
    let links = link_choices(session);
    view! {
        <div class="page monitoring">
            <h1>"Monitoring and measurement"</h1>
            <p class="lede">
                "What the organization measures about its AI management system, how often, against which target, and what the readings say. Changes are saved as you make them."
            </p>
            <p class="monitoring-summary" data-overdue-count=move || overdue.get().to_string() role="status">
                {move || match (ids.with(Vec::len), overdue.get()) {
                    (0, _) => "No indicators yet.".to_owned(),
                    (n, 0) => format!("{n} {}; every reading is up to date.", plural(n, "indicator", "indicators")),
                    (n, late) => format!(
                        "{n} {}; {late} {} overdue for a reading.",
                        plural(n, "indicator", "indicators"),
                        plural(late, "is", "are"),
                    ),
                }}
                <Show when=move || { overdue.get() > 0 }>
                    <span class="overdue-badge">{move || format!("{} overdue", overdue.get())}</span>
                </Show>
            </p>
            <Show when=move || ids.with(Vec::is_empty)>
                <p class="empty card" data-empty="indicators">
                    "No indicators yet. Start with one that tells whether an AI objective is met, such as the share of automated decisions appealed, and say how often it is read."
                </p>
            </Show>
            <ul class="register indicator-list">
                <For
                    each=move || ids.get()
                    key=|id| *id
                    children=move |id| view! { <card::IndicatorCard session doc_id id monitoring members links today/> }
                />
            </ul>
            <Show when=move || session.can_edit()>
                <AddRecord session doc_id input_id="indicator-new-name" error_id="indicator-new-error"
                    label="New indicator" button="Add indicator"
                    empty="Name what is measured first, such as “Appeals upheld”."
                    // Measuring starts today, so a new indicator is not overdue before its first period ends.
                    make=move |name| Indicator { name, since: today, ..Indicator::default() }/>
            </Show>
        </div>
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// A value with its unit, as people write it: "4.5 %", "12 cases".
pub fn with_unit(value: f64, unit: &str) -> String {
    let unit = unit.trim();
    if unit.is_empty() { format!("{value}") } else { format!("{value} {unit}") }
}
