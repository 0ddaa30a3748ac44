//! The history of the page's document, on every page of a workspace: a "History" button that
//! opens a panel of the document's changes in words (who, from which device, when), filtered
//! by member, record and dates; any change opens the document as it was after it, read-only,
//! in the page itself under a banner; a past point compares with now, field by field, and
//! brings back a value, a record or a text as a new change.
//!
//! ```ignore
//! let history = HistoryState::new(session);
//! view! {
//!     <HistoryBar history/>           // the button, and the banner while in the past
//!     <div class="workspace-body">
//!         <Outlet/>                   // built again when travel starts or ends
//!         <HistoryPanel history/>     // beside the page while open
//!     </div>
//! }
//! ```

#[cfg(target_arch = "wasm32")]
pub mod page;
pub mod words;

#[cfg(target_arch = "wasm32")]
mod compare;
#[cfg(target_arch = "wasm32")]
mod list;

#[cfg(target_arch = "wasm32")]
pub use bar::{CompareRange, HistoryBar, HistoryPanel, HistoryState};

#[cfg(target_arch = "wasm32")]
mod bar {
    use automerge::ChangeHash;
    use leptos::prelude::*;
    use leptos_router::hooks::use_location;
    use quorum_shared::model::{DocumentId, Workspace};

    use super::compare::CompareView;
    use super::list::HistoryList;
    use super::words::{PageDocument, moment, page_document};
    use crate::session::{Session, timezone_offset};
    use crate::split::{Lazy, split};

    // The list and the comparison (the diff, the words for every kind of change) arrive when
    // the panel first opens.
    split!(fn list(doc_id: String, on_compare: Callback<CompareRange>) in history =>
        view! { <HistoryList doc_id on_compare/> });
    split!(fn compare(doc_id: String, range: CompareRange, on_close: Callback<()>) in history =>
        view! { <CompareView doc_id range on_close/> });

    /// The page's document: its id and title, once the root lists it.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Shown {
        pub id: String,
        pub title: String,
    }

    /// The two points a comparison is between: a past point and a later one, or now.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CompareRange {
        pub from: Vec<ChangeHash>,
        /// `None` for now, which can be restored to the past point.
        pub to: Option<Vec<ChangeHash>>,
    }

    /// What the bar and the panel share: the page's document, whether the panel is open, and the
    /// past heads it compares with now, if it does.
    #[derive(Clone, Copy)]
    pub struct HistoryState {
        session: Session,
        shown: Memo<Option<Shown>>,
        pub open: RwSignal<bool>,
        comparing: RwSignal<Option<CompareRange>>,
    }

    impl HistoryState {
        /// Must be called under the router, whose address names the page.
        pub fn new(session: Session) -> Self {
            let location = use_location();
            let root = session.membership().root_id().to_owned();
            let shown = Memo::new(move |_| {
                let page = location.pathname.with(|path| page_document(path))?;
                let (id, title) = session
                    .read(&root, |doc| {
                        let workspace = Workspace::load(doc).ok()?;
                        match page {
                            PageDocument::Root => Some((root.clone(), "Workspace".to_owned())),
                            PageDocument::Kind(kind) => workspace
                                .documents_of(kind)
                                .next()
                                .map(|(id, entry)| (id.to_string(), entry.title.clone())),
                            // Through the one parser of document ids; an address that names none
                            // has no history.
                            PageDocument::Named(id) => {
                                let entry = workspace.documents.get(&id.parse::<DocumentId>().ok()?)?;
                                Some((id, entry.title.clone()))
                            }
                        }
                    })
                    .flatten()?;
                Some(Shown { id, title })
            });
            let state = Self { session, shown, open: RwSignal::new(false), comparing: RwSignal::new(None) };
            // Another page, another document: back to the present, and the panel starts over.
            Effect::new(move |previous: Option<Option<String>>| {
                let id = shown.with(|s| s.as_ref().map(|s| s.id.clone()));
                if previous.is_some_and(|p| p != id) {
                    session.back_to_now();
                    state.comparing.set(None);
                }
                id
            });
            on_cleanup(move || session.back_to_now());
            state
        }

        /// Opens the panel on what changed from `from` (an approved version's heads) until now.
        pub fn compare_with_now(&self, from: Vec<ChangeHash>) {
            self.comparing.set(Some(CompareRange { from, to: None }));
            self.open.set(true);
        }

        fn title(&self) -> String {
            self.shown.with(|s| s.as_ref().map(|s| s.title.clone())).unwrap_or_default()
        }
    }

    /// The page's "History" button, and the banner while the page shows a past version.
    #[component]
    pub fn HistoryBar(history: HistoryState) -> impl IntoView {
        let HistoryState { session, shown, open, comparing } = history;
        let banner = move || {
            let as_of = session.as_of.get()?;
            let heads = as_of.heads.clone();
            Some(view! {
                <div class="time-travel-banner" role="status">
                    <p>
                        <strong>{format!("{} as of {}", history.title(), moment(as_of.time_ms, timezone_offset()))}</strong>
                        {format!(", after {}'s change. This is a past version: it cannot be changed. Other registers show as they are now.", as_of.who)}
                    </p>
                    <button type="button" class="button-quiet" id="history-compare-now"
                        on:click=move |_| { comparing.set(Some(CompareRange { from: heads.clone(), to: None })); open.set(true); }>
                        "Compare with now"
                    </button>
                    <button type="button" class="button" id="history-back-to-now"
                        on:click=move |_| { session.back_to_now(); comparing.set(None); }>
                        "Back to now"
                    </button>
                </div>
            })
        };
        view! {
            <Show when=move || shown.with(Option::is_some)>
                <div class="history-bar">
                    <button type="button" class="button-quiet history-toggle" id="history-toggle"
                        aria-expanded=move || open.get().to_string() aria-controls="history-panel"
                        on:click=move |_| open.update(|o| *o = !*o)>
                        {move || if open.get() { "Close history" } else { "History" }}
                    </button>
                </div>
            </Show>
            {banner}
        }
    }

    /// The panel beside the page: the list of changes, or the comparison of a past point with now.
    #[component]
    pub fn HistoryPanel(history: HistoryState) -> impl IntoView {
        let HistoryState { shown, open, comparing, .. } = history;
        move || {
            let shown = shown.get().filter(|_| open.get())?;
            let title = shown.title.clone();
            Some(view! {
                <aside class="history-panel" id="history-panel" aria-label=format!("History of {title}")>
                    <header class="history-panel-head">
                        <h2>{format!("History of {title}")}</h2>
                        <button type="button" class="button-quiet" aria-label="Close history"
                            on:click=move |_| open.set(false)>"×"</button>
                    </header>
                    {move || {
                        let doc_id = shown.id.clone();
                        match comparing.get() {
                            Some(range) => {
                                let on_close = Callback::new(move |()| comparing.set(None));
                                view! { <Lazy load=move || compare(doc_id.clone(), range.clone(), on_close)/> }.into_any()
                            }
                            None => {
                                let on_compare = Callback::new(move |range| comparing.set(Some(range)));
                                view! { <Lazy load=move || list(doc_id.clone(), on_compare)/> }.into_any()
                            }
                        }
                    }}
                </aside>
            })
        }
    }
}
