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
use quorum_shared::model::{DocumentKind, Inventory, SystemId};

use crate::components::listed_document::ListedDocumentPage;
use crate::session::Session;

#[component]
pub fn ImpactPage() -> impl IntoView {
    let session = expect_context::<Session>();
    view! { <list::AssessmentList session/> }
}

#[component]
pub fn AssessmentPage() -> impl IntoView {
    view! {
        <ListedDocumentPage kind=DocumentKind::ImpactAssessment param="assessment" class="impact"
            noun="impact assessment" back=("/impact", "See all impact assessments")
            children=|session, doc_id| view! { <assessment::AssessmentEditor session doc_id/> }/>
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
