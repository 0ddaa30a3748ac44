//! One document as the pack holds it, and what the report and the evidence index say of every
//! artifact: where it is, who approved it, which clauses it evidences.

use automerge::AutoCommit;

use super::approvals::ApprovalRecord;
use crate::model::DocumentKind;
use crate::readiness::Piece;

/// One document as the pack holds it.
pub(crate) struct Artifact {
    pub id: String,
    pub kind: DocumentKind,
    pub title: String,
    pub doc: AutoCommit,
    /// The version in the pack, as hex change hashes.
    pub heads: Vec<String>,
    pub changes: usize,
    /// The latest change: when, and by whom.
    pub last: Option<(i64, String)>,
    pub piece: Piece,
    pub approvals: Vec<ApprovalRecord>,
}

impl Artifact {
    /// The id of the artifact's section in `index.html`.
    pub fn anchor(&self) -> String {
        format!("{}-{}", self.kind.as_token(), self.id.chars().take(10).collect::<String>())
    }

    /// Who approved it, each with whether the signature holds.
    pub fn approvers(&self) -> String {
        let words: Vec<String> = self
            .approvals
            .iter()
            .map(|a| {
                format!(
                    "{} ({})",
                    a.member_name,
                    if a.verdict.is_ok() { "signature verified" } else { "not verified" }
                )
            })
            .collect();
        words.join("; ")
    }
}

/// The requirement clauses each kind of document evidences (Annex A's controls are evidenced
/// control by control through the SoA).
pub(crate) fn clauses_of(kind: DocumentKind) -> &'static [&'static str] {
    match kind {
        DocumentKind::Workspace => &[],
        DocumentKind::Context => &["4.1", "4.2", "4.3"],
        DocumentKind::Inventory => &["4.3"],
        DocumentKind::Policy => &["5.2"],
        DocumentKind::Roles => &["5.3"],
        DocumentKind::RiskRegister => &["6.1.2", "6.1.3", "8.2", "8.3"],
        DocumentKind::StatementOfApplicability => &["6.1.3"],
        DocumentKind::ImpactAssessment => &["6.1.4", "8.4"],
        DocumentKind::Objectives => &["6.2"],
        DocumentKind::PlannedChanges => &["6.3"],
        DocumentKind::Support => &["7.1", "7.2", "7.3", "7.4"],
        DocumentKind::DocumentedInformation => &["7.5"],
        DocumentKind::Monitoring => &["9.1"],
        DocumentKind::AuditProgramme | DocumentKind::Audit => &["9.2"],
        DocumentKind::ManagementReview => &["9.3"],
        DocumentKind::Improvement => &["10.1", "10.2"],
    }
}
