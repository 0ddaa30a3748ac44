//! The one error type of the model's operations.
//!
//! Operations check their input and the document before they write, so an error leaves the
//! document as it was (any partial write is rolled back).

use super::{AuditCloseRefusal, ControlId, DocumentKind};

/// Why a domain operation did not change the document.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("expected a {expected} document, found kind {found:?}")]
    WrongKind { expected: DocumentKind, found: String },
    #[error("the document already has content, so it cannot be created again")]
    AlreadyCreated,
    #[error("the document has no {0}")]
    Missing(&'static str),
    #[error("there is no {what} {id}")]
    NotFound { what: &'static str, id: String },
    #[error("there is already a {what} {id}")]
    Duplicate { what: &'static str, id: String },
    #[error("{0} must not be empty")]
    Empty(&'static str),
    #[error("{0:?} is not an Annex C risk source")]
    UnknownRiskSource(String),
    #[error("{0:?} is not an Annex C objective")]
    UnknownAnnexCObjective(String),
    #[error("{0:?} is not a clause of ISO/IEC 42001")]
    UnknownClause(String),
    #[error("{scale} {value} is outside the scale 1 to {max}")]
    OutOfScale { scale: &'static str, value: u64, max: u64 },
    #[error("the {0} must be a finite number")]
    NotFinite(&'static str),
    #[error("invalid risk criteria: {0}")]
    InvalidCriteria(&'static str),
    #[error("excluding {0} needs a justification")]
    JustificationRequired(ControlId),
    #[error("{0} is excluded, so it has no implementation status")]
    ControlExcluded(ControlId),
    #[error("{value:?} is not a {choice} a control can have")]
    NotAChoice { choice: &'static str, value: String },
    #[error("the assessment must be in review before it is approved")]
    NotInReview,
    #[error("the audit cannot be closed: {0}")]
    AuditNotClosable(AuditCloseRefusal),
    #[error("only the risk's owner can approve its treatment")]
    NotRiskOwner,
    #[error("the risk has no treatment decided")]
    TreatmentUndecided,
    #[error("the risk is being modified but has no residual level")]
    NoResidualLevel,
    #[error("the review needs the date it was held before its minutes are approved")]
    ReviewNotHeld,
    #[error("a nonconformity is closed only once a review of its corrective actions found them effective")]
    NotShownEffective,
    #[error("the nonconformity is closed; reopen it to change its effectiveness review")]
    NonconformityClosed,
    #[error("a workspace needs at least one owner")]
    LastOwner,
    #[error("the device {0} already belongs to another member")]
    DeviceClaimed(String),
    #[error("{0:?} is not an automerge actor id")]
    BadActor(String),
    #[error("the stored heads {0:?} are not change hashes")]
    BadHeads(String),
    #[error("a past version is read-only; go back to now to change it")]
    PastVersion,
    #[error("{0} is already as it was then")]
    AlreadyAsThen(String),
    #[error("what held {0} has been removed since; restore that first")]
    HolderGone(String),
    #[error("the {field} is longer than {max} characters")]
    TooLong { field: String, max: usize },
    #[error("{0} has no earlier version that reads; remove it instead")]
    Unrepairable(String),
    #[error(transparent)]
    Automerge(#[from] automerge::AutomergeError),
    #[error(transparent)]
    Reconcile(#[from] autosurgeon::ReconcileError),
    #[error(transparent)]
    Hydrate(#[from] autosurgeon::HydrateError),
}
