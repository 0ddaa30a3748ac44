//! Sign-offs of a version of a document (the AI policy, an impact assessment).
//!
//! An approval stores the document heads it approves, so the approved content stays readable
//! exactly as it was with [`at_heads`](super::at_heads) however much the document changes
//! afterwards. Approvals are kept in maps keyed by the approving member, so two members signing
//! at the same time both count, and one member signing twice keeps one (the latest) approval.
//!
//! An approval made in the app carries its device's signature of what it approves
//! ([`crate::model::signature`]): the approver's device signs first, then the approval is recorded
//! with the heads and time it signed, so the two cannot drift apart.

use autosurgeon::{Hydrate, Reconcile};

use super::{MemberId, PolicyVersionId, Role};
use crate::model::signature::{ApprovalClaim, ApprovalSignature};

/// One member's sign-off; the member is the key of the map that holds it.
#[derive(Clone, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub struct Approval {
    /// When, in milliseconds since the epoch.
    pub at_ms: i64,
    /// The heads of the document that was approved, as hex change hashes.
    pub heads: Vec<String>,
    /// What the approver said, if anything.
    pub note: String,
    /// The approver's device's signature of [`Approval::claim`]; none for approvals recorded
    /// before approvals were signed, or by a browser that cannot sign.
    pub signature: Option<ApprovalSignature>,
}

/// A signature made before its approval is recorded, with the heads it signed.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Signed {
    pub heads: Vec<String>,
    pub signature: ApprovalSignature,
}

impl Approval {
    /// What this approval by `member` of `subject` in the document `document` claims, as its
    /// signature covers it; `None` for an unsigned approval.
    pub fn claim(&self, document: &str, subject: String, member: MemberId) -> Option<ApprovalClaim> {
        let signature = self.signature.as_ref()?;
        Some(claim(document, subject, member, signature.role, self.at_ms, self.heads.clone()))
    }
}

/// The heads and signature an approval records: those its device signed (each must be in the
/// document, or nothing is recorded), or, unsigned, the document's heads now.
pub(crate) fn signed_heads(
    doc: &mut automerge::AutoCommit,
    signed: Option<Signed>,
) -> Result<(Vec<String>, Option<ApprovalSignature>), super::ModelError> {
    match signed {
        Some(Signed { heads, signature }) => {
            for head in super::parse_heads(&heads)? {
                if doc.get_change_by_hash(&head).is_none() {
                    return Err(super::ModelError::NotFound { what: "change", id: head.to_string() });
                }
            }
            Ok((heads, Some(signature)))
        }
        None => Ok((super::heads_hex(doc), None)),
    }
}

/// The claim an approval of `subject` makes, for signing before it is recorded.
pub fn claim(
    document: &str,
    subject: String,
    member: MemberId,
    role: Role,
    at_ms: i64,
    heads: Vec<String>,
) -> ApprovalClaim {
    ApprovalClaim { document: document.to_owned(), subject, heads, member, role, at_ms }
}

/// What an approval of a policy version approves.
pub fn policy_version_subject(version: PolicyVersionId) -> String {
    format!("policy version {version}")
}

/// What an approval of an impact assessment approves: the assessment as a whole.
pub const ASSESSMENT_SUBJECT: &str = "impact assessment";
