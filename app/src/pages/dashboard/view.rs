//! The dashboard's layout, from plain signals: drawn by the live page (`page.rs`, in the
//! workspace's chunk) and, while that chunk is on its way, by [`OpeningDashboard`] from what the
//! browser last saw, which needs neither the session nor the documents and so is in the first
//! download.

use leptos::prelude::*;

use super::{Summary, last_seen, summarize};
use crate::components::gap_list::{ClauseGapList, ControlGapList};
use crate::components::progress_bars::ProgressBars;
use crate::components::readiness_ring::ReadinessRing;
use crate::components::recent_changes::{self, ChangeLine, RecentChanges};
use crate::session::{self, Membership};

/// What the dashboard shows, however it was read.
#[derive(Clone, Copy)]
pub struct Shown {
    /// The workspace's name, for the lede.
    pub name: Signal<String>,
    pub summary: Signal<Summary>,
    pub changes: Signal<Vec<ChangeLine>>,
    pub now_ms: Signal<i64>,
    /// Every document is open, so what is shown is live.
    pub live: Signal<bool>,
    /// When what is shown was last seen, while it is not live (none: nothing to show yet).
    pub last_seen_at: Signal<Option<i64>>,
}

/// The dashboard: `risks` is drawn once live (the heat map reads the risk register), `after`
/// below the lists once live (the audit pack panel).
#[component]
pub fn DashboardView(shown: Shown, risks: ViewFn, after: ViewFn) -> impl IntoView {
    let Shown { name, summary, changes, now_ms, live, last_seen_at } = shown;
    let overall = Signal::derive(move || summary.with(|s| s.overall));
    let clauses = Signal::derive(move || summary.with(|s| s.clauses.clone()));
    let objectives = Signal::derive(move || summary.with(|s| s.objectives.clone()));
    let clause_gaps = Signal::derive(move || summary.with(|s| s.clause_gaps.clone()));
    let control_gaps = Signal::derive(move || summary.with(|s| s.control_gaps.clone()));
    let as_last_seen = move || !live.get() && last_seen_at.get().is_some();
    let (risks, after) = (StoredValue::new(risks), StoredValue::new(after));
    view! {
        <div class="page dashboard" aria-busy=move || (!live.get()).to_string()>
            <header class="page-header">
                <h1>"Readiness"</h1>
                <p class="lede">
                    {move || format!("How close {} is to what an ISO/IEC 42001 auditor looks for, and what to do next.", name.get())}
                </p>
            </header>
            <Show
                when=move || live.get() || as_last_seen()
                fallback=|| view! { <p class="muted dashboard-opening" role="status">"Opening the workspace…"</p> }
            >
            <Show when=as_last_seen>
                <p class="muted dashboard-last-seen" role="status">
                    {move || {
                        let at = last_seen_at.get().unwrap_or_default();
                        format!("As you last saw it, {}. Opening the workspace…", recent_changes::relative_time(session::now_ms(), at))
                    }}
                </p>
            </Show>
            <div class="dashboard-charts">
                <section class="card overview" aria-labelledby="overall-heading">
                    <h2 id="overall-heading">"Overall"</h2>
                    <ReadinessRing progress=overall/>
                </section>
                <section class="card clauses" aria-labelledby="clauses-heading">
                    <h2 id="clauses-heading">"Clauses 4 to 10"</h2>
                    <ProgressBars bars=clauses noun="Clause" unit="checks met"/>
                </section>
                <section class="card objectives" aria-labelledby="objectives-heading">
                    <h2 id="objectives-heading">"Annex A objectives"</h2>
                    <ProgressBars bars=objectives noun="Objective" unit="controls done"/>
                </section>
            </div>
            <Show
                when=move || live.get()
                fallback=|| view! {
                    <section class="card dashboard-risks" aria-labelledby="risks-heading">
                        <h2 id="risks-heading">"AI risks"</h2>
                        <p class="muted">"Opening the risk register…"</p>
                    </section>
                }
            >
                {move || risks.with_value(ViewFn::run)}
            </Show>
            <div class="dashboard-lists">
                <section class="card missing" aria-labelledby="missing-heading">
                    <h2 id="missing-heading">"What is missing"</h2>
                    <h3 class="subheading">"Clauses"</h3>
                    <div class="clause-gaps"><ClauseGapList groups=clause_gaps/></div>
                    <h3 class="subheading">"Annex A controls not yet done"</h3>
                    <div class="control-gap-list"><ControlGapList groups=control_gaps/></div>
                </section>
                <section class="card recent" aria-labelledby="recent-heading">
                    <h2 id="recent-heading">"Recent changes"</h2>
                    <RecentChanges changes=changes now_ms=now_ms/>
                </section>
            </div>
            <Show when=move || live.get()>{move || after.with_value(ViewFn::run)}</Show>
            </Show>
        </div>
    }
}

/// The dashboard of `membership`'s workspace while its code is on its way: as this browser last
/// saw it, if it kept that, else "Opening the workspace…".
#[component]
pub fn OpeningDashboard(membership: Membership) -> impl IntoView {
    let last_seen = last_seen::read(&membership.workspace_id);
    let at = last_seen.as_ref().map(|l| l.at_ms);
    let summary = last_seen.as_ref().map(|l| summarize(&l.readiness)).unwrap_or_default();
    let changes = last_seen.map(|l| l.changes).unwrap_or_default();
    let shown = Shown {
        name: Signal::stored(membership.workspace_name),
        summary: Signal::stored(summary),
        changes: Signal::stored(changes),
        now_ms: Signal::stored(session::now_ms()),
        live: Signal::stored(false),
        last_seen_at: Signal::stored(at),
    };
    let nothing = ViewFn::from(|| ());
    view! { <DashboardView shown risks=nothing.clone() after=nothing/> }
}
