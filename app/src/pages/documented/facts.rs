//! What the register reads from each artifact itself: its current version (the policy's approved
//! version number; for the others the date of their last change) and, for the policy and impact
//! assessments, their own approval.

use std::collections::BTreeMap;

use leptos::prelude::*;
use quorum_shared::model::{
    self, AiPolicy, ArtifactFacts, DocumentEntry, DocumentId, DocumentKind, ImpactAssessment, OwnApproval,
};

use crate::session::Session;

/// The facts of every listed artifact this browser has open, re-read when any of them changes.
pub fn facts(
    session: Session,
    documents: Memo<BTreeMap<DocumentId, DocumentEntry>>,
    offset_minutes: i32,
) -> Memo<BTreeMap<DocumentId, ArtifactFacts>> {
    Memo::new(move |_| {
        documents.with(|documents| {
            documents
                .iter()
                .filter_map(|(id, entry)| {
                    of(session, &id.to_string(), entry.kind, offset_minutes).map(|facts| (*id, facts))
                })
                .collect()
        })
    })
}

fn of(session: Session, doc_id: &str, kind: DocumentKind, offset_minutes: i32) -> Option<ArtifactFacts> {
    let last_change = session
        .read_history(doc_id, |doc| model::latest_history(doc, 1).pop())?
        .map(|entry| format!("Changed {}", quorum_shared::model::Date::of_ms(entry.time_ms, offset_minutes)));
    let mut facts = ArtifactFacts {
        version: last_change.unwrap_or_else(|| "Not changed yet".into()),
        ..Default::default()
    };
    match kind {
        DocumentKind::Policy => {
            let policy = session.read(doc_id, |doc| AiPolicy::load(doc).ok()).flatten()?;
            facts.version = match policy.current_version() {
                Some((number, ..)) => format!("Version {number}"),
                None => "No approved version".into(),
            };
            facts.own_approval = Some(OwnApproval::of_policy(&policy));
            facts.review_on = policy.review_date;
        }
        DocumentKind::ImpactAssessment => {
            let assessment = session.read(doc_id, |doc| ImpactAssessment::load(doc).ok()).flatten()?;
            facts.own_approval = Some(OwnApproval::of_assessment(&assessment));
        }
        _ => {}
    }
    Some(facts)
}
