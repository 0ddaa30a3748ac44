//! Each Annex A control's progress, read from its row in the Statement of Applicability and the
//! evidence linked to it.

use super::Evidence;
use crate::{
    catalog::{self, Control},
    model::{Applicability, ControlId, ImplementationStatus},
};

/// Where one control stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ControlState {
    /// No SoA yet, or no justification written: nobody has decided.
    Undecided,
    /// Excluded, with a justification.
    Excluded,
    /// Included, with a justification, and this far implemented.
    Applicable(ImplementationStatus),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlReadiness {
    pub control: &'static Control,
    pub state: ControlState,
    /// How many pieces of evidence are linked to it.
    pub evidence: usize,
}

impl ControlReadiness {
    /// Done means an auditor would find nothing to ask: excluded with a reason, or implemented
    /// with evidence to show.
    pub fn is_done(&self) -> bool {
        match self.state {
            ControlState::Excluded => true,
            ControlState::Applicable(ImplementationStatus::Implemented) => self.evidence > 0,
            _ => false,
        }
    }

    /// What is still missing, in words a person can act on; empty when done.
    pub fn gaps(&self) -> Vec<&'static str> {
        match self.state {
            ControlState::Undecided => vec!["Decide whether it applies and write why"],
            ControlState::Excluded => vec![],
            ControlState::Applicable(status) => {
                let mut gaps = Vec::new();
                if status != ImplementationStatus::Implemented {
                    gaps.push("Finish implementing it");
                }
                if self.evidence == 0 {
                    gaps.push("Link evidence of its implementation");
                }
                gaps
            }
        }
    }
}

pub(super) fn assess(evidence: &Evidence) -> Vec<ControlReadiness> {
    catalog::controls()
        .iter()
        .map(|control| {
            let id: Option<ControlId> = control.id.parse().ok();
            let row = evidence.soa.as_ref().zip(id).and_then(|(soa, id)| soa.rows.get(&id));
            let state = match row {
                Some(row) if !row.justification.as_str().trim().is_empty() => match row.applicability {
                    Applicability::Excluded => ControlState::Excluded,
                    Applicability::Applicable => ControlState::Applicable(row.status),
                },
                _ => ControlState::Undecided,
            };
            let linked = evidence
                .soa
                .as_ref()
                .zip(id)
                .map_or(0, |(soa, id)| soa.evidence.values().filter(|e| e.control == id).count());
            ControlReadiness { control, state, evidence: linked }
        })
        .collect()
}
