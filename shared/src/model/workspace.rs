//! The workspace root document: the workspace's documents by id and kind, its members with
//! their roles and devices, and its settings. Opening a workspace loads this first.
//!
//! ```
//! use automerge::ActorId;
//! use quorum_shared::model::{self, DocumentId, DocumentKind, Role, Workspace};
//!
//! let mut doc = model::new_document();
//! let device = doc.get_actor().clone();
//! let owner = model::create_workspace(&mut doc, 0, [1; 16], "Acme AIMS", "Ada", &device).unwrap();
//! let soa = DocumentId::from_bytes([2; 16]);
//! model::register_document(&mut doc, 1_000, soa, DocumentKind::StatementOfApplicability, "SoA").unwrap();
//! let workspace = Workspace::load(&doc).unwrap();
//! assert_eq!(workspace.member_for_actor(&device), Some(owner));
//! assert_eq!(workspace.members[&owner].role, Role::Owner);
//! ```

use std::collections::BTreeMap;

use automerge::{ActorId, AutoCommit, ROOT, transaction::Transactable};
use autosurgeon::{Hydrate, Reconcile, reconcile_prop};

use super::document::{artifact, change, check_kind, create, entry, object};
use super::{DocumentId, DocumentKind, ID_LEN, MemberId, ModelError};

#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Workspace {
    pub name: String,
    pub settings: Settings,
    #[autosurgeon(with = "crate::model::records")]
    pub documents: BTreeMap<DocumentId, DocumentEntry>,
    #[autosurgeon(with = "crate::model::records")]
    pub members: BTreeMap<MemberId, Member>,
}

artifact!(Workspace, Workspace);

/// A document of the workspace, as listed in the root.
#[derive(Clone, PartialEq, Debug, Reconcile, Hydrate)]
pub struct DocumentEntry {
    pub kind: DocumentKind,
    pub title: String,
    pub created_at_ms: i64,
}

#[derive(Clone, PartialEq, Debug, Reconcile, Hydrate)]
pub struct Member {
    pub name: String,
    pub role: Role,
    /// The member's devices by Automerge actor id (hex): each device commits under its own
    /// actor, and this map is how history and approvals name the person behind a change.
    #[autosurgeon(with = "crate::model::records")]
    pub devices: BTreeMap<String, Device>,
}

#[derive(Clone, PartialEq, Eq, Debug, Reconcile, Hydrate)]
pub struct Device {
    pub label: String,
    pub added_at_ms: i64,
}

#[derive(Clone, PartialEq, Eq, Debug, Reconcile, Hydrate)]
pub struct Settings {
    /// The organization whose AIMS this is, as it appears on exports.
    pub organization: String,
    /// How often policies, assessments and criteria are reviewed, by default.
    pub review_interval_months: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Self { organization: String::new(), review_interval_months: 12 }
    }
}

/// Something wrong with the workspace that concurrent edits can cause.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum WorkspaceViolation {
    /// Owners were demoted or removed concurrently, and none is left.
    NoOwner,
    /// Two members claim the same device.
    SharedDevice { actor: String },
}

impl Workspace {
    /// The member a device (an actor id) belongs to. A device is listed by its actor id or by a
    /// prefix of it: each tab of a browser commits under the browser's device id followed by a
    /// suffix of its own, because two tabs sharing one actor would reuse sequence numbers, and
    /// Automerge refuses the second change of a pair.
    pub fn member_for_actor(&self, actor: &ActorId) -> Option<MemberId> {
        self.member_for_actor_hex(&actor.to_string())
    }

    /// [`Self::member_for_actor`] for an actor id in hex, as history gives it.
    pub fn member_for_actor_hex(&self, actor: &str) -> Option<MemberId> {
        self.members
            .iter()
            .find(|(_, member)| member.devices.keys().any(|device| actor.starts_with(device.as_str())))
            .map(|(id, _)| *id)
    }

    /// The workspace's documents of one kind.
    pub fn documents_of(&self, kind: DocumentKind) -> impl Iterator<Item = (&DocumentId, &DocumentEntry)> {
        self.documents.iter().filter(move |(_, entry)| entry.kind == kind)
    }

    fn owners(&self) -> usize {
        self.members.values().filter(|m| m.role == Role::Owner).count()
    }
}

/// Creates the workspace with its first member, an owner using this device, whose id is made of
/// the caller's `random` bytes; returns the owner.
pub fn create_workspace(
    doc: &mut AutoCommit,
    now_ms: i64,
    random: [u8; ID_LEN],
    name: &str,
    owner_name: &str,
    device: &ActorId,
) -> Result<MemberId, ModelError> {
    non_empty("workspace name", name)?;
    non_empty("member name", owner_name)?;
    let owner = MemberId::from_bytes(random);
    let member = Member {
        name: owner_name.to_string(),
        role: Role::Owner,
        devices: BTreeMap::from([(device.to_string(), device_added(now_ms))]),
    };
    let workspace = Workspace {
        name: name.to_string(),
        members: BTreeMap::from([(owner, member)]),
        ..Workspace::default()
    };
    create(doc, now_ms, &workspace, "create workspace")?;
    Ok(owner)
}

pub fn rename_workspace(doc: &mut AutoCommit, now_ms: i64, name: &str) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::Workspace)?;
    non_empty("workspace name", name)?;
    change(doc, now_ms, "rename workspace", |doc| Ok(reconcile_prop(doc, ROOT, "name", name)?))
}

/// Writes the settings; only the values that differ are written.
pub fn set_settings(doc: &mut AutoCommit, now_ms: i64, settings: &Settings) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::Workspace)?;
    change(doc, now_ms, "edit settings", |doc| Ok(reconcile_prop(doc, ROOT, "settings", settings)?))
}

/// Lists a document in the workspace (or updates its entry).
pub fn register_document(
    doc: &mut AutoCommit,
    now_ms: i64,
    id: DocumentId,
    kind: DocumentKind,
    title: &str,
) -> Result<(), ModelError> {
    let documents = map(doc, "documents")?;
    let entry = DocumentEntry { kind, title: title.to_string(), created_at_ms: now_ms };
    let message = format!("add {kind} document {title:?}");
    change(doc, now_ms, message, |doc| Ok(reconcile_prop(doc, &documents, id.to_string().as_str(), &entry)?))
}

pub fn rename_document(
    doc: &mut AutoCommit,
    now_ms: i64,
    id: DocumentId,
    title: &str,
) -> Result<(), ModelError> {
    let documents = map(doc, "documents")?;
    let entry = entry(doc, &documents, id.to_string(), "document")?;
    let message = format!("rename document {id} to {title:?}");
    change(doc, now_ms, message, |doc| Ok(reconcile_prop(doc, &entry, "title", title)?))
}

/// Removes a document from the workspace's list (its content stays with the relay).
pub fn remove_document(doc: &mut AutoCommit, now_ms: i64, id: DocumentId) -> Result<(), ModelError> {
    let documents = map(doc, "documents")?;
    entry(doc, &documents, id.to_string(), "document")?;
    change(doc, now_ms, format!("remove document {id}"), |doc| Ok(doc.delete(&documents, id.to_string())?))
}
/// Breaks of the workspace's invariants that concurrent edits can cause.
pub fn workspace_violations(workspace: &Workspace) -> Vec<WorkspaceViolation> {
    let mut violations = Vec::new();
    if workspace.owners() == 0 {
        violations.push(WorkspaceViolation::NoOwner);
    }
    let mut seen = BTreeMap::new();
    for member in workspace.members.values() {
        for actor in member.devices.keys() {
            *seen.entry(actor.clone()).or_insert(0) += 1;
        }
    }
    violations.extend(
        seen.into_iter()
            .filter(|(_, count)| *count > 1)
            .map(|(actor, _)| WorkspaceViolation::SharedDevice { actor }),
    );
    violations
}

fn device_added(now_ms: i64) -> Device {
    Device { label: "first device".to_string(), added_at_ms: now_ms }
}

fn non_empty(what: &'static str, value: &str) -> Result<(), ModelError> {
    if value.trim().is_empty() { Err(ModelError::Empty(what)) } else { Ok(()) }
}

fn map(doc: &AutoCommit, prop: &'static str) -> Result<automerge::ObjId, ModelError> {
    check_kind(doc, DocumentKind::Workspace)?;
    object(doc, &ROOT, prop)
}

mod members;
mod role;
#[cfg(test)]
mod tests;

pub use members::*;
pub use role::{ParseRoleError, Role};
