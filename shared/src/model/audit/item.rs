//! What an audit covers: a requirement clause 4 to 10, or an Annex A control.

use std::fmt;
use std::str::FromStr;

use crate::catalog;
use crate::model::ids::string_in_document;
use crate::model::{Applicability, ControlId, StatementOfApplicability};

/// A clause 4 to 10 or an Annex A control, the key of an audit's scope and checklist. Clauses
/// sort before controls, and each in the standard's order ("10" after "9").
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum AuditItem {
    /// A top-level clause, `"4"` to `"10"`.
    Clause(&'static str),
    Control(ControlId),
}

impl AuditItem {
    /// Clauses 4 to 10, in order.
    pub fn clauses() -> impl Iterator<Item = AuditItem> {
        catalog::top_level_clauses().map(|clause| AuditItem::Clause(clause.id))
    }

    /// The controls the SoA holds applicable, in the order of Annex A; every control when there
    /// is no SoA yet, since a control is applicable until someone excludes it.
    pub fn applicable_controls(soa: Option<&StatementOfApplicability>) -> Vec<AuditItem> {
        ControlId::all()
            .filter(|control| {
                soa.is_none_or(|soa| {
                    soa.rows.get(control).is_none_or(|row| row.applicability == Applicability::Applicable)
                })
            })
            .map(AuditItem::Control)
            .collect()
    }

    /// The clause's or control's short title.
    pub fn title(&self) -> &'static str {
        match self {
            AuditItem::Clause(id) => catalog::clause(id).map_or("", |clause| clause.title),
            AuditItem::Control(control) => control.control().title,
        }
    }

    fn order(&self) -> (usize, usize) {
        match self {
            AuditItem::Clause(id) => (0, id.parse().unwrap_or(usize::MAX)),
            AuditItem::Control(control) => {
                (1, ControlId::all().position(|c| c == *control).unwrap_or(usize::MAX))
            }
        }
    }
}

impl Ord for AuditItem {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.order().cmp(&other.order())
    }
}

impl PartialOrd for AuditItem {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for AuditItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditItem::Clause(id) => f.write_str(id),
            AuditItem::Control(control) => write!(f, "{control}"),
        }
    }
}

/// Why a string is not an [`AuditItem`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is neither a clause 4 to 10 nor an Annex A control")]
pub struct ParseAuditItemError(String);

impl FromStr for AuditItem {
    type Err = ParseAuditItemError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(clause) = catalog::top_level_clauses().find(|clause| clause.id == s) {
            return Ok(AuditItem::Clause(clause.id));
        }
        s.parse().map(AuditItem::Control).map_err(|_| ParseAuditItemError(s.to_string()))
    }
}

string_in_document!(AuditItem, "a clause or annex a control id");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_parse_print_and_sort_in_the_standards_order() {
        let items: Vec<AuditItem> =
            ["A.10.2", "10", "A.2.2", "9", "4"].iter().map(|s| s.parse().unwrap()).collect();
        let mut sorted = items.clone();
        crate::order::sort(&mut sorted);
        let shown: Vec<String> = sorted.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["4", "9", "10", "A.2.2", "A.10.2"]);
        assert_eq!(AuditItem::clauses().count(), 7);
        for bad in ["3", "11", "6.1", "A.99", ""] {
            assert!(bad.parse::<AuditItem>().is_err(), "{bad}");
        }
        assert!(!"8".parse::<AuditItem>().unwrap().title().is_empty());
    }
}
