//! `manifest.json`: what the pack is, and what checks it. Its field names are a published
//! format (a verifier of another make may read them), so they only ever grow.

use serde::{Deserialize, Serialize};

use crate::api::CertifiedKey;

/// The format this version writes and reads; a pack of another format is refused by name.
pub const FORMAT: &str = "quorum-audit-pack/1";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub workspace_id: String,
    pub workspace_name: String,
    pub generated_at_ms: i64,
    pub generated_at: String,
    /// The moment the pack shows the workspace at; none for "as it is now".
    pub as_of_ms: Option<i64>,
    /// The root document's id: its binary names the members and their devices.
    pub root_document: String,
    pub documents: Vec<ManifestDocument>,
    /// Every other file of the pack with its SHA-256 (hex) and size.
    pub files: Vec<ManifestFile>,
    /// The device keys the relay certified for the workspace, as the app last heard them.
    pub keys: Vec<CertifiedKey>,
    pub approvals: Vec<ManifestApproval>,
    /// Documents the root lists that did not exist yet at `as_of_ms`, by title.
    #[serde(default)]
    pub not_yet: Vec<String>,
    /// Documents the root lists that the device making the pack did not hold, by title.
    #[serde(default)]
    pub missing: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestDocument {
    pub id: String,
    /// The kind's stored token, such as `risk-register`.
    pub kind: String,
    pub title: String,
    /// The version in the pack, as hex change hashes.
    pub heads: Vec<String>,
    pub changes: usize,
    /// `documents/….automerge`
    pub binary: String,
    /// `documents/….json`
    pub json: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// An approval with its signature, as it was checked when the pack was made; `verify_pack`
/// checks it again from the document's binary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestApproval {
    pub document: String,
    pub subject: String,
    pub member_id: String,
    pub member_name: String,
    pub role: Option<String>,
    pub at_ms: i64,
    pub heads: Vec<String>,
    pub key_id: Option<String>,
    pub signature: Option<String>,
    /// "verified", or why not, when the pack was made.
    pub verdict: String,
}
