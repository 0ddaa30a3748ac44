//! The benchmarks' workspace: the root and one document of each single kind, as the app makes a
//! new workspace, with impact assessments up to the number of documents asked for, edited
//! round-robin with the model's operations until the number of changes asked for.

use automerge::AutoCommit;
use quorum_app::session;
use quorum_shared::model::{
    self, ControlId, DocumentId, DocumentKind, ImplementationStatus, SectionId, TextEdit,
};

use super::page;

/// A workspace as the app makes one (the root and one document of each single kind), with
/// impact assessments up to `documents`, then edited round-robin with the model's operations,
/// one second apart, until `changes` commits in all.
pub struct Workspace {
    pub root_url: String,
    pub soa_id: String,
    pub docs: Vec<(String, AutoCommit)>,
    /// The hashes of the latest changes across the workspace, newest first, as many as the
    /// dashboard lists.
    pub latest: Vec<String>,
    /// When the last of them was made, in milliseconds since the epoch.
    pub last_ms: i64,
}

impl Workspace {
    pub fn soa_doc(&self) -> AutoCommit {
        self.docs.iter().find(|(id, _)| *id == self.soa_id).map(|(_, doc)| doc.clone()).unwrap()
    }

    pub fn total_changes(&self) -> usize {
        self.docs.iter().map(|(_, doc)| doc.clone().get_changes(&[]).len()).sum()
    }
}

pub fn build_workspace(documents: usize, changes: usize, recent: usize) -> Workspace {
    let root_url = DocumentId::from_bytes(quorum_app::session::random_id()).url().to_string();
    let membership = page::membership("bench", root_url.clone(), "m1", "owner");
    // The workspace is created now (its documents' first changes carry the real clock), and
    // every change after it comes a second after the one before, so that the newest changes
    // are the last made and no two share a second. The remote batch is dated after the last.
    let mut docs = session::new_workspace_documents(&membership, "Ada").unwrap();
    let mut clock = session::now_ms();
    let mut tick = || {
        clock += 1_000;
        clock
    };
    let actor = docs[0].1.get_actor().clone();
    for n in 0..documents.saturating_sub(docs.len()) {
        let id = DocumentId::from_bytes(quorum_app::session::random_id());
        let mut doc = model::new_document();
        doc.set_actor(actor.clone());
        let title = format!("Impact assessment {}", n + 1);
        model::create_impact_assessment(&mut doc, tick(), &title, None).unwrap();
        model::register_document(&mut docs[0].1, tick(), id, DocumentKind::ImpactAssessment, &title).unwrap();
        docs.push((id.to_string(), doc));
    }
    let root = model::Workspace::load(&docs[0].1).unwrap();
    let kind_of = |id: &str| root.documents.iter().find(|(d, _)| d.to_string() == id).map(|(_, e)| e.kind);
    let kinds: Vec<Option<DocumentKind>> = docs.iter().map(|(id, _)| kind_of(id)).collect();
    let soa_id = docs.iter().zip(&kinds).find(|(_, k)| **k == Some(DocumentKind::StatementOfApplicability));
    let soa_id = soa_id.map(|((id, _), _)| id.clone()).unwrap();

    let mut total: usize = docs.iter().map(|(_, doc)| doc.clone().get_changes(&[]).len()).sum();
    let mut lengths = vec![0usize; docs.len()];
    let mut round = 0usize;
    let mut order = Vec::new();
    while total < changes {
        for (i, ((_, doc), kind)) in docs.iter_mut().zip(&kinds).enumerate() {
            if total == changes {
                break;
            }
            let at = clock + 1_000;
            if edit(doc, *kind, round, &mut lengths[i], at) {
                clock = at;
                total += 1;
                order.push(i);
            }
        }
        round += 1;
    }
    // The newest first: each document's last commits, in the order they were made.
    let mut latest = Vec::new();
    let mut seen = vec![0usize; docs.len()];
    for &i in order.iter().rev().take(recent) {
        let changes = docs[i].1.get_changes(&[]);
        latest.push(changes[changes.len() - 1 - seen[i]].hash().to_string());
        seen[i] += 1;
    }
    Workspace { root_url, soa_id, docs, latest, last_ms: clock }
}

/// One edit of the kind people make in each document; false for kinds this workload leaves
/// as created (the registers, whose records the dashboard does not list).
fn edit(
    doc: &mut AutoCommit,
    kind: Option<DocumentKind>,
    round: usize,
    length: &mut usize,
    now: i64,
) -> bool {
    let word = format!("word{round} ");
    let splice = TextEdit::Splice { pos: *length, delete: 0, insert: word.clone() };
    let done = match kind {
        None => return false,
        Some(DocumentKind::Context) => model::edit_scope(doc, now, splice),
        Some(DocumentKind::Policy) => model::edit_policy_text(doc, now, splice),
        Some(DocumentKind::Roles) => model::edit_concern_reporting(doc, now, splice),
        Some(DocumentKind::ImpactAssessment) => {
            let sections: Vec<SectionId> = SectionId::all().collect();
            // One section's narrative grows; the others stay empty.
            model::edit_section(doc, now, sections[0], splice)
        }
        Some(DocumentKind::StatementOfApplicability) => {
            let controls: Vec<ControlId> = ControlId::all().collect();
            let statuses = [
                ImplementationStatus::Planned,
                ImplementationStatus::InProgress,
                ImplementationStatus::Implemented,
            ];
            model::set_implementation_status(doc, now, controls[round % controls.len()], statuses[round % 3])
        }
        Some(_) => return false,
    };
    done.unwrap();
    if !matches!(kind, Some(DocumentKind::StatementOfApplicability)) {
        *length += word.len();
    }
    true
}
