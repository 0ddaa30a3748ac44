//! What each kind of artifact shows in the report: its prose, its registers and its records.

use super::Context;
use crate::catalog;
use crate::model::{DocumentKind, ReviewTopic};
use crate::pack::artifact::Artifact;
use crate::pack::names::utc_time;
use crate::pack::table::{Table, escape_markup};
use crate::readiness::Piece;

/// Prose as paragraphs; an empty text says it is not written.
fn prose(text: &str) -> String {
    if text.trim().is_empty() {
        return "<p class=\"empty\">Not written yet.</p>\n".to_owned();
    }
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p class=\"prose\">{}</p>\n", escape_markup(p.trim()).replace('\n', "<br>")))
        .collect()
}

/// A small table of rows of text, for what no register file holds.
pub(super) fn rows(columns: &[&'static str], rows: Vec<Vec<String>>) -> String {
    let mut table = Table::new("", "", "", columns);
    for row in rows {
        table.push(row.into_iter().map(Into::into).collect());
    }
    table.html()
}

pub(super) fn body(cx: &Context, artifact: &Artifact) -> String {
    let names = cx.names;
    match &artifact.piece {
        Piece::Nothing if artifact.kind == DocumentKind::Workspace => {
            let workspace = names.workspace();
            let members = workspace
                .members
                .values()
                .map(|m| vec![m.name.clone(), m.role.label().to_owned(), m.devices.len().to_string()])
                .collect();
            let keys = cx
                .meta
                .keys
                .iter()
                .map(|k| {
                    let member = workspace.member_for_actor_hex(&k.device).map(|m| names.member(m)).unwrap_or_default();
                    let registered = i64::try_from(k.registered_at).map_or_else(|_| String::new(), |s| utc_time(s.saturating_mul(1000)));
                    vec![k.key_id.clone(), member, registered]
                })
                .collect();
            format!(
                "<h3>Members</h3>\n{}<h3>Device keys certified by the relay</h3>\n{}",
                rows(&["Member", "Role", "Devices"], members),
                rows(&["Key", "Member", "Registered"], keys)
            )
        }
        Piece::Nothing => "<p class=\"empty\">This document could not be read as its kind; its binary and JSON are in the pack.</p>\n".to_owned(),
        Piece::Context(context) => {
            let mut issues: Vec<_> = context.issues.values().collect();
            crate::order::sort_by(&mut issues, |a, b| a.rank.cmp(&b.rank));
            let mut parties: Vec<_> = context.parties.iter().collect();
            crate::order::sort_by(&mut parties, |a, b| a.1.rank.cmp(&b.1.rank));
            format!(
                "<h3>Scope of the AI management system</h3>\n{}<h3>Internal and external issues</h3>\n{}<h3>Interested parties and their requirements</h3>\n{}",
                prose(context.scope.as_str()),
                rows(
                    &["Issue", "Kind", "Description"],
                    issues.iter().map(|i| vec![i.title.clone(), i.kind.label().to_owned(), i.description.as_str().to_owned()]).collect()
                ),
                rows(
                    &["Interested party", "Requirements", "Addressed"],
                    parties
                        .iter()
                        .map(|(id, p)| {
                            let reqs = context.requirements_of(**id);
                            let addressed = reqs.iter().filter(|(_, r)| r.addressed).count();
                            let summaries: Vec<String> = reqs.iter().map(|(_, r)| r.summary.clone()).collect();
                            vec![p.name.clone(), summaries.join("; "), format!("{addressed} of {}", reqs.len())]
                        })
                        .collect()
                )
            )
        }
        Piece::Inventory(_) => cx.table("ai-systems"),
        Piece::Policy(policy) => {
            let versions = policy
                .versions_in_order()
                .into_iter()
                .map(|(number, _, v)| {
                    let approvers: Vec<String> = v.approvals.keys().map(|m| names.member(*m)).collect();
                    vec![number.to_string(), v.label.clone(), names.member(v.proposed_by), utc_time(v.proposed_at_ms), approvers.join(", ")]
                })
                .collect();
            format!(
                "<h3>{}</h3>\n{}<p>Review date: {}</p>\n<h3>Versions</h3>\n{}",
                escape_markup(&policy.title),
                prose(policy.text.as_str()),
                policy.review_date.map_or_else(|| "not set".to_owned(), |d| d.spoken()),
                rows(&["Version", "Label", "Proposed by", "Proposed at", "Approved by"], versions)
            )
        }
        Piece::Roles(roles) => {
            let processes = roles
                .processes_in_order()
                .into_iter()
                .map(|(_, p)| {
                    let of = |letter: crate::model::Raci| -> String {
                        p.raci.iter().filter(|(_, r)| **r == letter).map(|(m, _)| names.member(*m)).collect::<Vec<_>>().join(", ")
                    };
                    use crate::model::Raci;
                    vec![p.name.clone(), of(Raci::Responsible), of(Raci::Accountable), of(Raci::Consulted), of(Raci::Informed)]
                })
                .collect();
            format!(
                "<h3>Responsibilities (RACI)</h3>\n{}<h3>Reporting concerns</h3>\n{}<p>Contact: {}</p>\n",
                rows(&["Process", "Responsible", "Accountable", "Consulted", "Informed"], processes),
                prose(roles.concern_reporting.as_str()),
                escape_markup(&roles.concern_contact)
            )
        }
        Piece::Risks(register) => {
            let c = &register.criteria;
            let scale = |levels: &[crate::model::ScaleLevel]| -> Vec<Vec<String>> {
                levels.iter().enumerate().map(|(i, l)| vec![(i + 1).to_string(), l.label.clone(), l.description.clone()]).collect()
            };
            let bands = c.bands.iter().map(|b| vec![b.name.clone(), b.min_score.to_string()]).collect();
            format!(
                "<h3>Risk criteria</h3>\n<p>Risks scoring at most {} are acceptable.</p>\n<h3>Likelihood</h3>\n{}<h3>Consequence</h3>\n{}<h3>Risk levels</h3>\n{}<h3>Risk register</h3>\n{}<h3>Treatment plan</h3>\n{}",
                c.acceptance_max_score,
                rows(&["Level", "Label", "Meaning"], scale(&c.likelihood)),
                rows(&["Level", "Label", "Meaning"], scale(&c.consequence)),
                rows(&["Band", "From score"], bands),
                cx.table("risks"),
                cx.table("treatment-actions")
            )
        }
        Piece::Soa(_) => cx.table("soa"),
        Piece::Assessment(assessment) => {
            let sections = catalog::impact_sections()
                .iter()
                .filter_map(|s| {
                    let id = s.id.parse().ok()?;
                    let section = assessment.sections.get(&id)?;
                    Some(format!(
                        "<h3>{} {}{}</h3>\n{}",
                        s.id,
                        escape_markup(s.title),
                        if section.complete { " · complete" } else { "" },
                        prose(section.narrative.as_str())
                    ))
                })
                .collect::<String>();
            let mut impacts: Vec<_> = assessment.impacts.values().collect();
            crate::order::sort_by(&mut impacts, |a, b| a.rank.cmp(&b.rank));
            let impacts = impacts
                .iter()
                .map(|i| {
                    vec![
                        i.affected.label().to_owned(),
                        i.kind.label().to_owned(),
                        i.description.clone(),
                        i.likelihood.map(|l| l.to_string()).unwrap_or_default(),
                        i.severity.map(|s| s.to_string()).unwrap_or_default(),
                    ]
                })
                .collect();
            format!(
                "<p>Status: {}. Review date: {}.</p>\n{sections}<h3>Rated impacts</h3>\n{}",
                assessment.status.label(),
                assessment.review_date.map_or_else(|| "not set".to_owned(), |d| d.spoken()),
                rows(&["Affected", "Kind", "Impact", "Likelihood", "Severity"], impacts)
            )
        }
        Piece::Objectives(_) => cx.table("objectives"),
        Piece::Monitoring(_) => format!("<h3>Indicators</h3>\n{}<h3>Readings</h3>\n{}", cx.table("indicators"), cx.table("readings")),
        Piece::Changes(changes) => {
            let mut planned: Vec<_> = changes.changes.values().collect();
            crate::order::sort_by(&mut planned, |a, b| a.rank.cmp(&b.rank));
            rows(
                &["Change", "Purpose", "Owner", "Due", "Status"],
                planned
                    .iter()
                    .map(|c| {
                        vec![
                            c.title.clone(),
                            c.purpose.as_str().to_owned(),
                            names.member_or_empty(c.owner),
                            c.due.map(|d| d.to_string()).unwrap_or_default(),
                            c.status.label().to_owned(),
                        ]
                    })
                    .collect(),
            )
        }
        Piece::Support(support) => {
            let mut awareness: Vec<_> = support.awareness.values().collect();
            crate::order::sort_by(&mut awareness, |a, b| a.rank.cmp(&b.rank));
            let acknowledged = support.acknowledgements.len();
            format!(
                "<h3>Competence and training records</h3>\n{}<h3>Awareness</h3>\n{}<p>Policy acknowledgements recorded: {acknowledged}.</p>\n",
                cx.table("training-records"),
                rows(
                    &["Topic", "Audience", "Held on"],
                    awareness
                        .iter()
                        .map(|a| vec![a.topic.clone(), a.audience.clone(), a.held_on.map(|d| d.to_string()).unwrap_or_default()])
                        .collect()
                )
            )
        }
        Piece::Documented(_) => cx.table("documented-information"),
        Piece::AuditProgramme(programme) => rows(
            &["Planned audit", "Scope", "From", "To", "Auditor"],
            programme
                .audits_in_order()
                .into_iter()
                .map(|(_, a)| {
                    let scope: Vec<String> = a.scope.keys().map(ToString::to_string).collect();
                    vec![
                        a.title.clone(),
                        scope.join(", "),
                        a.planned_from.map(|d| d.to_string()).unwrap_or_default(),
                        a.planned_to.map(|d| d.to_string()).unwrap_or_default(),
                        names.member_or_empty(a.auditor),
                    ]
                })
                .collect(),
        ),
        Piece::Audit(audit) => {
            let findings = audit
                .findings_in_order()
                .into_iter()
                .map(|(_, f)| {
                    vec![f.kind.label().to_owned(), f.summary.clone(), f.item.map(|i| i.to_string()).unwrap_or_default(), f.description.as_str().to_owned()]
                })
                .collect();
            let scope: Vec<String> = audit.scope.iter().filter(|(_, on)| **on).map(|(i, _)| i.to_string()).collect();
            format!(
                "<p>Auditor: {}. Held on: {}. Closed on: {}.</p>\n<p>Scope: {}</p>\n<h3>Criteria</h3>\n{}<h3>Findings</h3>\n{}<h3>Conclusion</h3>\n{}",
                escape_markup(&names.member_or_empty(audit.auditor)),
                audit.held_on.map_or_else(|| "not yet".to_owned(), |d| d.spoken()),
                audit.closed_on.map_or_else(|| "open".to_owned(), |d| d.spoken()),
                escape_markup(&scope.join(", ")),
                prose(audit.criteria.as_str()),
                rows(&["Kind", "Finding", "Clause or control", "Description"], findings),
                prose(audit.conclusion.as_str())
            )
        }
        Piece::Review(review) => {
            let inputs: String = ReviewTopic::ALL
                .iter()
                .map(|topic| format!("<h3>{}</h3>\n{}", escape_markup(topic.label()), prose(review.notes(*topic))))
                .collect();
            let decisions = review.decisions_in_order().into_iter().map(|(_, d)| vec![d.summary.clone(), d.description.as_str().to_owned()]).collect();
            let actions = review
                .actions_in_order()
                .into_iter()
                .map(|(_, a)| {
                    vec![a.title.clone(), names.member_or_empty(a.owner), a.due.map(|d| d.to_string()).unwrap_or_default(), if a.done { "yes" } else { "no" }.to_owned()]
                })
                .collect();
            format!(
                "<p>Held on: {}. Attendees: {}.</p>\n{inputs}<h3>Decisions</h3>\n{}<h3>Actions</h3>\n{}",
                review.held_on.map_or_else(|| "not yet".to_owned(), |d| d.spoken()),
                escape_markup(&review.attendees),
                rows(&["Decision", "Details"], decisions),
                rows(&["Action", "Owner", "Due", "Done"], actions)
            )
        }
        Piece::Improvement(improvement) => {
            let mut log: Vec<_> = improvement.log.values().collect();
            crate::order::sort_by(&mut log, |a, b| a.rank.cmp(&b.rank));
            format!(
                "<h3>Nonconformities</h3>\n{}<h3>Corrective actions</h3>\n{}<h3>Continual improvement</h3>\n{}",
                cx.table("nonconformities"),
                cx.table("corrective-actions"),
                rows(
                    &["Improvement", "Made on", "Owner"],
                    log.iter().map(|e| vec![e.title.clone(), e.made_on.map(|d| d.to_string()).unwrap_or_default(), names.member_or_empty(e.owner)]).collect()
                )
            )
        }
    }
}
