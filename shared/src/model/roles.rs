//! Roles and responsibilities (ISO/IEC 42001 5.3, A.3): a RACI matrix over the AIMS processes,
//! and how people report concerns about AI systems (A.3.3).
//!
//! Each process keeps its assignments in a map keyed by member, so two people assigning
//! different members at once both count.
//!
//! ```
//! use quorum_shared::model::{self, MemberId, Raci, Roles};
//!
//! let mut doc = model::new_document();
//! let mut n = 0;
//! model::create_roles(&mut doc, 0, || { n += 1; [n; 16] }).unwrap();
//! let roles = Roles::load(&doc).unwrap();
//! let (process, _) = roles.processes_in_order()[0];
//! let ada = MemberId::from_bytes([9; 16]);
//! model::assign(&mut doc, 1_000, process, ada, Some(Raci::Accountable)).unwrap();
//! assert_eq!(Roles::load(&doc).unwrap().processes[&process].raci[&ada], Raci::Accountable);
//! ```

use std::collections::BTreeMap;

use automerge::{AutoCommit, ROOT, transaction::Transactable};
use autosurgeon::{Hydrate, Reconcile, Text, reconcile_prop};

use super::document::{artifact, change, check_kind, create, entry, object};
use super::register::{Record, record, record_fields};
use super::{DocumentKind, ID_LEN, MemberId, ModelError, ProcessId, Rank, TextEdit};

/// The roles document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Roles {
    #[autosurgeon(with = "crate::model::records")]
    pub processes: BTreeMap<ProcessId, AimsProcess>,
    /// How to raise a concern about an AI system, and how reporters are protected.
    pub concern_reporting: Text,
    /// Where concerns go: an address, a form, a person.
    pub concern_contact: String,
}

artifact!(Roles, Roles);

/// A process of the AIMS, with who is responsible, accountable, consulted and informed.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct AimsProcess {
    pub rank: Rank,
    pub name: String,
    pub description: Text,
    #[autosurgeon(with = "crate::model::records")]
    pub raci: BTreeMap<MemberId, Raci>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Reconcile, Hydrate)]
pub enum Raci {
    #[autosurgeon(rename = "R")]
    Responsible,
    #[autosurgeon(rename = "A")]
    Accountable,
    #[autosurgeon(rename = "C")]
    Consulted,
    #[autosurgeon(rename = "I")]
    Informed,
}

record_fields! {
    /// A field of an [`AimsProcess`]; assignments go through [`assign`].
    pub enum AimsProcessField for AimsProcess {
        Name(String) => scalar name,
        Description(TextEdit) => text description,
    }
}

record! {
    AimsProcess { id: ProcessId, field: AimsProcessField, kind: Roles, register: "processes", noun: "process", label: |p| p.name.clone() }
    {}
}

/// A process that does not have exactly one accountable member, which concurrent
/// assignments can cause.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RaciViolation {
    pub process: ProcessId,
    pub accountable: usize,
}

impl Roles {
    pub fn processes_in_order(&self) -> Vec<(ProcessId, &AimsProcess)> {
        let mut out: Vec<_> = self.processes.iter().map(|(id, p)| (*id, p)).collect();
        crate::order::sort_by(&mut out, |(a_id, a), (b_id, b)| a.rank.cmp(&b.rank).then(a_id.cmp(b_id)));
        out
    }
}

/// The AIMS processes a new workspace starts with; our wording, editable afterwards.
const DEFAULT_PROCESSES: &[&str] = &[
    "AI policy and objectives",
    "AI risk assessment and treatment",
    "AI system impact assessment",
    "AI system life cycle",
    "Data for AI systems",
    "Competence and awareness",
    "Suppliers and third parties",
    "Monitoring and measurement",
    "Internal audit",
    "Management review",
    "Nonconformity and corrective action",
];

/// Creates the roles document with the default AIMS processes and no assignments; each process's
/// id is made of bytes the caller's `random` source gives.
pub fn create_roles(
    doc: &mut AutoCommit,
    now_ms: i64,
    mut random: impl FnMut() -> [u8; ID_LEN],
) -> Result<(), ModelError> {
    let mut rank = None;
    let processes = DEFAULT_PROCESSES
        .iter()
        .map(|name| {
            let next = Rank::between(rank.as_ref(), None);
            rank = Some(next.clone());
            let process = AimsProcess { rank: next, name: name.to_string(), ..Default::default() };
            (ProcessId::from_bytes(random()), process)
        })
        .collect();
    let roles = Roles { processes, ..Default::default() };
    create(doc, now_ms, &roles, "create roles and responsibilities")
}

/// Sets (or with `None` clears) a member's part in a process. There is one accountable
/// person per process: making someone accountable makes the previous one responsible.
pub fn assign(
    doc: &mut AutoCommit,
    now_ms: i64,
    process: ProcessId,
    member: MemberId,
    raci: Option<Raci>,
) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::Roles)?;
    let processes = object(doc, &ROOT, AimsProcess::REGISTER)?;
    let obj = entry(doc, &processes, process.to_string(), AimsProcess::NOUN)?;
    let current: AimsProcess = autosurgeon::hydrate_prop(&*doc, &processes, process.to_string().as_str())?;
    let map = object(doc, &obj, "raci")?;
    let message = format!("assign {member} in {:?}", current.name);
    change(doc, now_ms, message, |doc| {
        if raci == Some(Raci::Accountable) {
            for (other, part) in &current.raci {
                if *part == Raci::Accountable && *other != member {
                    reconcile_prop(doc, &map, other.to_string().as_str(), Raci::Responsible)?;
                }
            }
        }
        match raci {
            Some(raci) => reconcile_prop(doc, &map, member.to_string().as_str(), raci)?,
            None => doc.delete(&map, member.to_string())?,
        }
        Ok(())
    })
}

pub fn edit_concern_reporting(doc: &mut AutoCommit, now_ms: i64, edit: TextEdit) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::Roles)?;
    change(doc, now_ms, "edit concern reporting", |doc| edit.apply(doc, &ROOT, "concern_reporting"))
}

pub fn set_concern_contact(doc: &mut AutoCommit, now_ms: i64, contact: &str) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::Roles)?;
    change(doc, now_ms, "edit concern contact", |doc| {
        Ok(reconcile_prop(doc, ROOT, "concern_contact", contact)?)
    })
}

/// Processes without exactly one accountable member.
pub fn raci_violations(roles: &Roles) -> Vec<RaciViolation> {
    roles
        .processes_in_order()
        .into_iter()
        .map(|(process, p)| RaciViolation {
            process,
            accountable: p.raci.values().filter(|r| **r == Raci::Accountable).count(),
        })
        .filter(|v| v.accountable != 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::new_document;
    use crate::model::testing::{id, one_commit};

    #[test]
    fn the_same_random_bytes_make_the_same_processes() {
        let make = || {
            let mut doc = new_document();
            let mut n = 0u8;
            create_roles(&mut doc, 0, || {
                n += 1;
                [n; 16]
            })
            .unwrap();
            Roles::load(&doc).unwrap()
        };
        let roles = make();
        assert_eq!(roles, make(), "replayed with the same bytes, the document is the same");
        let (first, _) = roles.processes_in_order()[0];
        assert_eq!(first, ProcessId::from_bytes([1; 16]), "each id is the bytes given, in order");
    }

    #[test]
    fn one_accountable_per_process() {
        let mut doc = new_document();
        create_roles(&mut doc, 0, crate::model::testing::random).unwrap();
        let roles = Roles::load(&doc).unwrap();
        assert_eq!(roles.processes.len(), DEFAULT_PROCESSES.len());
        assert_eq!(raci_violations(&roles).len(), DEFAULT_PROCESSES.len());
        let (process, p) = roles.processes_in_order()[1];
        assert_eq!(p.name, "AI risk assessment and treatment");
        let (ada, bo) = (id::<MemberId>(1), id::<MemberId>(2));
        let message = format!("assign {ada} in \"AI risk assessment and treatment\"");
        one_commit(&mut doc, &message, |doc| assign(doc, 0, process, ada, Some(Raci::Accountable)).unwrap());
        assign(&mut doc, 0, process, bo, Some(Raci::Accountable)).unwrap();
        let raci = &Roles::load(&doc).unwrap().processes[&process].raci;
        assert_eq!((raci[&ada], raci[&bo]), (Raci::Responsible, Raci::Accountable));
        assign(&mut doc, 0, process, ada, None).unwrap();
        let roles = Roles::load(&doc).unwrap();
        assert_eq!(roles.processes[&process].raci.len(), 1);
        assert!(raci_violations(&roles).iter().all(|v| v.process != process));
        edit_concern_reporting(&mut doc, 0, "Write to the ethics line".into()).unwrap();
        set_concern_contact(&mut doc, 0, "ethics@example.org").unwrap();
        assert_eq!(Roles::load(&doc).unwrap().concern_contact, "ethics@example.org");
    }
}
