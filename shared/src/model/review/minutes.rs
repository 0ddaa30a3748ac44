//! Approving the minutes of a review. An approval stores the document's heads, so the minutes
//! as approved stay readable with `at_heads`, and a digest of what the minutes say, so that
//! "changed since approval" is a plain function of the review as it is now: readiness and the
//! page read it without walking the history, and a merge that brings in someone's concurrent
//! edit shows as a change, as it should.

use automerge::{AutoCommit, ROOT};
use autosurgeon::{Hydrate, Reconcile, reconcile_prop};

use super::{ManagementReview, ReviewTopic};
use crate::model::approval::signed_heads;
use crate::model::document::{change, check_kind, object};
use crate::model::signature::{ApprovalClaim, ApprovalSignature};
use crate::model::{DocumentKind, MemberId, ModelError, Signed};

/// One member's approval of the minutes; the member is the key of the map that holds it.
#[derive(Clone, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub struct MinutesApproval {
    /// When, in milliseconds since the epoch.
    pub at_ms: i64,
    /// The heads of the document that was approved, as hex change hashes.
    pub heads: Vec<String>,
    /// The digest of the minutes approved ([`ManagementReview::minutes_digest`]).
    pub digest: String,
    pub note: String,
    /// The approver's device's signature ([`MinutesApproval::claim`]), if it signed.
    pub signature: Option<ApprovalSignature>,
}

/// What an approval of a review's minutes approves.
pub const MINUTES_SUBJECT: &str = "review minutes";

impl MinutesApproval {
    /// What this approval by `member` of the review `document` claims, as its signature covers
    /// it; `None` for an unsigned approval.
    pub fn claim(&self, document: &str, member: MemberId) -> Option<ApprovalClaim> {
        let signature = self.signature.as_ref()?;
        let subject = MINUTES_SUBJECT.to_owned();
        Some(crate::model::claim(document, subject, member, signature.role, self.at_ms, self.heads.clone()))
    }
}

/// Where the minutes stand.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MinutesState {
    NotApproved,
    /// Approved, and unchanged since the latest approval.
    Approved {
        at_ms: i64,
        by: MemberId,
    },
    /// Approved once, but the minutes have changed since the latest approval.
    ChangedSince {
        at_ms: i64,
        by: MemberId,
    },
}

impl MinutesState {
    pub fn is_current(&self) -> bool {
        matches!(self, Self::Approved { .. })
    }
}

/// Records `member`'s approval of the minutes as they are now. A review is approved once it has
/// been held: minutes of a meeting with no date are not minutes yet.
/// With `signed`, the approval records the heads the approver's device signed (every one must be
/// in the document) and its signature; `now_ms` must be the time the signature covers.
pub fn approve_minutes(
    doc: &mut AutoCommit,
    now_ms: i64,
    member: MemberId,
    note: &str,
    signed: Option<Signed>,
) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::ManagementReview)?;
    let review = ManagementReview::load(doc)?;
    if review.held_on.is_none() {
        return Err(ModelError::ReviewNotHeld);
    }
    let approvals = object(doc, &ROOT, "approvals")?;
    let (heads, signature) = signed_heads(doc, signed)?;
    let approval = MinutesApproval {
        at_ms: now_ms,
        heads,
        digest: review.minutes_digest(),
        note: note.into(),
        signature,
    };
    change(doc, now_ms, "approve review minutes", |doc| {
        Ok(reconcile_prop(doc, &approvals, member.to_string().as_str(), &approval)?)
    })
}

impl ManagementReview {
    /// A digest of what the minutes say: title, date, attendees, the notes on every input, the
    /// decisions and the actions with their owners and due dates. Approvals are not minutes, and
    /// neither is whether an action is done yet: that is follow-up, often marked from a later
    /// review. 64-bit FNV-1a over length-prefixed fields, as hex; stable across builds.
    pub fn minutes_digest(&self) -> String {
        let mut hash = Fnv::default();
        hash.field(&self.title);
        hash.field(&self.held_on.map(|d| d.to_string()).unwrap_or_default());
        hash.field(&self.attendees);
        for topic in ReviewTopic::ALL {
            hash.field(topic.as_token());
            hash.field(self.notes(topic));
        }
        for (id, decision) in &self.decisions {
            hash.field(&id.to_string());
            hash.field(&decision.summary);
            hash.field(decision.description.as_str());
        }
        for (id, action) in &self.actions {
            hash.field(&id.to_string());
            hash.field(&action.title);
            hash.field(&action.owner.map(|o| o.to_string()).unwrap_or_default());
            hash.field(&action.due.map(|d| d.to_string()).unwrap_or_default());
        }
        format!("{:016x}", hash.0)
    }

    /// Whether the minutes are approved, and unchanged since the latest approval.
    pub fn approval_state(&self) -> MinutesState {
        let latest = self.approvals.iter().max_by_key(|(member, a)| (a.at_ms, **member));
        match latest {
            None => MinutesState::NotApproved,
            Some((by, approval)) if approval.digest == self.minutes_digest() => {
                MinutesState::Approved { at_ms: approval.at_ms, by: *by }
            }
            Some((by, approval)) => MinutesState::ChangedSince { at_ms: approval.at_ms, by: *by },
        }
    }
}

struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn bytes(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn field(&mut self, text: &str) {
        self.bytes(&(text.len() as u64).to_le_bytes());
        self.bytes(text.as_bytes());
    }
}
