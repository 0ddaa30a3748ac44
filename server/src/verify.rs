//! `quorum verify PACK.zip`: checks an audit pack with no network and no relay, and says what
//! holds and what was tampered with, for a person at a terminal.

use std::path::Path;

use quorum_shared::pack::{PackReport, Problem, utc_time, verify_pack};

/// What checking the pack at `path` found, in lines for a person, and whether it holds. A file
/// that cannot be read, or is not a pack at all, is an error naming why.
pub fn verify_file(path: &Path) -> Result<(String, bool), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let report = verify_pack(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((words(&report), report.holds()))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn words(report: &PackReport) -> String {
    let manifest = &report.manifest;
    let as_of = manifest
        .as_of_ms
        .map_or_else(|| "as it stood then".to_owned(), |at| format!("as of {}", utc_time(at)));
    let mut lines = vec![
        format!("Quorum audit pack of \"{}\" (workspace {})", manifest.workspace_name, manifest.workspace_id),
        format!("made at {}, showing the workspace {as_of}", manifest.generated_at),
        String::new(),
    ];
    let file_problems = report.problems.iter().filter(|p| !matches!(p, Problem::Approval { .. })).count();
    if file_problems == 0 {
        lines.push(format!(
            "ok  {} match the SHA-256 the manifest records",
            plural(report.files_checked, "file", "files")
        ));
        lines.push(format!(
            "ok  {} load, each agreeing with its JSON and its recorded version",
            plural(report.documents_checked, "document", "documents")
        ));
    }
    lines.push(format!(
        "{}  {} verified against the certified device keys{}",
        if report.problems.iter().any(|p| matches!(p, Problem::Approval { .. })) { "!!" } else { "ok" },
        plural(report.approvals_verified, "approval", "approvals"),
        if report.approvals_unsigned > 0 {
            format!(
                "; {} recorded without a signature",
                plural(report.approvals_unsigned, "approval", "approvals")
            )
        } else {
            String::new()
        }
    ));
    for problem in &report.problems {
        lines.push(format!("!!  {problem}"));
    }
    lines.push(String::new());
    lines.push(if report.holds() {
        "The pack holds: nothing in it was changed since it was made.".to_owned()
    } else {
        format!("The pack does NOT hold: {}.", plural(report.problems.len(), "problem", "problems"))
    });
    lines.join("\n")
}
