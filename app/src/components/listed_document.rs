//! The frame of a page that edits one document of a kind a workspace has many of (an impact
//! assessment, an internal audit, a management review), named by a parameter of the route, inside
//! the workspace frame: "loading" until the root is here, a clear "no such ..." for an
//! address the workspace does not list, then the page itself.
//!
//! ```ignore
//! view! {
//!     <ListedDocumentPage kind=DocumentKind::Audit param="audit" class="audits audit-page"
//!         noun="internal audit" back=("/audits", "See the audit programme")
//!         children=|session, doc_id| view! { <AuditEditor session doc_id/> }/>
//! }
//! ```

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use quorum_shared::model::{DocumentKind, Workspace};

use crate::session::Session;

#[component]
pub fn ListedDocumentPage<F, V>(
    kind: DocumentKind,
    /// The route's parameter that holds the document id.
    param: &'static str,
    /// The classes of the page's outer element.
    class: &'static str,
    /// The document as a person calls it, such as "internal audit".
    noun: &'static str,
    /// Where the list of such documents is, and the link's words.
    back: (&'static str, &'static str),
    /// The page, given the session and the document id; called again when either changes.
    children: F,
) -> impl IntoView
where
    F: Fn(Session, String) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let session = expect_context::<Session>();
    let params = use_params_map();
    let doc_id = Memo::new(move |_| params.read().get(param).unwrap_or_default());
    move || {
        let doc_id = doc_id.get();
        let root_id = session.membership().root_id().to_owned();
        // Whether the root lists the document as one of this kind; none until the root is here.
        let id = doc_id.clone();
        let listed = Memo::new(move |_| {
            let id = id.clone();
            session
                .read(&root_id, move |doc| {
                    let workspace = Workspace::load(doc).ok()?;
                    Some(workspace.documents_of(kind).any(|(listed, _)| listed.to_string() == id))
                })
                .flatten()
        });
        let children = children.clone();
        view! {
            <div class=format!("page {class}")>
                {move || match listed.get() {
                    None => view! { <p class="muted" role="status">"Loading the workspace…"</p> }.into_any(),
                    Some(false) => view! {
                        <section class="empty-state">
                            <h1>{format!("No such {noun}")}</h1>
                            <p class="lede">
                                {format!("This workspace lists no {noun} at this address. It may have been removed, or the link is incomplete.")}
                            </p>
                            <A href=back.0>{back.1}</A>
                        </section>
                    }
                    .into_any(),
                    Some(true) => children(session, doc_id.clone()).into_any(),
                }}
            </div>
        }
        .into_any()
    }
}
