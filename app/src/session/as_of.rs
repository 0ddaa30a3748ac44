//! Time travel: one document shown as it was after a past change, read-only, by the page that
//! normally edits it. While a session is "as of" a change, [`Session::read`] and
//! [`Session::read_history`] hand that document's views a copy of it at the change's heads,
//! every edit is refused with [`ModelError::PastVersion`], and [`Session::can_edit`] says no,
//! so the page shows every field read-only. The history panel reads the present through
//! [`Session::read_log`] whatever the page shows.

use automerge::{AutoCommit, Automerge, ChangeHash};
use leptos::prelude::*;
use quorum_shared::model::ModelError;

use super::Session;

/// The past point a session shows one document at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AsOf {
    pub doc_id: String,
    /// The document's heads at that point: the change itself, with everything it depended on.
    pub heads: Vec<ChangeHash>,
    /// When the change was made, and by whom, for the banner.
    pub time_ms: i64,
    pub who: String,
}

/// The document as it was, kept beside the live one while the session shows it.
pub(crate) struct Past {
    pub(super) doc_id: String,
    pub(super) doc: AutoCommit,
}

impl Session {
    /// Shows `doc_id` as it was at `as_of.heads`, in place of the present, until
    /// [`Session::back_to_now`]. Refused for a document this browser has not open, or heads it
    /// does not have.
    pub fn travel(&self, as_of: AsOf) -> Result<(), ModelError> {
        let inner = self.inner.get_value();
        let past = {
            let mut client = inner.client.borrow_mut();
            let doc = client
                .doc_mut(&as_of.doc_id)
                .ok_or_else(|| ModelError::NotFound { what: "document", id: as_of.doc_id.clone() })?;
            for hash in &as_of.heads {
                if doc.document().get_change_meta_by_hash(hash).is_none() {
                    return Err(ModelError::NotFound { what: "change", id: hash.to_string() });
                }
            }
            doc.fork_at(&as_of.heads)?
        };
        *inner.past.borrow_mut() = Some(Past { doc_id: as_of.doc_id.clone(), doc: past });
        self.as_of.set(Some(as_of));
        Ok(())
    }

    /// Back to the present of every document.
    pub fn back_to_now(&self) {
        if self.as_of.get_untracked().is_some() {
            self.inner.get_value().past.borrow_mut().take();
            self.as_of.set(None);
        }
    }

    /// Reads the present change graph of an open document, whatever version the page shows; the
    /// calling view re-runs whenever the document changes.
    pub fn read_log<T>(&self, doc_id: &str, read: impl FnOnce(&Automerge) -> T) -> Option<T> {
        let inner = self.inner.get_value();
        inner.version(doc_id).track();
        match inner.client.try_borrow_mut() {
            Ok(mut client) => client.doc_mut(doc_id).map(|doc| read(doc.document())),
            // A read further up the stack holds the documents: read a copy.
            Err(_) => inner.client.borrow().doc(doc_id).map(|doc| read(doc.clone().document())),
        }
    }

    /// Whether the session shows `doc_id` as it was; tracked, so that every view reading the
    /// document reads again when travel starts or ends.
    pub(super) fn shows_past(&self, doc_id: &str) -> bool {
        self.as_of.with(|as_of| as_of.as_ref().is_some_and(|as_of| as_of.doc_id == doc_id))
    }

    /// Whether the session shows a past version of any document.
    pub fn is_in_past(&self) -> bool {
        self.as_of.with(Option::is_some)
    }
}
