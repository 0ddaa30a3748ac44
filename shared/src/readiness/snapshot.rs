//! A [`Readiness`] written as a few hundred bytes of text and read back, so that the app can keep
//! the last one it drew beside a workspace and show the dashboard from it at the next open,
//! before the workspace's documents are loaded.
//!
//! The checks and controls are named by their identity (sub-clause and label; control id), not
//! by position, and a snapshot is read only when it names exactly the checks and controls this
//! version of Quorum has: a snapshot from another version, or a damaged one, is an error, and
//! the caller waits for the documents instead of drawing something wrong.
//!
//! ```
//! use quorum_shared::readiness::{self, Evidence, Readiness};
//!
//! let readiness = readiness::assess(&Evidence::default());
//! let text = readiness.to_snapshot();
//! assert_eq!(Readiness::from_snapshot(&text).unwrap(), readiness);
//! ```

use std::collections::HashMap;

use super::{ControlReadiness, ControlState, Evidence, Readiness};
use crate::model::ImplementationStatus;

/// The first line of every snapshot; a new layout gets a new number.
const HEADER: &str = "quorum-readiness 1";

/// Why a stored snapshot cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    #[error("not a readiness snapshot of this version")]
    Header,
    #[error("line {0} of the snapshot is malformed")]
    Malformed(usize),
    #[error("the snapshot names a check or control this version does not have, on line {0}")]
    Unknown(usize),
    #[error("the snapshot leaves out some of this version's checks or controls")]
    Incomplete,
}

impl Readiness {
    /// One line per check (`c`, met as 0 or 1, sub-clause, label) and per control (`a`, its
    /// state, evidence count, control id), tab-separated.
    pub fn to_snapshot(&self) -> String {
        let mut out = String::from(HEADER);
        for check in &self.checks {
            out.push_str(&format!("\nc\t{}\t{}\t{}", u8::from(check.met), check.clause, check.label));
        }
        for control in &self.controls {
            out.push_str(&format!(
                "\na\t{}\t{}\t{}",
                state_code(control.state),
                control.evidence,
                control.control.id
            ));
        }
        out
    }

    /// Reads what [`Readiness::to_snapshot`] wrote, checked against this version's checks and
    /// controls.
    pub fn from_snapshot(text: &str) -> Result<Readiness, SnapshotError> {
        let mut lines = text.lines().enumerate();
        if lines.next().map(|(_, line)| line) != Some(HEADER) {
            return Err(SnapshotError::Header);
        }
        // What this version checks, every check unmet and every control undecided, filled in
        // from the snapshot's lines.
        let mut readiness = super::assess(&Evidence::default());
        let checks: HashMap<(&str, &str), usize> =
            readiness.checks.iter().enumerate().map(|(i, c)| ((c.clause, c.label), i)).collect();
        let controls: HashMap<&str, usize> =
            readiness.controls.iter().enumerate().map(|(i, c)| (c.control.id, i)).collect();
        let (mut checks_seen, mut controls_seen) = (vec![false; checks.len()], vec![false; controls.len()]);
        for (index, line) in lines {
            let number = index + 1;
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                ["c", met, clause, label] => {
                    let met = parse_flag(met).ok_or(SnapshotError::Malformed(number))?;
                    let &at = checks.get(&(*clause, *label)).ok_or(SnapshotError::Unknown(number))?;
                    readiness.checks[at].met = met;
                    checks_seen[at] = true;
                }
                ["a", state, evidence, id] => {
                    let state = parse_state(state).ok_or(SnapshotError::Malformed(number))?;
                    let evidence = evidence.parse().map_err(|_| SnapshotError::Malformed(number))?;
                    let &at = controls.get(id).ok_or(SnapshotError::Unknown(number))?;
                    let control: &mut ControlReadiness = &mut readiness.controls[at];
                    (control.state, control.evidence) = (state, evidence);
                    controls_seen[at] = true;
                }
                _ => return Err(SnapshotError::Malformed(number)),
            }
        }
        if checks_seen.contains(&false) || controls_seen.contains(&false) {
            return Err(SnapshotError::Incomplete);
        }
        Ok(readiness)
    }
}

fn parse_flag(text: &str) -> Option<bool> {
    match text {
        "0" => Some(false),
        "1" => Some(true),
        _ => None,
    }
}

/// The snapshot's own short codes for a control's state, independent of any label or stored
/// token elsewhere, so that renaming one does not invalidate every snapshot.
const STATES: [(&str, ControlState); 6] = [
    ("undecided", ControlState::Undecided),
    ("excluded", ControlState::Excluded),
    ("not-started", ControlState::Applicable(ImplementationStatus::NotStarted)),
    ("planned", ControlState::Applicable(ImplementationStatus::Planned)),
    ("in-progress", ControlState::Applicable(ImplementationStatus::InProgress)),
    ("implemented", ControlState::Applicable(ImplementationStatus::Implemented)),
];

fn state_code(state: ControlState) -> &'static str {
    STATES.iter().find(|(_, s)| *s == state).map_or("undecided", |(code, _)| code)
}

fn parse_state(code: &str) -> Option<ControlState> {
    STATES.iter().find(|(c, _)| *c == code).map(|(_, state)| *state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{self, ControlId, StatementOfApplicability};
    use crate::readiness;

    /// A readiness with some of everything: checks met and not, controls in several states.
    fn sample() -> Readiness {
        let mut doc = model::new_document();
        model::create_soa(&mut doc, 0).unwrap();
        let excluded: ControlId = "A.10.4".parse().unwrap();
        model::exclude_control(&mut doc, 1_000, excluded, "We buy no AI services").unwrap();
        readiness::assess(&Evidence {
            soa: Some(StatementOfApplicability::load(&doc).unwrap()),
            ..Evidence::default()
        })
    }

    #[test]
    fn a_snapshot_reads_back_as_the_readiness_it_was_made_from() {
        let readiness = sample();
        assert!(readiness.checks.iter().any(|c| c.met) && readiness.checks.iter().any(|c| !c.met));
        let back = Readiness::from_snapshot(&readiness.to_snapshot()).unwrap();
        assert_eq!(back, readiness);
        assert_eq!(back.overall(), readiness.overall());
    }

    /// Each kind of damage is its own error, and nothing half-read comes back.
    #[test]
    fn a_damaged_or_foreign_snapshot_is_refused() {
        let good = sample().to_snapshot();
        let replace_line = |n: usize, with: &str| {
            let mut lines: Vec<&str> = good.lines().collect();
            lines[n] = with;
            lines.join("\n")
        };
        let cases: Vec<(String, SnapshotError)> = vec![
            (String::new(), SnapshotError::Header),
            (good.replacen(HEADER, "quorum-readiness 0", 1), SnapshotError::Header),
            (replace_line(1, "c\t2\t4.1\tsomething"), SnapshotError::Malformed(2)),
            (replace_line(1, "c\t1\t4.1"), SnapshotError::Malformed(2)),
            (replace_line(1, "c\t1\t4.1\tA check no version has"), SnapshotError::Unknown(2)),
            (replace_line(1, "x\t1\t4.1\tlabel"), SnapshotError::Malformed(2)),
            (good.lines().take(3).collect::<Vec<_>>().join("\n"), SnapshotError::Incomplete),
            (format!("{good}\na\tmaybe\t0\tA.2.2"), SnapshotError::Malformed(good.lines().count() + 1)),
            (format!("{good}\na\texcluded\tmany\tA.2.2"), SnapshotError::Malformed(good.lines().count() + 1)),
            (format!("{good}\na\texcluded\t0\tA.99.1"), SnapshotError::Unknown(good.lines().count() + 1)),
        ];
        for (text, expected) in cases {
            assert_eq!(Readiness::from_snapshot(&text), Err(expected.clone()), "{text:.80?}");
        }
    }
}
