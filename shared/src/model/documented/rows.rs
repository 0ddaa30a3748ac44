//! The register as a person reads it: one row per workspace artifact the root lists and per
//! external document, each with its version, owner, approval and review date, and the flags an
//! auditor would raise. Pure: the caller reads each artifact's facts and today's date.

use std::collections::BTreeMap;

use super::{ArtifactControl, DocumentedInformationRegister};
use crate::model::{
    AiPolicy, AssessmentStatus, Date, DocumentEntry, DocumentId, DocumentKind, ImpactAssessment,
    InformationId, MemberId,
};

/// What the register cannot know of an artifact and reads from the artifact itself.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct ArtifactFacts {
    /// Its current version in words, such as "Version 3" or "Changed 2027-01-04".
    pub version: String,
    /// Its own approval, for the kinds approved in their own document (the policy, an impact
    /// assessment); `None` for the others, whose approval this register records.
    pub own_approval: Option<OwnApproval>,
    /// A review date the artifact keeps itself (the policy's).
    pub review_on: Option<Date>,
}

/// An approval kept in the artifact itself.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct OwnApproval {
    pub approved: bool,
    /// Its state in words, such as "Version 2 approved" or "In review".
    pub state: String,
}

impl OwnApproval {
    /// The policy is approved when a version of it is in force.
    pub fn of_policy(policy: &AiPolicy) -> Self {
        match policy.current_version() {
            Some((number, ..)) => Self { approved: true, state: format!("Version {number} in force") },
            None => Self { approved: false, state: "No approved version".into() },
        }
    }

    pub fn of_assessment(assessment: &ImpactAssessment) -> Self {
        let state = match assessment.status {
            AssessmentStatus::Draft => "Draft",
            AssessmentStatus::InReview => "In review",
            AssessmentStatus::Approved => "Approved",
        };
        Self { approved: assessment.status == AssessmentStatus::Approved, state: state.into() }
    }
}

/// Whether an artifact of `kind` is approved in its own document rather than in this register.
pub fn approved_in_itself(kind: DocumentKind) -> bool {
    matches!(kind, DocumentKind::Policy | DocumentKind::ImpactAssessment)
}

/// Where a row comes from, which also says where it is edited.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RowSource {
    Artifact { id: DocumentId, kind: DocumentKind },
    External(InformationId),
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum DocumentFlag {
    OverdueReview,
    NoOwner,
    NoApproval,
}

impl DocumentFlag {
    pub fn label(self) -> &'static str {
        match self {
            Self::OverdueReview => "Review overdue",
            Self::NoOwner => "No owner",
            Self::NoApproval => "Not approved",
        }
    }

    pub fn as_token(self) -> &'static str {
        match self {
            Self::OverdueReview => "overdue-review",
            Self::NoOwner => "no-owner",
            Self::NoApproval => "no-approval",
        }
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub struct DocumentRow {
    pub source: RowSource,
    pub title: String,
    pub version: String,
    pub owner: Option<MemberId>,
    pub approved: bool,
    /// The artifact's own approval state; `None` where the register holds the approval.
    pub own_approval: Option<String>,
    pub approved_by: Option<MemberId>,
    pub approved_on: Option<Date>,
    pub review_on: Option<Date>,
    pub location: String,
    pub retention: String,
    pub flags: Vec<DocumentFlag>,
}

impl DocumentRow {
    pub fn has(&self, flag: DocumentFlag) -> bool {
        self.flags.contains(&flag)
    }

    /// Both where it is kept and for how long are written.
    pub fn kept(&self) -> bool {
        !self.location.trim().is_empty() && !self.retention.trim().is_empty()
    }
}

#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct DocumentRows {
    pub rows: Vec<DocumentRow>,
}

impl DocumentRows {
    /// How many rows carry `flag`.
    pub fn count(&self, flag: DocumentFlag) -> usize {
        self.rows.iter().filter(|r| r.has(flag)).count()
    }
}

/// Every artifact the root lists (in the order of their kinds, then by title), then the
/// external documents in the register's order, each with its flags. An artifact approved in
/// itself whose facts are missing (not open yet) counts as not approved. With no `today`, no
/// review counts as overdue.
pub fn document_rows(
    documents: &BTreeMap<DocumentId, DocumentEntry>,
    register: &DocumentedInformationRegister,
    facts: &BTreeMap<DocumentId, ArtifactFacts>,
    today: Option<Date>,
) -> DocumentRows {
    let mut artifacts: Vec<_> = documents.iter().collect();
    crate::order::sort_by_key(&mut artifacts, |(id, entry)| {
        (kind_order(entry.kind), entry.title.to_lowercase(), **id)
    });
    let mut rows = Vec::new();
    for (id, entry) in artifacts {
        let control: ArtifactControl = register.artifacts.of(*id);
        let facts = facts.get(id).cloned().unwrap_or_default();
        let own = approved_in_itself(entry.kind).then(|| {
            facts
                .own_approval
                .clone()
                .unwrap_or(OwnApproval { approved: false, state: "Not open yet".into() })
        });
        let approved = match &own {
            Some(own) => own.approved,
            None => control.approved_by.is_some(),
        };
        rows.push(DocumentRow {
            source: RowSource::Artifact { id: *id, kind: entry.kind },
            title: entry.title.clone(),
            version: facts.version,
            owner: control.owner,
            approved,
            own_approval: own.map(|o| o.state),
            approved_by: control.approved_by,
            approved_on: control.approved_on,
            review_on: control.review_on.or(facts.review_on),
            location: control.location,
            retention: control.retention,
            flags: Vec::new(),
        });
    }
    let mut external: Vec<_> = register.entries.iter().collect();
    crate::order::sort_by(&mut external, |(a_id, a), (b_id, b)| a.rank.cmp(&b.rank).then(a_id.cmp(b_id)));
    for (id, entry) in external {
        rows.push(DocumentRow {
            source: RowSource::External(*id),
            title: entry.title.clone(),
            version: entry.version.clone(),
            owner: entry.owner,
            approved: entry.approved_by.is_some(),
            own_approval: None,
            approved_by: entry.approved_by,
            approved_on: entry.approved_on,
            review_on: entry.review_on,
            location: entry.location.clone(),
            retention: entry.retention.clone(),
            flags: Vec::new(),
        });
    }
    for row in &mut rows {
        if today.is_some_and(|today| row.review_on.is_some_and(|review| review < today)) {
            row.flags.push(DocumentFlag::OverdueReview);
        }
        if row.owner.is_none() {
            row.flags.push(DocumentFlag::NoOwner);
        }
        if !row.approved {
            row.flags.push(DocumentFlag::NoApproval);
        }
    }
    DocumentRows { rows }
}

/// The order artifacts are listed in: roughly the order of the clauses they evidence.
fn kind_order(kind: DocumentKind) -> u8 {
    use DocumentKind::*;
    [
        Workspace,
        Context,
        Inventory,
        Policy,
        Roles,
        RiskRegister,
        StatementOfApplicability,
        ImpactAssessment,
        Objectives,
        PlannedChanges,
        Support,
        DocumentedInformation,
        Monitoring,
        AuditProgramme,
        Audit,
        ManagementReview,
        Improvement,
    ]
    .iter()
    .position(|k| *k == kind)
    .unwrap_or(usize::MAX) as u8
}

#[cfg(test)]
mod tests;
