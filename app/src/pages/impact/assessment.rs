//! One impact assessment: its own fields (title, the AI system, the next review date), the
//! review and approval panel, and the ISO/IEC 42005 sections with a navigator beside them. The
//! assessment is read once here, on every change, and handed to the parts as memos.

use leptos::prelude::*;
use quorum_shared::model::{self, AssessmentField, Date, ModelError, SectionId, SystemId, Workspace};

use super::approval::ApprovalPanel;
use super::section::{SectionEditor, SectionNavigator};
use super::state::{AssessmentView, status_label};
use super::systems_of;
use crate::explain::explain;
use crate::session::{Session, now_ms};

/// What the parts of the page share: the document, the assessment as last read, and the root.
#[derive(Clone, Copy)]
pub struct Assessment {
    pub session: Session,
    pub doc_id: StoredValue<String>,
    pub view: Memo<Option<AssessmentView>>,
    pub workspace: Memo<Option<Workspace>>,
}

impl Assessment {
    /// Runs one domain operation on the assessment; the error, if any, in a person's words.
    pub fn edit(
        &self,
        operation: impl FnOnce(&mut automerge::AutoCommit) -> Result<(), ModelError>,
    ) -> Result<(), String> {
        self.doc_id.with_value(|id| self.session.edit(id, operation)).map_err(|e| explain(&e))
    }
}

#[component]
pub fn AssessmentEditor(session: Session, doc_id: String) -> impl IntoView {
    let root_id = session.membership().root_id().to_owned();
    let read_id = doc_id.clone();
    let view = Memo::new(move |_| session.read(&read_id, AssessmentView::read).flatten());
    let workspace = Memo::new(move |_| session.read(&root_id, |doc| Workspace::load(doc).ok()).flatten());
    let assessment = Assessment { session, doc_id: StoredValue::new(doc_id), view, workspace };
    let loaded = Memo::new(move |_| view.with(Option::is_some));

    move || {
        if !loaded.get() {
            return view! {
                <p class="muted" role="status">"Loading the assessment… it opens as soon as this browser has it."</p>
            }
            .into_any();
        }
        let status = move || view.with(|v| v.as_ref().map(|v| v.status).unwrap_or_default());
        view! {
            <div class="impact-assessment" data-status=move || status_label(status()).1>
                <header class="impact-header">
                    <p class="impact-kicker">
                        <a href="/impact">"Impact assessments"</a>
                        " · ISO/IEC 42001 6.1.4, 8.4 and A.5, structured as ISO/IEC 42005 clause 6"
                    </p>
                    <h1>{move || view.with(|v| v.as_ref().map(|v| v.title.clone()).unwrap_or_default())}</h1>
                    <span class=move || format!("impact-status impact-status-{}", status_label(status()).1)>
                        {move || status_label(status()).0}
                    </span>
                </header>
                <fieldset class="impact-fields" prop:disabled=move || !session.can_edit()>
                    <legend class="visually-hidden">"About this assessment"</legend>
                    <AssessmentFields assessment/>
                </fieldset>
                <ApprovalPanel assessment/>
                <div class="impact-body">
                    <SectionNavigator view/>
                    <fieldset class="impact-sections" prop:disabled=move || !session.can_edit()>
                        <legend class="visually-hidden">"Sections of the assessment"</legend>
                        {SectionId::all().map(|id| view! { <SectionEditor assessment id/> }).collect_view()}
                    </fieldset>
                </div>
            </div>
        }
        .into_any()
    }
}

/// The title, the AI system covered and the next review date; each saved when it changes.
#[component]
fn AssessmentFields(assessment: Assessment) -> impl IntoView {
    let Assessment { session, view, workspace, .. } = assessment;
    let error = RwSignal::new(None::<String>);
    let systems = Memo::new(move |_| systems_of(session));
    let title = move || view.with(|v| v.as_ref().map(|v| v.title.clone()).unwrap_or_default());
    let system = move || view.with(|v| v.as_ref().and_then(|v| v.system));
    let review_date = move || view.with(|v| v.as_ref().and_then(|v| v.review_date));
    let interval = move || workspace.with(|w| w.as_ref().map_or(12, |w| w.settings.review_interval_months));

    let save = move |field: AssessmentField| {
        error.set(assessment.edit(|doc| model::edit_assessment(doc, now_ms(), field)).err())
    };
    let on_title = move |event: leptos::ev::Event| {
        let typed = event_target_value(&event).trim().to_owned();
        if typed.is_empty() {
            error.set(Some("An assessment needs a title; the previous one is kept.".into()));
            let element: web_sys::HtmlInputElement = event_target(&event);
            element.set_value(&title());
        } else if typed != title() {
            save(AssessmentField::Title(typed));
        }
    };
    let on_system = move |event: leptos::ev::Event| {
        let chosen = event_target_value(&event).parse::<SystemId>().ok();
        save(AssessmentField::System(chosen));
    };
    let on_review = move |event: leptos::ev::Event| {
        let typed = event_target_value(&event);
        if typed.is_empty() {
            save(AssessmentField::ReviewDate(None));
            return;
        }
        match typed.parse::<Date>() {
            Ok(date) => save(AssessmentField::ReviewDate(Some(date))),
            Err(_) => error.set(Some("Enter the review date as year-month-day, such as 2027-03-31.".into())),
        }
    };

    view! {
        <div class="impact-field-row">
            <div class="field">
                <label for="impact-title">"Title"</label>
                <input id="impact-title" type="text" prop:value=title on:change=on_title aria-describedby="impact-fields-error"/>
            </div>
            <div class="field">
                <label for="impact-system">"AI system assessed"</label>
                <select id="impact-system" on:change=on_system aria-describedby="impact-fields-error">
                    <option value="" prop:selected=move || system().is_none()>"A use described in the sections"</option>
                    {move || {
                        let current = system();
                        let mut options = systems.get();
                        // A system removed from the inventory stays visible as the one assessed.
                        if let Some(id) = current.filter(|id| !options.contains_key(id)) {
                            options.insert(id, "A system no longer in the inventory".into());
                        }
                        options
                            .into_iter()
                            .map(|(id, name)| {
                                view! { <option value=id.to_string() selected=current == Some(id)>{name}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </div>
            <div class="field">
                <label for="impact-review-date">"Next review"</label>
                <input
                    id="impact-review-date"
                    type="date"
                    prop:value=move || review_date().map(|d| d.to_string()).unwrap_or_default()
                    on:change=on_review
                    aria-describedby="impact-review-hint impact-fields-error"
                />
                <p id="impact-review-hint" class="hint">
                    {move || format!("This workspace reviews assessments every {} months, and after any significant change to the system.", interval())}
                </p>
            </div>
        </div>
        <p id="impact-fields-error" class="field-error" role="alert">{move || error.get()}</p>
    }
}
