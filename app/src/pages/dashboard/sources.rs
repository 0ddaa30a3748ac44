//! Reads what the dashboard needs from the session's documents: the [`Evidence`] readiness is
//! assessed on, and the documents' latest changes. Each document is read by a memo of its own,
//! which re-runs only when that document changes: with fifty documents, re-reading all of them
//! on every change (as one memo over the workspace did) made one remote edit cost tens of
//! milliseconds and opening a workspace quadratic in its documents.

use std::cell::RefCell;
use std::collections::HashMap;

use leptos::prelude::*;
use quorum_shared::model::{self, ArtifactFacts, HistoryEntry, Workspace};
use quorum_shared::readiness::{Evidence, Piece};

use crate::components::recent_changes::{self, ChangeLine};
use crate::session::Session;
use crate::timings;

/// One memo per document id, made under the dashboard's owner so that the memos live as long as
/// the page, not as one run of the memo that asks for them.
struct PerDocument<T: Send + Sync + 'static> {
    owner: Owner,
    memos: RefCell<HashMap<String, Memo<T>>>,
}

impl<T: Clone + PartialEq + Send + Sync + 'static> PerDocument<T> {
    fn new() -> Self {
        Self { owner: Owner::current().unwrap_or_default(), memos: RefCell::default() }
    }

    /// The memo of `doc_id`, made with `read` the first time it is asked for.
    fn memo(&self, doc_id: &str, read: impl Fn() -> T + Send + Sync + 'static) -> Memo<T> {
        let mut memos = self.memos.borrow_mut();
        if let Some(memo) = memos.get(doc_id) {
            return *memo;
        }
        let memo = self.owner.with(|| Memo::new(move |_| read()));
        memos.insert(doc_id.to_owned(), memo);
        memo
    }
}

/// The [`Evidence`] of the workspace's documents, each read by a memo of its own.
pub struct Pieces {
    session: Session,
    memos: PerDocument<Piece>,
}

impl Pieces {
    pub fn new(session: Session) -> Self {
        Self { session, memos: PerDocument::new() }
    }

    /// The evidence of every document the root lists and this browser has open. A document that
    /// is not open yet, or does not load as its kind, counts as not written: readiness is then
    /// lower, never wrong in the other direction.
    pub fn evidence(&self, workspace: &Workspace) -> Evidence {
        let mut evidence = Evidence {
            workspace: Some(workspace.clone()),
            today: Some(crate::session::today()),
            ..Evidence::default()
        };
        for (id, entry) in &workspace.documents {
            let (session, kind, doc_id) = (self.session, entry.kind, id.to_string());
            let memo = self.memos.memo(&doc_id.clone(), move || {
                session
                    .read(&doc_id, |doc| timings::measure(timings::VIEW_READ, || Piece::load(kind, doc)))
                    .unwrap_or(Piece::Nothing)
            });
            memo.with(|piece| {
                if let Some(own_approval) = piece.own_approval() {
                    let facts = ArtifactFacts { own_approval: Some(own_approval), ..Default::default() };
                    evidence.artifact_facts.insert(*id, facts);
                }
                piece.clone().add_to(&mut evidence)
            });
        }
        evidence
    }
}

/// The latest changes of each document, one memo per document, so that a change re-reads the
/// history of the document it changed and not of all fifty: reading a history copies the
/// document and walks every change of it.
pub struct Histories {
    session: Session,
    limit: usize,
    memos: PerDocument<Vec<HistoryEntry>>,
}

impl Histories {
    pub fn new(session: Session, limit: usize) -> Self {
        Self { session, limit, memos: PerDocument::new() }
    }

    /// The `limit` latest changes across the root and every document it lists.
    pub fn recent(&self, root_id: &str, workspace: Option<&Workspace>) -> Vec<ChangeLine> {
        let mut documents = vec![(root_id.to_owned(), "Workspace".to_owned())];
        if let Some(workspace) = workspace {
            documents
                .extend(workspace.documents.iter().map(|(id, entry)| (id.to_string(), entry.title.clone())));
        }
        let histories = documents.into_iter().map(|(id, title)| (title, self.memo(&id).get())).collect();
        recent_changes::latest(histories, workspace, self.limit)
    }

    fn memo(&self, doc_id: &str) -> Memo<Vec<HistoryEntry>> {
        let (session, limit, id) = (self.session, self.limit, doc_id.to_owned());
        // A document not open yet has no history here; its memo re-runs when it opens. Only the
        // `limit` latest changes are read (see [`model::latest_history`]), where walking every
        // change's metadata cost a third of a millisecond per document of 400 changes.
        self.memos.memo(doc_id, move || {
            session
                .read_history(&id, |doc| {
                    timings::measure(timings::VIEW_READ, || model::latest_history(doc, limit))
                })
                .unwrap_or_default()
        })
    }
}
