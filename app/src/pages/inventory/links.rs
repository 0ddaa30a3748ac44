//! What links to an AI system, derived from the documents that name it (never stored twice):
//! the risks whose affected system it is, the impact assessments of it, and the Annex A controls
//! linked from those risks with their state in the Statement of Applicability.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_router::components::A;
use quorum_shared::catalog;
use quorum_shared::model::{
    Applicability, ControlId, DocumentKind, ImpactAssessment, RiskRegister, StatementOfApplicability,
    SystemId, Workspace,
};

use crate::session::Session;

/// What the page shows of the links, as plain values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Links {
    /// (risk id, title)
    risks: Vec<(String, String)>,
    /// (document id, title, status)
    assessments: Vec<(String, String, &'static str)>,
    /// (control, title, state in the SoA)
    controls: Vec<(ControlId, &'static str, String)>,
}

fn links_of(session: Session, system: SystemId) -> Links {
    let mut links = Links::default();
    let mut controls = BTreeSet::new();
    if let Some(register) = session
        .document_of(DocumentKind::RiskRegister)
        .and_then(|id| session.read(&id, |doc| RiskRegister::load(doc).ok()).flatten())
    {
        let mut risks: Vec<_> = register.risks.iter().filter(|(_, r)| r.system == Some(system)).collect();
        quorum_shared::order::sort_by(&mut risks, |(a_id, a), (b_id, b)| {
            a.rank.cmp(&b.rank).then(a_id.cmp(b_id))
        });
        for (id, risk) in risks {
            links.risks.push((id.to_string(), risk.title.clone()));
            controls.extend(risk.controls.iter().filter(|(_, linked)| **linked).map(|(c, _)| *c));
        }
    }
    let root = session.membership().root_id().to_owned();
    let assessments: Vec<String> = session
        .read(&root, |doc| Workspace::load(doc).ok())
        .flatten()
        .map(|w| w.documents_of(DocumentKind::ImpactAssessment).map(|(id, _)| id.to_string()).collect())
        .unwrap_or_default();
    for doc_id in assessments {
        let Some(assessment) = session.read(&doc_id, |doc| ImpactAssessment::load(doc).ok()).flatten() else {
            continue;
        };
        if assessment.system == Some(system) {
            let status = assessment_status(&assessment);
            links.assessments.push((doc_id, assessment.title, status));
        }
    }
    let soa = session
        .document_of(DocumentKind::StatementOfApplicability)
        .and_then(|id| session.read(&id, |doc| StatementOfApplicability::load(doc).ok()).flatten());
    for control in controls {
        let title = catalog::control(control.as_str()).map_or("", |c| c.title);
        let state = match soa.as_ref().and_then(|soa| soa.rows.get(&control)) {
            None => "not decided in the SoA yet".to_owned(),
            Some(row) if row.applicability == Applicability::Excluded => "excluded".to_owned(),
            Some(row) => format!("applicable, {}", row.status.label()),
        };
        links.controls.push((control, title, state));
    }
    links
}

fn assessment_status(assessment: &ImpactAssessment) -> &'static str {
    match assessment.status {
        quorum_shared::model::AssessmentStatus::Draft => "draft",
        quorum_shared::model::AssessmentStatus::InReview => "in review",
        quorum_shared::model::AssessmentStatus::Approved => "approved",
    }
}

#[component]
pub fn SystemLinks(session: Session, id: SystemId) -> impl IntoView {
    let links = Memo::new(move |_| links_of(session, id));
    view! {
        <aside class="card system-links" aria-label="What links to this AI system">
            <h2>"Risks"</h2>
            {move || {
                let risks = links.with(|l| l.risks.clone());
                if risks.is_empty() {
                    return view! {
                        <p class="empty" data-empty="risks">
                            "No risk names this system yet. In the " <A href="/risks">"risk register"</A> ", choose it as a risk's affected AI system."
                        </p>
                    }
                    .into_any();
                }
                view! {
                    <ul class="linked risks">
                        {risks.into_iter().map(|(id, title)| view! { <li data-risk=id><A href="/risks">{title}</A></li> }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
            <h2>"Impact assessments"</h2>
            {move || {
                let assessments = links.with(|l| l.assessments.clone());
                if assessments.is_empty() {
                    return view! {
                        <p class="empty" data-empty="assessments">
                            "Not assessed yet. Start an " <A href="/impact">"impact assessment"</A> " for this system."
                        </p>
                    }
                    .into_any();
                }
                view! {
                    <ul class="linked assessments">
                        {assessments
                            .into_iter()
                            .map(|(doc, title, status)| view! {
                                <li data-assessment=doc.clone()>
                                    <A href=format!("/impact/{doc}")>{title}</A>
                                    <span class="muted">{format!(" · {status}")}</span>
                                </li>
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
            <h2>"Annex A controls"</h2>
            {move || {
                let controls = links.with(|l| l.controls.clone());
                if controls.is_empty() {
                    return view! {
                        <p class="empty" data-empty="controls">"No controls yet: they come from the controls linked to this system's risks."</p>
                    }
                    .into_any();
                }
                view! {
                    <ul class="linked controls-applied">
                        {controls
                            .into_iter()
                            .map(|(control, title, state)| view! {
                                <li data-control=control.as_str()>
                                    <A href="/soa"><span class="ref">{control.as_str()}</span>{title}</A>
                                    <span class="muted">{format!(" · {state}")}</span>
                                </li>
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </aside>
    }
}
