//! The AI risk register (ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3, Annex C): the risk criteria, a
//! heat map of where the risks sit before and after treatment, and the register of risks with
//! their treatment, linked Annex A controls and treatment actions.
//!
//! The register document is read once here, on every change (local or from another browser),
//! and handed down as memos; every edit is one `shared::model` operation through the session.
//! A cell chosen on the heat map lives in the URL (`/risks?l=4&c=3`), so the dashboard's map can
//! open the register filtered and a reload keeps the filter.

mod actions;
mod approval;
mod criteria;
mod filter;
mod plan;
mod row;
mod words;

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use quorum_shared::import::Target;
use quorum_shared::model::{
    self, AiSystem, DocumentKind, MemberId, Position, Risk, RiskRegister, SystemId, Workspace,
};

use crate::components::heat_map::{HeatMap, Placement, Rating, Selection};
use crate::components::import_sheet::ImportSheet;
use crate::explain::explain;
use crate::session::{Session, now_ms, random_id};

#[component]
pub fn RisksPage() -> impl IntoView {
    let session = expect_context::<Session>();
    view! { <RisksEditor session/> }
}

/// What the selects of the register offer: the workspace's members and the inventory's AI
/// systems, by id and name.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Choices {
    pub members: Vec<(MemberId, String)>,
    pub systems: Vec<(SystemId, String)>,
}

#[component]
fn RisksEditor(session: Session) -> impl IntoView {
    let register_id = Memo::new(move |_| session.document_of(DocumentKind::RiskRegister));
    let register = Memo::new(move |_| {
        register_id.get().and_then(|id| session.read(&id, |doc| RiskRegister::load(doc).ok()).flatten())
    });
    // The page is built once the register has loaded; later changes re-render only what reads them.
    let loaded = Memo::new(move |_| register.with(Option::is_some));
    let choices = choices(session);
    let query = use_query_map();
    let selection = Memo::new(move |_| {
        query.with(|q| Selection::from_query(q.get_str("l"), q.get_str("c"), q.get_str("view")))
    });
    // The map opens on the view of the cell the URL names, so the chosen cell is visible.
    let rating = RwSignal::new(selection.get_untracked().map_or(Rating::Inherent, |s| s.rating));
    let navigate = use_navigate();
    let go = move |query: Option<String>| {
        let path = query.map_or_else(|| "/risks".to_owned(), |q| format!("/risks?{q}"));
        navigate(&path, NavigateOptions { scroll: false, ..NavigateOptions::default() });
    };
    let go_select = go.clone();
    let on_select = Callback::new(move |chosen: Selection| {
        // Choosing the chosen cell again clears the filter, as a toggle would.
        let query = (selection.get_untracked() != Some(chosen)).then(|| chosen.query());
        go_select(query);
    });
    let on_clear = Callback::new(move |()| go(None));

    let criteria =
        Memo::new(move |_| register.with(|r| r.as_ref().map(|r| r.criteria.clone()).unwrap_or_default()));
    let placements: Memo<Vec<Placement>> = Memo::new(move |_| {
        register
            .with(|r| r.as_ref().map(|r| r.risks.values().map(Placement::of).collect()).unwrap_or_default())
    });

    view! {
        <div class="page risks">
            <header class="page-header">
                <h1>"AI risks"</h1>
                <p class="lede">
                    "Identify what could go wrong with your AI systems, rate it against your criteria, and decide how to treat it. Changes are saved as you make them."
                </p>
            </header>
            {move || {
                let (Some(doc_id), true) = (register_id.get(), loaded.get()) else {
                    return view! { <p class="muted" role="status">"Loading the risk register…"</p> }.into_any();
                };
                let doc_id = StoredValue::new(doc_id);
                view! {
                    <div class="risks-body">
                        <div class="risks-overview">
                            <section class="card risk-map" aria-labelledby="risk-map-heading">
                                <h2 id="risk-map-heading">"Heat map"</h2>
                                <p class="hint">"Choose a cell to show only the risks in it."</p>
                                <HeatMap
                                    id="risks-heat-map"
                                    criteria
                                    placements
                                    rating
                                    selected=selection
                                    on_select
                                />
                            </section>
                            <criteria::CriteriaEditor session doc_id register/>
                        </div>
                        <Register session doc_id register choices selection on_clear/>
                    </div>
                }
                .into_any()
            }}
            <Show when=move || session.can_edit()>
                <ImportSheet session target=Target::Risks kind=DocumentKind::RiskRegister/>
            </Show>
        </div>
    }
}

#[component]
fn Register(
    session: Session,
    doc_id: StoredValue<String>,
    register: Memo<Option<RiskRegister>>,
    choices: Memo<Choices>,
    selection: Memo<Option<Selection>>,
    on_clear: Callback<()>,
) -> impl IntoView {
    let shown = Memo::new(move |_| {
        register.with(|r| r.as_ref().map(|r| filter::shown(r, selection.get().as_ref())).unwrap_or_default())
    });
    let total = Memo::new(move |_| register.with(|r| r.as_ref().map_or(0, |r| r.risks.len())));
    let counts = Memo::new(move |_| register.with(|r| r.as_ref().map(RiskRegister::approval_summary)));
    // The register of editable cards, or the treatment plan as one list to read.
    let plan_view = RwSignal::new(false);
    view! {
        <section class="risk-register" aria-labelledby="register-heading">
            <h2 id="register-heading">"Risk register"</h2>
            <p
                class="approval-summary"
                role="status"
                data-approved=move || counts.get().unwrap_or_default().approved
                data-changed=move || counts.get().unwrap_or_default().changed
                data-awaiting=move || counts.get().unwrap_or_default().awaiting
            >
                <span class="label">"Treatment approval: "</span>
                {move || words::summary(counts.get().unwrap_or_default())}
            </p>
            <div class="view-switch" role="group" aria-label="Show">
                <button
                    id="risks-view-register"
                    type="button"
                    class="button secondary"
                    aria-pressed=move || (!plan_view.get()).to_string()
                    on:click=move |_| plan_view.set(false)
                >
                    "Register"
                </button>
                <button
                    id="risks-view-plan"
                    type="button"
                    class="button secondary"
                    aria-pressed=move || plan_view.get().to_string()
                    on:click=move |_| plan_view.set(true)
                >
                    "Treatment plan"
                </button>
            </div>
            <Show when=move || plan_view.get()>
                <plan::TreatmentPlanList register choices/>
            </Show>
            <div class="register-view" hidden=move || plan_view.get()>
                {move || {
                    selection.get().map(|selection| {
                        let count = shown.with(Vec::len);
                        view! {
                            <p class="filter-chip" role="status" data-likelihood=selection.cell.likelihood data-consequence=selection.cell.consequence>
                                {filter::chip_text(count, &selection)}" — "
                                <button type="button" class="link-button" on:click=move |_| on_clear.run(())>"clear"</button>
                            </p>
                        }
                    })
                }}
                <Show when=move || session.can_edit()>
                    <AddRisk session doc_id selection on_clear/>
                </Show>
                <Show when=move || total.get() == 0>
                    <p class="empty-register">
                        "No risks yet. Start with what worries you most about an AI system: give it a title above, then rate it and choose a treatment."
                    </p>
                </Show>
                <ul class="risk-list">
                    <For each=move || shown.get() key=|id| *id let:id>
                        <row::RiskRow session doc_id id register choices/>
                    </For>
                </ul>
            </div>
        </section>
    }
}

/// The title of a new risk and its Add button; the rest is rated in the risk's own row.
#[component]
fn AddRisk(
    session: Session,
    doc_id: StoredValue<String>,
    selection: Memo<Option<Selection>>,
    on_clear: Callback<()>,
) -> impl IntoView {
    let title = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = title.get_untracked().trim().to_owned();
        if text.is_empty() {
            error.set(Some(
                "Give the risk a short title first, such as \"Screening model rejects older applicants\"."
                    .into(),
            ));
            return;
        }
        let risk = Risk { title: text, ..Risk::default() };
        let result = doc_id.with_value(|id| {
            session.edit(id, |doc| model::add(doc, now_ms(), random_id(), risk, Position::Last))
        });
        match result {
            Ok(_) => {
                title.set(String::new());
                error.set(None);
                // A new risk is not rated yet, so a heat map filter would hide it.
                if selection.get_untracked().is_some() {
                    on_clear.run(());
                }
            }
            Err(problem) => error.set(Some(explain(&problem))),
        }
    };
    view! {
        <form class="add-risk" on:submit=on_submit>
            <div class="field">
                <label for="new-risk-title">"New risk"</label>
                <input
                    id="new-risk-title"
                    type="text"
                    placeholder="What could go wrong?"
                    aria-describedby="new-risk-error"
                    prop:value=move || title.get()
                    on:input=move |event| title.set(event_target_value(&event))
                />
            </div>
            <button type="submit" class="button">"Add risk"</button>
            <p id="new-risk-error" class="field-error" role="alert">{move || error.get()}</p>
        </form>
    }
}

/// The members (from the workspace root) and AI systems (from the inventory) the selects offer.
fn choices(session: Session) -> Memo<Choices> {
    let root_id = session.membership().root_id().to_owned();
    let inventory_id = Memo::new(move |_| session.document_of(DocumentKind::Inventory));
    Memo::new(move |_| {
        let members = session
            .read(&root_id, |doc| {
                let workspace = Workspace::load(doc).ok()?;
                let mut members: Vec<_> =
                    workspace.members.into_iter().map(|(id, member)| (id, member.name)).collect();
                quorum_shared::order::sort_by_key(&mut members, |a| a.1.to_lowercase());
                Some(members)
            })
            .flatten()
            .unwrap_or_default();
        let systems = inventory_id
            .get()
            .and_then(|id| {
                session.read(&id, |doc| {
                    model::list::<AiSystem>(doc).ok().map(|systems| {
                        systems.into_iter().map(|(id, system)| (id, system.name)).collect::<Vec<_>>()
                    })
                })
            })
            .flatten()
            .unwrap_or_default();
        Choices { members, systems }
    })
}
