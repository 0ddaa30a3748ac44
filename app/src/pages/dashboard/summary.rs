//! What the dashboard draws, derived from a [`Readiness`] as plain values the views compare.

use quorum_shared::readiness::{Progress, Readiness};

use crate::components::gap_list::{self, ClauseGaps, ObjectiveGaps};
use crate::components::progress_bars::Bar;

/// Everything the dashboard shows of readiness; re-rendered only when it changes.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Summary {
    pub overall: Progress,
    pub clauses: Vec<Bar>,
    pub objectives: Vec<Bar>,
    pub clause_gaps: Vec<ClauseGaps>,
    pub control_gaps: Vec<ObjectiveGaps>,
}

pub fn summarize(readiness: &Readiness) -> Summary {
    let bar = |id, title, progress| Bar { id, title, progress };
    Summary {
        overall: readiness.overall(),
        clauses: readiness.by_clause().into_iter().map(|(c, p)| bar(c.id, c.title, p)).collect(),
        objectives: readiness.by_objective().into_iter().map(|(o, p)| bar(o.id, o.title, p)).collect(),
        clause_gaps: gap_list::group_by_clause(readiness.gaps()),
        control_gaps: gap_list::group_by_objective(&readiness.controls),
    }
}

#[cfg(test)]
mod tests {
    use quorum_shared::catalog;
    use quorum_shared::model::{self, ControlId, StatementOfApplicability};
    use quorum_shared::readiness::{self, Evidence};

    use super::*;

    // Plain data, so the tests run natively and, in the wasm suite, under wasm-bindgen-test.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn excluding_a_control_moves_its_objective_bar_and_leaves_the_gap_list() {
        let mut doc = model::new_document();
        model::create_soa(&mut doc, 0).unwrap();
        let before = summarize(&readiness::assess(&Evidence {
            soa: Some(StatementOfApplicability::load(&doc).unwrap()),
            ..Evidence::default()
        }));
        assert_eq!(
            before.clauses.iter().map(|b| b.id).collect::<Vec<_>>(),
            ["4", "5", "6", "7", "8", "9", "10"]
        );
        assert_eq!(before.objectives.len(), catalog::objectives().len());
        let a10 = |s: &Summary| s.objectives.iter().find(|b| b.id == "A.10").unwrap().progress;
        assert_eq!(a10(&before).met, 0);

        let control: ControlId = "A.10.4".parse().unwrap();
        model::exclude_control(&mut doc, 2_000, control, "We buy no AI services").unwrap();
        let after = summarize(&readiness::assess(&Evidence {
            soa: Some(StatementOfApplicability::load(&doc).unwrap()),
            ..Evidence::default()
        }));
        assert_eq!(a10(&after).met, 1);
        assert_eq!(after.overall.met, before.overall.met + 1);
        let open: Vec<&str> =
            after.control_gaps.iter().flat_map(|g| g.controls.iter().map(|c| c.id)).collect();
        assert!(!open.contains(&"A.10.4") && open.contains(&"A.10.3"));
    }
}
