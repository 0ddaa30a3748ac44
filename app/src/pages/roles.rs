//! Roles and responsibilities (ISO/IEC 42001 5.3, A.3): a RACI matrix of the AIMS processes
//! against the workspace's members, with the model's rule (one accountable member per process)
//! shown on each row, and the channel for reporting concerns (A.3.3). Everything is read from the
//! roles document on every change; every edit is one `shared::model` operation through the
//! session.

mod concerns;
mod grid;
mod raci;

use std::collections::BTreeMap;

use leptos::prelude::*;
use quorum_shared::model::{DocumentKind, Roles, Workspace};

use crate::session::Session;
pub use raci::{Column, ProcessView, RolesView};

#[component]
pub fn RolesPage() -> impl IntoView {
    let session = expect_context::<Session>();
    view! { <RolesEditor session/> }
}

#[component]
fn RolesEditor(session: Session) -> impl IntoView {
    let roles_id = Memo::new(move |_| session.document_of(DocumentKind::Roles));
    let root_id = session.membership().root_id().to_owned();
    let members = Memo::new(move |_| {
        session
            .read(&root_id, |doc| {
                let workspace = Workspace::load(doc).ok()?;
                Some(workspace.members.into_iter().map(|(id, m)| (id, m.name)).collect::<BTreeMap<_, _>>())
            })
            .flatten()
    });
    let roles = Memo::new(move |_| {
        let id = roles_id.get()?;
        session.read(&id, |doc| Roles::load(doc).ok().map(|roles| RolesView::new(&roles))).flatten()
    });
    let loaded = Memo::new(move |_| roles.with(Option::is_some) && members.with(Option::is_some));

    view! {
        <div class="page roles">
            <h1>"Roles and responsibilities"</h1>
            <p class="lede">
                "Who is responsible, accountable, consulted and informed for each process of the AI management system, and how anyone can raise a concern. "
                "Changes are saved as you make them."
            </p>
            {move || {
                let Some(doc_id) = roles_id.get().filter(|_| loaded.get()) else {
                    return view! { <p class="muted" role="status">"Loading roles and responsibilities…"</p> }.into_any();
                };
                let doc_id = StoredValue::new(doc_id);
                let members = Memo::new(move |_| members.get().unwrap_or_default());
                view! {
                    <grid::RaciGrid session doc_id roles members/>
                    <concerns::ConcernReporting session doc_id roles/>
                }
                .into_any()
            }}
        </div>
    }
}
