//! The frame of a page that edits one of the workspace's single documents (support, monitoring,
//! the audit programme...), inside the workspace frame: a way to start the document in a
//! workspace made before it existed, a calm "loading" until it opens, then the page itself.
//!
//! ```ignore
//! view! {
//!     <RegisterPage kind=DocumentKind::Monitoring title="Monitoring and measurement"
//!         noun="monitoring register" children=|session, doc_id| view! { <Indicators session doc_id/> }/>
//! }
//! ```

use leptos::prelude::*;
use quorum_shared::model::DocumentKind;

use crate::explain::explain;
use crate::session::Session;

#[component]
pub fn RegisterPage<F, V>(
    kind: DocumentKind,
    /// The page's heading.
    title: &'static str,
    /// The document as a person calls it, such as "audit programme".
    noun: &'static str,
    /// The page, given the open document's id; called again only when that id changes.
    children: F,
) -> impl IntoView
where
    F: Fn(Session, StoredValue<String>) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let session = expect_context::<Session>();
    let doc_id = Memo::new(move |_| session.document_of(kind));
    let loaded = Memo::new(move |_| doc_id.get().is_some_and(|id| session.read(&id, |_| ()).is_some()));
    let error = RwSignal::new(None::<String>);
    let start = move |_| match session.start_document(kind) {
        Ok(_) => error.set(None),
        Err(e) => error.set(Some(explain(&e))),
    };
    move || {
        if let Some(id) = doc_id.get().filter(|_| loaded.get()) {
            return children(session, StoredValue::new(id)).into_any();
        }
        let waiting = doc_id.get().is_some() || !session.opened.get();
        view! {
            <section class="page">
                <h1>{title}</h1>
                {if waiting {
                    view! { <p class="muted" role="status">"Loading the "{noun}"…"</p> }.into_any()
                } else if session.can_edit() {
                    view! {
                        <div class="card empty" data-empty="document">
                            <p>"This workspace has no "{noun}" yet. Start it, and everyone in the workspace will see it."</p>
                            <button type="button" class="button start-document" on:click=start>
                                {format!("Start the {noun}")}
                            </button>
                            <p class="field-error" role="alert">{move || error.get()}</p>
                        </div>
                    }
                    .into_any()
                } else {
                    view! {
                        <p class="card empty" data-empty="document">
                            "Nobody has started the "{noun}" yet; an owner or an editor of the workspace can."
                        </p>
                    }
                    .into_any()
                }}
            </section>
        }
        .into_any()
    }
}
