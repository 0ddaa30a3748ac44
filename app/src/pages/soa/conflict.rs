//! A conflict on one control: two people chose different values for the same field at the same
//! time. The row says so plainly, who chose what and which value it shows, and offers to keep
//! either; keeping one writes it once more, which replaces every concurrent value everywhere.

use leptos::prelude::*;
use quorum_shared::model::{self, ControlId, SoaChoice};

use crate::session::{Session, now_ms};

/// What the row shows of one conflict: plain values, with the people already named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictView {
    pub choice: SoaChoice,
    /// The value the row shows, as stored.
    pub shown: String,
    /// Each concurrent value, the shown one first.
    pub values: Vec<ChosenValue>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChosenValue {
    /// As stored ("in-progress", a member id, "" for nobody).
    pub value: String,
    /// As the page words it ("In progress", the member's name, "nobody").
    pub label: String,
    /// Who chose it.
    pub who: String,
}

impl ConflictView {
    /// Builds the view of a conflict; `name_of` names a member id (for owners) and `who` an
    /// actor. The shown value comes first, then by value, so every browser words it alike.
    pub fn new(
        conflict: &model::SoaConflict,
        name_of: impl Fn(&str) -> Option<String>,
        who: impl Fn(&automerge::ActorId) -> String,
    ) -> Self {
        let mut values: Vec<ChosenValue> = conflict
            .values
            .iter()
            .map(|(value, actor)| ChosenValue {
                value: value.clone(),
                label: label(conflict.choice, value, &name_of),
                who: who(actor),
            })
            .collect();
        let shown = conflict.shown.as_str();
        quorum_shared::order::sort_by_key(&mut values, |v| {
            (v.value != shown, v.value.clone(), v.who.clone())
        });
        Self { choice: conflict.choice, shown: conflict.shown.clone(), values }
    }

    fn shown_label(&self) -> String {
        self.values.iter().find(|v| v.value == self.shown).map(|v| v.label.clone()).unwrap_or_default()
    }
}

#[component]
pub fn SoaConflict(
    session: Session,
    doc_id: StoredValue<String>,
    control: ControlId,
    conflict: ConflictView,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let choice = conflict.choice;
    let summary =
        conflict.values.iter().map(|v| format!("{} chose {}", v.who, v.label)).collect::<Vec<_>>().join(", ");
    let shown = conflict.shown_label();
    let keep = move |value: String| {
        let result = doc_id.with_value(|id| {
            session.edit(id, |doc| model::keep_soa_value(doc, now_ms(), control, choice, &value))
        });
        error.set(result.err().map(|e| format!("That value was not kept ({e}).")));
    };
    let mut choices: Vec<(String, String)> =
        conflict.values.iter().map(|v| (v.value.clone(), v.label.clone())).collect();
    choices.dedup();
    view! {
        <div class="soa-conflict" role="status" data-conflict=choice.prop()>
            <p>
                <strong>{format!("{} was changed by two people at once: ", field_name(choice))}</strong>
                {summary}
                {format!(". Showing {shown}.")}
            </p>
            <div class="soa-conflict-actions">
                {choices
                    .into_iter()
                    .map(|(value, label)| {
                        let text = format!("Keep {label}");
                        let kept = value.clone();
                        view! {
                            <button type="button" data-keep=value on:click=move |_| keep(kept.clone())>
                                {text}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </div>
    }
}

fn field_name(choice: SoaChoice) -> &'static str {
    match choice {
        SoaChoice::Applicability => "Applicability",
        SoaChoice::Status => "Implementation status",
        SoaChoice::Owner => "The owner",
    }
}

/// A stored value as the page words it.
fn label(choice: SoaChoice, value: &str, name_of: impl Fn(&str) -> Option<String>) -> String {
    match (choice, value) {
        (SoaChoice::Owner, "") => "nobody".to_owned(),
        (SoaChoice::Owner, member) => name_of(member).unwrap_or_else(|| "a former member".to_owned()),
        _ => {
            let words = value.replace('-', " ");
            let mut chars = words.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use automerge::ActorId;

    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_shown_value_comes_first_and_values_read_as_words() {
        let (ada, bea) = (ActorId::from(b"ada".to_vec()), ActorId::from(b"bea".to_vec()));
        let conflict = model::SoaConflict {
            control: "A.9.3".parse().unwrap(),
            choice: SoaChoice::Status,
            shown: "in-progress".to_owned(),
            values: vec![("implemented".to_owned(), ada.clone()), ("in-progress".to_owned(), bea.clone())],
        };
        let who = |actor: &ActorId| if *actor == ada { "Ada".to_owned() } else { "Bea".to_owned() };
        let view = ConflictView::new(&conflict, |_| None, who);
        let words: Vec<(&str, &str)> =
            view.values.iter().map(|v| (v.label.as_str(), v.who.as_str())).collect();
        assert_eq!(words, [("In progress", "Bea"), ("Implemented", "Ada")]);
        assert_eq!(view.shown_label(), "In progress");
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn owners_are_named_and_nobody_is_said_in_words() {
        let name_of = |id: &str| (id == "m1").then(|| "Ada".to_owned());
        assert_eq!(label(SoaChoice::Owner, "m1", name_of), "Ada");
        assert_eq!(label(SoaChoice::Owner, "", name_of), "nobody");
        assert_eq!(label(SoaChoice::Owner, "m9", name_of), "a former member");
    }
}
