//! The impacts of section 6.8 as a table a committee rates together: who is affected, benefit or
//! harm, what happens, and its likelihood and severity on the five-point scales of `shared`.
//! Each field saves on change as one register edit; a new impact starts as a harm to a group,
//! the case an assessment exists to find.

use leptos::prelude::*;
use quorum_shared::model::{
    self, AffectedParty, AssessedImpact, IMPACT_LIKELIHOOD, IMPACT_SEVERITY, ImpactField, ImpactId,
    ImpactKind, Position,
};

use super::assessment::Assessment;
use crate::components::field::{SelectField, TextField, rating_value};
use crate::session::{now_ms, random_id};

const AFFECTED: [(AffectedParty, &str, &str); 3] = [
    (AffectedParty::Individuals, "individuals", "Individuals"),
    (AffectedParty::Groups, "groups", "Groups"),
    (AffectedParty::Society, "society", "Society"),
];

const KINDS: [(ImpactKind, &str, &str); 2] =
    [(ImpactKind::Harm, "harm", "Harm"), (ImpactKind::Benefit, "benefit", "Benefit")];

#[component]
pub fn ImpactsEditor(assessment: Assessment) -> impl IntoView {
    let Assessment { session, view, .. } = assessment;
    let impacts =
        Memo::new(move |_| view.with(|v| v.as_ref().map(|v| v.impacts.clone()).unwrap_or_default()));
    let ids = Memo::new(move |_| impacts.with(|list| list.iter().map(|(id, _)| *id).collect::<Vec<_>>()));
    let error = RwSignal::new(None::<String>);
    let new_description = RwSignal::new(String::new());

    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let description = new_description.get_untracked().trim().to_owned();
        if description.is_empty() {
            error.set(Some(
                "Say what the impact is, such as \"Older applicants are rejected more often\".".into(),
            ));
            return;
        }
        let impact = AssessedImpact::new(AffectedParty::Groups, ImpactKind::Harm, &description);
        let result =
            assessment.edit(|doc| model::add(doc, now_ms(), random_id(), impact, Position::Last).map(|_| ()));
        if result.is_ok() {
            new_description.set(String::new());
        }
        error.set(result.err());
    };

    view! {
        <div class="impacts" aria-labelledby="impacts-heading">
            <h3 id="impacts-heading">"Impacts, rated"</h3>
            <p class="hint">
                "One line per benefit or harm: who it falls on, what happens, how likely it is and how severe for them. Any change returns an approved assessment to draft."
            </p>
            {move || {
                if ids.with(Vec::is_empty) {
                    view! { <p class="muted impacts-empty">"No impacts rated yet. Add the harm you worry about most first."</p> }.into_any()
                } else {
                    view! {
                        <ul class="impact-list">
                            <For each=move || ids.get() key=|id| *id let:id>
                                <ImpactRow assessment id impacts error/>
                            </For>
                        </ul>
                    }
                    .into_any()
                }
            }}
            <Show when=move || session.can_edit()>
                <form class="impact-add" on:submit=add>
                    <label for="impact-new-description">"New impact"</label>
                    <input
                        id="impact-new-description"
                        type="text"
                        placeholder="What could happen to people"
                        bind:value=new_description
                        aria-describedby="impacts-error"
                    />
                    <button type="submit" class="button secondary">"Add impact"</button>
                </form>
            </Show>
            <p id="impacts-error" class="field-error" role="alert">{move || error.get()}</p>
        </div>
    }
}

#[component]
fn ImpactRow(
    assessment: Assessment,
    id: ImpactId,
    impacts: Memo<Vec<(ImpactId, AssessedImpact)>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = assessment.session;
    let impact = Memo::new(move |_| {
        impacts.with(|list| list.iter().find(|(i, _)| *i == id).map(|(_, impact)| impact.clone()))
    });
    let read = move |f: fn(&AssessedImpact) -> String| {
        Signal::derive(move || impact.with(|i| i.as_ref().map(f).unwrap_or_default()))
    };
    let save = move |field: ImpactField| {
        let result = assessment.edit(|doc| model::edit(doc, now_ms(), id, field));
        let ok = result.is_ok();
        error.set(result.err());
        ok
    };
    let on_affected = Callback::new(move |value: String| {
        AFFECTED
            .iter()
            .find(|(_, v, _)| *v == value)
            .is_some_and(|(party, ..)| save(ImpactField::Affected(*party)))
    });
    let on_kind = Callback::new(move |value: String| {
        KINDS.iter().find(|(_, v, _)| *v == value).is_some_and(|(kind, ..)| save(ImpactField::Kind(*kind)))
    });
    let on_description = Callback::new(move |text: String| {
        if text.trim().is_empty() {
            error.set(Some(
                "An impact needs a description; delete it instead if it no longer applies.".into(),
            ));
            return false;
        }
        save(ImpactField::Description(text.trim().to_owned()))
    });
    let rating = move |field: fn(Option<u8>) -> ImpactField| {
        Callback::new(move |value: String| save(field(value.parse().ok())))
    };
    let on_delete = move |_| {
        error.set(assessment.edit(|doc| model::delete(doc, now_ms(), id)).err());
    };
    let field = move |name: &str| format!("impact-{id}-{name}");
    let affected = read(|i| value_of(&AFFECTED, i.affected).to_owned());
    let kind = read(|i| value_of(&KINDS, i.kind).to_owned());
    let description = read(|i| i.description.clone());
    let likelihood = read(|i| rating_value(i.likelihood.map(u64::from)));
    let severity = read(|i| rating_value(i.severity.map(u64::from)));
    let affected_options = options(&AFFECTED);
    let kind_options = options(&KINDS);
    view! {
        <li
            class="rated-impact"
            data-impact=id.to_string()
            data-kind=move || kind.get()
            data-likelihood=move || likelihood.get()
            data-severity=move || severity.get()
        >
            <SelectField id=field("affected") label="Affects" classes="affected" options=affected_options value=affected on_change=on_affected/>
            <SelectField id=field("kind") label="Benefit or harm" classes="kind" options=kind_options value=kind on_change=on_kind/>
            <TextField id=field("description") label="What happens" classes="description" value=description on_change=on_description/>
            <SelectField id=field("likelihood") label="Likelihood" classes="likelihood" options=scale(&IMPACT_LIKELIHOOD) value=likelihood on_change=rating(ImpactField::Likelihood)/>
            <SelectField id=field("severity") label="Severity" classes="severity" options=scale(&IMPACT_SEVERITY) value=severity on_change=rating(ImpactField::Severity)/>
            <Show when=move || session.can_edit()>
                <button
                    type="button"
                    class="link-button delete"
                    on:click=on_delete
                    aria-label=move || format!("Delete impact {}", description.get())
                >
                    "Delete"
                </button>
            </Show>
        </li>
    }
}

/// A select's options for a list of choices.
fn options<T>(choices: &[(T, &str, &str)]) -> Vec<(String, String)> {
    choices.iter().map(|(_, value, label)| ((*value).to_owned(), (*label).to_owned())).collect()
}

/// The value a select uses for a choice.
fn value_of<T: PartialEq + Copy>(choices: &[(T, &'static str, &'static str)], chosen: T) -> &'static str {
    choices.iter().find(|(choice, ..)| *choice == chosen).map(|(_, value, _)| *value).unwrap_or_default()
}

/// "Not rated", then each level as "3 — Possible", with its meaning left to the guidance.
fn scale(levels: &[(&str, &str)]) -> Vec<(String, String)> {
    std::iter::once((String::new(), "Not rated".to_owned()))
        .chain(
            levels
                .iter()
                .enumerate()
                .map(|(i, (label, _))| ((i + 1).to_string(), format!("{} — {label}", i + 1))),
        )
        .collect()
}
