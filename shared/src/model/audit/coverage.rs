//! Which clauses 4 to 10 and which applicable Annex A controls the programme's planned audits
//! cover, and which none covers yet.

use crate::model::{AuditProgramme, PlannedAuditId, StatementOfApplicability};

use super::AuditItem;

/// Each clause 4 to 10 and each applicable control, in the standard's order, with the planned
/// audits whose scope holds it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AuditCoverage {
    pub clauses: Vec<(AuditItem, Vec<PlannedAuditId>)>,
    pub controls: Vec<(AuditItem, Vec<PlannedAuditId>)>,
}

impl AuditCoverage {
    pub fn uncovered_clauses(&self) -> Vec<AuditItem> {
        uncovered(&self.clauses)
    }

    pub fn uncovered_controls(&self) -> Vec<AuditItem> {
        uncovered(&self.controls)
    }

    /// Every clause and every applicable control is in some planned audit's scope.
    pub fn is_complete(&self) -> bool {
        self.uncovered_clauses().is_empty() && self.uncovered_controls().is_empty()
    }
}

/// The programme's coverage; the applicable controls are those the SoA does not exclude.
pub fn audit_coverage(programme: &AuditProgramme, soa: Option<&StatementOfApplicability>) -> AuditCoverage {
    let audits = programme.audits_in_order();
    let covering = |item: AuditItem| {
        let ids = audits.iter().filter(|(_, a)| a.scope.contains_key(&item)).map(|(id, _)| *id).collect();
        (item, ids)
    };
    AuditCoverage {
        clauses: AuditItem::clauses().map(covering).collect(),
        controls: AuditItem::applicable_controls(soa).into_iter().map(covering).collect(),
    }
}

fn uncovered(items: &[(AuditItem, Vec<PlannedAuditId>)]) -> Vec<AuditItem> {
    items.iter().filter(|(_, by)| by.is_empty()).map(|(item, _)| *item).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::id;
    use crate::model::{Applicability, ControlId, PlannedAudit, SoaRow};

    fn item(s: &str) -> AuditItem {
        s.parse().unwrap()
    }

    fn plan(items: &[&str]) -> PlannedAudit {
        PlannedAudit { scope: items.iter().map(|s| (item(s), true)).collect(), ..Default::default() }
    }

    fn soa(excluded: &[&str]) -> StatementOfApplicability {
        let rows = ControlId::all()
            .map(|c| {
                let applicability = if excluded.contains(&c.as_str()) {
                    Applicability::Excluded
                } else {
                    Applicability::Applicable
                };
                (c, SoaRow { applicability, ..Default::default() })
            })
            .collect();
        StatementOfApplicability { rows, ..Default::default() }
    }

    fn shown(items: Vec<AuditItem>) -> Vec<String> {
        items.iter().map(ToString::to_string).collect()
    }

    /// Planned audits, uncovered clauses, uncovered controls (`None` for all 38).
    type Case<'a> = (Vec<(PlannedAuditId, &'a [&'a str])>, &'a [&'a str], Option<&'a [&'a str]>);

    #[test]
    fn coverage_names_what_no_planned_audit_covers() {
        let all_controls: Vec<String> = ControlId::all().map(|c| c.to_string()).collect();
        let all_clauses = ["4", "5", "6", "7", "8", "9", "10"];
        let every_control: Vec<&str> = all_controls.iter().map(String::as_str).collect();
        let (a, b) = (id::<PlannedAuditId>(1), id::<PlannedAuditId>(2));
        let cases: Vec<Case> = vec![
            (vec![], &all_clauses, None),
            (vec![(a, &["4", "5", "6"]), (b, &["6", "7", "8", "9"])], &["10"], None),
            (vec![(a, &all_clauses), (b, &every_control)], &[], Some(&[])),
            (vec![(a, &all_clauses[..6]), (b, &every_control[1..])], &["10"], Some(&["A.2.2"])),
        ];
        for (n, (audits, clauses, controls)) in cases.into_iter().enumerate() {
            let programme = AuditProgramme {
                audits: audits.iter().map(|(id, items)| (*id, plan(items))).collect(),
                ..Default::default()
            };
            let coverage = audit_coverage(&programme, Some(&soa(&[])));
            assert_eq!(shown(coverage.uncovered_clauses()), clauses, "case {n}");
            let expected: Vec<&str> = controls.map_or(every_control.clone(), <[&str]>::to_vec);
            assert_eq!(shown(coverage.uncovered_controls()), expected, "case {n}");
            assert_eq!(coverage.is_complete(), clauses.is_empty() && expected.is_empty(), "case {n}");
        }
        // Only two controls applicable: an audit of those two covers every applicable control.
        let keep = ["A.2.2", "A.2.3"];
        let others: Vec<&str> = every_control.iter().copied().filter(|c| !keep.contains(c)).collect();
        let programme = AuditProgramme {
            audits: [(a, plan(&all_clauses)), (b, plan(&keep))].into_iter().collect(),
            ..Default::default()
        };
        assert!(audit_coverage(&programme, Some(&soa(&others))).is_complete());
    }

    #[test]
    fn an_excluded_control_needs_no_audit_and_coverage_names_its_audits() {
        let (a, b) = (id::<PlannedAuditId>(1), id::<PlannedAuditId>(2));
        let programme = AuditProgramme {
            audits: [(a, plan(&["4", "A.2.2"])), (b, plan(&["4"]))].into_iter().collect(),
            ..Default::default()
        };
        let coverage = audit_coverage(&programme, Some(&soa(&["A.2.3"])));
        assert_eq!(coverage.controls.len(), 37);
        assert!(!coverage.uncovered_controls().contains(&item("A.2.3")));
        assert!(!coverage.uncovered_controls().contains(&item("A.2.2")));
        assert_eq!(coverage.clauses[0], (item("4"), vec![a, b]));
        // No SoA yet: every control counts as applicable.
        assert_eq!(audit_coverage(&programme, None).controls.len(), 38);
    }
}
