//! The dashboard's view: the empty state without a workspace, otherwise the readiness charts,
//! what is missing and the recent changes.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use quorum_shared::model::{DocumentKind, RiskRegister, Workspace};
use quorum_shared::readiness;

use super::view::{DashboardView, Shown};
use super::{audit_pack, last_seen, sources, summarize};
use crate::components::heat_map::{HeatMap, Placement, Rating, Selection};
use crate::session::{self, Session};
use crate::split::Lazy;
use crate::timings;

/// How many changes "Recent changes" lists.
const RECENT: usize = 10;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let session = expect_context::<Session>();
    view! { <Dashboard session/> }
}

#[component]
fn Dashboard(session: Session) -> impl IntoView {
    let root_id = session.membership().root_id().to_owned();
    let workspace_id = session.membership().workspace_id;
    // Drawn until every document is open, so that a large workspace shows at once (see
    // `last_seen`); read once, when the page opens.
    let last_seen = StoredValue::new(last_seen::read(&workspace_id));
    let opened = session.opened;
    let workspace = {
        let root_id = root_id.clone();
        Memo::new(move |_| {
            session
                .read(&root_id, |doc| timings::measure(timings::VIEW_READ, || Workspace::load(doc).ok()))
                .flatten()
        })
    };
    let pieces = StoredValue::new_local(sources::Pieces::new(session));
    // Nothing is assessed before the stored documents are open: an empty workspace would be
    // assessed, every check missing, and drawn for nothing.
    let live = Memo::new(move |_| {
        opened.get().then(|| {
            let evidence = workspace
                .with(|w| w.as_ref().map(|w| pieces.with_value(|pieces| pieces.evidence(w))))
                .unwrap_or_default();
            timings::measure(timings::READINESS, || readiness::assess(&evidence))
        })
    });
    let summary = Memo::new(move |_| {
        live.with(|live| match live {
            Some(readiness) => summarize(readiness),
            None => last_seen.with_value(|l| l.as_ref().map(|l| summarize(&l.readiness))).unwrap_or_default(),
        })
    });
    let histories = StoredValue::new_local(sources::Histories::new(session, RECENT));
    let changes = Memo::new(move |_| {
        if opened.get() {
            workspace.with(|w| histories.with_value(|histories| histories.recent(&root_id, w.as_ref())))
        } else {
            last_seen.with_value(|l| l.as_ref().map(|l| l.changes.clone())).unwrap_or_default()
        }
    });
    // What is drawn live is remembered for the next open.
    Effect::new(move |_| {
        if let Some(readiness) = live.get() {
            changes
                .with(|changes| last_seen::remember(&workspace_id, session::now_ms(), &readiness, changes));
        }
    });
    // Re-read the clock whenever the list changes, so "just now" is right when it matters.
    let now_ms = Signal::derive(move || {
        changes.track();
        session::now_ms()
    });
    let shown = Shown {
        name: Signal::derive(move || session.workspace_name()),
        summary: summary.into(),
        changes: changes.into(),
        now_ms,
        live: opened.into(),
        last_seen_at: Signal::derive(move || last_seen.with_value(|l| l.as_ref().map(|l| l.at_ms))),
    };
    let risks = ViewFn::from(move || view! { <RiskPanel session/> });
    let after = ViewFn::from(move || view! { <Lazy load=move || audit_pack::panel(session)/> });
    view! { <DashboardView shown risks after/> }
}

/// The risk heat map; choosing a cell opens the register filtered to the risks in it.
#[component]
fn RiskPanel(session: Session) -> impl IntoView {
    let register = Memo::new(move |_| {
        let id = session.document_of(DocumentKind::RiskRegister)?;
        session.read(&id, |doc| RiskRegister::load(doc).ok()).flatten()
    });
    let criteria =
        Memo::new(move |_| register.with(|r| r.as_ref().map(|r| r.criteria.clone()).unwrap_or_default()));
    let placements: Memo<Vec<Placement>> = Memo::new(move |_| {
        register
            .with(|r| r.as_ref().map(|r| r.risks.values().map(Placement::of).collect()).unwrap_or_default())
    });
    let rating = RwSignal::new(Rating::Inherent);
    let navigate = use_navigate();
    let on_select = Callback::new(move |chosen: Selection| {
        navigate(&format!("/risks?{}", chosen.query()), Default::default());
    });
    let counts = move || {
        register.with(|r| {
            let Some(r) = r.as_ref() else { return String::new() };
            let above = r
                .risks
                .values()
                .filter(|risk| r.inherent_level(risk).is_some_and(|level| !level.acceptable))
                .count();
            match r.risks.len() {
                0 => "No risks identified yet.".to_owned(),
                1 => format!("1 risk identified, {above} above the acceptance threshold before treatment."),
                n => {
                    format!("{n} risks identified, {above} above the acceptance threshold before treatment.")
                }
            }
        })
    };
    view! {
        <section class="card dashboard-risks" aria-labelledby="risks-heading">
            <h2 id="risks-heading">"AI risks"</h2>
            <p class="risk-counts">{counts}" "<A href="/risks">"Open the risk register"</A></p>
            <HeatMap
                id="dashboard-heat-map"
                criteria
                placements
                rating
                selected=Signal::derive(|| None::<Selection>)
                on_select
            />
        </section>
    }
}
