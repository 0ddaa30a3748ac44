//! The open workspace: its membership, this browser's storage, the sync client, and one version
//! signal per document. It is the only copy of each document in the page; views read through
//! [`Session::read`] and every edit goes through [`Session::edit`]:
//!
//! ```ignore
//! let soa = session.document_of(DocumentKind::StatementOfApplicability).unwrap();
//! session.edit(&soa, |doc| model::include_control(doc, now_ms(), control))?;
//! // -> saved to IndexedDB, sent to the relay, and every view reading `soa` re-renders.
//! ```
//!
//! Documents open from IndexedDB first, so a workspace opens with no network; the relay then
//! brings whatever changed elsewhere, which is saved and shown the same way.

mod approvals;
mod as_of;
mod inner;
mod link;
mod membership;
pub(crate) mod presence;
mod relay_api;
mod sessions;
mod tab_events;
mod undo;

pub use approvals::Verdict;
pub use as_of::AsOf;
pub use membership::{KeptMembership, Membership, Memberships};
pub(crate) use membership::{random_hex, storage_id};
pub use relay_api::{
    CertifiedKey, Invite, NotCreated, PendingInvite, RelayMember, UNREACHABLE, accept_invite, create_invite,
    create_workspace, invite_link, list_invites, list_keys, list_members, register_key, revoke_member,
    withdraw_invite,
};
pub(crate) use relay_api::{check_access, refresh_access};
pub use sessions::{Sessions, new_documents};

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use automerge::{ActorId, AutoCommit, Automerge};
use leptos::prelude::*;
use leptos::task::spawn_local;
use quorum_shared::model::{self, DocumentId, DocumentKind, ModelError, Workspace};
use quorum_shared::sync::Client;

pub(crate) use inner::Inner;

use crate::net::{self, SyncStatus};

/// Whether this browser holds every edit durably.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveState {
    Saved,
    Saving,
    /// The storage's own words, which say what the person can do.
    Failed(String),
}

/// A handle on the open workspace; cheap to copy into views and handlers.
#[derive(Clone, Copy)]
pub struct Session {
    inner: StoredValue<Rc<Inner>, LocalStorage>,
    pub status: RwSignal<SyncStatus>,
    pub save_state: RwSignal<SaveState>,
    /// Something the person should know that is not about one field (a storage failure).
    pub problem: RwSignal<Option<String>>,
    /// Whether what this browser has stored of the workspace is open: until then a view that
    /// sums up every document (the dashboard) would show it empty, then all over again.
    pub opened: RwSignal<bool>,
    /// The past point one document is shown at (see `as_of.rs`), or `None` for the present.
    pub as_of: RwSignal<Option<AsOf>>,
    /// The device keys the relay certified for the workspace (see `approvals.rs`).
    keys: RwSignal<Vec<CertifiedKey>>,
}

impl Session {
    fn start(membership: Membership, initial: Vec<(String, AutoCommit)>, owner: Owner) -> Self {
        let status = RwSignal::new(SyncStatus::Connecting);
        let save_state = RwSignal::new(SaveState::Saved);
        let problem = RwSignal::new(None);
        let opened = RwSignal::new(false);
        let storage_id = membership::storage_id();
        let device = ActorId::from(hex_bytes(&storage_id));
        let actor = tab_actor(&device);
        let peer_id = fresh_peer_id();
        let inner = Rc::new(Inner {
            root_id: membership.root_id().to_owned(),
            membership,
            refreshed: RefCell::default(),
            device,
            actor,
            client: RefCell::new(Client::new(peer_id, Some(storage_id), run_id())),
            storage: RefCell::new(None),
            versions: RefCell::default(),
            owner,
            unsaved: RefCell::default(),
            opening: RefCell::default(),
            saving: Cell::new(false),
            stopped: Cell::new(false),
            connection: RefCell::default(),
            status,
            save_state,
            problem,
            opened,
            tabs: RefCell::default(),
            member_recorded: Cell::new(false),
            presence: presence::Presence::new(),
            undo: undo::UndoStack::new(),
            past: RefCell::default(),
            keys_asked: RefCell::default(),
        });
        spawn_local(inner::open(inner.clone(), initial));
        presence::start(&inner);
        let as_of = RwSignal::new(None);
        let keys = RwSignal::new(approvals::kept(&inner.membership.workspace_id));
        let session =
            Self { inner: StoredValue::new_local(inner), status, save_state, problem, opened, as_of, keys };
        session.start_keys();
        session
    }

    /// The membership, with the freshest access token this session has.
    pub fn membership(&self) -> Membership {
        self.inner.get_value().current_membership()
    }

    /// The workspace's name as the root document has it (the relay's copy until it loads).
    pub fn workspace_name(&self) -> String {
        let inner = self.inner.get_value();
        self.read(&inner.root_id, |doc| Workspace::load(doc).ok().map(|w| w.name))
            .flatten()
            .unwrap_or_else(|| inner.membership.workspace_name.clone())
    }

    /// The id of the workspace's first document of `kind`, once the root lists it.
    pub fn document_of(&self, kind: DocumentKind) -> Option<String> {
        let root = self.inner.get_value().root_id.clone();
        self.read(&root, |doc| {
            let workspace = Workspace::load(doc).ok()?;
            workspace.documents_of(kind).next().map(|(id, _)| id.to_string())
        })
        .flatten()
    }

    /// Reads an open document (as it was, while the session shows it at a past point), and
    /// re-runs the calling view whenever it changes.
    pub fn read<T>(&self, doc_id: &str, read: impl FnOnce(&AutoCommit) -> T) -> Option<T> {
        let inner = self.inner.get_value();
        inner.version(doc_id).track();
        if self.shows_past(doc_id) {
            return inner
                .past
                .borrow()
                .as_ref()
                .filter(|past| past.doc_id == doc_id)
                .map(|past| read(&past.doc));
        }
        let client = inner.client.borrow();
        client.doc(doc_id).map(read)
    }

    /// Reads an open document's change graph, and re-runs the calling view whenever it
    /// changes. Automerge lends it only to a caller that could close an open transaction, hence
    /// the brief mutable borrow; reading a copy of the document instead cost a copy per read.
    pub fn read_history<T>(&self, doc_id: &str, read: impl FnOnce(&Automerge) -> T) -> Option<T> {
        if self.shows_past(doc_id) {
            let inner = self.inner.get_value();
            return inner
                .past
                .borrow_mut()
                .as_mut()
                .filter(|past| past.doc_id == doc_id)
                .map(|past| read(past.doc.document()));
        }
        self.read_log(doc_id, read)
    }

    /// Runs one domain operation on a document; on success the change is saved, sent and shown.
    /// Refused while the session shows a past version: the page is read-only then.
    pub fn edit<R>(
        &self,
        doc_id: &str,
        operation: impl FnOnce(&mut AutoCommit) -> Result<R, ModelError>,
    ) -> Result<R, ModelError> {
        if self.as_of.with_untracked(Option::is_some) {
            return Err(ModelError::PastVersion);
        }
        self.inner.get_value().edit(doc_id, operation)
    }

    /// Whether this member may change anything: a viewer's changes would never be kept by the
    /// relay, and a past version is history, so pages show every field read-only then. Tracked,
    /// for a view that asks while travel starts or ends.
    pub fn can_edit(&self) -> bool {
        self.role_can_write() && !self.is_in_past()
    }

    /// Whether this member's role may change the workspace, whatever version the page shows.
    pub fn role_can_write(&self) -> bool {
        self.inner.get_value().membership.role.can_write()
    }

    /// The member this browser acts for, once the root document lists its device; tracked, so
    /// a view that asks re-renders when the listing arrives.
    pub fn member_id(&self) -> Option<model::MemberId> {
        let inner = self.inner.get_value();
        let device = inner.device.clone();
        self.read(&inner.root_id, |doc| Workspace::load(doc).ok()?.member_for_actor(&device)).flatten()
    }

    /// Makes a new document of `kind` (an impact assessment), fills it with `create` and lists
    /// it in the workspace under `title`; it is saved, sent and shown like any edit.
    pub fn create_document(
        &self,
        kind: DocumentKind,
        title: &str,
        create: impl FnOnce(&mut AutoCommit, i64) -> Result<(), ModelError>,
    ) -> Result<DocumentId, ModelError> {
        self.inner.get_value().create_document(kind, title, create)
    }

    fn stop(&self) {
        let inner = self.inner.get_value();
        inner.stopped.set(true);
        presence::stop(&inner);
        net::close(&inner);
        if let Some(tabs) = inner.tabs.borrow_mut().take() {
            tabs.close();
        }
    }
}

/// A peer id for this tab's connection to the relay: random, so that no one can guess it.
fn fresh_peer_id() -> String {
    format!("quorum-browser-{}", membership::random_hex())
}

/// The milliseconds since the epoch, which every domain operation stamps its commit with.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Fresh random bytes from the browser's crypto, for a domain operation to make a new id of:
/// `shared` reads no randomness itself, as it reads no clock.
pub fn random_id() -> [u8; model::ID_LEN] {
    let mut bytes = [0; model::ID_LEN];
    // Without a random source no id can be made safely, and there is no sensible way to go on;
    // every browser Quorum runs in has `crypto.getRandomValues`.
    getrandom::fill(&mut bytes).expect("the browser provides random bytes");
    bytes
}

/// Fresh random bytes that name this run of the sync client, so that peers can tell its
/// presence messages from repeats of an earlier run's.
fn run_id() -> [u8; 8] {
    let mut bytes = [0; 8];
    // Without randomness the run's name is constant; the only cost is that peers may drop its
    // first presence messages as repeats, so there is no reason to fail.
    let _ = getrandom::fill(&mut bytes);
    bytes
}

/// How far UTC is ahead of the person's local time, in minutes (`Date.getTimezoneOffset`), for
/// showing a moment as the date it was where they are.
pub fn timezone_offset() -> i32 {
    js_sys::Date::new_0().get_timezone_offset() as i32
}

/// Today where the person is: what decides that a record has expired or a review is due.
pub fn today() -> model::Date {
    model::Date::of_ms(now_ms(), timezone_offset())
}

/// The documents every workspace has one of, made with the workspace: each register of clauses 4
/// to 10 and Annex A edits one of these. Impact assessments, audits and management reviews, of
/// which a workspace has many, are made later with [`Session::create_document`].
type Create = fn(&mut AutoCommit, i64) -> Result<(), ModelError>;
const SINGLE_DOCUMENTS: [(DocumentKind, &str, Create); 13] = [
    (DocumentKind::Context, "Context of the organization", model::create_context),
    (DocumentKind::Inventory, "AI system inventory", model::create_inventory),
    (DocumentKind::Policy, "AI policy", |doc, now| model::create_policy(doc, now, "AI policy", "")),
    (DocumentKind::Roles, "Roles and responsibilities", |doc, now| model::create_roles(doc, now, random_id)),
    (DocumentKind::RiskRegister, "AI risk register", model::create_risk_register),
    (DocumentKind::StatementOfApplicability, "Statement of Applicability", model::create_soa),
    (DocumentKind::Objectives, "AI objectives", model::create_objectives),
    (DocumentKind::PlannedChanges, "Planned changes", model::create_planned_changes),
    (DocumentKind::Support, "Resources, competence and awareness", model::create_support),
    (
        DocumentKind::DocumentedInformation,
        "Documented information register",
        model::create_documented_information,
    ),
    (DocumentKind::Monitoring, "Monitoring and measurement", model::create_monitoring),
    (DocumentKind::AuditProgramme, "Internal audit programme", model::create_audit_programme),
    (DocumentKind::Improvement, "Nonconformities and improvement", model::create_improvement),
];

impl Session {
    /// Starts the workspace's document of a single `kind` (see [`SINGLE_DOCUMENTS`]) when the
    /// root lists none: a workspace made before that register existed has none yet. Two
    /// browsers starting it at once each list one; both then edit the first the root lists,
    /// as [`Session::document_of`] picks it by id.
    pub fn start_document(&self, kind: DocumentKind) -> Result<String, ModelError> {
        if let Some(id) = self.document_of(kind) {
            return Ok(id);
        }
        let Some((_, title, create)) = SINGLE_DOCUMENTS.iter().find(|(k, ..)| *k == kind) else {
            // A kind a workspace has many of is made with `create_document` and a title.
            return Err(ModelError::Missing("register of that kind"));
        };
        self.create_document(kind, title, create).map(|id| id.to_string())
    }
}

/// The documents of a workspace created in this browser: the root as a [`Workspace`] owned by
/// `owner_name`, and each of the [`SINGLE_DOCUMENTS`], empty and listed in it.
pub fn new_workspace_documents(
    membership: &Membership,
    owner_name: &str,
) -> Result<Vec<(String, AutoCommit)>, ModelError> {
    let now = now_ms();
    let device = this_device();
    let actor = tab_actor(&device);
    let mut root = model::new_document();
    root.set_actor(actor.clone());
    model::create_workspace(&mut root, now, random_id(), &membership.workspace_name, owner_name, &device)?;
    let mut documents = Vec::new();
    for (kind, title, create) in SINGLE_DOCUMENTS {
        let id = DocumentId::from_bytes(random_id());
        let mut doc = model::new_document();
        doc.set_actor(actor.clone());
        create(&mut doc, now)?;
        model::register_document(&mut root, now, id, kind, title)?;
        documents.push((id.to_string(), doc));
    }
    documents.insert(0, (membership.root_id().to_owned(), root));
    Ok(documents)
}

/// This browser's device id: the prefix of every actor its tabs commit under, which the root
/// lists under its member.
pub fn this_device() -> ActorId {
    ActorId::from(hex_bytes(&membership::storage_id()))
}

/// A fresh actor of this browser's device, for a change made before a session opens.
pub fn fresh_actor() -> ActorId {
    tab_actor(&this_device())
}

/// A fresh actor for this tab: the device id followed by 8 random bytes. The root document lists
/// the device id, and `Workspace::member_for_actor` matches it as a prefix.
fn tab_actor(device: &ActorId) -> ActorId {
    let suffix = hex_bytes(&membership::random_hex());
    ActorId::from([device.to_bytes(), &suffix[..8]].concat())
}

/// The bytes of a hex string (this browser's storage id); ill-formed pairs are skipped.
fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len() / 2).filter_map(|i| u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()).collect()
}
