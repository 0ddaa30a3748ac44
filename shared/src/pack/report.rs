//! `index.html`: the printable report, in the order an auditor reads an AI management system.
//! It needs nothing but a browser: styles are inline, there is no script, and a print
//! stylesheet starts each artifact on a new page so that "Save as PDF" gives a clean document.

use automerge::AutoCommit;

use super::PackMeta;
use super::approvals::ApprovalRecord;
use super::evidence_index::clauses_of;
use super::names::{Names, short_heads, utc_time};
use super::table::{Table, escape_markup};
use crate::catalog;
use crate::model::{DocumentKind, ReviewTopic};
use crate::readiness::{self, Evidence, Piece};

/// One document as the pack holds it.
pub(crate) struct Artifact {
    pub id: String,
    pub kind: DocumentKind,
    pub title: String,
    pub doc: AutoCommit,
    /// The version in the pack, as hex change hashes.
    pub heads: Vec<String>,
    pub changes: usize,
    /// The latest change: when, and by whom.
    pub last: Option<(i64, String)>,
    pub piece: Piece,
    pub approvals: Vec<ApprovalRecord>,
}

impl Artifact {
    /// The id of the artifact's section in `index.html`.
    pub fn anchor(&self) -> String {
        format!("{}-{}", self.kind.as_token(), self.id.chars().take(10).collect::<String>())
    }

    /// Who approved it, each with whether the signature holds.
    pub fn approvers(&self) -> String {
        let words: Vec<String> = self
            .approvals
            .iter()
            .map(|a| {
                format!(
                    "{} ({})",
                    a.member_name,
                    if a.verdict.is_ok() { "signature verified" } else { "not verified" }
                )
            })
            .collect();
        words.join("; ")
    }
}

/// What the report reads across artifacts.
pub(crate) struct Context<'a> {
    pub workspace_name: &'a str,
    pub meta: &'a PackMeta,
    pub names: &'a Names,
    pub evidence: &'a Evidence,
    pub tables: &'a [(Table, DocumentKind)],
    pub not_yet: &'a [String],
    pub missing: &'a [String],
}

impl Context<'_> {
    fn table(&self, file: &str) -> String {
        self.tables.iter().find(|(t, _)| t.file == file).map(|(t, _)| t.html()).unwrap_or_default()
    }
}

/// The order an auditor reads: scope and context, leadership, planning, support, operation,
/// performance evaluation, improvement.
const READING_ORDER: [DocumentKind; 17] = [
    DocumentKind::Workspace,
    DocumentKind::Context,
    DocumentKind::Inventory,
    DocumentKind::Policy,
    DocumentKind::Roles,
    DocumentKind::RiskRegister,
    DocumentKind::StatementOfApplicability,
    DocumentKind::ImpactAssessment,
    DocumentKind::Objectives,
    DocumentKind::Monitoring,
    DocumentKind::PlannedChanges,
    DocumentKind::Support,
    DocumentKind::DocumentedInformation,
    DocumentKind::AuditProgramme,
    DocumentKind::Audit,
    DocumentKind::ManagementReview,
    DocumentKind::Improvement,
];

const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6474; --line: #d9dde5; --accent: #2f5d8a; --ok: #1f7a4d; --bad: #a23b2a; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.45 "Source Sans 3", "Segoe UI", system-ui, sans-serif; color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 2rem; }
h1 { font-size: 2rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.35rem; margin: 0 0 .3rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.eyebrow, .clauses { color: var(--muted); font-size: .85rem; letter-spacing: .02em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .6rem 0 1rem; padding: .6rem .8rem; background: #f5f7fa; border: 1px solid var(--line); border-radius: 4px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code, .hash { font-family: "JetBrains Mono", ui-monospace, monospace; font-size: .85em; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .25rem .4rem; text-align: left; vertical-align: top; overflow-wrap: break-word; hyphens: auto; }
th { background: #eef1f5; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.prose { white-space: normal; }
.empty { color: var(--muted); font-style: italic; }
.verified { color: var(--ok); }
.unverified { color: var(--bad); }
nav.toc ol { padding-left: 1.2rem; }
nav.toc li { margin: .15rem 0; }
nav.toc a { color: var(--ink); text-decoration: none; }
section { margin-top: 2.5rem; }
.bar { display: inline-block; height: .6rem; background: var(--line); width: 8rem; vertical-align: middle; }
.bar span { display: block; height: 100%; background: var(--accent); }
.bar, .bar span, th, dl.facts { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@page { size: A4; margin: 16mm 14mm; }
/* The widest registers print across the page. */
@page wide { size: A4 landscape; margin: 14mm 12mm; }
section.artifact:is([data-kind="risk-register"], [data-kind="soa"], [data-kind="documented-information"]) { page: wide; }
@media print {
  body { max-width: none; padding: 0; }
  section.artifact, section.appendix, nav.toc { break-before: page; }
  h2, h3 { break-after: avoid; }
  tr, dl.facts { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"#;

pub(crate) fn render(cx: &Context, artifacts: &[Artifact]) -> String {
    let mut ordered: Vec<&Artifact> = artifacts.iter().collect();
    crate::order::sort_by_key(&mut ordered, |a| {
        (
            READING_ORDER.iter().position(|k| *k == a.kind).unwrap_or(READING_ORDER.len()),
            a.title.to_lowercase(),
        )
    });
    let name = escape_markup(cx.workspace_name);
    let mut html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Audit pack: {name}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    html.push_str(&cover(cx, artifacts));
    html.push_str("<nav class=\"toc\" aria-labelledby=\"toc\"><h2 id=\"toc\">Contents</h2><ol>\n");
    for artifact in &ordered {
        html.push_str(&format!(
            "<li><a href=\"#{}\">{}</a> <span class=\"clauses\">{}</span></li>\n",
            artifact.anchor(),
            escape_markup(&artifact.title),
            clauses_of(artifact.kind).join(", ")
        ));
    }
    html.push_str("<li><a href=\"#approvals\">Approvals and how to verify this pack</a></li>\n</ol></nav>\n");
    for (number, artifact) in ordered.iter().enumerate() {
        html.push_str(&section(cx, number + 1, artifact));
    }
    html.push_str(&appendix(artifacts));
    html.push_str("</body>\n</html>\n");
    html
}

fn cover(cx: &Context, artifacts: &[Artifact]) -> String {
    let approvals: Vec<&ApprovalRecord> = artifacts.iter().flat_map(|a| &a.approvals).collect();
    let verified = approvals.iter().filter(|a| a.verdict.is_ok()).count();
    let changes: usize = artifacts.iter().map(|a| a.changes).sum();
    let as_of = cx.meta.as_of_ms.map_or_else(
        || "as it stood when the pack was made".to_owned(),
        |at| format!("as it stood at {}", utc_time(at)),
    );
    let organization = &cx.names.workspace().settings.organization;
    let readiness = readiness::assess(cx.evidence);
    let mut bars = String::new();
    for clause in catalog::top_level_clauses() {
        let progress = readiness.clause(clause.id);
        let percent = (progress.ratio() * 100.0).round();
        bars.push_str(&format!(
            "<tr><td>{} {}</td><td><span class=\"bar\" aria-hidden=\"true\"><span style=\"width:{percent}%\"></span></span></td><td class=\"num\">{} of {}</td></tr>\n",
            clause.id,
            escape_markup(clause.title),
            progress.met,
            progress.total
        ));
    }
    let mut not_yet = String::new();
    if !cx.not_yet.is_empty() {
        not_yet = format!(
            "<p>Not yet created at that moment: {}.</p>",
            cx.not_yet.iter().map(|t| escape_markup(t)).collect::<Vec<_>>().join(", ")
        );
    }
    if !cx.missing.is_empty() {
        not_yet.push_str(&format!(
            "<p class=\"unverified\">Not in the browser that made this pack, so not in it: {}.</p>",
            cx.missing.iter().map(|t| escape_markup(t)).collect::<Vec<_>>().join(", ")
        ));
    }
    format!(
        "<header class=\"cover\">\n<p class=\"eyebrow\">ISO/IEC 42001 AI management system · audit pack</p>\n<h1>{}</h1>\n<p>This report shows the workspace {as_of}. Every file of the pack is listed with its SHA-256 in <code>manifest.json</code>; <code>quorum verify</code> checks them, and every approval's signature, without a network.</p>\n<dl class=\"facts\"><dt>Organization</dt><dd>{}</dd><dt>Generated at</dt><dd>{}</dd><dt>Documents</dt><dd>{}</dd><dt>Changes</dt><dd>{changes}</dd><dt>Approvals</dt><dd>{} ({verified} with a verified signature)</dd></dl>\n{not_yet}<h3>Readiness by clause</h3>\n<table class=\"readiness\"><thead><tr><th scope=\"col\">Clause</th><th scope=\"col\">Checks met</th><th scope=\"col\">Count</th></tr></thead><tbody>\n{bars}</tbody></table>\n</header>\n",
        escape_markup(cx.workspace_name),
        escape_markup(if organization.is_empty() { cx.workspace_name } else { organization }),
        utc_time(cx.meta.generated_at_ms),
        artifacts.len(),
        approvals.len(),
    )
}

fn section(cx: &Context, number: usize, artifact: &Artifact) -> String {
    let clauses = clauses_of(artifact.kind);
    let mut html = format!(
        "<section class=\"artifact\" id=\"{}\" data-kind=\"{}\">\n<p class=\"clauses\">{}</p>\n<h2>{number}. {}</h2>\n",
        artifact.anchor(),
        artifact.kind.as_token(),
        if clauses.is_empty() {
            "The workspace".to_owned()
        } else {
            format!("ISO/IEC 42001 {}", clauses.join(", "))
        },
        escape_markup(&artifact.title)
    );
    html.push_str(&facts(cx, artifact));
    html.push_str(&body(cx, artifact));
    html.push_str("</section>\n");
    html
}

/// Version, last change, owner and approvals, the box at the head of every artifact.
fn facts(cx: &Context, artifact: &Artifact) -> String {
    let last = artifact
        .last
        .as_ref()
        .map_or_else(|| "none".to_owned(), |(at, by)| format!("{}, by {}", utc_time(*at), escape_markup(by)));
    let owner = artifact
        .id
        .parse()
        .ok()
        .and_then(|id| cx.evidence.documented.as_ref()?.artifacts.owner.get(&id).copied())
        .map_or_else(|| "not named".to_owned(), |m| escape_markup(&cx.names.member(m)));
    let approvals = if artifact.approvals.is_empty() {
        "none recorded".to_owned()
    } else {
        artifact.approvals.iter().map(approval_line).collect::<Vec<_>>().join("<br>")
    };
    format!(
        "<dl class=\"facts\"><dt>Version</dt><dd><span class=\"hash\" title=\"{}\">{}</span></dd><dt>Last change</dt><dd>{last}</dd><dt>Changes</dt><dd>{}</dd><dt>Owner</dt><dd>{owner}</dd><dt>Approvals</dt><dd>{approvals}</dd></dl>\n",
        artifact.heads.join(" "),
        short_heads(&artifact.heads),
        artifact.changes,
    )
}

fn approval_line(a: &ApprovalRecord) -> String {
    let verdict = match &a.verdict {
        Ok(()) => format!(
            "<span class=\"verified\">signature verified</span> (device key <code>{}</code>)",
            a.signature.as_ref().map(|s| s.key_id.as_str()).unwrap_or("")
        ),
        Err(why) => format!("<span class=\"unverified\">{}</span>", escape_markup(why)),
    };
    format!(
        "{} by {}, {}, of <span class=\"hash\">{}</span>: {verdict}",
        escape_markup(&a.subject),
        escape_markup(&a.member_name),
        utc_time(a.at_ms),
        short_heads(&a.heads)
    )
}

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
fn rows(columns: &[&'static str], rows: Vec<Vec<String>>) -> String {
    let mut table = Table::new("", "", "", columns);
    for row in rows {
        table.push(row.into_iter().map(Into::into).collect());
    }
    table.html()
}

fn body(cx: &Context, artifact: &Artifact) -> String {
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
                    let registered = i64::try_from(k.registered_at).map_or_else(|_| String::new(), |s| utc_time(s * 1000));
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

fn appendix(artifacts: &[Artifact]) -> String {
    let approvals: Vec<Vec<String>> = artifacts
        .iter()
        .flat_map(|a| a.approvals.iter().map(move |r| (a, r)))
        .map(|(a, r)| {
            vec![
                a.title.clone(),
                r.subject.clone(),
                r.member_name.clone(),
                utc_time(r.at_ms),
                r.signature.as_ref().map(|s| s.key_id.clone()).unwrap_or_default(),
                match &r.verdict {
                    Ok(()) => "signature verified".to_owned(),
                    Err(why) => why.clone(),
                },
            ]
        })
        .collect();
    format!(
        "<section class=\"appendix\" id=\"approvals\">\n<h2>Approvals and how to verify this pack</h2>\n{}<p>Each approval signs the document, what in it is approved, the document's version (its heads), the approver, their role and the time, with the approver's device key; the relay certified each key as its member's. <code>quorum verify pack.zip</code> checks every file's SHA-256 against <code>manifest.json</code>, loads every Automerge binary and compares it with its JSON, and checks every signature and that the approved versions are in each document's history. It needs no network.</p>\n</section>\n",
        rows(&["Document", "What", "Approved by", "At", "Device key", "Signature"], approvals)
    )
}
