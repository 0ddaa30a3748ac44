//! Making a pack: the root first, then each document the root lists, then everything that
//! reads across documents (registers, report, evidence index, manifest) at the end.

use std::io::{Cursor, Write};

use automerge::{AutoCommit, AutoSerde};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::approvals::{ApprovalRecord, approvals_in, certified_device_keys};
use super::artifact::Artifact;
use super::evidence_index::evidence_index;
use super::manifest::{FORMAT, Manifest, ManifestApproval, ManifestDocument, ManifestFile};
use super::names::{Names, utc_time};
use super::report;
use super::table::Table;
use super::{PackError, heads_as_of, registers};
use crate::api::CertifiedKey;
use crate::model::signature::{DeviceKey, hex};
use crate::model::{ArtifactFacts, Date, DocumentId, DocumentKind, Workspace, load_document};
use crate::readiness::{Evidence, Piece};

/// A file of a pack: its path in the ZIP and its bytes.
pub(crate) type PackFile = (String, Vec<u8>);

/// What a pack is of, and when it is made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackMeta {
    pub workspace_id: String,
    /// Now, as the caller's clock says (this crate has none).
    pub generated_at_ms: i64,
    /// Show the workspace as it was at this moment; `None` for as it is now.
    pub as_of_ms: Option<i64>,
    /// The device keys the relay certified for the workspace.
    pub keys: Vec<CertifiedKey>,
}

/// A pack being made. `new` with the root document, `add_document` for each of
/// [`PackBuilder::documents`] this device holds (one call per document, so that the caller can
/// show progress between them), then `finish`.
pub struct PackBuilder {
    meta: PackMeta,
    names: Names,
    keys: Vec<DeviceKey>,
    artifacts: Vec<Artifact>,
    /// Rows of `history.csv`, each with its time for sorting.
    history: Vec<(i64, [String; 7])>,
    /// Documents as of `as_of_ms` that did not exist yet at that moment.
    not_yet: Vec<String>,
    /// Documents the root lists that the caller does not hold.
    missing: Vec<String>,
}

impl PackBuilder {
    /// Starts a pack from the workspace's root document `root_id`, whose bytes are `root`.
    pub fn new(meta: PackMeta, root_id: &str, root: &[u8]) -> Result<Self, PackError> {
        let doc = load_document(root).map_err(|e| PackError::BadRoot(e.to_string()))?;
        let doc = match meta.as_of_ms {
            Some(at) => past(doc, at)
                .ok_or_else(|| PackError::BadRoot("the workspace did not exist yet then".into()))?,
            None => doc,
        };
        let workspace = Workspace::load(&doc).map_err(|e| PackError::BadRoot(e.to_string()))?;
        let keys = certified_device_keys(&meta.keys, &workspace);
        let names = Names::new(workspace);
        let mut builder = Self {
            meta,
            names,
            keys,
            artifacts: Vec::new(),
            history: Vec::new(),
            not_yet: Vec::new(),
            missing: Vec::new(),
        };
        builder.take(root_id, DocumentKind::Workspace, "Workspace and members".into(), doc);
        Ok(builder)
    }

    /// The documents the root lists (as of the pack's moment), in its order: id, kind, title.
    pub fn documents(&self) -> Vec<(DocumentId, DocumentKind, String)> {
        self.names.workspace().documents.iter().map(|(id, e)| (*id, e.kind, e.title.clone())).collect()
    }

    /// Adds the document `id` from its bytes, as of the pack's moment.
    pub fn add_document(&mut self, id: &DocumentId, bytes: &[u8]) -> Result<(), PackError> {
        let entry = self
            .names
            .workspace()
            .documents
            .get(id)
            .cloned()
            .ok_or_else(|| PackError::NotListed(id.to_string()))?;
        let doc = load_document(bytes)
            .map_err(|e| PackError::NotAutomerge { document: entry.title.clone(), why: e.to_string() })?;
        let doc = match self.meta.as_of_ms {
            Some(at) => match past(doc, at) {
                Some(doc) => doc,
                None => {
                    self.not_yet.push(entry.title);
                    return Ok(());
                }
            },
            None => doc,
        };
        self.take(&id.to_string(), entry.kind, entry.title, doc);
        Ok(())
    }

    /// Records that this device does not hold the document `id`, which the report then names.
    pub fn note_missing(&mut self, id: &DocumentId) {
        let title =
            self.names.workspace().documents.get(id).map_or_else(|| id.to_string(), |e| e.title.clone());
        self.missing.push(title);
    }

    fn take(&mut self, id: &str, kind: DocumentKind, title: String, mut doc: AutoCommit) {
        let mut last: Option<(i64, String)> = None;
        let changes = doc.document().get_changes_meta(&[]);
        let count = changes.len();
        for change in &changes {
            let at = change.timestamp.saturating_mul(1000);
            let actor = change.actor.to_string();
            let author = self.names.author(&actor);
            if last.as_ref().is_none_or(|(t, _)| at >= *t) {
                last = Some((at, author.clone()));
            }
            let message = change.message.as_deref().unwrap_or("").to_owned();
            let row = [
                utc_time(at),
                title.clone(),
                kind.as_token().to_owned(),
                author,
                actor,
                change.hash.to_string(),
                message,
            ];
            self.history.push((at, row));
        }
        drop(changes);
        let heads: Vec<String> = doc.get_heads().iter().map(ToString::to_string).collect();
        let piece = Piece::load(kind, &doc);
        let approvals: Vec<ApprovalRecord> =
            approvals_in(id, &piece, doc.document(), &self.keys, &self.names);
        self.artifacts.push(Artifact {
            id: id.to_owned(),
            kind,
            title,
            doc,
            heads,
            changes: count,
            last,
            piece,
            approvals,
        });
    }

    /// The pack, as the bytes of a ZIP.
    pub fn finish(self) -> Result<Vec<u8>, PackError> {
        let at = self.meta.generated_at_ms;
        let (mut files, manifest) = self.assemble()?;
        let manifest = serde_json::to_vec_pretty(&manifest).map_err(|e| PackError::Write(e.to_string()))?;
        files.push(("manifest.json".into(), manifest));
        zip_files(&files, at).map_err(|e| PackError::Write(e.to_string()))
    }

    /// Records what the pack this one is made again from said of documents it does not hold
    /// (see `verify.rs`), so that the report made again says the same.
    pub(crate) fn absent(&mut self, not_yet: Vec<String>, missing: Vec<String>) {
        self.not_yet = not_yet;
        self.missing = missing;
    }

    /// Every file of the pack but the manifest, and the manifest.
    pub(crate) fn assemble(mut self) -> Result<(Vec<PackFile>, Manifest), PackError> {
        let at = self.meta.as_of_ms.unwrap_or(self.meta.generated_at_ms);
        let mut evidence = Evidence {
            workspace: Some(self.names.workspace().clone()),
            today: Some(Date::of_ms(at, 0)),
            ..Evidence::default()
        };
        for artifact in &self.artifacts {
            if let (Some(own), Ok(id)) = (artifact.piece.own_approval(), artifact.id.parse::<DocumentId>()) {
                evidence
                    .artifact_facts
                    .insert(id, ArtifactFacts { own_approval: Some(own), ..Default::default() });
            }
            artifact.piece.clone().add_to(&mut evidence);
        }
        let tables = registers::registers(&evidence, &self.names);
        let workspace_name = self.names.workspace().name.clone();
        let mut files: Vec<PackFile> = Vec::new();

        let context = report::Context {
            workspace_name: &workspace_name,
            meta: &self.meta,
            names: &self.names,
            evidence: &evidence,
            tables: &tables,
            not_yet: &self.not_yet,
            missing: &self.missing,
        };
        files.push(("index.html".into(), report::render(&context, &self.artifacts).into_bytes()));

        for (table, kind) in &tables {
            let source = self.artifacts.iter().find(|a| a.kind == *kind);
            let metadata = self.register_metadata(&workspace_name, table, source);
            files.push((format!("registers/{}.csv", table.file), table.csv(&metadata)));
            files.push((format!("registers/{}.xlsx", table.file), table.xlsx(&metadata)?));
        }
        let index = evidence_index(&self.artifacts, &tables, &evidence);
        files.push(("evidence-index.csv".into(), index.csv(&[])));
        files.push(("history.csv".into(), self.history_csv()));

        let mut documents = Vec::new();
        let mut approvals = Vec::new();
        for artifact in &mut self.artifacts {
            let stem = format!("documents/{}-{}", artifact.kind.as_token(), artifact.id);
            let (binary, json) = (format!("{stem}.automerge"), format!("{stem}.json"));
            let bytes = artifact.doc.save();
            let text = serde_json::to_vec_pretty(&AutoSerde::from(artifact.doc.document()))
                .map_err(|e| PackError::Write(e.to_string()))?;
            files.push((binary.clone(), bytes));
            files.push((json.clone(), text));
            documents.push(ManifestDocument {
                id: artifact.id.clone(),
                kind: artifact.kind.as_token().to_owned(),
                title: artifact.title.clone(),
                heads: artifact.heads.clone(),
                changes: artifact.changes,
                binary,
                json,
            });
            approvals.extend(artifact.approvals.iter().map(|a| ManifestApproval {
                document: artifact.id.clone(),
                subject: a.subject.clone(),
                member_id: a.member.to_string(),
                member_name: a.member_name.clone(),
                role: a.signature.as_ref().map(|s| s.role.as_token().to_owned()),
                at_ms: a.at_ms,
                heads: a.heads.clone(),
                key_id: a.signature.as_ref().map(|s| s.key_id.clone()),
                signature: a.signature.as_ref().map(|s| s.signature.clone()),
                verdict: a.verdict.clone().err().unwrap_or_else(|| "verified".to_owned()),
            }));
        }

        let manifest = Manifest {
            format: FORMAT.to_owned(),
            workspace_id: self.meta.workspace_id.clone(),
            workspace_name,
            generated_at_ms: self.meta.generated_at_ms,
            generated_at: utc_time(self.meta.generated_at_ms),
            as_of_ms: self.meta.as_of_ms,
            root_document: self.artifacts.first().map(|a| a.id.clone()).unwrap_or_default(),
            documents,
            files: files
                .iter()
                .map(|(path, bytes)| ManifestFile {
                    path: path.clone(),
                    sha256: sha256(bytes),
                    bytes: bytes.len() as u64,
                })
                .collect(),
            keys: self.meta.keys.clone(),
            approvals,
            not_yet: self.not_yet.clone(),
            missing: self.missing.clone(),
        };
        Ok((files, manifest))
    }

    /// The lines above a register's header: whose, when, and which version of which document.
    fn register_metadata(
        &self,
        workspace: &str,
        table: &Table,
        source: Option<&Artifact>,
    ) -> Vec<(&'static str, String)> {
        let version = source.map_or_else(
            || "no such document yet".to_owned(),
            |a| format!("{} at {}", a.title, a.heads.join(" ")),
        );
        vec![
            ("Workspace", workspace.to_owned()),
            ("Register", format!("{} ({})", table.title, table.clauses)),
            ("Generated at", utc_time(self.meta.generated_at_ms)),
            ("As of", self.meta.as_of_ms.map_or_else(|| "now".to_owned(), utc_time)),
            ("Version", version),
        ]
    }

    fn history_csv(&mut self) -> Vec<u8> {
        crate::order::sort_by(&mut self.history, |(a, ra), (b, rb)| a.cmp(b).then_with(|| ra[1].cmp(&rb[1])));
        let mut table = Table::new(
            "history",
            "History",
            "7.5.3",
            &["Time", "Document", "Kind", "Member", "Device", "Change", "What changed"],
        );
        for (_, row) in &self.history {
            table.push(row.iter().map(|c| c.as_str().into()).collect());
        }
        table.csv(&[])
    }
}

/// The document as it was at `at_ms`, or `None` if it did not exist yet.
fn past(mut doc: AutoCommit, at_ms: i64) -> Option<AutoCommit> {
    let heads = heads_as_of(doc.document(), at_ms);
    if heads.is_empty() {
        return None;
    }
    if heads == doc.get_heads() {
        return Some(doc);
    }
    doc.fork_at(&heads).ok()
}

pub(crate) fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn zip_files(files: &[PackFile], at_ms: i64) -> Result<Vec<u8>, zip::result::ZipError> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let date = Date::of_ms(at_ms, 0);
    let minutes = at_ms.div_euclid(60_000).rem_euclid(24 * 60);
    let modified = zip::DateTime::from_date_and_time(
        date.year(),
        date.month(),
        date.day(),
        (minutes / 60) as u8,
        (minutes % 60) as u8,
        0,
    )
    .unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(modified);
    for (path, bytes) in files {
        zip.start_file(path.as_str(), options)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}
