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
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use quorum_shared::model::{DocumentId, DocumentKind, ManagementReview, Workspace};

use crate::session::{Session, Sessions};

#[component]
pub fn ReviewsPage() -> impl IntoView {
    let sessions = expect_context::<Sessions>();
    move || match sessions.current.get() {
        Some(session) => view! { <list::ReviewList session/> }.into_any(),
        None => no_workspace().into_any(),
    }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    let sessions = expect_context::<Sessions>();
    let params = use_params_map();
    let doc_id = Memo::new(move |_| params.read().get("review").unwrap_or_default());
    move || {
        let Some(session) = sessions.current.get() else { return no_workspace().into_any() };
        let doc_id = doc_id.get();
        let id = doc_id.clone();
        let listed = Memo::new(move |_| {
            let id = id.clone();
            let root = session.membership().root_id().to_owned();
            session
                .read(&root, move |doc| {
                    let workspace = Workspace::load(doc).ok()?;
                    Some(
                        workspace
                            .documents_of(DocumentKind::ManagementReview)
                            .any(|(d, _)| d.to_string() == id),
                    )
                })
                .flatten()
        });
        view! {
            <div class="page review">
                {move || match listed.get() {
                    None => view! { <p class="muted" role="status">"Loading the workspace…"</p> }.into_any(),
                    Some(false) => view! {
                        <section class="empty-state">
                            <h1>"No such management review"</h1>
                            <p class="lede">"This workspace lists no review at this address. It may have been removed, or the link is incomplete."</p>
                            <A href="/reviews">"See all management reviews"</A>
                        </section>
                    }
                    .into_any(),
                    Some(true) => view! { <review::ReviewEditor session doc_id=doc_id.clone()/> }.into_any(),
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
            <p class="lede">"Create a workspace, or open the invite link someone sent you, to hold its management reviews."</p>
            <A href="/">"Create a workspace"</A>
        </section>
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
