//! Sign-offs of a version of a document (the AI policy, an impact assessment).
//!
//! An approval stores the document heads it approves, so the approved content stays readable
//! exactly as it was with [`at_heads`](super::at_heads) however much the document changes
//! afterwards. Approvals are kept in maps keyed by the approving member, so two members signing
//! at the same time both count, and one member signing twice keeps one (the latest) approval.

use autosurgeon::{Hydrate, Reconcile};

/// One member's sign-off; the member is the key of the map that holds it.
#[derive(Clone, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub struct Approval {
    /// When, in milliseconds since the epoch.
    pub at_ms: i64,
    /// The heads of the document that was approved, as hex change hashes.
    pub heads: Vec<String>,
    /// What the approver said, if anything.
    pub note: String,
}
