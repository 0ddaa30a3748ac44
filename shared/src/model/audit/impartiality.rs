//! Whether an auditor would audit their own work (9.2.2 asks auditors to be objective and
//! impartial): a control in scope they own in the SoA, a process they are accountable for, a
//! risk they own that the scope reaches.

use std::collections::BTreeMap;

use crate::model::{ControlId, MemberId, Raci, RiskRegister, Roles, StatementOfApplicability};

use super::AuditItem;

/// One area of the audit the auditor is responsible for.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ImpartialityConflict {
    /// The auditor owns this control in the SoA, and it is in scope.
    OwnsControl(ControlId),
    /// The auditor is accountable for this AIMS process (by name).
    AccountableFor(String),
    /// The auditor owns this risk (by title), and the scope reaches it: clause 6 or 8, or a
    /// control that treats it.
    OwnsRisk(String),
}

impl ImpartialityConflict {
    /// The conflict in a person's words.
    pub fn describe(&self) -> String {
        match self {
            Self::OwnsControl(control) => {
                format!("owns control {control} ({}) in the SoA", control.control().title)
            }
            Self::AccountableFor(process) => {
                format!("is accountable for the process \u{201c}{process}\u{201d}")
            }
            Self::OwnsRisk(risk) => format!("owns the risk \u{201c}{risk}\u{201d}"),
        }
    }
}

/// The areas of an audit of `scope` that `auditor` is responsible for; empty when the auditor
/// is independent of everything in scope (or the scope is empty).
pub fn impartiality_conflicts(
    auditor: MemberId,
    scope: &BTreeMap<AuditItem, bool>,
    soa: Option<&StatementOfApplicability>,
    roles: Option<&Roles>,
    risks: Option<&RiskRegister>,
) -> Vec<ImpartialityConflict> {
    if scope.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    if let Some(soa) = soa {
        for item in scope.keys() {
            if let AuditItem::Control(control) = item
                && soa.rows.get(control).is_some_and(|row| row.owner == Some(auditor))
            {
                out.push(ImpartialityConflict::OwnsControl(*control));
            }
        }
    }
    if let Some(roles) = roles {
        for (_, process) in roles.processes_in_order() {
            if process.raci.get(&auditor) == Some(&Raci::Accountable) {
                out.push(ImpartialityConflict::AccountableFor(process.name.clone()));
            }
        }
    }
    if let Some(risks) = risks {
        let risk_clauses = scope.keys().any(|item| matches!(item, AuditItem::Clause("6" | "8")));
        for (_, risk) in risks.risks_in_order() {
            let reached =
                risk_clauses || risk.controls.keys().any(|c| scope.contains_key(&AuditItem::Control(*c)));
            if risk.owner == Some(auditor) && reached {
                out.push(ImpartialityConflict::OwnsRisk(risk.title.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::id;
    use crate::model::{AimsProcess, Risk, SoaRow};

    fn scope(items: &[&str]) -> BTreeMap<AuditItem, bool> {
        items.iter().map(|s| (s.parse().unwrap(), true)).collect()
    }

    #[test]
    fn conflicts_are_the_areas_the_auditor_is_responsible_for() {
        let (ada, bo) = (MemberId::from_bytes([1; 16]), MemberId::from_bytes([2; 16]));
        let c = |s: &str| s.parse::<ControlId>().unwrap();
        let mut soa = StatementOfApplicability::default();
        soa.rows.insert(c("A.2.2"), SoaRow { owner: Some(ada), ..Default::default() });
        soa.rows.insert(c("A.6.2.4"), SoaRow { owner: Some(bo), ..Default::default() });
        let mut roles = Roles::default();
        let process = AimsProcess {
            name: "AI risk assessment".into(),
            raci: [(ada, Raci::Accountable), (bo, Raci::Responsible)].into_iter().collect(),
            ..Default::default()
        };
        roles.processes.insert(id(1), process);
        let mut risks = RiskRegister::default();
        let risk = Risk {
            title: "Biased ranking".into(),
            owner: Some(bo),
            controls: [(c("A.7.4"), true)].into_iter().collect(),
            ..Default::default()
        };
        risks.risks.insert(id(1), risk);
        let conflicts = |who, items: &[&str]| {
            impartiality_conflicts(who, &scope(items), Some(&soa), Some(&roles), Some(&risks))
        };
        let accountable = ImpartialityConflict::AccountableFor("AI risk assessment".into());
        let owns_risk = ImpartialityConflict::OwnsRisk("Biased ranking".into());
        // (auditor, scope, conflicts)
        let cases: Vec<(MemberId, &[&str], Vec<ImpartialityConflict>)> = vec![
            (ada, &[], vec![]),
            (ada, &["A.2.2", "4"], vec![ImpartialityConflict::OwnsControl(c("A.2.2")), accountable.clone()]),
            (ada, &["A.6.2.4"], vec![accountable]),
            (bo, &["4", "5"], vec![]),
            (bo, &["A.6.2.4"], vec![ImpartialityConflict::OwnsControl(c("A.6.2.4"))]),
            (bo, &["8"], vec![owns_risk.clone()]),
            (bo, &["A.7.4"], vec![owns_risk]),
        ];
        for (n, (who, items, expected)) in cases.into_iter().enumerate() {
            assert_eq!(conflicts(who, items), expected, "case {n}");
        }
        assert!(impartiality_conflicts(bo, &scope(&["8"]), None, None, None).is_empty());
        assert!(ImpartialityConflict::OwnsControl(c("A.2.2")).describe().contains("A.2.2"));
    }
}
