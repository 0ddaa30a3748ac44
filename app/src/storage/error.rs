//! What can go wrong when the browser stores Quorum's documents, told so that a person knows what
//! to do next. IndexedDB reports its failures as `DOMException` names; [`StorageError::from_rexie`]
//! turns the ones a person can act on into their own variants.

use thiserror::Error;
use wasm_bindgen::JsCast as _;

/// A failure of the browser's storage, worded for the person using Quorum.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// IndexedDB is missing or refused, as in some private windows.
    #[error(
        "this browser does not let Quorum store data (IndexedDB is unavailable, as in some private \
         windows); open Quorum in a normal window to keep your work on this device"
    )]
    Unavailable,
    /// The origin's storage quota or the disk is full.
    #[error(
        "the browser has no room left to save document {doc_id}; free some disk space or delete \
         documents you no longer need from this browser, then edit again to save"
    )]
    QuotaExceeded { doc_id: String },
    /// Another tab holds an older version of the database open and does not let go of it.
    #[error(
        "another Quorum tab holds an older version of this browser's Quorum data open; close or \
         reload the other Quorum tabs, then reload this one"
    )]
    Blocked,
    /// The database was upgraded by a newer Quorum, which this (older) page cannot read.
    #[error(
        "this browser's Quorum data was upgraded by a newer version of Quorum; reload the page \
         to get that version"
    )]
    NewerVersion,
    /// One stored chunk of a document cannot be read; it was skipped and left as it is.
    #[error(
        "a saved part of document {doc_id} is unreadable and was skipped ({key}: {reason}); the \
         rest of the document loaded, and syncing with others can bring back what is missing"
    )]
    CorruptEntry { doc_id: String, key: String, reason: String },
    /// The browser rolled a write back without saying why.
    #[error(
        "the browser cancelled saving document {doc_id}, so the last edits are not stored yet; \
         edit again to retry, and reload the page if this repeats"
    )]
    Aborted { doc_id: String },
    /// Any other failure of IndexedDB; `detail` is the browser's own words.
    #[error("the browser failed to {doing} ({detail}); reload the page and try again")]
    Browser { doing: &'static str, detail: String },
}

impl StorageError {
    /// Classifies a rexie failure met while `doing` something with `doc_id` (empty when the
    /// failure concerns the database as a whole).
    pub(crate) fn from_rexie(error: rexie::Error, doing: &'static str, doc_id: &str) -> Self {
        let rexie::Error::IdbError(error) = error else {
            return Self::Browser { doing, detail: error.to_string() };
        };
        let exception = match &error {
            idb::Error::DomException(exception) => Some(exception.name()),
            // Opening throws synchronously where the origin may not store anything at all.
            idb::Error::IndexedDbOpenFailed(value) => {
                value.dyn_ref::<web_sys::DomException>().map(|e| e.name())
            }
            idb::Error::IndexedDbNotFound(_) => return Self::Unavailable,
            _ => None,
        };
        match exception.as_deref() {
            Some("QuotaExceededError") => Self::QuotaExceeded { doc_id: doc_id.to_owned() },
            Some("VersionError") => Self::NewerVersion,
            Some("SecurityError" | "InvalidStateError") if doing == OPENING => Self::Unavailable,
            _ => Self::Browser { doing, detail: error.to_string() },
        }
    }
}

/// What [`StorageError::Browser`] says the browser failed to do while opening the database.
pub(crate) const OPENING: &str = "open this browser's Quorum data";
