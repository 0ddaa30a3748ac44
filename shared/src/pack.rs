//! The audit pack: everything an auditor reads, in one ZIP that opens, prints and verifies
//! without Quorum or a network.
//!
//! A pack holds a printable report (`index.html`), each register as CSV and XLSX
//! (`registers/`), an evidence index, every change of every document (`history.csv`), every
//! document as its Automerge binary and as JSON (`documents/`), and `manifest.json`: the
//! workspace, when the pack was made and as of when, the SHA-256 of every other file, the
//! certified device keys and every approval's signature. [`PackBuilder`] makes one from the
//! documents' bytes, for now or as of a past moment, a document at a time so that the caller can
//! show progress; [`verify_pack`] checks one; [`backup_from_pack`] takes a workspace back out of
//! one. All are pure: bytes in, bytes or a report out.
//!
//! ```
//! use quorum_shared::model;
//! use quorum_shared::pack::{PackBuilder, PackMeta, verify_pack};
//!
//! let mut root = model::new_document();
//! let device = root.get_actor().clone();
//! model::create_workspace(&mut root, 1_700_000_000_000, [1; 16], "Acme AI", "Ada", &device).unwrap();
//! let meta = PackMeta { workspace_id: "w1".into(), generated_at_ms: 1_700_000_100_000, as_of_ms: None, keys: vec![] };
//! let builder = PackBuilder::new(meta, "root1", &root.save()).unwrap();
//! let zip = builder.finish().unwrap();
//! let report = verify_pack(&zip).unwrap();
//! assert!(report.holds(), "{:?}", report.problems);
//! ```

mod approvals;
mod artifact;
mod as_of;
mod backup;
mod build;
mod evidence_index;
mod manifest;
mod names;
mod registers;
mod report;
mod table;
#[cfg(test)]
mod tests;
mod verify;
mod xlsx;

pub use approvals::{ApprovalRecord, certified_device_keys};
pub use as_of::heads_as_of;
pub use backup::{Backup, BackupError, backup_from_files, backup_from_pack};
pub use build::{PackBuilder, PackMeta};
pub use manifest::{FORMAT, Manifest, ManifestApproval, ManifestDocument, ManifestFile};
pub use names::utc_time;
pub use table::{Cell, Table};
pub use verify::{PackReport, Problem, verify_pack};

/// The largest pack [`verify_pack`] reads, unpacked: far above any real workspace's, far below
/// what would exhaust a browser tab.
pub const MAX_UNPACKED_BYTES: u64 = 512 * 1024 * 1024;

/// Why a pack cannot be made or read at all. What is wrong inside a readable pack is a
/// [`Problem`] in its [`PackReport`] instead, so that every problem is named at once.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PackError {
    #[error("the file is not a ZIP archive, or it is cut short: {0}")]
    NotZip(String),
    #[error("the pack has no manifest.json, so it is not a Quorum audit pack")]
    NoManifest,
    #[error("manifest.json cannot be read: {0}")]
    BadManifest(String),
    #[error("the pack is of format {found}, which this version of Quorum does not know (it reads {FORMAT})")]
    UnknownFormat { found: String },
    #[error("the pack unpacks to more than {} MiB, more than Quorum reads", MAX_UNPACKED_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("the document {document} is not an Automerge document: {why}")]
    NotAutomerge { document: String, why: String },
    #[error("the workspace's root document cannot be read: {0}")]
    BadRoot(String),
    #[error("the document {0} is not one the workspace lists")]
    NotListed(String),
    #[error("writing the pack failed: {0}")]
    Write(String),
}
