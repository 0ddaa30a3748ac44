//! Management reviews (ISO/IEC 42001 9.3), one document per review. `/reviews` lists them,
//! newest first, and holds a new one; `/reviews/:review` (the document id) is one review: when
//! and with whom it was held, its agenda of inputs (each with a live summary of the workspace's
//! own records and the committee's notes; the first also lists the open actions of earlier
//! reviews, marked done in their own documents), its decisions and actions, and the approval of
//! its minutes, bound to the document's heads.

mod actions;
mod agenda;
mod approval;
mod list;
mod review;

use leptos::prelude::*;
use quorum_shared::model::{DocumentId, DocumentKind, ManagementReview, Workspace};

use crate::components::listed_document::ListedDocumentPage;
use crate::session::Session;

#[component]
pub fn ReviewsPage() -> impl IntoView {
    let session = expect_context::<Session>();
    view! { <list::ReviewList session/> }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    view! {
        <ListedDocumentPage kind=DocumentKind::ManagementReview param="review" class="review"
            noun="management review" back=("/reviews", "See all management reviews")
            children=|session, doc_id| view! { <review::ReviewEditor session doc_id/> }/>
    }
}

/// Every review of the workspace this browser has open, with its document id and the time the
/// root says it was made.
pub(crate) fn all_reviews(session: Session) -> Vec<(DocumentId, i64, String, Option<ManagementReview>)> {
    let root = session.membership().root_id().to_owned();
    let entries: Vec<(DocumentId, i64, String)> = session
        .read(&root, |doc| {
            Workspace::load(doc).ok().map(|w| {
                w.documents_of(DocumentKind::ManagementReview)
                    .map(|(id, entry)| (*id, entry.created_at_ms, entry.title.clone()))
                    .collect()
            })
        })
        .flatten()
        .unwrap_or_default();
    entries
        .into_iter()
        .map(|(id, created, title)| {
            let review = session.read(&id.to_string(), |doc| ManagementReview::load(doc).ok()).flatten();
            (id, created, title, review)
        })
        .collect()
}
