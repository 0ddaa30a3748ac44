//! What an audit found (9.2): the findings of an audit's document, and the nonconformity record
//! (10.2) a finding that is a nonconformity raises, the two naming each other.

use autosurgeon::{Hydrate, Reconcile, Text};

use super::super::register::{record, record_fields};
use super::super::{
    Date, DocumentId, FindingId, Nonconformity, NonconformityId, NonconformitySource, Rank, TextEdit,
};
use super::AuditItem;

/// Something the audit found, for the record; a nonconformity also goes to the nonconformity
/// register (10.2), which `nonconformity` names.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Finding {
    pub rank: Rank,
    pub kind: FindingKind,
    pub summary: String,
    pub description: Text,
    /// The clause or control concerned.
    pub item: Option<AuditItem>,
    /// The nonconformity raised for it, in the improvement document.
    pub nonconformity: Option<NonconformityId>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum FindingKind {
    #[default]
    #[autosurgeon(rename = "observation")]
    Observation,
    #[autosurgeon(rename = "opportunity")]
    Opportunity,
    #[autosurgeon(rename = "minor-nonconformity")]
    MinorNonconformity,
    #[autosurgeon(rename = "major-nonconformity")]
    MajorNonconformity,
}

impl FindingKind {
    pub const ALL: [FindingKind; 4] = [
        FindingKind::MinorNonconformity,
        FindingKind::MajorNonconformity,
        FindingKind::Observation,
        FindingKind::Opportunity,
    ];

    pub fn label(&self) -> &'static str {
        match self {
            Self::Observation => "Observation",
            Self::Opportunity => "Opportunity for improvement",
            Self::MinorNonconformity => "Minor nonconformity",
            Self::MajorNonconformity => "Major nonconformity",
        }
    }

    pub fn as_token(&self) -> &'static str {
        match self {
            Self::Observation => "observation",
            Self::Opportunity => "opportunity",
            Self::MinorNonconformity => "minor-nonconformity",
            Self::MajorNonconformity => "major-nonconformity",
        }
    }

    pub fn from_token(token: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_token() == token)
    }

    /// Whether it goes to the nonconformity register.
    pub fn is_nonconformity(&self) -> bool {
        matches!(self, Self::MinorNonconformity | Self::MajorNonconformity)
    }
}

record_fields! {
    /// A field of a [`Finding`].
    pub enum FindingField for Finding {
        Kind(FindingKind) => scalar kind,
        Summary(String) => scalar summary,
        Description(TextEdit) => text description,
        Item(Option<AuditItem>) => scalar item,
        Nonconformity(Option<NonconformityId>) => scalar nonconformity,
    }
}

record! {
    Finding { id: FindingId, field: FindingField, kind: Audit, register: "findings", noun: "finding", label: |f| f.summary.clone() }
    {}
}

/// The nonconformity register's record for an audit's finding, pointing back at both.
pub fn nonconformity_of_finding(
    audit: DocumentId,
    id: FindingId,
    finding: &Finding,
    detected_on: Option<Date>,
) -> Nonconformity {
    let mut description = finding.description.as_str().to_owned();
    if let Some(item) = finding.item {
        let prefix = format!("Found by an internal audit under {item} ({}).", item.title());
        description = if description.is_empty() { prefix } else { format!("{prefix}\n{description}") };
    }
    Nonconformity {
        title: finding.summary.clone(),
        description: Text::with_value(description),
        source: NonconformitySource::AuditFinding,
        audit: Some(audit),
        finding: Some(id),
        detected_on,
        ..Default::default()
    }
}
