//! AI system impact assessments (ISO/IEC 42001 6.1.4, 8.4 and A.5): one document per AI system
//! or use, structured like ISO/IEC 42005 clause 6. `/impact` lists them and starts new ones;
//! `/impact/:assessment` (the document id) edits one, section by section, through review to
//! approval. Every edit is one `shared::model` operation through the session, and everything
//! re-reads the documents on every change, here or from another browser.

mod approval;
mod assessment;
mod impacts;
mod list;
mod section;
mod state;

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use quorum_shared::model::{DocumentKind, Inventory, SystemId, Workspace};

use crate::session::{Session, Sessions};

#[component]
pub fn ImpactPage() -> impl IntoView {
    let sessions = expect_context::<Sessions>();
    move || match sessions.current.get() {
        Some(session) => view! { <list::AssessmentList session/> }.into_any(),
        None => no_workspace().into_any(),
    }
}

#[component]
pub fn AssessmentPage() -> impl IntoView {
    let sessions = expect_context::<Sessions>();
    let params = use_params_map();
    let doc_id = Memo::new(move |_| params.read().get("assessment").unwrap_or_default());
    move || {
        let Some(session) = sessions.current.get() else { return no_workspace().into_any() };
        let doc_id = doc_id.get();
        let root_id = session.membership().root_id().to_owned();
        // Whether the root lists the document as an assessment; none until the root is here.
        let id = doc_id.clone();
        let listed = Memo::new(move |_| {
            let id = id.clone();
            session
                .read(&root_id, move |doc| {
                    let workspace = Workspace::load(doc).ok()?;
                    Some(
                        workspace
                            .documents_of(DocumentKind::ImpactAssessment)
                            .any(|(listed, _)| listed.to_string() == id),
                    )
                })
                .flatten()
        });
        view! {
            <div class="page impact">
                {move || match listed.get() {
                    None => view! { <p class="muted" role="status">"Loading the workspace…"</p> }.into_any(),
                    Some(false) => view! {
                        <section class="empty-state">
                            <h1>"No such impact assessment"</h1>
                            <p class="lede">"This workspace lists no assessment at this address. It may have been removed, or the link is incomplete."</p>
                            <A href="/impact">"See all impact assessments"</A>
                        </section>
                    }
                    .into_any(),
                    Some(true) => view! { <assessment::AssessmentEditor session doc_id=doc_id.clone()/> }.into_any(),
                }}
            </div>
        }
        .into_any()
    }
}

fn no_workspace() -> impl IntoView {
    view! {
        <section class="page empty-state">
            <h1>"No workspace yet"</h1>
            <p class="lede">"Create a workspace, or open the invite link someone sent you, to assess the impacts of your AI systems."</p>
            <A href="/">"Create a workspace"</A>
        </section>
    }
}

/// The inventory's AI systems by id, with their names, for choosing what an assessment covers.
fn systems_of(session: Session) -> BTreeMap<SystemId, String> {
    let Some(inventory) = session.document_of(DocumentKind::Inventory) else { return BTreeMap::new() };
    let Some(inventory) = session.read(&inventory, |doc| Inventory::load(doc).ok()).flatten() else {
        return BTreeMap::new();
    };
    inventory
        .systems
        .into_iter()
        .map(|(id, system)| {
            let name = if system.name.trim().is_empty() { "Unnamed AI system".into() } else { system.name };
            (id, name)
        })
        .collect()
}
