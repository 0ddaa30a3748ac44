//! `index.html`: the printable report, in the order an auditor reads an AI management system.
//! It needs nothing but a browser: styles are inline, there is no script, and a print
//! stylesheet starts each artifact on a new page so that "Save as PDF" gives a clean document.

mod body;

use self::body::{body, rows};
use super::PackMeta;
use super::approvals::ApprovalRecord;
use super::artifact::{Artifact, clauses_of};
use super::names::{Names, short_heads, utc_time};
use super::table::{Table, escape_markup};
use crate::catalog;
use crate::model::DocumentKind;
use crate::readiness::{self, Evidence};

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
