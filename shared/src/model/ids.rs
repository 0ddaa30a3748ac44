//! Identifiers of documents (as automerge-repo spells them) and of records inside documents.
//!
//! ```
//! use quorum_shared::model::{DocumentId, DocumentUrl, RiskId};
//!
//! let id = DocumentId::from_bytes([7; 16]);
//! let url: DocumentUrl = format!("automerge:{id}").parse().unwrap();
//! assert_eq!(url.document_id(), id);
//! let risk = RiskId::from_bytes([1; 16]);
//! assert_eq!(risk.to_string().parse::<RiskId>().unwrap(), risk);
//! ```

use std::fmt;
use std::str::FromStr;

/// How many random bytes a document or record id has: automerge-repo's 16, so that ids made
/// offline on many devices never collide. A fresh id is made from random bytes the caller
/// passes in (the browser's crypto, the OS), as it passes the time: nothing here reads either,
/// so every operation is deterministic and replayable in tests.
pub const ID_LEN: usize = 16;

/// An Automerge document's id, exactly as automerge-repo makes them: 16 random bytes, shown as
/// base58check (base58 with a 4-byte double-SHA-256 checksum, no version byte).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocumentId([u8; ID_LEN]);

impl DocumentId {
    /// The id with these bytes: fresh random ones from the caller for a new document, fixed
    /// ones in tests.
    pub const fn from_bytes(bytes: [u8; ID_LEN]) -> Self {
        Self(bytes)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; ID_LEN] {
        &self.0
    }

    /// The document's `automerge:` URL.
    pub fn url(self) -> DocumentUrl {
        DocumentUrl(self)
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&bs58::encode(self.0).with_check().into_string())
    }
}

impl fmt::Debug for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentId({self})")
    }
}

/// Why a string is not a [`DocumentId`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseDocumentIdError {
    #[error("document id is not base58check: {0}")]
    Encoding(String),
    #[error("document id has {0} bytes, expected 16")]
    Length(usize),
}

impl FromStr for DocumentId {
    type Err = ParseDocumentIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bytes = bs58::decode(s)
            .with_check(None)
            .into_vec()
            .map_err(|e| ParseDocumentIdError::Encoding(e.to_string().to_lowercase()))?;
        let len = bytes.len();
        let bytes = bytes.try_into().map_err(|_| ParseDocumentIdError::Length(len))?;
        Ok(Self(bytes))
    }
}

/// A document's URL, `automerge:<id>`, as automerge-repo peers exchange them.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct DocumentUrl(DocumentId);

impl DocumentUrl {
    /// The id of the document this URL names.
    pub fn document_id(&self) -> DocumentId {
        self.0
    }
}

impl fmt::Display for DocumentUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "automerge:{}", self.0)
    }
}

/// Why a string is not a [`DocumentUrl`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseDocumentUrlError {
    #[error("document url does not start with automerge:")]
    Scheme,
    #[error(transparent)]
    Id(#[from] ParseDocumentIdError),
}

impl FromStr for DocumentUrl {
    type Err = ParseDocumentUrlError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let id = s.strip_prefix("automerge:").ok_or(ParseDocumentUrlError::Scheme)?;
        Ok(Self(id.parse()?))
    }
}

/// Stores a value as its `Display` string and reads it back with `FromStr`, so documents hold
/// ids in the same form people and other peers see.
macro_rules! string_in_document {
    ($name:ty, $what:literal) => {
        impl ::autosurgeon::Reconcile for $name {
            type Key<'a> = ::autosurgeon::reconcile::NoKey;

            fn reconcile<R: ::autosurgeon::Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
                reconciler.str(self.to_string())
            }
        }

        impl ::autosurgeon::Hydrate for $name {
            fn hydrate_string(s: &str) -> Result<Self, ::autosurgeon::HydrateError> {
                s.parse().map_err(|_| ::autosurgeon::HydrateError::unexpected($what, format!("{s:?}")))
            }
        }
    };
}
pub(crate) use string_in_document;

string_in_document!(DocumentId, "a document id");
string_in_document!(DocumentUrl, "an automerge: url");

/// Defines the id of one kind of record: 16 random bytes shown as base58, with its own parse
/// error so that a bad id says which kind of id it was meant to be.
macro_rules! record_id {
    ($(#[$doc:meta])* $name:ident, $error:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name([u8; ID_LEN]);

        impl $name {
            /// The id with these bytes: fresh random ones from the caller for a new record,
            /// fixed ones in tests.
            pub const fn from_bytes(bytes: [u8; ID_LEN]) -> Self {
                Self(bytes)
            }

            /// The raw bytes.
            pub fn as_bytes(&self) -> &[u8; ID_LEN] {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&bs58::encode(self.0).into_string())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({self})", stringify!($name))
            }
        }

        #[doc = concat!("Why a string is not a [`", stringify!($name), "`].")]
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $error(String);

        impl fmt::Display for $error {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:?} is not a valid {}", self.0, $what)
            }
        }

        impl std::error::Error for $error {}

        impl FromStr for $name {
            type Err = $error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                bs58::decode(s)
                    .into_vec()
                    .ok()
                    .and_then(|bytes| bytes.try_into().ok())
                    .map(Self)
                    .ok_or_else(|| $error(s.to_string()))
            }
        }

        string_in_document!($name, $what);

        impl crate::model::register::RecordKey for $name {
            fn from_bytes(bytes: [u8; ID_LEN]) -> Self {
                Self::from_bytes(bytes)
            }
        }
    };
}

record_id!(/// A member of a workspace.
    MemberId, ParseMemberIdError, "member id");
record_id!(/// An AI system in the inventory.
    SystemId, ParseSystemIdError, "ai system id");
record_id!(/// An internal or external issue of the context.
    IssueId, ParseIssueIdError, "issue id");
record_id!(/// An interested party.
    PartyId, ParsePartyIdError, "interested party id");
record_id!(/// A requirement of an interested party.
    RequirementId, ParseRequirementIdError, "requirement id");
record_id!(/// A version of the AI policy.
    PolicyVersionId, ParsePolicyVersionIdError, "policy version id");
record_id!(/// An AIMS process in the responsibilities matrix.
    ProcessId, ParseProcessIdError, "process id");
record_id!(/// An impact of an AI system on people, recorded in an impact assessment.
    ImpactId, ParseImpactIdError, "impact id");
record_id!(/// An AI risk.
    RiskId, ParseRiskIdError, "risk id");
record_id!(/// A risk treatment action.
    TreatmentActionId, ParseTreatmentActionIdError, "treatment action id");
record_id!(/// A piece of evidence linked to an Annex A control.
    EvidenceId, ParseEvidenceIdError, "evidence id");
record_id!(/// An AI objective.
    ObjectiveId, ParseObjectiveIdError, "objective id");
record_id!(/// A planned change to the AIMS.
    ChangeId, ParseChangeIdError, "planned change id");
record_id!(/// A resource of the AIMS.
    ResourceId, ParseResourceIdError, "resource id");
record_id!(/// A competence or training record.
    TrainingId, ParseTrainingIdError, "training record id");
record_id!(/// A competence the AIMS's roles need.
    CompetenceId, ParseCompetenceIdError, "competence id");
record_id!(/// A role in the AIMS whose holders need competences.
    AimsRoleId, ParseAimsRoleIdError, "aims role id");
record_id!(/// An awareness activity.
    AwarenessId, ParseAwarenessIdError, "awareness id");
record_id!(/// A line of the communication plan.
    CommunicationId, ParseCommunicationIdError, "communication id");
record_id!(/// An entry of the documented information register.
    InformationId, ParseInformationIdError, "documented information id");
record_id!(/// A monitoring indicator.
    IndicatorId, ParseIndicatorIdError, "indicator id");
record_id!(/// A reading of a monitoring indicator.
    ReadingId, ParseReadingIdError, "reading id");
record_id!(/// An audit planned in the audit programme.
    PlannedAuditId, ParsePlannedAuditIdError, "planned audit id");
record_id!(/// A finding of an internal audit.
    FindingId, ParseFindingIdError, "finding id");
record_id!(/// An input of a management review.
    ReviewInputId, ParseReviewInputIdError, "review input id");
record_id!(/// A decision of a management review.
    DecisionId, ParseDecisionIdError, "decision id");
record_id!(/// An action decided by a management review.
    ReviewActionId, ParseReviewActionIdError, "review action id");
record_id!(/// A nonconformity.
    NonconformityId, ParseNonconformityIdError, "nonconformity id");
record_id!(/// A corrective action for a nonconformity.
    CorrectiveActionId, ParseCorrectiveActionIdError, "corrective action id");
record_id!(/// An entry of the improvement log.
    ImprovementId, ParseImprovementIdError, "improvement id");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_ids_round_trip_and_match_automerge_repo() {
        // bs58check of 16 zero bytes, as automerge-repo's `bs58check.encode` makes it.
        let zero = DocumentId::from_bytes([0; 16]);
        let expected = bs58::encode([0u8; 16]).with_check().into_string();
        assert_eq!(zero.to_string(), expected);
        let random = DocumentId::from_bytes(*b"any sixteen byte");
        assert_eq!(random.to_string().parse::<DocumentId>(), Ok(random));
        assert_eq!(random.url().to_string().parse::<DocumentUrl>().map(|u| u.document_id()), Ok(random));
    }

    #[test]
    fn bad_document_ids_and_urls_are_errors() {
        let id = DocumentId::from_bytes([3; 16]).to_string();
        let mut corrupted = id.clone();
        corrupted.replace_range(0..1, if id.starts_with('2') { "3" } else { "2" });
        assert!(matches!(corrupted.parse::<DocumentId>(), Err(ParseDocumentIdError::Encoding(_))));
        let short = bs58::encode([1u8; 8]).with_check().into_string();
        assert_eq!(short.parse::<DocumentId>(), Err(ParseDocumentIdError::Length(8)));
        assert_eq!(id.parse::<DocumentUrl>(), Err(ParseDocumentUrlError::Scheme));
        assert!("automerge:0OIl".parse::<DocumentUrl>().is_err());
    }

    #[test]
    fn record_ids_round_trip_and_reject_garbage() {
        let risk = RiskId::from_bytes([9; 16]);
        assert_eq!(risk.to_string().parse::<RiskId>(), Ok(risk));
        let error = "not an id".parse::<RiskId>().unwrap_err();
        assert_eq!(error.to_string(), "\"not an id\" is not a valid risk id");
        let too_short = bs58::encode([1u8; 4]).into_string();
        assert!(too_short.parse::<MemberId>().is_err());
    }
}
