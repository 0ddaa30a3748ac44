//! `evidence-index.csv`: for each clause and Annex A control, which artifact evidences it, at
//! which version, last changed when, approved by whom, and where it is in the pack.

use super::artifact::{Artifact, clauses_of};
use super::names::{short_heads, utc_time};
use super::table::Table;
use crate::catalog;
use crate::model::DocumentKind;
use crate::readiness::Evidence;

/// Where an artifact is in the pack: its registers, else its section of the report.
fn files_of(artifact: &Artifact, tables: &[(Table, DocumentKind)]) -> String {
    let mut files: Vec<String> = tables
        .iter()
        .filter(|(_, kind)| *kind == artifact.kind)
        .map(|(table, _)| format!("registers/{}.csv", table.file))
        .collect();
    files.push(format!("index.html#{}", artifact.anchor()));
    files.join("; ")
}

pub(crate) fn evidence_index(
    artifacts: &[Artifact],
    tables: &[(Table, DocumentKind)],
    evidence: &Evidence,
) -> Table {
    let mut index = Table::new(
        "evidence-index",
        "Evidence index",
        "all",
        &[
            "Clause or control",
            "Title",
            "Artifact",
            "Version",
            "Last change",
            "Approved by",
            "File in the pack",
        ],
    );
    for clause in catalog::clauses() {
        for artifact in artifacts.iter().filter(|a| clauses_of(a.kind).contains(&clause.id)) {
            index.push(vec![
                clause.id.into(),
                clause.title.into(),
                artifact.title.as_str().into(),
                short_heads(&artifact.heads).into(),
                artifact.last.as_ref().map(|(at, _)| utc_time(*at)).into(),
                artifact.approvers().into(),
                files_of(artifact, tables).into(),
            ]);
        }
    }
    let soa = artifacts.iter().find(|a| a.kind == DocumentKind::StatementOfApplicability);
    if let (Some(artifact), Some(statement)) = (soa, evidence.soa.as_ref()) {
        for control in catalog::controls() {
            let Some(row) = control.id.parse().ok().and_then(|id| statement.rows.get(&id)) else { continue };
            index.push(vec![
                control.id.into(),
                control.title.into(),
                format!("{}: {}, {}", artifact.title, row.applicability.label(), row.status.label()).into(),
                short_heads(&artifact.heads).into(),
                artifact.last.as_ref().map(|(at, _)| utc_time(*at)).into(),
                artifact.approvers().into(),
                "registers/soa.csv".into(),
            ]);
        }
    }
    index
}
