//! The Statement of Applicability (ISO/IEC 42001 6.1.3 d): the 38 Annex A controls grouped by
//! objective, each applicable or excluded with its justification, implementation status, owner,
//! the risks it treats and the evidence of it; filters above, and each objective's progress as
//! the dashboard counts it. The rows follow the SoA document (and the risk register, for the
//! linked risks) through every change, here or from another browser, re-reading only the rows a
//! change touched (`model::SoaRead`); every edit is a `shared::model` operation through the
//! session.

mod conflict;
mod evidence;
mod filter;
mod filter_bar;
mod row;

use std::collections::BTreeMap;

use leptos::prelude::*;
use quorum_shared::catalog;
use quorum_shared::import::Target;
use quorum_shared::model::{
    Applicability, ControlId, DocumentKind, Evidence, EvidenceId, ImplementationStatus, MemberId, RiskId,
    RiskRegister, SoaRead, Workspace,
};
use quorum_shared::readiness::{self, Progress};

use crate::components::import_sheet::ImportSheet;
use crate::components::owner::members;
use crate::session::Session;
use crate::timings;
use filter::SoaFilter;

#[component]
pub fn SoaPage() -> impl IntoView {
    let session = expect_context::<Session>();
    view! { <SoaEditor session/> }
}

/// What the page shows of one control's row: plain values, so views compare and copy them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowView {
    pub applicability: Applicability,
    pub justification: String,
    pub status: ImplementationStatus,
    pub owner: Option<MemberId>,
    pub evidence: Vec<(EvidenceId, Evidence)>,
    /// The risks of the register that this control treats, by title.
    pub risks: Vec<(RiskId, String)>,
    /// Done as the dashboard counts it: excluded with a reason, or implemented with evidence.
    pub done: bool,
    /// Fields two people set at once, which the row asks someone to settle.
    pub conflicts: Vec<conflict::ConflictView>,
}

/// Everything the page reads, at once, so one change re-reads one thing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct SoaView {
    rows: BTreeMap<ControlId, RowView>,
    progress: BTreeMap<&'static str, Progress>,
}

#[component]
fn SoaEditor(session: Session) -> impl IntoView {
    let soa_id = Memo::new(move |_| session.document_of(DocumentKind::StatementOfApplicability));
    let risks_id = Memo::new(move |_| session.document_of(DocumentKind::RiskRegister));
    let root = session.membership().root_id().to_owned();
    let workspace = Memo::new(move |_| session.read(&root, |doc| Workspace::load(doc).ok()).flatten());
    let register = Memo::new(move |_| {
        risks_id.get().and_then(|id| session.read(&id, |doc| RiskRegister::load(doc).ok()).flatten())
    });
    // The SoA document as last read, brought up to date change by change (see `SoaRead`): a
    // change re-reads the rows it touched, not all 38 with their conflicts.
    let soa_read = Memo::new(move |previous: Option<&Option<SoaRead>>| {
        let id = soa_id.get()?;
        let previous = previous.and_then(Option::as_ref);
        let (heads, patches) = session.read_history(&id, |doc| {
            let heads = doc.get_heads();
            // Only a read of this very document can be brought up to date.
            let known = |p: &&SoaRead| p.heads.iter().all(|h| doc.get_change_meta_by_hash(h).is_some());
            let patches = previous.filter(known).map(|p| (p, doc.diff(&p.heads, &heads)));
            (heads, patches)
        })?;
        session
            .read(&id, |doc| {
                timings::measure(timings::VIEW_READ, || match patches {
                    Some((previous, patches)) => previous.update(doc, heads, &patches).ok(),
                    None => SoaRead::read(doc, heads).ok(),
                })
            })
            .flatten()
    });
    let soa = Memo::new(move |_| {
        soa_read.with(|read| {
            let read = read.as_ref()?;
            workspace.with(|workspace| {
                register.with(|register| Some(view(read, workspace.as_ref(), register.as_ref())))
            })
        })
    });
    let loaded = Memo::new(move |_| soa.with(Option::is_some));
    let rows = Memo::new(move |_| soa.with(|s| s.as_ref().map(|s| s.rows.clone())));
    let filter = RwSignal::new(SoaFilter::default());
    let members = members(session);
    let shown = Memo::new(move |_| {
        let filter = filter.get();
        rows.with(|rows| {
            catalog::controls()
                .iter()
                .filter(|control| {
                    let row = control.id.parse().ok().and_then(|id: ControlId| rows.as_ref()?.get(&id));
                    row.is_some_and(|row| filter.shows(control.id, control.title, row))
                })
                .map(|control| control.id)
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class="page soa">
            <h1>"Statement of Applicability"</h1>
            <p class="lede">
                {if session.can_edit() {
                    "Every Annex A control, applicable or excluded. Say why for each; an excluded control needs a justification. Changes are saved as you make them."
                } else {
                    "Every Annex A control, applicable or excluded, with why and how far each is implemented."
                }}
            </p>
            {move || {
                let Some(doc_id) = soa_id.get().filter(|_| loaded.get()) else {
                    return view! {
                        <p class="muted" role="status">"Loading the Statement of Applicability…"</p>
                    }
                    .into_any();
                };
                let doc_id = StoredValue::new(doc_id);
                view! {
                    <filter_bar::FilterBar filter shown=Signal::derive(move || shown.with(Vec::len)) members/>
                    {catalog::objectives()
                        .iter()
                        .map(|objective| {
                            let heading = format!("soa-objective-{}", objective.id);
                            let progress = Memo::new(move |_| {
                                soa.with(|s| s.as_ref().and_then(|s| s.progress.get(objective.id).copied()).unwrap_or_default())
                            });
                            let any_shown = move || shown.with(|ids| catalog::controls_of(objective.id).any(|c| ids.contains(&c.id)));
                            view! {
                                <section class="control-group soa-group" aria-labelledby=heading.clone() prop:hidden=move || !any_shown()>
                                    <h2 id=heading.clone()>
                                        <span class="ref">{objective.id}</span>" "{objective.title}
                                        <ObjectiveProgress progress/>
                                    </h2>
                                    <ul class="controls">
                                        {catalog::controls_of(objective.id)
                                            .filter_map(|control| {
                                                let id: ControlId = control.id.parse().ok()?;
                                                let row = Memo::new(move |_| {
                                                    rows.with(|rows| rows.as_ref().and_then(|r| r.get(&id).cloned()))
                                                });
                                                let visible = Signal::derive(move || shown.with(|ids| ids.contains(&control.id)));
                                                Some(view! {
                                                    <row::SoaRowEditor session doc_id control=id title=control.title row visible members/>
                                                })
                                            })
                                            .collect_view()}
                                    </ul>
                                </section>
                            }
                        })
                        .collect_view()}
                }
                .into_any()
            }}
            <Show when=move || session.can_edit()>
                <ImportSheet session target=Target::Soa kind=DocumentKind::StatementOfApplicability/>
            </Show>
        </div>
    }
}

/// "3 of 5 done" with a small bar, counted as the dashboard counts it.
#[component]
fn ObjectiveProgress(progress: Memo<Progress>) -> impl IntoView {
    let width = move || format!("{:.0}%", progress.get().ratio() * 100.0);
    view! {
        <span
            class="soa-progress"
            data-met=move || progress.get().met
            data-total=move || progress.get().total
            data-complete=move || progress.get().is_complete().to_string()
        >
            <span class="soa-progress-bar" aria-hidden="true"><span style:width=width></span></span>
            {move || {
                let Progress { met, total } = progress.get();
                format!("{met} of {total} done")
            }}
        </span>
    }
}

fn view(read: &SoaRead, workspace: Option<&Workspace>, register: Option<&RiskRegister>) -> SoaView {
    let soa = read.soa.clone();
    let readiness =
        readiness::assess(&readiness::Evidence { soa: Some(soa.clone()), ..readiness::Evidence::default() });
    let done: BTreeMap<&str, bool> = readiness.controls.iter().map(|c| (c.control.id, c.is_done())).collect();
    let progress = readiness.by_objective().into_iter().map(|(o, p)| (o.id, p)).collect();
    let mut conflicts: BTreeMap<ControlId, Vec<conflict::ConflictView>> = BTreeMap::new();
    let name_of = |member: &str| {
        let member: MemberId = member.parse().ok()?;
        workspace?.members.get(&member).map(|m| m.name.clone())
    };
    let who = |actor: &automerge::ActorId| {
        workspace
            .and_then(|w| w.member_for_actor(actor).and_then(|id| w.members.get(&id)).map(|m| m.name.clone()))
            .unwrap_or_else(|| "someone".to_owned())
    };
    for found in &read.conflicts {
        conflicts.entry(found.control).or_default().push(conflict::ConflictView::new(found, name_of, who));
    }
    let evidence = &read.evidence;
    let rows = soa.rows.into_iter().map(|(control, row)| {
        let view = RowView {
            applicability: row.applicability,
            justification: row.justification.as_str().to_owned(),
            status: row.status,
            owner: row.owner,
            evidence: evidence.iter().filter(|(_, e)| e.control == control).cloned().collect(),
            risks: register
                .map(|r| {
                    r.risks
                        .iter()
                        .filter(|(_, risk)| risk.controls.get(&control).copied().unwrap_or(false))
                        .map(|(id, risk)| (*id, risk.title.clone()))
                        .collect()
                })
                .unwrap_or_default(),
            done: done.get(control.as_str()).copied().unwrap_or(false),
            conflicts: conflicts.remove(&control).unwrap_or_default(),
        };
        (control, view)
    });
    SoaView { rows: rows.collect(), progress }
}
