//! The context of the organization (ISO/IEC 42001 4.1 to 4.3): the internal and external
//! issues, the interested parties with their requirements, and the scope of the AIMS with its
//! boundaries. The context document is read once here, on every change (here or from another
//! browser); each section edits it through `shared::model` operations.

mod issues;
mod parties;
mod scope;

use leptos::prelude::*;
use quorum_shared::model::{Context, DocumentKind, Rank};

use crate::session::Session;

#[component]
pub fn ContextPage() -> impl IntoView {
    let session = expect_context::<Session>();
    view! { <ContextEditor session/> }
}

#[component]
fn ContextEditor(session: Session) -> impl IntoView {
    let doc_id = Memo::new(move |_| session.document_of(DocumentKind::Context));
    let context = Memo::new(move |_| {
        doc_id.get().and_then(|id| session.read(&id, |doc| Context::load(doc).ok()).flatten())
    });
    let loaded = Memo::new(move |_| context.with(Option::is_some));
    view! {
        <div class="page context">
            <h1>"Context of the organization"</h1>
            <p class="lede">
                "What shapes your AI management system: the issues around it, the people and bodies with a stake in it, and where its boundaries lie. Changes are saved as you make them."
            </p>
            {move || {
                let Some(doc_id) = doc_id.get().filter(|_| loaded.get()) else {
                    return view! { <p class="muted" role="status">"Loading the context…"</p> }.into_any();
                };
                view! {
                    <issues::Issues session doc_id=doc_id.clone() context/>
                    <parties::Parties session doc_id=doc_id.clone() context/>
                    <scope::Scope session doc_id context/>
                }
                .into_any()
            }}
        </div>
    }
}

/// The ids of a register's records in their rank order.
fn ordered<I: Copy + Ord, R>(
    records: &std::collections::BTreeMap<I, R>,
    rank: impl Fn(&R) -> &Rank,
) -> Vec<I> {
    let mut ids: Vec<(&Rank, I)> = records.iter().map(|(id, record)| (rank(record), *id)).collect();
    quorum_shared::order::sort(&mut ids);
    ids.into_iter().map(|(_, id)| id).collect()
}
