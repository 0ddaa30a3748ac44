//! The fixed reference data of the standards Quorum works with: ISO/IEC 42001:2023 clauses 4 to 10,
//! its Annex A control objectives and controls, its Annex C objectives and risk sources, and the
//! parts of an ISO/IEC 42005 AI system impact assessment.
//!
//! Identifiers and titles are facts and match `shared/reference/` exactly; the tests prove it.
//! Every description, auditor hint and piece of guidance is Quorum's own wording, written for a
//! governance lead: the standards' text is copyrighted and is never reproduced here.
//!
//! The tables are `static`, in document order, and small enough that lookups are linear scans.
//!
//! ```
//! use quorum_shared::catalog;
//!
//! let control = catalog::control("A.5.2").expect("A.5.2 is an Annex A control");
//! assert_eq!(control.objective, "A.5");
//! assert_eq!(catalog::controls_of("A.5").count(), 4);
//! assert_eq!(catalog::sub_clauses("6.1").count(), 4);
//! ```

mod annex_a;
mod annex_c;
mod clauses;
mod impact;

/// A requirement clause of ISO/IEC 42001:2023 (4 to 10), at any depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clause {
    /// The clause number, such as `"6.1.2"`.
    pub id: &'static str,
    /// The clause heading, as in the standard.
    pub title: &'static str,
    /// The enclosing clause, `None` for the top-level clauses 4 to 10.
    pub parent: Option<&'static str>,
    /// What the clause is about and what the organization has to do, in our words.
    pub description: &'static str,
    /// What an auditor looks for as evidence, in our words.
    pub auditor_hint: &'static str,
}

impl Clause {
    /// How deep the clause sits: 0 for `"6"`, 1 for `"6.1"`, 2 for `"6.1.2"`.
    pub fn depth(&self) -> usize {
        self.id.matches('.').count()
    }

    /// Whether this is one of the top-level clauses 4 to 10.
    pub fn is_top_level(&self) -> bool {
        self.parent.is_none()
    }
}

/// A control objective of Annex A (A.2 to A.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Objective {
    /// The objective's identifier, such as `"A.5"`.
    pub id: &'static str,
    /// The objective's heading, as in the standard.
    pub title: &'static str,
    /// What the group of controls sets out to achieve, in our words.
    pub description: &'static str,
}

impl Objective {
    /// The controls under this objective, in document order.
    pub fn controls(&self) -> impl Iterator<Item = &'static Control> + use<> {
        let id = self.id;
        controls_of(id)
    }
}

/// One of the 38 controls of Annex A.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Control {
    /// The control's identifier, such as `"A.6.2.4"`.
    pub id: &'static str,
    /// The identifier of the [`Objective`] the control belongs to, such as `"A.6"`.
    pub objective: &'static str,
    /// The control's heading, as in the standard.
    pub title: &'static str,
    /// What the control is about and what the organization has to do, in our words.
    pub description: &'static str,
    /// What an auditor looks for as evidence, in our words.
    pub auditor_hint: &'static str,
}

/// An Annex C objective or risk source, used in pick-lists of the risk register.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnnexCEntry {
    /// A stable key, such as `"fairness"` or `"automation-level"`.
    pub key: &'static str,
    /// The heading, as in the standard.
    pub title: &'static str,
    /// What the entry means for an AI system, in our words.
    pub description: &'static str,
}

/// A section of an ISO/IEC 42005 impact assessment (clause 6) or a step of the process around
/// it (clause 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImpactSection {
    /// The clause number in ISO/IEC 42005, such as `"6.4"` or `"5.11"`.
    pub id: &'static str,
    /// The heading, as in the standard.
    pub title: &'static str,
    /// What to write in the section, or what to do at the step, in our words.
    pub guidance: &'static str,
}

/// All clauses 4 to 10 and their sub-clauses, in document order.
pub fn clauses() -> &'static [Clause] {
    clauses::CLAUSES
}

/// The clause with this number, if there is one.
pub fn clause(id: &str) -> Option<&'static Clause> {
    clauses::CLAUSES.iter().find(|clause| clause.id == id)
}

/// Clauses 4 to 10, in order.
pub fn top_level_clauses() -> impl Iterator<Item = &'static Clause> {
    clauses::CLAUSES.iter().filter(|clause| clause.is_top_level())
}

/// The clauses directly under `parent`, in order; empty for an unknown or leaf clause.
pub fn sub_clauses(parent: &str) -> impl Iterator<Item = &'static Clause> {
    clauses::CLAUSES.iter().filter(move |clause| clause.parent == Some(parent))
}

/// Annex A's 9 control objectives, A.2 to A.10.
pub fn objectives() -> &'static [Objective] {
    annex_a::OBJECTIVES
}

/// The Annex A objective with this identifier, if there is one.
pub fn objective(id: &str) -> Option<&'static Objective> {
    annex_a::OBJECTIVES.iter().find(|objective| objective.id == id)
}

/// Annex A's 38 controls, in document order.
pub fn controls() -> &'static [Control] {
    annex_a::CONTROLS
}

/// The Annex A control with this identifier, if there is one.
pub fn control(id: &str) -> Option<&'static Control> {
    annex_a::CONTROLS.iter().find(|control| control.id == id)
}

/// The controls under the objective `objective`, in order; empty for an unknown objective.
pub fn controls_of(objective: &str) -> impl Iterator<Item = &'static Control> {
    annex_a::CONTROLS.iter().filter(move |control| control.objective == objective)
}

/// Annex C's potential AI-related organizational objectives.
pub fn annex_c_objectives() -> &'static [AnnexCEntry] {
    annex_c::OBJECTIVES
}

/// The Annex C objective with this key, if there is one.
pub fn annex_c_objective(key: &str) -> Option<&'static AnnexCEntry> {
    annex_c::OBJECTIVES.iter().find(|entry| entry.key == key)
}

/// Annex C's potential sources of AI risk.
pub fn risk_sources() -> &'static [AnnexCEntry] {
    annex_c::RISK_SOURCES
}

/// The Annex C risk source with this key, if there is one.
pub fn risk_source(key: &str) -> Option<&'static AnnexCEntry> {
    annex_c::RISK_SOURCES.iter().find(|entry| entry.key == key)
}

/// The sections an impact assessment records, ISO/IEC 42005 6.2 to 6.9; Quorum's impact
/// assessments are structured by them.
pub fn impact_sections() -> &'static [ImpactSection] {
    impact::SECTIONS
}

/// The steps of the impact assessment process, from ISO/IEC 42005 clause 5.
pub fn impact_process_steps() -> &'static [ImpactSection] {
    impact::PROCESS_STEPS
}

#[cfg(test)]
mod tests {
    //! Structural invariants of the tables. Agreement with the reference files and the quality
    //! of the prose are checked in `tests/catalog.rs`.

    use super::*;

    #[test]
    fn ids_are_unique() {
        let ids = clauses()
            .iter()
            .map(|c| c.id)
            .chain(objectives().iter().map(|o| o.id))
            .chain(controls().iter().map(|c| c.id));
        assert_unique("clause, objective and control ids", ids);
        let keys = annex_c_objectives().iter().chain(risk_sources()).map(|e| e.key);
        assert_unique("Annex C keys", keys);
        let impact = impact_sections().iter().chain(impact_process_steps()).map(|s| s.id);
        assert_unique("ISO/IEC 42005 ids", impact);
    }

    #[test]
    fn every_clause_comes_after_its_parent_and_is_numbered_under_it() {
        for (index, clause) in clauses().iter().enumerate() {
            let Some(parent) = clause.parent else {
                assert_eq!(clause.depth(), 0, "{} has no parent", clause.id);
                continue;
            };
            let position = clauses().iter().position(|c| c.id == parent);
            let Some(position) = position.filter(|&p| p < index) else {
                panic!("{}: parent {parent} is missing or comes later", clause.id);
            };
            assert!(
                clause.id.starts_with(&format!("{parent}.")),
                "{} is not numbered under {parent}",
                clause.id
            );
            assert_eq!(clause.depth(), clauses()[position].depth() + 1, "{}", clause.id);
        }
    }

    #[test]
    fn every_control_belongs_to_an_objective_and_is_numbered_under_it() {
        for control in controls() {
            assert!(objective(control.objective).is_some(), "{}", control.id);
            assert!(
                control.id.starts_with(&format!("{}.", control.objective)),
                "{} is not numbered under {}",
                control.id,
                control.objective
            );
        }
        let grouped: usize = objectives().iter().map(|o| o.controls().count()).sum();
        assert_eq!(grouped, controls().len());
    }

    #[test]
    fn lookups() {
        check_clause_children("4", &["4.1", "4.2", "4.3", "4.4"]);
        check_clause_children("6.1", &["6.1.1", "6.1.2", "6.1.3", "6.1.4"]);
        check_clause_children("9.3", &["9.3.1", "9.3.2", "9.3.3"]);
        check_clause_children("6.1.2", &[]);
        check_clause_children("11", &[]);

        let top: Vec<_> = top_level_clauses().map(|c| c.id).collect();
        assert_eq!(top, ["4", "5", "6", "7", "8", "9", "10"]);

        assert_eq!(clause("7.5.3").map(|c| c.title), Some("Control of documented information"));
        assert_eq!(clause("A.5.2"), None);
        assert_eq!(control("A.10.4").map(|c| c.objective), Some("A.10"));
        assert_eq!(control("A.1"), None);
        assert_eq!(objective("A.6").map(|o| o.controls().count()), Some(9));
        assert_eq!(controls_of("A.1").count(), 0);
        assert_eq!(annex_c_objective("fairness").map(|e| e.title), Some("Fairness"));
        assert_eq!(risk_source("automation-level").map(|e| e.title), Some("Level of automation"));
        assert_eq!(risk_source("fairness"), None);
    }

    fn check_clause_children(parent: &str, expected: &[&str]) {
        let actual: Vec<_> = sub_clauses(parent).map(|c| c.id).collect();
        assert_eq!(actual, expected, "sub-clauses of {parent}");
    }

    fn assert_unique<'a>(what: &str, ids: impl Iterator<Item = &'a str>) {
        let mut seen = std::collections::HashSet::new();
        for id in ids {
            assert!(seen.insert(id), "{what}: {id} appears twice");
        }
    }
}
