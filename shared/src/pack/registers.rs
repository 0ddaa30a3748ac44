//! Every register of the workspace as a [`Table`], in the order an auditor reads them, each with
//! the kind of document it comes from (whose version the file's metadata names).

use std::collections::BTreeMap;

use super::names::Names;
use super::table::{Cell, Table};
use crate::catalog;
use crate::model::{DocumentKind, Rank, SystemId, document_rows};
use crate::readiness::Evidence;

/// The records of a register in their order on screen: by rank, then by id.
fn ranked<K: Copy + Ord, R>(map: &BTreeMap<K, R>, rank: fn(&R) -> &Rank) -> Vec<(K, &R)> {
    let mut records: Vec<(K, &R)> = map.iter().map(|(k, r)| (*k, r)).collect();
    crate::order::sort_by(&mut records, |(a_id, a), (b_id, b)| rank(a).cmp(rank(b)).then(a_id.cmp(b_id)));
    records
}

fn yes_no(value: bool) -> Cell {
    Cell::from(if value { "yes" } else { "no" })
}

fn date(value: Option<crate::model::Date>) -> Cell {
    Cell::from(value.map(|d| d.to_string()))
}

/// Every register, each with the kind of document it is read from.
pub(crate) fn registers(e: &Evidence, names: &Names) -> Vec<(Table, DocumentKind)> {
    let system_name = |id: Option<SystemId>| -> String {
        id.and_then(|id| e.inventory.as_ref()?.systems.get(&id).map(|s| s.name.clone())).unwrap_or_default()
    };
    let mut tables = Vec::new();

    let mut soa = Table::new(
        "soa",
        "Statement of Applicability",
        "6.1.3, Annex A",
        &["Control", "Title", "Applicability", "Justification", "Implementation", "Owner", "Evidence"],
    );
    if let Some(statement) = &e.soa {
        for control in catalog::controls() {
            let Ok(id) = control.id.parse() else { continue };
            let Some(row) = statement.rows.get(&id) else { continue };
            let evidence: Vec<String> =
                ranked(&statement.evidence, |x| &x.rank)
                    .into_iter()
                    .filter(|(_, x)| x.control == id)
                    .map(|(_, x)| {
                        if x.link.is_empty() { x.label.clone() } else { format!("{} <{}>", x.label, x.link) }
                    })
                    .collect();
            soa.push(vec![
                control.id.into(),
                control.title.into(),
                row.applicability.label().into(),
                row.justification.as_str().into(),
                row.status.label().into(),
                names.member_or_empty(row.owner).into(),
                evidence.join("; ").into(),
            ]);
        }
    }
    tables.push((soa, DocumentKind::StatementOfApplicability));

    let mut risks = Table::new(
        "risks",
        "AI risk register",
        "6.1.2, 6.1.3, 8.2, 8.3",
        &[
            "Risk",
            "Source",
            "AI system",
            "Description",
            "Likelihood",
            "Consequence",
            "Level",
            "Band",
            "Owner",
            "Treatment",
            "Controls",
            "Residual likelihood",
            "Residual consequence",
            "Residual level",
            "Treatment approved by",
            "Approved at",
        ],
    );
    let mut actions = Table::new(
        "treatment-actions",
        "Risk treatment plan",
        "6.1.3, 8.3",
        &["Risk", "Action", "Owner", "Due", "Done"],
    );
    if let Some(register) = &e.risks {
        let criteria = &register.criteria;
        for (id, risk) in register.risks_in_order() {
            let level = criteria.level_of(risk.likelihood, risk.consequence);
            let residual = criteria.level_of(risk.residual_likelihood, risk.residual_consequence);
            let controls: Vec<String> =
                risk.controls.iter().filter(|(_, on)| **on).map(|(c, _)| c.to_string()).collect();
            let approval = risk.approval.as_ref();
            risks.push(vec![
                risk.title.as_str().into(),
                risk.source.clone().into(),
                system_name(risk.system).into(),
                risk.description.as_str().into(),
                risk.likelihood.into(),
                risk.consequence.into(),
                level.as_ref().map(|l| l.score).into(),
                level.map(|l| l.band).into(),
                names.member_or_empty(risk.owner).into(),
                risk.treatment.label().into(),
                controls.join(", ").into(),
                risk.residual_likelihood.into(),
                risk.residual_consequence.into(),
                residual.map(|l| l.score).into(),
                approval.map(|a| names.member(a.member)).into(),
                approval.map(|a| super::utc_time(a.sign_off.at_ms)).into(),
            ]);
            for (_, action) in
                ranked(&register.actions, |a| &a.rank).into_iter().filter(|(_, a)| a.risk == id)
            {
                actions.push(vec![
                    risk.title.as_str().into(),
                    action.title.as_str().into(),
                    names.member_or_empty(action.owner).into(),
                    date(action.due),
                    yes_no(action.done),
                ]);
            }
        }
    }
    tables.push((risks, DocumentKind::RiskRegister));
    tables.push((actions, DocumentKind::RiskRegister));

    let mut systems = Table::new(
        "ai-systems",
        "AI system inventory",
        "4.3, A.4, A.6",
        &["AI system", "Purpose", "Organization's role", "Life cycle stage", "Data", "Owner", "In scope"],
    );
    if let Some(inventory) = &e.inventory {
        for (_, system) in ranked(&inventory.systems, |s| &s.rank) {
            systems.push(vec![
                system.name.as_str().into(),
                system.purpose.as_str().into(),
                system.organization_role.label().into(),
                system.life_cycle.label().into(),
                system.data.as_str().into(),
                names.member_or_empty(system.owner).into(),
                yes_no(system.in_scope),
            ]);
        }
    }
    tables.push((systems, DocumentKind::Inventory));

    let mut assessments = Table::new(
        "impact-assessments",
        "AI system impact assessments",
        "6.1.4, 8.4, A.5",
        &["Assessment", "AI system", "Status", "Review date", "Sections complete", "Impacts", "Approved by"],
    );
    for assessment in &e.assessments {
        let complete = assessment.sections.values().filter(|s| s.complete).count() as u64;
        let approvers: Vec<String> = assessment.approvals.keys().map(|m| names.member(*m)).collect();
        assessments.push(vec![
            assessment.title.as_str().into(),
            system_name(assessment.system).into(),
            assessment.status.label().into(),
            date(assessment.review_date),
            Cell::from(complete),
            Cell::from(assessment.impacts.len() as u64),
            approvers.join(", ").into(),
        ]);
    }
    tables.push((assessments, DocumentKind::ImpactAssessment));

    let mut objectives = Table::new(
        "objectives",
        "AI objectives",
        "6.2",
        &["Objective", "Description", "Measure", "Target", "Owner", "Due", "Status", "Progress (%)"],
    );
    if let Some(register) = &e.objectives {
        for (_, objective) in ranked(&register.objectives, |o| &o.rank) {
            objectives.push(vec![
                objective.title.as_str().into(),
                objective.description.as_str().into(),
                objective.measure.as_str().into(),
                objective.target.as_str().into(),
                names.member_or_empty(objective.owner).into(),
                date(objective.due),
                objective.status.label().into(),
                objective.progress.into(),
            ]);
        }
    }
    tables.push((objectives, DocumentKind::Objectives));

    let mut indicators = Table::new(
        "indicators",
        "Monitoring indicators",
        "9.1",
        &["Indicator", "Method", "Frequency", "Target", "Unit", "Better when", "Owner", "Since"],
    );
    let mut readings =
        Table::new("readings", "Monitoring readings", "9.1", &["Indicator", "Date", "Value", "Note"]);
    if let Some(monitoring) = &e.monitoring {
        for (id, indicator) in ranked(&monitoring.indicators, |i| &i.rank) {
            indicators.push(vec![
                indicator.name.as_str().into(),
                indicator.method.as_str().into(),
                indicator.frequency.label().into(),
                indicator.target.into(),
                indicator.unit.as_str().into(),
                indicator.direction.label().into(),
                names.member_or_empty(indicator.owner).into(),
                date(indicator.since),
            ]);
            let mut of_indicator: Vec<_> =
                monitoring.readings.values().filter(|r| r.indicator == id).collect();
            crate::order::sort_by(&mut of_indicator, |a, b| a.date.cmp(&b.date).then(a.rank.cmp(&b.rank)));
            for reading in of_indicator {
                readings.push(vec![
                    indicator.name.as_str().into(),
                    reading.date.to_string().into(),
                    reading.value.into(),
                    reading.note.as_str().into(),
                ]);
            }
        }
    }
    tables.push((indicators, DocumentKind::Monitoring));
    tables.push((readings, DocumentKind::Monitoring));

    let mut training = Table::new(
        "training-records",
        "Competence and training records",
        "7.2",
        &[
            "Person",
            "Competence",
            "Course or evidence of competence",
            "Completed on",
            "Expires on",
            "Evidence",
        ],
    );
    if let Some(support) = &e.support {
        for (_, record) in ranked(&support.training, |t| &t.rank) {
            let competence =
                record.competence.and_then(|c| support.competences.get(&c)).map(|c| c.name.clone());
            training.push(vec![
                record.person.as_str().into(),
                competence.into(),
                record.course.as_str().into(),
                date(record.completed_on),
                date(record.expires_on),
                record.evidence.as_str().into(),
            ]);
        }
    }
    tables.push((training, DocumentKind::Support));

    let mut documented = Table::new(
        "documented-information",
        "Documented information",
        "7.5",
        &[
            "Document",
            "Version",
            "Owner",
            "Approval",
            "Approved by",
            "Approved on",
            "Review on",
            "Location",
            "Retention",
            "Flags",
        ],
    );
    if let (Some(workspace), Some(register)) = (e.workspace.as_ref(), e.documented.as_ref()) {
        let rows = document_rows(&workspace.documents, register, &e.artifact_facts, e.today);
        for row in rows.rows {
            let flags: Vec<&str> = row.flags.iter().map(|f| f.label()).collect();
            documented.push(vec![
                row.title.into(),
                row.version.into(),
                names.member_or_empty(row.owner).into(),
                row.own_approval
                    .unwrap_or_else(|| (if row.approved { "approved" } else { "not approved" }).into())
                    .into(),
                names.member_or_empty(row.approved_by).into(),
                date(row.approved_on),
                date(row.review_on),
                row.location.into(),
                row.retention.into(),
                flags.join(", ").into(),
            ]);
        }
    }
    tables.push((documented, DocumentKind::DocumentedInformation));

    let mut audits = Table::new(
        "audits",
        "Internal audits",
        "9.2",
        &["Audit", "Auditor", "Held on", "Scope", "Findings", "Closed on"],
    );
    let mut findings = Table::new(
        "findings",
        "Audit findings",
        "9.2",
        &["Audit", "Kind", "Finding", "Clause or control", "Description"],
    );
    for audit in &e.audits {
        let scope: Vec<String> =
            audit.scope.iter().filter(|(_, on)| **on).map(|(item, _)| item.to_string()).collect();
        audits.push(vec![
            audit.title.as_str().into(),
            names.member_or_empty(audit.auditor).into(),
            date(audit.held_on),
            scope.join(", ").into(),
            Cell::from(audit.findings.len() as u64),
            date(audit.closed_on),
        ]);
        for (_, finding) in audit.findings_in_order() {
            findings.push(vec![
                audit.title.as_str().into(),
                finding.kind.label().into(),
                finding.summary.as_str().into(),
                finding.item.map(|i| i.to_string()).into(),
                finding.description.as_str().into(),
            ]);
        }
    }
    tables.push((audits, DocumentKind::Audit));
    tables.push((findings, DocumentKind::Audit));

    let mut nonconformities = Table::new(
        "nonconformities",
        "Nonconformities",
        "10.2",
        &[
            "Nonconformity",
            "Source",
            "Detected on",
            "Owner",
            "Reaction",
            "Root cause",
            "Status",
            "Closed on",
            "Effective",
        ],
    );
    let mut corrective = Table::new(
        "corrective-actions",
        "Corrective actions",
        "10.2",
        &["Nonconformity", "Action", "Owner", "Due", "Done"],
    );
    if let Some(improvement) = &e.improvement {
        for (id, nc) in ranked(&improvement.nonconformities, |n| &n.rank) {
            let effective = nc.effectiveness.effective.map(|e| if e { "yes" } else { "no" });
            nonconformities.push(vec![
                nc.title.as_str().into(),
                nc.source.label().into(),
                date(nc.detected_on),
                names.member_or_empty(nc.owner).into(),
                nc.reaction.as_str().into(),
                nc.root_cause.as_str().into(),
                nc.status.label().into(),
                date(nc.closed_on),
                effective.into(),
            ]);
            for (_, action) in ranked(&improvement.corrective_actions, |a| &a.rank)
                .into_iter()
                .filter(|(_, a)| a.nonconformity == id)
            {
                corrective.push(vec![
                    nc.title.as_str().into(),
                    action.title.as_str().into(),
                    names.member_or_empty(action.owner).into(),
                    date(action.due),
                    yes_no(action.done),
                ]);
            }
        }
    }
    tables.push((nonconformities, DocumentKind::Improvement));
    tables.push((corrective, DocumentKind::Improvement));
    tables
}
