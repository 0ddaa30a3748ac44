//! The state behind a [`Session`](super::Session): the sync client holding each open document,
//! the storage it is saved to, and the version signals views track. `net` drives the client;
//! this module opens documents (storage first), reacts to the relay's events and saves.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use automerge::{ActorId, AutoCommit};
use leptos::prelude::*;
use leptos::task::spawn_local;
use quorum_shared::model::{self, ModelError, Workspace};
use quorum_shared::sync::{Client, Event, SyncError};

use super::{KeptMembership, Membership, SaveState};
use crate::net::{self, Connection, SyncStatus};
use crate::storage::{ReadChunks, Storage, StorageError};
use crate::tabs::Tabs;
use crate::timings;

/// The state behind a [`Session`](super::Session). It drives the socket (`net`, through
/// [`net::Host`](crate::net::Host)) and the other tabs (`tabs`), which hand back what they hear.
pub(crate) struct Inner {
    /// The membership as the session was opened with it; see [`Inner::current_membership`].
    pub(crate) membership: Membership,
    /// The same membership with the fresh token traded for the opened one, if it was.
    pub(crate) refreshed: RefCell<Option<Membership>>,
    pub(crate) root_id: String,
    /// This browser's device id, which the root document lists under the member.
    pub(super) device: ActorId,
    /// The actor this tab commits under: the device id and a suffix of this tab's own, so that
    /// two tabs never reuse a sequence number (Automerge would refuse the second change).
    pub(super) actor: ActorId,
    pub(crate) client: RefCell<Client>,
    pub(super) storage: RefCell<Option<Rc<Storage>>>,
    pub(super) versions: RefCell<HashMap<String, RwSignal<u64>>>,
    pub(super) owner: Owner,
    /// Documents changed since their last save, saved one at a time by [`Inner::save_all`].
    pub(super) unsaved: RefCell<BTreeSet<String>>,
    /// Documents the root lists that are being read from storage, not open yet.
    pub(super) opening: RefCell<BTreeSet<String>>,
    pub(super) saving: Cell<bool>,
    pub(crate) stopped: Cell<bool>,
    pub(crate) connection: RefCell<Connection>,
    pub(crate) status: RwSignal<SyncStatus>,
    pub(super) save_state: RwSignal<SaveState>,
    pub(super) problem: RwSignal<Option<String>>,
    pub(super) opened: RwSignal<bool>,
    /// The other tabs of this browser with the workspace open.
    pub(crate) tabs: RefCell<Option<Tabs>>,
    /// Whether the root document is known to list this device under its member.
    pub(super) member_recorded: Cell<bool>,
    /// Who else is here, and where this tab is.
    pub(crate) presence: super::presence::Presence,
    /// This tab's own changes, for [`Session::undo`](super::Session::undo).
    pub(super) undo: super::undo::UndoStack,
    /// The document shown as it was, while the session is at a past point.
    pub(super) past: RefCell<Option<super::as_of::Past>>,
    /// Keys met in signatures that the relay's list did not have, already asked for again.
    pub(super) keys_asked: RefCell<BTreeSet<String>>,
}

impl Inner {
    /// The membership with the newest token this session has.
    pub(crate) fn current_membership(&self) -> Membership {
        self.refreshed.borrow().clone().unwrap_or_else(|| self.membership.clone())
    }

    /// Whether the session is over: replaced by another, or its owner (the app) torn down, when
    /// its signals are gone and the reconnect and heartbeat timers must not touch them (they
    /// would panic).
    pub(crate) fn is_stopped(&self) -> bool {
        self.stopped.get() || self.status.is_disposed()
    }

    pub(super) fn version(&self, doc_id: &str) -> RwSignal<u64> {
        *self
            .versions
            .borrow_mut()
            .entry(doc_id.to_owned())
            .or_insert_with(|| self.owner.with(|| RwSignal::new(0)))
    }

    /// Runs one domain operation on an open document under this device's actor, then sends the
    /// change to the relay and the other tabs, shows it and saves it.
    pub(super) fn edit<R>(
        self: &Rc<Self>,
        doc_id: &str,
        operation: impl FnOnce(&mut AutoCommit) -> Result<R, ModelError>,
    ) -> Result<R, ModelError> {
        let (result, delta) = {
            let mut client = self.client.borrow_mut();
            let doc = client
                .doc_mut(doc_id)
                .ok_or_else(|| ModelError::NotFound { what: "document", id: doc_id.to_owned() })?;
            // Every commit from this tab carries its actor, which starts with the device id the
            // root document maps to the member, so history can say who changed what.
            if doc.get_actor() != &self.actor {
                doc.set_actor(self.actor.clone());
            }
            let before = doc.get_heads();
            let result = operation(doc)?;
            let delta = doc.save_after(&before);
            let after = doc.get_heads();
            let label = model::change_message(doc, &before, &after).unwrap_or_default();
            self.undo.record(doc_id, before, after, label);
            // The document is open (it was just edited), so this cannot fail.
            let _ = client.local_change(doc_id);
            (result, delta)
        };
        if let Some(tabs) = self.tabs.borrow().as_ref() {
            tabs.post_changes(doc_id, &delta);
        }
        self.changed(doc_id);
        net::flush(self);
        timings::mark(timings::CHANGE_SENT);
        Ok(result)
    }

    /// Makes a new document under this tab's actor, opens it, and lists it in the root document.
    pub(super) fn create_document(
        self: &Rc<Self>,
        kind: model::DocumentKind,
        title: &str,
        create: impl FnOnce(&mut AutoCommit, i64) -> Result<(), ModelError>,
    ) -> Result<model::DocumentId, ModelError> {
        let id = model::DocumentId::from_bytes(super::random_id());
        let now = super::now_ms();
        let mut doc = model::new_document();
        doc.set_actor(self.actor.clone());
        create(&mut doc, now)?;
        let bytes = doc.save();
        {
            let mut client = self.client.borrow_mut();
            // A fresh random id is well formed and not open yet.
            let _ = client.open_with(&id.to_string(), doc);
            let _ = client.local_change(&id.to_string());
        }
        if let Some(tabs) = self.tabs.borrow().as_ref() {
            tabs.post_changes(&id.to_string(), &bytes);
        }
        self.changed(&id.to_string());
        self.edit(&self.root_id, |root| model::register_document(root, now, id, kind, title))?;
        Ok(id)
    }

    /// Merges changes another tab sent into an open document (one not open here is opened from
    /// IndexedDB instead), then shows and saves them like the relay's own. Returns
    /// whether the document now waits for changes this tab never received.
    pub(super) fn merge_from_tab(self: &Rc<Self>, doc_id: &str, bytes: &[u8]) -> bool {
        let (changed, lacking) = {
            let mut client = self.client.borrow_mut();
            // The tab that sent them sends them to the relay too, so they are not queued for
            // upload here (see `Client::merge_sent_elsewhere`).
            let changed = match timings::measure(timings::AUTOMERGE_MERGE, || {
                client.merge_sent_elsewhere(doc_id, bytes)
            }) {
                Ok(changed) => changed,
                Err(SyncError::NotOpen(_)) => return false,
                Err(error) => {
                    leptos::logging::warn!("dropped changes from another tab: {error}");
                    return false;
                }
            };
            let Some(doc) = client.doc_mut(doc_id) else { return false };
            let lacking = !doc.get_missing_deps(&[]).is_empty();
            (changed, lacking)
        };
        if changed {
            self.changed(doc_id);
            if doc_id == self.root_id {
                self.open_listed_documents();
                self.record_member();
            }
            net::flush(self);
        }
        lacking
    }

    /// Lists this device under the person's member in the root document, once the root is
    /// here, so that history can name who made each change. A member the root lists already
    /// (the owner who created the workspace, or a device that joined before) is left alone, and
    /// so is a viewer, whose changes the relay never keeps.
    fn record_member(self: &Rc<Self>) {
        if self.member_recorded.get() {
            return;
        }
        let role = self.membership.role;
        if !role.can_write() {
            return;
        }
        let listed = {
            let client = self.client.borrow();
            let Some(workspace) = client.doc(&self.root_id).and_then(|doc| Workspace::load(doc).ok()) else {
                return;
            };
            workspace.member_for_actor(&self.device).is_some()
        };
        if listed {
            self.member_recorded.set(true);
            return;
        }
        let Some(name) = self.membership.member_name() else { return };
        let device = self.device.clone();
        // Not the person's own doing, so not theirs to undo.
        let recorded = self.undo.without(|| {
            self.edit(&self.root_id, |doc| {
                let now = super::now_ms();
                let member = model::add_member(doc, now, super::random_id(), &name, role)?;
                model::add_device(doc, now, member, &device, "browser")
            })
        });
        match recorded {
            Ok(()) => self.member_recorded.set(true),
            Err(error) => leptos::logging::warn!("this device could not be listed as a member: {error}"),
        }
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
            match event {
                Event::DocumentChanged { document_id } => {
                    self.changed(&document_id);
                    if document_id == self.root_id {
                        self.open_listed_documents();
                        self.record_member();
                    }
                }
                Event::Ephemeral { document_id, data, .. } => {
                    super::presence::received(self, &document_id, &data)
                }
                Event::Connected { .. } => super::presence::connected(self),
                _ => {}
            }
        }
    }

    /// Opens every document the root lists that is neither open nor being opened, from storage
    /// where it is, all read in one transaction and shown together.
    fn open_listed_documents(self: &Rc<Self>) {
        let listed = self.unopened_listed();
        if listed.is_empty() {
            return;
        }
        // The root changes again while these load (the relay's first sync of it, this device's
        // listing): without this, each change would read and load them all once more.
        self.opening.borrow_mut().extend(listed.iter().cloned());
        let inner = self.clone();
        spawn_local(async move {
            let storage = inner.storage.borrow().clone();
            let started = timings::now();
            let read = match storage {
                Some(storage) => storage.read_many(&listed).await,
                None => Ok(ReadChunks::default()),
            };
            timings::add(timings::STORAGE_READ, timings::now() - started);
            inner.open_stored(&mut inner.read_or_report(read), &listed);
            let mut opening = inner.opening.borrow_mut();
            for id in &listed {
                opening.remove(id);
            }
        });
    }

    /// The documents the root lists that are neither open nor being opened.
    fn unopened_listed(&self) -> Vec<String> {
        let client = self.client.borrow();
        let Some(workspace) = client.doc(&self.root_id).and_then(|doc| Workspace::load(doc).ok()) else {
            return Vec::new();
        };
        let open: BTreeSet<&str> = client.document_ids().collect();
        let opening = self.opening.borrow();
        workspace
            .documents
            .keys()
            .map(ToString::to_string)
            .filter(|id| !open.contains(id.as_str()) && !opening.contains(id))
            .collect()
    }

    /// Opens each of `doc_ids` from what was read from storage, or empty for the relay to fill
    /// where this browser has nothing (or the read failed), and shows them. Nothing here waits,
    /// so the views re-render once for all of them, not once per document.
    fn open_stored(self: &Rc<Self>, read: &mut ReadChunks, doc_ids: &[String]) {
        let storage = self.storage.borrow().clone();
        for doc_id in doc_ids {
            let loaded = storage.as_ref().and_then(|storage| {
                timings::measure(timings::AUTOMERGE_LOAD, || storage.merge(read, doc_id))
            });
            let doc = match loaded {
                Some(loaded) => {
                    if let Some(error) = loaded.skipped.first() {
                        self.problem.set(Some(error.to_string()));
                    }
                    loaded.doc
                }
                // Asked for from the relay, into a document that counts text offsets as the
                // browser does (UTF-16).
                None => model::new_document(),
            };
            if self.client.borrow_mut().open_with(doc_id, doc).is_err() {
                self.problem
                    .set(Some(format!("the workspace lists a document with a malformed id ({doc_id})")));
            }
            self.version(doc_id).update(|v| *v += 1);
        }
        net::flush(self);
    }

    /// What was read, or nothing (the documents then open empty, for the relay to fill) with
    /// the storage's words on why shown to the person.
    fn read_or_report(&self, read: Result<ReadChunks, StorageError>) -> ReadChunks {
        read.unwrap_or_else(|error| {
            self.problem.set(Some(error.to_string()));
            ReadChunks::default()
        })
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
            // After the change is on screen: the save's own work (taking its bytes, asking
            // IndexedDB) would otherwise run in the same task as the render and delay the frame
            // that shows it. The header says "Saving" until the write is done either way.
            let _ = crate::timer::delay(0).await;
            loop {
                let next = inner.unsaved.borrow_mut().pop_first();
                let Some(doc_id) = next else { break };
                // The bytes are taken now, and no borrow of the client is held while IndexedDB
                // works.
                let pending = {
                    let mut client = inner.client.borrow_mut();
                    let Some(doc) = client.doc_mut(&doc_id) else { continue };
                    timings::measure(timings::STORAGE_PREPARE, || storage.prepare_save(&doc_id, doc))
                };
                if let Err(error) = storage.write(pending).await {
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

/// Opens storage, then the documents: those just made here, the root, and what the root lists,
/// all read from storage at once.
pub(super) async fn open(inner: Rc<Inner>, initial: Vec<(String, AutoCommit)>) {
    // Listening first, so that no other tab's edit made while this one loads is missed.
    inner.join_tabs();
    let name = format!("quorum-{}", inner.membership.workspace_id);
    match Storage::open(&name).await {
        Ok(storage) => *inner.storage.borrow_mut() = Some(Rc::new(storage)),
        Err(error) => inner.problem.set(Some(error.to_string())),
    }
    // Asked alongside, not before: the documents need no answer to open.
    spawn_local(async {
        crate::storage::request_persistence().await;
    });
    for (doc_id, doc) in initial {
        // Ids made here are well formed.
        let _ = inner.client.borrow_mut().open_with(&doc_id, doc);
        inner.changed(&doc_id);
    }
    let storage = inner.storage.borrow().clone();
    let started = timings::now();
    let read = match storage {
        Some(storage) => storage.read_all().await,
        None => Ok(ReadChunks::default()),
    };
    timings::add(timings::STORAGE_READ, timings::now() - started);
    let mut read = inner.read_or_report(read);
    // The root, then what it lists, from the same read and with no wait in between.
    let root = inner.root_id.clone();
    inner.open_stored(&mut read, std::slice::from_ref(&root));
    let listed = inner.unopened_listed();
    inner.open_stored(&mut read, &listed);
    inner.opened.set(true);
    inner.record_member();
    inner.save_all();
    inner.hello_tabs();
    net::start(&inner);
}
