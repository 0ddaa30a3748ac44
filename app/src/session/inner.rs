//! The state behind a [`Session`](super::Session): the sync client holding each open document,
//! the storage it is saved to, and the version signals views track. `net` drives the client;
//! this module opens documents (storage first), reacts to the relay's events and saves.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use automerge::{ActorId, AutoCommit};
use leptos::prelude::*;
use leptos::task::spawn_local;
use quorum_shared::model::{self, Workspace};
use quorum_shared::sync::{Client, Event};

use super::{Membership, SaveState};
use crate::net::{self, Connection, SyncStatus};
use crate::storage::Storage;

/// The state behind a [`Session`](super::Session); `net` drives its client.
pub(crate) struct Inner {
    pub(crate) membership: Membership,
    pub(crate) root_id: String,
    pub(super) device: ActorId,
    pub(crate) client: RefCell<Client>,
    pub(super) storage: RefCell<Option<Rc<Storage>>>,
    pub(super) versions: RefCell<HashMap<String, RwSignal<u64>>>,
    pub(super) owner: Owner,
    /// Documents changed since their last save, saved one at a time by [`Inner::save_all`].
    pub(super) unsaved: RefCell<BTreeSet<String>>,
    pub(super) saving: Cell<bool>,
    pub(crate) stopped: Cell<bool>,
    pub(crate) connection: RefCell<Connection>,
    pub(crate) status: RwSignal<SyncStatus>,
    pub(super) save_state: RwSignal<SaveState>,
    pub(super) problem: RwSignal<Option<String>>,
}

impl Inner {
    pub(super) fn version(&self, doc_id: &str) -> RwSignal<u64> {
        *self
            .versions
            .borrow_mut()
            .entry(doc_id.to_owned())
            .or_insert_with(|| self.owner.with(|| RwSignal::new(0)))
    }

    /// A document changed here or remotely: show it again and save it.
    pub(super) fn changed(self: &Rc<Self>, doc_id: &str) {
        self.version(doc_id).update(|v| *v += 1);
        self.unsaved.borrow_mut().insert(doc_id.to_owned());
        self.save_state.set(SaveState::Saving);
        self.save_all();
    }

    /// Reacts to what the relay sent.
    pub(crate) fn handle(self: &Rc<Self>, events: Vec<Event>) {
        for event in events {
            if let Event::DocumentChanged { document_id } = event {
                self.changed(&document_id);
                if document_id == self.root_id {
                    self.open_listed_documents();
                }
            }
        }
    }

    /// Opens every document the root lists that is not open yet, from storage where it is.
    fn open_listed_documents(self: &Rc<Self>) {
        let listed: Vec<String> = {
            let client = self.client.borrow();
            let Some(workspace) = client.doc(&self.root_id).and_then(|doc| Workspace::load(doc).ok()) else {
                return;
            };
            let open: BTreeSet<&str> = client.document_ids().collect();
            workspace
                .documents
                .keys()
                .map(ToString::to_string)
                .filter(|id| !open.contains(id.as_str()))
                .collect()
        };
        for id in listed {
            let inner = self.clone();
            spawn_local(async move {
                inner.load(&id).await;
                inner.version(&id).update(|v| *v += 1);
                net::flush(&inner);
            });
        }
    }

    /// Opens a document from storage, or asks the relay for it if this browser has none.
    async fn load(self: &Rc<Self>, doc_id: &str) {
        let storage = self.storage.borrow().clone();
        let loaded = match storage {
            Some(storage) => storage.load(doc_id).await,
            None => Ok(None),
        };
        let mut client = self.client.borrow_mut();
        let opened = match loaded {
            Ok(Some(loaded)) => {
                if let Some(error) = loaded.skipped.first() {
                    self.problem.set(Some(error.to_string()));
                }
                client.open_with(doc_id, loaded.doc)
            }
            // Asked for from the relay, into a document that counts text offsets as the browser
            // does (UTF-16).
            Ok(None) => client.open_with(doc_id, model::new_document()),
            Err(error) => {
                self.problem.set(Some(error.to_string()));
                client.open_with(doc_id, model::new_document())
            }
        };
        if opened.is_err() {
            self.problem.set(Some(format!("the workspace lists a document with a malformed id ({doc_id})")));
        }
    }

    /// Saves every unsaved document, one at a time, so the "saved" state means all of them.
    fn save_all(self: &Rc<Self>) {
        if self.saving.get() {
            return;
        }
        let Some(storage) = self.storage.borrow().clone() else { return };
        self.saving.set(true);
        let inner = self.clone();
        spawn_local(async move {
            loop {
                let next = inner.unsaved.borrow_mut().pop_first();
                let Some(doc_id) = next else { break };
                // A copy, so that no borrow of the client is held while IndexedDB works.
                let copy = inner.client.borrow().doc(&doc_id).cloned();
                let Some(mut copy) = copy else { continue };
                if let Err(error) = storage.save_changes(&doc_id, &mut copy).await {
                    // Kept unsaved, so the next edit retries it.
                    inner.unsaved.borrow_mut().insert(doc_id);
                    inner.save_state.set(SaveState::Failed(error.to_string()));
                    inner.saving.set(false);
                    return;
                }
            }
            inner.saving.set(false);
            inner.save_state.set(SaveState::Saved);
        });
    }
}

/// Opens storage, then the documents: those just made here, the root, and what the root lists.
pub(super) async fn open(inner: Rc<Inner>, initial: Vec<(String, AutoCommit)>) {
    let name = format!("quorum-{}", inner.membership.workspace_id);
    match Storage::open(&name).await {
        Ok(storage) => {
            *inner.storage.borrow_mut() = Some(Rc::new(storage));
            crate::storage::request_persistence().await;
        }
        Err(error) => inner.problem.set(Some(error.to_string())),
    }
    for (doc_id, doc) in initial {
        // Ids made here are well formed.
        let _ = inner.client.borrow_mut().open_with(&doc_id, doc);
        inner.changed(&doc_id);
    }
    let root = inner.root_id.clone();
    inner.load(&root).await;
    inner.version(&root).update(|v| *v += 1);
    inner.open_listed_documents();
    inner.save_all();
    net::start(&inner);
}
