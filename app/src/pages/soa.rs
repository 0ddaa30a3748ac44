//! The Statement of Applicability (ISO/IEC 42001 6.1.3 d): the 38 Annex A controls grouped by
//! objective, each applicable or excluded with its justification and implementation status.
//! The rows are read from the SoA document on every change (here or from another browser);
//! every edit is a `shared::model` operation through the session.

mod conflict;
mod row;

use std::collections::BTreeMap;

use automerge::AutoCommit;
use leptos::prelude::*;
use leptos_router::components::A;
use quorum_shared::catalog;
use quorum_shared::model::{
    self, Applicability, ControlId, DocumentKind, ImplementationStatus, MemberId, StatementOfApplicability,
    Workspace,
};

use crate::session::{Session, Sessions};

#[component]
pub fn SoaPage() -> impl IntoView {
    let sessions = expect_context::<Sessions>();
    move || {
        match sessions.current.get() {
        Some(session) => view! { <SoaEditor session/> }.into_any(),
        None => view! {
            <section class="page empty-state">
                <h1>"No workspace yet"</h1>
                <p class="lede">"Create a workspace, or open the invite link someone sent you, to edit its Statement of Applicability."</p>
                <A href="/">"Create a workspace"</A>
            </section>
        }
        .into_any(),
    }
    }
}

/// What the page shows of one control's row: plain values, so views compare and copy them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowView {
    pub applicability: Applicability,
    pub justification: String,
    pub status: ImplementationStatus,
    /// Fields two people set at once, which the row asks someone to settle.
    pub conflicts: Vec<conflict::ConflictView>,
}

#[component]
fn SoaEditor(session: Session) -> impl IntoView {
    let soa_id = Memo::new(move |_| session.document_of(DocumentKind::StatementOfApplicability));
    let root = session.membership().root_id().to_owned();
    let workspace = Memo::new(move |_| session.read(&root, |doc| Workspace::load(doc).ok()).flatten());
    let rows = Memo::new(move |_| {
        let id = soa_id.get()?;
        workspace.with(|workspace| session.read(&id, |doc| rows_of(doc, workspace.as_ref())).flatten())
    });
    let loaded = Memo::new(move |_| rows.with(Option::is_some));
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
                catalog::objectives()
                    .iter()
                    .map(|objective| {
                        let heading = format!("soa-objective-{}", objective.id);
                        let doc_id = doc_id.clone();
                        view! {
                            <section class="control-group soa-group" aria-labelledby=heading.clone()>
                                <h2 id=heading.clone()>
                                    <span class="ref">{objective.id}</span>" "{objective.title}
                                </h2>
                                <ul class="controls">
                                    {catalog::controls_of(objective.id)
                                        .filter_map(|control| {
                                            let id: ControlId = control.id.parse().ok()?;
                                            let row = Memo::new(move |_| {
                                                rows.with(|rows| rows.as_ref().and_then(|r| r.get(&id).cloned()))
                                            });
                                            Some(view! {
                                                <row::SoaRowEditor session doc_id=doc_id.clone() control=id title=control.title row/>
                                            })
                                        })
                                        .collect_view()}
                                </ul>
                            </section>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </div>
    }
}

fn rows_of(doc: &AutoCommit, workspace: Option<&Workspace>) -> Option<BTreeMap<ControlId, RowView>> {
    let soa = StatementOfApplicability::load(doc).ok()?;
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
    for found in model::soa_conflicts(doc).unwrap_or_default() {
        conflicts.entry(found.control).or_default().push(conflict::ConflictView::new(&found, name_of, who));
    }
    let rows = soa.rows.into_iter().map(|(control, row)| {
        let view = RowView {
            applicability: row.applicability,
            justification: row.justification.as_str().to_owned(),
            status: row.status,
            conflicts: conflicts.remove(&control).unwrap_or_default(),
        };
        (control, view)
    });
    Some(rows.collect())
}
