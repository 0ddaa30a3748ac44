//! Documented information (ISO/IEC 42001 7.5): one register of every controlled document. The
//! workspace's own artifacts (every document the root lists) appear by themselves, with their
//! current version and approval read from the artifact; their owner, approval, review date,
//! location and retention are recorded here. External documents are added by hand. Flags (review
//! overdue, no owner, not approved) come from `model::document_rows`, counted at the top.

mod artifact;
mod external;
mod facts;

use leptos::prelude::*;
use quorum_shared::model::{
    self, DocumentFlag, DocumentKind, DocumentRows, DocumentedInformation, DocumentedInformationRegister,
    RowSource, Workspace,
};

use crate::components::add_record::AddRecord;
use crate::components::owner;
use crate::components::register_page::RegisterPage;
use crate::session::Session;

#[component]
pub fn DocumentedPage() -> impl IntoView {
    view! {
        <RegisterPage kind=DocumentKind::DocumentedInformation title="Documented information" noun="documented information register"
            children=|session, doc_id| view! { <Register session doc_id/> }/>
    }
}

#[component]
fn Register(session: Session, doc_id: StoredValue<String>) -> impl IntoView {
    let register = Memo::new(move |_| {
        doc_id
            .with_value(|id| session.read(id, |doc| DocumentedInformationRegister::load(doc).ok()))
            .flatten()
    });
    let root = session.membership().root_id().to_owned();
    let documents = Memo::new(move |_| {
        session
            .read(&root, |doc| Workspace::load(doc).ok().map(|w| w.documents))
            .flatten()
            .unwrap_or_default()
    });
    let offset = crate::session::timezone_offset();
    let facts = facts::facts(session, documents, offset);
    let today = crate::session::today();
    let rows = Memo::new(move |_| {
        register.with(|register| {
            register.as_ref().map(|register| {
                documents.with(|documents| {
                    facts.with(|facts| model::document_rows(documents, register, facts, Some(today)))
                })
            })
        })
    });
    let artifacts = Memo::new(move |_| {
        sources(rows, |source| match source {
            RowSource::Artifact { id, .. } => Some(id),
            RowSource::External(_) => None,
        })
    });
    let external = Memo::new(move |_| {
        sources(rows, |source| match source {
            RowSource::External(id) => Some(id),
            RowSource::Artifact { .. } => None,
        })
    });
    let members = owner::members(session);
    view! {
        <div class="page documented">
            <h1>"Documented information"</h1>
            <p class="lede">
                "Every document the management system relies on: who owns it, who approved it, when it is next reviewed, where it is kept and for how long. The workspace's own documents are listed by themselves; add the others by hand. Changes are saved as you make them."
            </p>
            {move || match rows.get() {
                None => view! { <p class="muted" role="status">"Loading the register…"</p> }.into_any(),
                Some(all) => view! { <Counts rows=all/> }.into_any(),
            }}
            <h2>"The workspace's documents"</h2>
            <Show when=move || artifacts.with(Vec::is_empty)>
                <p class="empty card" data-empty="artifacts">"The workspace lists no documents yet."</p>
            </Show>
            <ul class="register document-list" data-list="artifacts">
                <For
                    each=move || artifacts.get()
                    key=|id| *id
                    children=move |id| view! { <artifact::ArtifactCard session doc_id id rows members documents/> }
                />
            </ul>
            <h2>"Other documents"</h2>
            <Show when=move || external.with(Vec::is_empty)>
                <p class="empty card" data-empty="external">
                    "No other documents yet. Add those kept outside this workspace that the management system relies on, such as a supplier's model card or the data protection procedure."
                </p>
            </Show>
            <ul class="register document-list" data-list="external">
                <For
                    each=move || external.get()
                    key=|id| *id
                    children=move |id| view! { <external::ExternalCard session doc_id id rows register members/> }
                />
            </ul>
            <Show when=move || session.can_edit()>
                <AddRecord session doc_id input_id="documented-new-title" error_id="documented-new-error"
                    label="New document" button="Add document"
                    empty="Write the document's title first, such as “Supplier model card”."
                    make=|title| DocumentedInformation { title, ..DocumentedInformation::default() }/>
            </Show>
        </div>
    }
}

/// The ids of the rows `pick` takes, in the rows' order.
fn sources<T>(rows: Memo<Option<DocumentRows>>, pick: impl Fn(RowSource) -> Option<T>) -> Vec<T> {
    rows.with(|rows| rows.as_ref().map(|r| r.rows.iter().filter_map(|row| pick(row.source)).collect()))
        .unwrap_or_default()
}

/// The totals at the top: how many documents, and how many carry each flag.
#[component]
fn Counts(rows: DocumentRows) -> impl IntoView {
    let total = rows.rows.len();
    let count = |flag: DocumentFlag| {
        let n = rows.count(flag);
        let class = if n > 0 { "document-count flagged" } else { "document-count" };
        view! {
            <li class=class data-flag=flag.as_token() data-count=n.to_string()>
                <span class="count-number">{n}</span>
                <span class="count-label">{flag.label()}</span>
            </li>
        }
    };
    view! {
        <ul class="document-counts" aria-label="Register totals">
            <li class="document-count" data-flag="total" data-count=total.to_string()>
                <span class="count-number">{total}</span>
                <span class="count-label">{if total == 1 { "Document" } else { "Documents" }}</span>
            </li>
            {count(DocumentFlag::OverdueReview)}
            {count(DocumentFlag::NoOwner)}
            {count(DocumentFlag::NoApproval)}
        </ul>
    }
}

/// The flags of one row, as words in colour; "In order" when there are none.
#[component]
fn Flags(#[prop(into)] flags: Signal<Vec<DocumentFlag>>) -> impl IntoView {
    view! {
        <p class="document-flags" data-flags=move || flags.with(|f| f.iter().map(|f| f.as_token()).collect::<Vec<_>>().join(" "))>
            {move || {
                let flags = flags.get();
                if flags.is_empty() {
                    return view! { <span class="document-flag ok">"In order"</span> }.into_any();
                }
                flags
                    .into_iter()
                    .map(|flag| view! { <span class=format!("document-flag {}", flag.as_token())>{flag.label()}</span> })
                    .collect_view()
                    .into_any()
            }}
        </p>
    }
}

/// A date field's text as a date, or the reason it is not one.
fn parse_date(text: &str) -> Result<Option<model::Date>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| "That is not a real date: pick one from the calendar.".to_owned())
}

/// A date as a date input's value ("" for none).
fn date_text(date: Option<model::Date>) -> String {
    date.map(|d| d.to_string()).unwrap_or_default()
}
