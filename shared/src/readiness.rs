//! Readiness: how complete each clause and each Annex A control is, and what is missing, as data
//! the dashboard draws and the auditor's checklist reads.
//!
//! Every requirement clause (4.1 to 10.2) has a few checks on the artifacts that evidence it; a
//! top-level clause is as complete as its sub-clauses together. Each Annex A control's progress
//! comes from its row in the Statement of Applicability and the evidence linked to it.
//!
//! ```
//! use quorum_shared::readiness::{self, Evidence};
//!
//! let evidence = Evidence::default(); // a new workspace: nothing written yet
//! let readiness = readiness::assess(&evidence);
//! assert_eq!(readiness.clause("5").met, 0);
//! assert!(readiness.gaps().count() > 0);
//! ```

use std::collections::BTreeMap;

mod checks;
mod controls;
mod piece;
mod review_inputs;
mod snapshot;

use crate::{
    catalog,
    model::{
        AiPolicy, ArtifactFacts, AuditProgramme, Context, Date, DocumentId, DocumentKind,
        DocumentedInformationRegister, ImpactAssessment, Improvement, InternalAudit, Inventory,
        ManagementReview, Monitoring, Objectives, PlannedChanges, RiskRegister, Roles,
        StatementOfApplicability, Support, Workspace,
    },
};

pub use controls::{ControlReadiness, ControlState};
pub use piece::Piece;
pub use review_inputs::review_input_summary;
pub use snapshot::SnapshotError;

/// The artifacts of one workspace, as far as they exist. A missing document counts as nothing
/// done, never as an error: a new workspace is simply not ready yet.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    pub context: Option<Context>,
    pub inventory: Option<Inventory>,
    pub policy: Option<AiPolicy>,
    pub roles: Option<Roles>,
    pub risks: Option<RiskRegister>,
    pub soa: Option<StatementOfApplicability>,
    pub assessments: Vec<ImpactAssessment>,
    pub objectives: Option<Objectives>,
    pub changes: Option<PlannedChanges>,
    pub support: Option<Support>,
    pub documented: Option<DocumentedInformationRegister>,
    /// What each document the root lists says of itself (its own approval) where it is open:
    /// each is a row of the documented information register.
    pub artifact_facts: BTreeMap<DocumentId, ArtifactFacts>,
    pub monitoring: Option<Monitoring>,
    pub audit_programme: Option<AuditProgramme>,
    pub audits: Vec<InternalAudit>,
    pub reviews: Vec<ManagementReview>,
    pub improvement: Option<Improvement>,
    /// The root document: its members are asked to acknowledge the AI policy (7.3).
    pub workspace: Option<Workspace>,
    /// The day readiness is assessed on, where the reader is: training records expire, reviews
    /// and readings fall due. The dashboard always gives it.
    pub today: Option<Date>,
}

/// One thing an auditor would look for under a clause, and whether the workspace shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// The sub-clause it evidences, such as `6.1.2`.
    pub clause: &'static str,
    /// What is looked for, in a short sentence.
    pub label: &'static str,
    pub met: bool,
    /// Where in the workspace it is fixed.
    pub fix: DocumentKind,
}

/// Met out of total, for a bar or a ring.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Progress {
    pub met: usize,
    pub total: usize,
}

impl Progress {
    /// From 0.0 to 1.0; a clause with nothing to check counts as complete.
    pub fn ratio(&self) -> f64 {
        if self.total == 0 { 1.0 } else { self.met as f64 / self.total as f64 }
    }

    pub fn is_complete(&self) -> bool {
        self.met == self.total
    }
}

/// The whole picture for one workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Readiness {
    pub checks: Vec<Check>,
    pub controls: Vec<ControlReadiness>,
}

/// Runs every check over the evidence.
pub fn assess(evidence: &Evidence) -> Readiness {
    Readiness { checks: checks::run(evidence), controls: controls::assess(evidence) }
}

impl Readiness {
    /// Progress of a clause with all its sub-clauses: `"6"` counts 6.1.1 to 6.3.
    pub fn clause(&self, id: &str) -> Progress {
        let prefix = format!("{id}.");
        self.progress(self.checks.iter().filter(|c| c.clause == id || c.clause.starts_with(&prefix)))
    }

    /// Progress of each top-level clause, 4 to 10, in order.
    pub fn by_clause(&self) -> Vec<(&'static catalog::Clause, Progress)> {
        catalog::top_level_clauses().map(|clause| (clause, self.clause(clause.id))).collect()
    }

    /// Progress of each Annex A objective: the share of its controls that are done.
    pub fn by_objective(&self) -> Vec<(&'static catalog::Objective, Progress)> {
        catalog::objectives()
            .iter()
            .map(|objective| {
                let of = self.controls.iter().filter(|c| c.control.objective == objective.id);
                let total = of.clone().count();
                let met = of.filter(|c| c.is_done()).count();
                (objective, Progress { met, total })
            })
            .collect()
    }

    /// Everything not yet shown, clause checks first, then controls not yet done.
    pub fn gaps(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.met)
    }

    /// Every clause and control check together.
    pub fn overall(&self) -> Progress {
        let clauses = self.progress(self.checks.iter());
        let controls_done = self.controls.iter().filter(|c| c.is_done()).count();
        Progress { met: clauses.met + controls_done, total: clauses.total + self.controls.len() }
    }

    fn progress<'a>(&self, checks: impl Iterator<Item = &'a Check>) -> Progress {
        checks.fold(Progress::default(), |p, c| Progress {
            met: p.met + usize::from(c.met),
            total: p.total + 1,
        })
    }
}

#[cfg(test)]
mod tests;
