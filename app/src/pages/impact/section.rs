//! One ISO/IEC 42005 section of an assessment: its narrative, which several people type into at
//! once, the guidance for it in our own words beside it, and whether it is complete; and the
//! navigator that lists the sections with a tick for each complete one.

use leptos::prelude::*;
use quorum_shared::model::{self, SectionId, TextEdit};

use super::assessment::Assessment;
use super::impacts::ImpactsEditor;
use super::state::AssessmentView;
use crate::components::prose::Prose;
use crate::session::now_ms;

/// The section whose impacts are rated one by one, beside its narrative.
const IMPACTS_SECTION: &str = "6.8";

/// The element id of a section (`6.2` becomes `impact-section-6-2`), for links and labels.
pub fn anchor(id: SectionId) -> String {
    format!("impact-section-{}", id.as_str().replace('.', "-"))
}

#[component]
pub fn SectionEditor(assessment: Assessment, id: SectionId) -> impl IntoView {
    let Assessment { session, view, .. } = assessment;
    let catalog = id.section();
    let error = RwSignal::new(None::<String>);
    let narrative = Memo::new(move |_| {
        view.with(|v| {
            v.as_ref().and_then(|v| v.sections.get(&id)).map(|s| s.narrative.clone()).unwrap_or_default()
        })
    });
    let complete = Memo::new(move |_| {
        view.with(|v| v.as_ref().and_then(|v| v.sections.get(&id)).is_some_and(|s| s.complete))
    });
    let changed = Memo::new(move |_| {
        view.with(|v| v.as_ref().is_some_and(|v| v.changed_since_approval().contains(&id)))
    });
    let on_edit = Callback::new(move |text: String| {
        let result = assessment.edit(|doc| model::edit_section(doc, now_ms(), id, TextEdit::Replace(text)));
        let ok = result.is_ok();
        error.set(result.err());
        ok
    });
    let on_complete = move |event: leptos::ev::Event| {
        let checked = event_target_checked(&event);
        let result = assessment.edit(|doc| model::set_section_complete(doc, now_ms(), id, checked));
        if result.is_err() {
            let element: web_sys::HtmlInputElement = event_target(&event);
            element.set_checked(complete.get_untracked());
        }
        error.set(result.err());
    };

    let anchor = anchor(id);
    let heading = format!("{anchor}-heading");
    let labelled_by = heading.clone();
    let guidance = format!("{anchor}-guidance");
    view! {
        <section
            id=anchor.clone()
            class="impact-section"
            data-section=id.as_str()
            data-complete=move || complete.get().to_string()
            data-changed=move || changed.get().to_string()
            aria-labelledby=labelled_by
        >
            <h2 id=heading>
                <span class="ref">{id.as_str()}</span>" "{catalog.title}
                {move || changed.get().then(|| view! { <span class="impact-badge">"Changed since approval"</span> })}
            </h2>
            <div class="impact-section-body">
                <div class="impact-section-text">
                    <Prose
                        id=format!("{anchor}-narrative")
                        label="What the assessment records"
                        value=narrative
                        on_edit
                        disabled=Signal::derive(move || !session.can_edit())
                        rows=7
                    />
                    <div class="impact-complete">
                        <input
                            id=format!("{anchor}-complete")
                            type="checkbox"
                            prop:checked=move || complete.get()
                            on:change=on_complete
                        />
                        <label for=format!("{anchor}-complete")>"Section complete"</label>
                    </div>
                    <p class="field-error" role="alert">{move || error.get()}</p>
                </div>
                <aside class="impact-guidance" id=guidance.clone() aria-label=format!("Guidance for section {id}")>
                    <h3>"What to write here"</h3>
                    <p>{catalog.guidance}</p>
                </aside>
            </div>
            {(id.as_str() == IMPACTS_SECTION).then(|| view! { <ImpactsEditor assessment/> })}
        </section>
    }
}

/// The sections in order, each a link with a tick once complete; beside the sections on wide
/// screens, above them on narrow ones.
#[component]
pub fn SectionNavigator(view: Memo<Option<AssessmentView>>) -> impl IntoView {
    let progress =
        Memo::new(move |_| view.with(|v| v.as_ref().map(AssessmentView::progress).unwrap_or_default()));
    view! {
        <nav class="impact-nav" aria-label="Sections of the assessment">
            <p class="impact-nav-progress">
                {move || {
                    let (done, all) = progress.get();
                    format!("{done} of {all} sections complete")
                }}
            </p>
            <ol>
                {SectionId::all()
                    .map(|id| {
                        let complete = Memo::new(move |_| {
                            view.with(|v| v.as_ref().and_then(|v| v.sections.get(&id)).is_some_and(|s| s.complete))
                        });
                        let target = anchor(id);
                        let href = format!("#{target}");
                        // Scrolls here instead of letting the router treat the fragment as a route.
                        let jump = move |event: leptos::ev::MouseEvent| {
                            event.prevent_default();
                            if let Some(section) = document().get_element_by_id(&target) {
                                section.scroll_into_view();
                            }
                        };
                        view! {
                            <li data-section=id.as_str() data-complete=move || complete.get().to_string()>
                                <a href=href on:click=jump>
                                    <span class="impact-tick" aria-hidden="true">{move || if complete.get() { "✓" } else { "" }}</span>
                                    <span class="ref">{id.as_str()}</span>
                                    <span class="impact-nav-title">{short_title(id.section().title)}</span>
                                    <span class="visually-hidden">{move || if complete.get() { " (complete)" } else { "" }}</span>
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

/// A section title without its parenthesised list, which is too long for the navigator.
pub fn short_title(title: &str) -> &str {
    title.split(" (").next().unwrap_or(title).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn navigator_titles_drop_the_parenthesised_lists_and_anchors_have_no_dots() {
        let titles: Vec<&str> = SectionId::all().map(|id| short_title(id.section().title)).collect();
        assert_eq!(titles[1], "AI system information");
        assert_eq!(titles[6], "Actual and reasonably foreseeable impacts");
        assert_eq!(titles[0], "Scope of the AI system impact assessment");
        assert!(titles.iter().all(|t| !t.contains('(') && !t.is_empty()));
        let first = SectionId::all().next().unwrap();
        assert_eq!(anchor(first), "impact-section-6-2");
    }
}
