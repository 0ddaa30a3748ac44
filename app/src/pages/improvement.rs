//! Nonconformities and continual improvement (ISO/IEC 42001 10.1, 10.2), in the workspace's one
//! improvement document. Each nonconformity is a card (`id="nc-<id>"`, so `/improvement#nc-<id>`
//! lands on it): where it came from (with a link back to the audit that raised it), what was done
//! at once, its root cause, its corrective actions, the review of whether they worked, and its
//! closure, which the model refuses until that review found them effective. Below, the log of
//! improvements made beyond fixing nonconformities.

mod corrective;
mod effectiveness;
mod log;
mod nonconformity;

use leptos::prelude::*;
use quorum_shared::model::{
    self, DocumentKind, Improvement, ImprovementViolation, MemberId, Nonconformity, NonconformityId, Position,
};

use crate::components::owner;
use crate::components::register_page::RegisterPage;
use crate::explain::explain;
use crate::session::{Session, now_ms, random_id};

#[component]
pub fn ImprovementPage() -> impl IntoView {
    view! {
        <RegisterPage kind=DocumentKind::Improvement title="Nonconformities and improvement" noun="nonconformity register"
            children=|session, doc_id| view! { <ImprovementEditor session doc_id/> }/>
    }
}

#[component]
fn ImprovementEditor(session: Session, doc_id: StoredValue<String>) -> impl IntoView {
    let improvement = Memo::new(move |_| {
        doc_id.with_value(|id| session.read(id, |doc| Improvement::load(doc).ok())).flatten()
    });
    let violations = Memo::new(move |_| {
        doc_id
            .with_value(|id| session.read(id, |doc| model::improvement_violations(doc).unwrap_or_default()))
            .unwrap_or_default()
    });
    let ids = Memo::new(move |_| {
        improvement.with(|i| {
            let Some(i) = i else { return Vec::new() };
            let mut ids: Vec<_> = i.nonconformities.iter().map(|(id, n)| (n.rank.clone(), *id)).collect();
            quorum_shared::order::sort(&mut ids);
            ids.into_iter().map(|(_, id)| id).collect::<Vec<NonconformityId>>()
        })
    });
    let members: Memo<Vec<(MemberId, String)>> = owner::members(session);
    // A link to `#nc-<id>` arrives before the cards do: scroll to it once they are there.
    let landed = StoredValue::new(false);
    Effect::new(move |_| {
        if ids.with(Vec::is_empty) || landed.get_value() {
            return;
        }
        landed.set_value(true);
        let hash = window().location().hash().unwrap_or_default();
        if let Some(target) = hash.strip_prefix('#').filter(|h| h.starts_with("nc-"))
            && let Some(element) = document().get_element_by_id(target)
        {
            element.scroll_into_view();
        }
    });
    view! {
        <div class="page improvement">
            <h1>"Nonconformities and improvement"</h1>
            <p class="lede">
                "When something falls short of a requirement, record it here: what happened, what was done at once, why it happened, what will stop it happening again, and whether that worked. Changes are saved as you make them."
            </p>
            <Show when=move || !violations.with(Vec::is_empty)>
                <div class="card improvement-violations" role="alert">
                    {move || violations.get().into_iter().map(|v| view! { <p>{describe(v, improvement)}</p> }).collect_view()}
                </div>
            </Show>
            <section aria-labelledby="nc-heading">
                <h2 id="nc-heading">"Nonconformities"</h2>
                <Show when=move || ids.with(Vec::is_empty)>
                    <p class="card empty" data-empty="nonconformities">
                        "No nonconformity recorded. When an audit, an incident, a complaint or monitoring shows a requirement was not met, add it here and work it through to closure."
                    </p>
                </Show>
                <ul class="register nc-list">
                    <For
                        each=move || ids.get()
                        key=|id| *id
                        children=move |id| view! { <nonconformity::NonconformityCard session doc_id id improvement members/> }
                    />
                </ul>
                <Show when=move || session.can_edit()>
                    <AddNonconformity session doc_id/>
                </Show>
            </section>
            <log::ImprovementLog session doc_id improvement members/>
        </div>
    }
}

fn describe(violation: ImprovementViolation, improvement: Memo<Option<Improvement>>) -> String {
    match violation {
        ImprovementViolation::ClosedWithoutEffectiveReview(id) => {
            let title = improvement
                .with_untracked(|i| i.as_ref().and_then(|i| i.nonconformities.get(&id)).map(|n| n.title.clone()))
                .unwrap_or_default();
            format!(
                "\u{201c}{title}\u{201d} was closed while someone else changed its effectiveness review: reopen it, complete the review, and close it again."
            )
        }
        ImprovementViolation::OrphanCorrectiveAction(_) => {
            "A corrective action was added while its nonconformity was deleted; it is kept out of sight and does not count.".into()
        }
    }
}

#[component]
fn AddNonconformity(session: Session, doc_id: StoredValue<String>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let title = RwSignal::new(String::new());
    let on_add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = title.get_untracked().trim().to_owned();
        if text.is_empty() {
            error.set(Some(
                "Say what went wrong first, such as \u{201c}Risk assessed without an owner\u{201d}.".into(),
            ));
            return;
        }
        let nc = Nonconformity { title: text, ..Default::default() };
        let result = doc_id.with_value(|id| {
            session.edit(id, |doc| model::add(doc, now_ms(), random_id(), nc, Position::Last))
        });
        error.set(result.as_ref().err().map(explain));
        if result.is_ok() {
            title.set(String::new());
        }
    };
    view! {
        <form class="card add-record" on:submit=on_add>
            <div class="field field-grow">
                <label for="nc-new-title">"New nonconformity"</label>
                <input id="nc-new-title" type="text" bind:value=title aria-describedby="nc-new-error"/>
            </div>
            <button type="submit" class="button">"Add nonconformity"</button>
            <p id="nc-new-error" class="field-error" role="alert">{move || error.get()}</p>
        </form>
    }
}
