//! Checking a pack with nothing but the pack: every file against the SHA-256 the manifest
//! records, every document's binary loaded and compared with its JSON and its recorded heads,
//! and every approval's signature checked again from the binary, with the certified keys the
//! manifest carries. What the manifest says of approvals is never trusted: each verdict is made
//! afresh.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use automerge::AutoSerde;
use zip::ZipArchive;

use super::approvals::{approvals_in, certified_device_keys};
use super::build::{PackBuilder, PackMeta, sha256};
use super::manifest::{FORMAT, Manifest};
use super::names::Names;
use super::{MAX_UNPACKED_BYTES, PackError};
use crate::model::{DocumentId, DocumentKind, Workspace, load_document};
use crate::readiness::Piece;

/// What checking a readable pack found.
#[derive(Clone, Debug, PartialEq)]
pub struct PackReport {
    pub manifest: Manifest,
    pub files_checked: usize,
    pub documents_checked: usize,
    pub approvals_verified: usize,
    /// Approvals recorded without a signature: not tampering, but nothing to verify either.
    pub approvals_unsigned: usize,
    pub problems: Vec<Problem>,
}

impl PackReport {
    /// Whether everything checked holds.
    pub fn holds(&self) -> bool {
        self.problems.is_empty()
    }
}

/// One thing wrong inside a pack, naming the file or approval.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("{path} was changed: its SHA-256 is not the one the manifest records")]
    HashMismatch { path: String },
    #[error("{path} is listed in the manifest but missing from the pack")]
    MissingFile { path: String },
    #[error("{path} is in the pack but not in the manifest")]
    UnlistedFile { path: String },
    #[error("{path} cannot be read from the archive: {why}")]
    Unreadable { path: String, why: String },
    #[error("{path} is not an Automerge document: {why}")]
    NotAutomerge { path: String, why: String },
    #[error("{path} is not the version the manifest records")]
    HeadsDiffer { path: String },
    #[error("{path} is not JSON: {why}")]
    BadJson { path: String, why: String },
    #[error("{path} does not say what its Automerge binary says")]
    JsonDisagrees { path: String },
    #[error("{path} does not say what the documents in the pack say: it was changed, and its hash with it")]
    DerivedDiffers { path: String },
    #[error("the approval of {subject} in \"{document}\" by {member} does not verify: {why}")]
    Approval { document: String, subject: String, member: String, why: String },
}

/// Checks the pack whose bytes are `pack`. A pack that cannot be read at all is an error;
/// everything wrong inside a readable one is listed in the report.
pub fn verify_pack(pack: &[u8]) -> Result<PackReport, PackError> {
    let mut archive = ZipArchive::new(Cursor::new(pack)).map_err(|e| PackError::NotZip(e.to_string()))?;
    let mut declared: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|e| PackError::NotZip(e.to_string()))?;
        declared = declared.saturating_add(entry.size());
    }
    if declared > MAX_UNPACKED_BYTES {
        return Err(PackError::TooLarge);
    }
    let mut problems = Vec::new();
    let mut contents: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut budget = MAX_UNPACKED_BYTES;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| PackError::NotZip(e.to_string()))?;
        if entry.is_dir() {
            continue;
        }
        let path = entry.name().map_err(|e| PackError::NotZip(e.to_string()))?.into_owned();
        // Sizes in the archive's directory can lie; what is read counts against the budget.
        let mut bytes = Vec::new();
        match (&mut entry).take(budget + 1).read_to_end(&mut bytes) {
            Ok(read) if read as u64 > budget => return Err(PackError::TooLarge),
            Ok(read) => {
                budget -= read as u64;
                contents.insert(path, bytes);
            }
            Err(e) => problems.push(Problem::Unreadable { path, why: e.to_string() }),
        }
    }

    let manifest_bytes = contents.remove("manifest.json").ok_or(PackError::NoManifest)?;
    let value: serde_json::Value =
        serde_json::from_slice(&manifest_bytes).map_err(|e| PackError::BadManifest(e.to_string()))?;
    let format = value.get("format").and_then(|f| f.as_str()).unwrap_or("(none)");
    if format != FORMAT {
        return Err(PackError::UnknownFormat { found: format.to_owned() });
    }
    let manifest: Manifest =
        serde_json::from_value(value).map_err(|e| PackError::BadManifest(e.to_string()))?;

    for file in &manifest.files {
        match contents.get(&file.path) {
            None => {
                if !problems
                    .iter()
                    .any(|p| matches!(p, Problem::Unreadable { path, .. } if *path == file.path))
                {
                    problems.push(Problem::MissingFile { path: file.path.clone() });
                }
            }
            Some(bytes) if sha256(bytes) != file.sha256.to_ascii_lowercase() => {
                problems.push(Problem::HashMismatch { path: file.path.clone() })
            }
            Some(_) => {}
        }
    }
    for path in contents.keys() {
        if !manifest.files.iter().any(|f| f.path == *path) {
            problems.push(Problem::UnlistedFile { path: path.clone() });
        }
    }

    // The root names the members whose devices the relay certified.
    let root = manifest.documents.iter().find(|d| d.id == manifest.root_document);
    let workspace = root
        .and_then(|d| contents.get(&d.binary))
        .and_then(|bytes| load_document(bytes).ok())
        .and_then(|doc| Workspace::load(&doc).ok())
        .unwrap_or_default();
    let keys = certified_device_keys(&manifest.keys, &workspace);
    let names = Names::new(workspace);

    let mut documents_checked = 0;
    let (mut approvals_verified, mut approvals_unsigned) = (0, 0);
    for document in &manifest.documents {
        let Some(binary) = contents.get(&document.binary) else { continue };
        let mut doc = match load_document(binary) {
            Ok(doc) => doc,
            Err(e) => {
                problems.push(Problem::NotAutomerge { path: document.binary.clone(), why: e.to_string() });
                continue;
            }
        };
        documents_checked += 1;
        let heads: Vec<String> = doc.get_heads().iter().map(ToString::to_string).collect();
        let mut recorded = document.heads.clone();
        let mut found = heads.clone();
        crate::order::sort(&mut recorded);
        crate::order::sort(&mut found);
        if recorded != found {
            problems.push(Problem::HeadsDiffer { path: document.binary.clone() });
        }
        if let Some(json) = contents.get(&document.json) {
            match serde_json::from_slice::<serde_json::Value>(json) {
                Err(e) => problems.push(Problem::BadJson { path: document.json.clone(), why: e.to_string() }),
                Ok(stated) => {
                    let actual = serde_json::to_value(AutoSerde::from(doc.document())).ok();
                    if actual.as_ref() != Some(&stated) {
                        problems.push(Problem::JsonDisagrees { path: document.json.clone() });
                    }
                }
            }
        }
        let Some(kind) = DocumentKind::from_name(&document.kind) else { continue };
        let piece = Piece::load(kind, &doc);
        for approval in approvals_in(&document.id, &piece, doc.document(), &keys, &names) {
            match (&approval.signature, approval.verdict) {
                (None, _) => approvals_unsigned += 1,
                (Some(_), Ok(())) => approvals_verified += 1,
                (Some(_), Err(why)) => problems.push(Problem::Approval {
                    document: document.title.clone(),
                    subject: approval.subject,
                    member: approval.member_name,
                    why,
                }),
            }
        }
    }

    if problems.is_empty() {
        problems.extend(derived_differences(&manifest, &contents));
    }

    Ok(PackReport {
        files_checked: manifest.files.len(),
        documents_checked,
        approvals_verified,
        approvals_unsigned,
        problems,
        manifest,
    })
}

/// The report, registers, index and history made again from the pack's own documents and
/// manifest, each compared with the file in the pack: a file changed together with its hash in
/// the manifest still differs from what the documents say. (A pack is made deterministically
/// from its documents, its moment and its keys.)
fn derived_differences(manifest: &Manifest, contents: &BTreeMap<String, Vec<u8>>) -> Vec<Problem> {
    let meta = PackMeta {
        workspace_id: manifest.workspace_id.clone(),
        generated_at_ms: manifest.generated_at_ms,
        as_of_ms: manifest.as_of_ms,
        keys: manifest.keys.clone(),
    };
    let binary =
        |id: &str| manifest.documents.iter().find(|d| d.id == id).and_then(|d| contents.get(&d.binary));
    let Some(root) = binary(&manifest.root_document) else { return Vec::new() };
    let Ok(mut builder) = PackBuilder::new(meta, &manifest.root_document, root) else { return Vec::new() };
    for document in manifest.documents.iter().filter(|d| d.id != manifest.root_document) {
        let (Ok(id), Some(bytes)) = (document.id.parse::<DocumentId>(), contents.get(&document.binary))
        else {
            return Vec::new();
        };
        if builder.add_document(&id, bytes).is_err() {
            return Vec::new();
        }
    }
    builder.absent(manifest.not_yet.clone(), manifest.missing.clone());
    let Ok((files, _)) = builder.assemble() else { return Vec::new() };
    files
        .into_iter()
        .filter(|(path, _)| !path.starts_with("documents/"))
        .filter(|(path, bytes)| contents.get(path).is_some_and(|found| found != bytes))
        .map(|(path, _)| Problem::DerivedDiffers { path })
        .collect()
}
