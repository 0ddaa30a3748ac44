//! The impacts an assessment rates (ISO/IEC 42005 6.8): for individuals, groups or society, a
//! benefit or a harm, each with its likelihood and severity on five-point scales. They are a
//! register of the assessment document, so two people adding impacts at once both keep theirs;
//! any change to one returns an approved assessment to draft, in the same commit.
//!
//! ```
//! use quorum_shared::model::{self, AffectedParty, AssessedImpact, ImpactField, ImpactKind, Position};
//!
//! let mut doc = model::new_document();
//! model::create_impact_assessment(&mut doc, 0, "CV screening", None).unwrap();
//! let harm = AssessedImpact::new(AffectedParty::Groups, ImpactKind::Harm, "Older applicants rejected");
//! let id = model::add(&mut doc, 1_000, [1; 16], harm, Position::Last).unwrap();
//! model::edit(&mut doc, 2_000, id, ImpactField::Severity(Some(4))).unwrap();
//! assert_eq!(model::get(&doc, id).unwrap().severity, Some(4));
//! assert!(model::edit(&mut doc, 3_000, id, ImpactField::Likelihood(Some(6))).is_err());
//! ```

use automerge::AutoCommit;
use autosurgeon::{Hydrate, Reconcile};

use super::reopen_if_approved;
use crate::model::register::{record, record_fields};
use crate::model::{ImpactId, ModelError, Rank};

/// The likelihood scale of impacts, lowest first: what each level means, in our own words.
pub const IMPACT_LIKELIHOOD: [(&str, &str); 5] = [
    ("Rare", "Only in exceptional circumstances"),
    ("Unlikely", "Could happen, but is not expected"),
    ("Possible", "Might happen during the system's use"),
    ("Likely", "Expected to happen to some of those affected"),
    ("Almost certain", "Expected to happen regularly"),
];

/// The severity scale of impacts, lowest first.
pub const IMPACT_SEVERITY: [(&str, &str); 5] = [
    ("Negligible", "Barely noticed by those affected"),
    ("Limited", "Noticed, and easily overcome"),
    ("Significant", "Takes real effort or time to overcome"),
    ("Serious", "Hard to overcome: rights, health, livelihood or safety are touched"),
    ("Irreversible", "Lasting or permanent"),
];

/// One impact of the system on people.
#[derive(Clone, PartialEq, Eq, Debug, Reconcile, Hydrate)]
pub struct AssessedImpact {
    pub rank: Rank,
    pub affected: AffectedParty,
    pub kind: ImpactKind,
    pub description: String,
    /// 1 to 5 on [`IMPACT_LIKELIHOOD`]; none until rated.
    pub likelihood: Option<u8>,
    /// 1 to 5 on [`IMPACT_SEVERITY`]; none until rated.
    pub severity: Option<u8>,
}

impl AssessedImpact {
    pub fn new(affected: AffectedParty, kind: ImpactKind, description: &str) -> Self {
        Self {
            rank: Rank::default(),
            affected,
            kind,
            description: description.to_string(),
            likelihood: None,
            severity: None,
        }
    }
}

/// Who an impact falls on, as ISO/IEC 42005 distinguishes them.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum AffectedParty {
    #[default]
    #[autosurgeon(rename = "individuals")]
    Individuals,
    #[autosurgeon(rename = "groups")]
    Groups,
    #[autosurgeon(rename = "society")]
    Society,
}

impl AffectedParty {
    /// As people read it, in the middle of a sentence or in a register's cell.
    pub fn label(self) -> &'static str {
        match self {
            Self::Individuals => "individuals",
            Self::Groups => "groups",
            Self::Society => "society",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum ImpactKind {
    #[autosurgeon(rename = "benefit")]
    Benefit,
    #[default]
    #[autosurgeon(rename = "harm")]
    Harm,
}

impl ImpactKind {
    /// As people read it, in the middle of a sentence or in a register's cell.
    pub fn label(self) -> &'static str {
        match self {
            Self::Benefit => "benefit",
            Self::Harm => "harm",
        }
    }
}

record_fields! {
    /// A field of an [`AssessedImpact`].
    pub enum ImpactField for AssessedImpact {
        Affected(AffectedParty) => scalar affected,
        Kind(ImpactKind) => scalar kind,
        Description(String) => scalar description,
        Likelihood(Option<u8>) => scalar likelihood,
        Severity(Option<u8>) => scalar severity,
    }
}

record! {
    AssessedImpact {
        id: ImpactId,
        field: ImpactField,
        kind: ImpactAssessment,
        register: "impacts",
        noun: "impact",
        label: |impact| impact.description.clone(),
    }
    {
        fn check(&self, _doc: &AutoCommit) -> Result<(), ModelError> {
            check_rating("likelihood", self.likelihood)?;
            check_rating("severity", self.severity)
        }

        fn check_field(field: &ImpactField, _doc: &AutoCommit) -> Result<(), ModelError> {
            match field {
                ImpactField::Likelihood(value) => check_rating("likelihood", *value),
                ImpactField::Severity(value) => check_rating("severity", *value),
                _ => Ok(()),
            }
        }

        fn after_write(doc: &mut AutoCommit) -> Result<(), ModelError> {
            reopen_if_approved(doc)
        }
    }
}

fn check_rating(scale: &'static str, value: Option<u8>) -> Result<(), ModelError> {
    let max = IMPACT_LIKELIHOOD.len() as u64;
    match value {
        Some(v) if v == 0 || u64::from(v) > max => {
            Err(ModelError::OutOfScale { scale, value: v.into(), max })
        }
        _ => Ok(()),
    }
}
