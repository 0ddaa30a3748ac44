//! The workspace's impact assessments, one row each, and the form that starts a new one for an
//! AI system of the inventory or for a use described in words.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use quorum_shared::model::{self, DocumentKind, SystemId, Workspace};

use super::state::{AssessmentView, overdue, status_label};
use super::systems_of;
use crate::session::Session;

/// One row of the list.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Row {
    doc_id: String,
    /// The root's title until the assessment itself has arrived.
    title: String,
    assessment: Option<AssessmentView>,
}

#[component]
pub fn AssessmentList(session: Session) -> impl IntoView {
    let root_id = session.membership().root_id().to_owned();
    let rows = Memo::new(move |_| {
        let entries: Vec<(String, String, i64)> = session
            .read(&root_id, |doc| {
                let workspace = Workspace::load(doc).ok()?;
                Some(
                    workspace
                        .documents_of(DocumentKind::ImpactAssessment)
                        .map(|(id, entry)| (id.to_string(), entry.title.clone(), entry.created_at_ms))
                        .collect::<Vec<_>>(),
                )
            })
            .flatten()?;
        let mut rows: Vec<(i64, Row)> = entries
            .into_iter()
            .map(|(doc_id, title, created)| {
                let assessment = session.read(&doc_id, AssessmentView::read).flatten();
                (created, Row { doc_id, title, assessment })
            })
            .collect();
        // Newest first: the assessment someone just started is the one they look for.
        quorum_shared::order::sort_by(&mut rows, |a, b| {
            b.0.cmp(&a.0).then_with(|| a.1.doc_id.cmp(&b.1.doc_id))
        });
        Some(rows.into_iter().map(|(_, row)| row).collect::<Vec<_>>())
    });
    let systems = Memo::new(move |_| systems_of(session));
    let today = Some(crate::session::today());

    view! {
        <div class="page impact-list">
            <h1>"AI system impact assessments"</h1>
            <p class="lede">
                "One assessment per AI system or use: who it could affect, how, and what the organization does about it. Each is written section by section, reviewed, approved, and looked at again on its review date."
            </p>
            {move || match rows.get() {
                None => view! { <p class="muted" role="status">"Loading the workspace…"</p> }.into_any(),
                Some(rows) if rows.is_empty() => view! {
                    <section class="impact-empty" aria-labelledby="impact-empty-heading">
                        <h2 id="impact-empty-heading">"No impact assessments yet"</h2>
                        <p>
                            "An impact assessment looks past the organization's own risks to the people and groups an AI system touches: what it does for them, what harm it could do if it errs or is misused, and what keeps that harm in check."
                        </p>
                        <p>
                            {if session.can_edit() {
                                "Start with the system that affects people most directly. Pick it from the AI system inventory below, or describe the use in a few words if it is not listed yet."
                            } else {
                                "Editors and owners of this workspace start them; you will see each one here as soon as it is made."
                            }}
                        </p>
                    </section>
                }
                .into_any(),
                Some(rows) => view! {
                    <table class="impact-table">
                        <thead>
                            <tr>
                                <th scope="col">"Assessment"</th>
                                <th scope="col">"AI system or use"</th>
                                <th scope="col">"Status"</th>
                                <th scope="col">"Next review"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows.into_iter().map(|row| view! { <ListRow row systems today/> }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any(),
            }}
            <Show when=move || session.can_edit()>
                <NewAssessment session systems/>
            </Show>
        </div>
    }
}

#[component]
fn ListRow(row: Row, systems: Memo<BTreeMap<SystemId, String>>, today: Option<model::Date>) -> impl IntoView {
    let href = format!("/impact/{}", row.doc_id);
    let Some(assessment) = row.assessment else {
        return view! {
            <tr class="impact-row" data-assessment=row.doc_id data-status="loading">
                <th scope="row"><A href=href>{row.title}</A></th>
                <td colspan="3" class="muted">"Arriving from the relay…"</td>
            </tr>
        }
        .into_any();
    };
    let (label, hook) = status_label(assessment.status);
    let system = assessment.system;
    let system_name = move || match system {
        Some(id) => systems
            .with(|s| s.get(&id).cloned())
            .unwrap_or_else(|| "A system no longer in the inventory".into()),
        None => "A use described in the assessment".into(),
    };
    let late = overdue(assessment.review_date, today);
    let (done, all) = assessment.progress();
    view! {
        <tr class="impact-row" data-assessment=row.doc_id data-status=hook>
            <th scope="row">
                <A href=href>{assessment.title}</A>
                <span class="impact-progress muted">{format!("{done} of {all} sections complete")}</span>
            </th>
            <td>{system_name}</td>
            <td><span class=format!("impact-status impact-status-{hook}")>{label}</span></td>
            <td class:impact-overdue=late>
                {match assessment.review_date {
                    Some(date) if late => format!("{date} (overdue)"),
                    Some(date) => date.to_string(),
                    None => "Not set".to_owned(),
                }}
            </td>
        </tr>
    }
    .into_any()
}

/// The value of the "what is assessed" choice for a use with no inventory entry.
const DESCRIBED_USE: &str = "use";

#[component]
fn NewAssessment(session: Session, systems: Memo<BTreeMap<SystemId, String>>) -> impl IntoView {
    let navigate = use_navigate();
    let subject = RwSignal::new(DESCRIBED_USE.to_owned());
    let title = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let chosen_system = move || subject.with(|s| s.parse::<SystemId>().ok());

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let system = chosen_system();
        let typed = title.get_untracked().trim().to_owned();
        let named = match system {
            Some(id) if typed.is_empty() => {
                systems.with_untracked(|s| s.get(&id).cloned()).unwrap_or_default()
            }
            _ => typed,
        };
        if named.is_empty() {
            error.set(Some(
                "Give the assessment a title: the use it covers, such as \"Screening job applications\"."
                    .into(),
            ));
            return;
        }
        let created = session.create_document(DocumentKind::ImpactAssessment, &named, |doc, now| {
            model::create_impact_assessment(doc, now, &named, system)
        });
        match created {
            Ok(id) => {
                error.set(None);
                navigate(&format!("/impact/{id}"), Default::default());
            }
            Err(reason) => error.set(Some(format!(
                "The assessment was not created ({reason}); reload the page and try again."
            ))),
        }
    };

    view! {
        <form class="impact-new" on:submit=submit aria-labelledby="impact-new-heading">
            <h2 id="impact-new-heading">"New impact assessment"</h2>
            <div class="field">
                <label for="impact-new-subject">"What is assessed"</label>
                <select
                    id="impact-new-subject"
                    on:change=move |event| subject.set(event_target_value(&event))
                    prop:value=move || subject.get()
                >
                    <option value=DESCRIBED_USE>"A use described in words"</option>
                    {move || {
                        systems
                            .get()
                            .into_iter()
                            .map(|(id, name)| view! { <option value=id.to_string()>{name}</option> })
                            .collect_view()
                    }}
                </select>
                <p class="hint">
                    {move || if systems.with(BTreeMap::is_empty) {
                        "The AI system inventory lists no system yet; describe the use in the title, or add the system to the inventory first."
                    } else {
                        "Pick a system from the AI system inventory, or describe a use that is not listed."
                    }}
                </p>
            </div>
            <div class="field">
                <label for="impact-new-title">"Title"</label>
                <input
                    id="impact-new-title"
                    type="text"
                    bind:value=title
                    placeholder=move || if chosen_system().is_some() { "The system's name" } else { "Screening job applications" }
                    aria-describedby="impact-new-error"
                    aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                />
            </div>
            <button type="submit">"Start the assessment"</button>
            <p id="impact-new-error" class="field-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
