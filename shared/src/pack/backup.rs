//! A workspace back from a backup: the documents of an audit pack (which must verify first), or
//! a folder of Automerge binaries named by their document ids, ready for the app to open as a
//! new workspace with every document's whole history.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use automerge::{ActorId, AutoCommit};
use zip::ZipArchive;

use super::{MAX_UNPACKED_BYTES, PackError, Problem, verify_pack};
use crate::model::{self, DocumentId, MemberId, ModelError, Role, Workspace, load_document};

/// What a backup restores.
#[derive(Clone, Debug)]
pub struct Backup {
    pub workspace_name: String,
    /// The root document, which lists the others; it becomes the new workspace's root.
    pub root: AutoCommit,
    /// Every other document, under the id the root lists it by.
    pub documents: Vec<(DocumentId, AutoCommit)>,
    /// Documents the root lists that the backup does not hold, by title.
    pub missing: Vec<String>,
}

impl Backup {
    /// The workspace's members, owners first, then by name: id, name, role.
    pub fn members(&self) -> Vec<(MemberId, String, Role)> {
        let Ok(workspace) = Workspace::load(&self.root) else { return Vec::new() };
        let mut members: Vec<(MemberId, String, Role)> =
            workspace.members.iter().map(|(id, m)| (*id, m.name.clone(), m.role)).collect();
        crate::order::sort_by_key(&mut members, |(id, name, role)| {
            (*role != Role::Owner, name.to_lowercase(), *id)
        });
        members
    }

    /// Lists `device` (the restoring browser) under `member`, so that the restored workspace
    /// reads as it did, their past changes and approvals theirs, instead of gaining a member.
    /// The change is made by `actor`, one of that device's.
    pub fn claim_member(
        &mut self,
        now_ms: i64,
        member: MemberId,
        device: &ActorId,
        actor: ActorId,
    ) -> Result<(), ModelError> {
        let listed = Workspace::load(&self.root)?.member_for_actor(device);
        if listed == Some(member) {
            return Ok(());
        }
        self.root.set_actor(actor);
        model::add_device(&mut self.root, now_ms, member, device, "browser (restored)")
    }

    /// How many changes the backup brings back, all documents together.
    pub fn changes(&mut self) -> usize {
        self.root.get_changes(&[]).len()
            + self.documents.iter_mut().map(|(_, doc)| doc.get_changes(&[]).len()).sum::<usize>()
    }
}

/// Why a backup cannot be restored. Nothing is written anywhere before it is accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Pack(#[from] PackError),
    #[error("the pack does not verify, so it is not restored: {}", words(.0))]
    Tampered(Vec<Problem>),
    #[error("{file} is not named by a document id (such as soa-4NMNnkrrmEdZqKEPPG7KWoG4Rq8M.automerge)")]
    Unnamed { file: String },
    #[error("{file} is not an Automerge document: {why}")]
    NotAutomerge { file: String, why: String },
    #[error("none of the files is a workspace's root document")]
    NoRoot,
    #[error("{0} and {1} are both a workspace's root: restore one workspace at a time")]
    TwoRoots(String, String),
    #[error("no files were given")]
    Empty,
    #[error("the files come to more than {} MiB", MAX_UNPACKED_BYTES / (1024 * 1024))]
    TooLarge,
}

fn words(problems: &[Problem]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

/// The workspace in an audit pack, once the pack verifies.
pub fn backup_from_pack(pack: &[u8]) -> Result<Backup, BackupError> {
    let report = verify_pack(pack)?;
    if !report.holds() {
        return Err(BackupError::Tampered(report.problems));
    }
    let mut archive = ZipArchive::new(Cursor::new(pack)).map_err(|e| PackError::NotZip(e.to_string()))?;
    let mut files = Vec::new();
    for document in &report.manifest.documents {
        let mut entry = archive.by_name(&document.binary).map_err(|e| PackError::NotZip(e.to_string()))?;
        let mut bytes = Vec::new();
        (&mut entry)
            .take(MAX_UNPACKED_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|e| PackError::NotZip(e.to_string()))?;
        files.push((format!("{}.automerge", document.id), bytes));
    }
    backup_from_files(&files)
}

/// The workspace in a set of Automerge binaries, each named `<id>.automerge` or
/// `<kind>-<id>.automerge` (as a pack's `documents/` folder names them).
pub fn backup_from_files(files: &[(String, Vec<u8>)]) -> Result<Backup, BackupError> {
    if files.is_empty() {
        return Err(BackupError::Empty);
    }
    if files.iter().map(|(_, bytes)| bytes.len() as u64).sum::<u64>() > MAX_UNPACKED_BYTES {
        return Err(BackupError::TooLarge);
    }
    let mut root: Option<(String, AutoCommit, Workspace)> = None;
    let mut documents: BTreeMap<DocumentId, AutoCommit> = BTreeMap::new();
    for (file, bytes) in files {
        let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
        let stem = name.strip_suffix(".automerge").unwrap_or(name);
        let id = stem.rsplit('-').next().unwrap_or(stem);
        let id: DocumentId = id.parse().map_err(|_| BackupError::Unnamed { file: file.clone() })?;
        let doc = load_document(bytes)
            .map_err(|e| BackupError::NotAutomerge { file: file.clone(), why: e.to_string() })?;
        match Workspace::load(&doc) {
            Ok(workspace) => {
                if let Some((first, ..)) = &root {
                    return Err(BackupError::TwoRoots(first.clone(), file.clone()));
                }
                root = Some((file.clone(), doc, workspace));
            }
            Err(_) => {
                documents.insert(id, doc);
            }
        }
    }
    let (_, root, workspace) = root.ok_or(BackupError::NoRoot)?;
    let missing = workspace
        .documents
        .iter()
        .filter(|(id, _)| !documents.contains_key(id))
        .map(|(_, entry)| entry.title.clone())
        .collect();
    // Only what the root lists is part of the workspace.
    documents.retain(|id, _| workspace.documents.contains_key(id));
    Ok(Backup { workspace_name: workspace.name, root, documents: documents.into_iter().collect(), missing })
}
