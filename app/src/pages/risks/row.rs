//! One risk of the register as a card of labelled fields: what it is, where it comes from, how
//! likely and how bad, who owns it, how it is treated, with which Annex A controls, and what is
//! left after treatment. Every change is one domain operation; the levels are computed from the
//! criteria each time they are shown.

use leptos::prelude::*;
use quorum_shared::catalog;
use quorum_shared::model::{
    self, ControlId, Risk, RiskField, RiskId, RiskLevel, RiskRegister, TextEdit, Treatment,
};

use super::{Choices, actions, approval};
use crate::components::field::{SelectField, TextField, rating_value, scale_options};
use crate::components::prose::Prose;
use crate::explain::explain;
use crate::session::{Session, now_ms};

const TREATMENTS: [(Treatment, &str, &str); 5] = [
    (Treatment::Undecided, "undecided", "Not decided yet"),
    (Treatment::Modify, "modify", "Modify: reduce likelihood or consequence"),
    (Treatment::Avoid, "avoid", "Avoid: stop or change the activity"),
    (Treatment::Share, "share", "Share: by contract or insurance"),
    (Treatment::Retain, "retain", "Retain: accept it knowingly"),
];

#[component]
pub fn RiskRow(
    session: Session,
    doc_id: StoredValue<String>,
    id: RiskId,
    register: Memo<Option<RiskRegister>>,
    choices: Memo<Choices>,
) -> impl IntoView {
    let risk = Memo::new(move |_| register.with(|r| r.as_ref().and_then(|r| r.risks.get(&id).cloned())));
    let criteria =
        Memo::new(move |_| register.with(|r| r.as_ref().map(|r| r.criteria.clone()).unwrap_or_default()));
    let levels = Memo::new(move |_| {
        register.with(|r| {
            let register = r.as_ref()?;
            let risk = register.risks.get(&id)?;
            Some((register.inherent_level(risk), register.residual_level(risk)))
        })
    });
    let inherent = Signal::derive(move || levels.get().and_then(|l| l.0));
    let residual = Signal::derive(move || levels.get().and_then(|l| l.1));
    let error = RwSignal::new(None::<String>);
    let edit = move |field: RiskField| {
        let result = doc_id.with_value(|doc| session.edit(doc, |d| model::edit(d, now_ms(), id, field)));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    };
    let text = move |read: fn(&Risk) -> String| {
        Signal::derive(move || risk.with(|r| r.as_ref().map(read).unwrap_or_default()))
    };
    let rating = move |field: fn(Option<u64>) -> RiskField| {
        Callback::new(move |value: String| edit(field(value.parse().ok())))
    };
    let ids = move |field: &str| format!("risk-{id}-{field}");

    let on_title = Callback::new(move |title: String| {
        if title.trim().is_empty() {
            error.set(Some("A risk needs a title; write a few words that name it.".into()));
            return false;
        }
        edit(RiskField::Title(title.trim().to_owned()))
    });
    let on_source =
        Callback::new(move |key: String| edit(RiskField::Source(Some(key).filter(|k| !k.is_empty()))));
    let on_system = Callback::new(move |value: String| edit(RiskField::System(value.parse().ok())));
    let on_owner = Callback::new(move |value: String| edit(RiskField::Owner(value.parse().ok())));
    let on_treatment = Callback::new(move |value: String| {
        let chosen = TREATMENTS.iter().find(|(_, v, _)| *v == value).map(|(t, _, _)| *t);
        chosen.is_some_and(|treatment| edit(RiskField::Treatment(treatment)))
    });
    let on_description =
        Callback::new(move |text: String| edit(RiskField::Description(TextEdit::Replace(text))));
    let on_delete = move |_| {
        let title = risk.with_untracked(|r| r.as_ref().map(|r| r.title.clone()).unwrap_or_default());
        let question =
            format!("Delete the risk \"{title}\" and its treatment actions? Its history keeps it.");
        if window().confirm_with_message(&question).unwrap_or(false) {
            let result = doc_id.with_value(|doc| session.edit(doc, |d| model::delete(d, now_ms(), id)));
            error.set(result.as_ref().err().map(explain));
        }
    };

    let source_options: Signal<Vec<(String, String)>> = Signal::derive(|| {
        std::iter::once((String::new(), "Not chosen".to_owned()))
            .chain(catalog::risk_sources().iter().map(|s| (s.key.to_owned(), s.title.to_owned())))
            .collect()
    });
    let system_options: Signal<Vec<(String, String)>> = Signal::derive(move || {
        let systems = choices.with(|c| c.systems.clone());
        std::iter::once((String::new(), "No particular AI system".to_owned()))
            .chain(systems.into_iter().map(|(id, name)| (id.to_string(), name)))
            .collect()
    });
    let owner_options: Signal<Vec<(String, String)>> = Signal::derive(move || {
        let members = choices.with(|c| c.members.clone());
        std::iter::once((String::new(), "No owner yet".to_owned()))
            .chain(members.into_iter().map(|(id, name)| (id.to_string(), name)))
            .collect()
    });
    let treatment_options: Signal<Vec<(String, String)>> = Signal::derive(|| {
        TREATMENTS.iter().map(|(_, value, text)| (value.to_string(), text.to_string())).collect()
    });
    let likelihoods = Signal::derive(move || criteria.with(|c| scale_options(&c.likelihood)));
    let consequences = Signal::derive(move || criteria.with(|c| scale_options(&c.consequence)));
    let source_hint = move || {
        risk.with(|r| r.as_ref()?.source.as_deref().and_then(catalog::risk_source).map(|s| s.description))
    };
    let treatment_value = move |r: &Risk| {
        TREATMENTS.iter().find(|(t, _, _)| *t == r.treatment).map_or("undecided", |(_, v, _)| *v).to_owned()
    };
    let heading = ids("heading");
    let error_id = ids("error");

    view! {
        <li
            class="risk card"
            data-risk=id.to_string()
            data-likelihood=move || rating_value(risk.with(|r| r.as_ref().and_then(|r| r.likelihood)))
            data-consequence=move || rating_value(risk.with(|r| r.as_ref().and_then(|r| r.consequence)))
            data-level=move || inherent.get().map(|l| l.band).unwrap_or_default()
            data-treatment=move || risk.with(|r| r.as_ref().map(treatment_value).unwrap_or_default())
            aria-labelledby=heading.clone()
        >
            <header class="risk-head">
                <h3 id=heading.clone()>{move || risk.with(|r| r.as_ref().map(|r| r.title.clone()).unwrap_or_default())}</h3>
                <LevelBadge label="Inherent" level=inherent kind="inherent"/>
                <LevelBadge label="Residual" level=residual kind="residual"/>
                <Show when=move || session.can_edit()>
                    <button type="button" class="link-button delete-risk" on:click=on_delete>"Delete"</button>
                </Show>
            </header>
            <fieldset class="risk-fields" prop:disabled=move || !session.can_edit()>
                <legend class="visually-hidden">"Risk details"</legend>
                <div class="risk-grid">
                    <TextField id=ids("title") label="Title" classes="title field-wide" value=text(|r| r.title.clone()) on_change=on_title/>
                    <div class="field source-field">
                        <SelectField
                            id=ids("source")
                            label="Risk source (Annex C)"
                            classes="source"
                            options=source_options
                            value=text(|r| r.source.clone().unwrap_or_default())
                            on_change=on_source
                        />
                        <p class="hint">{source_hint}</p>
                    </div>
                    <SelectField
                        id=ids("system")
                        label="Affected AI system"
                        classes="system"
                        options=system_options
                        value=text(|r| r.system.map(|s| s.to_string()).unwrap_or_default())
                        on_change=on_system
                    />
                    <SelectField
                        id=ids("owner")
                        label="Risk owner"
                        classes="owner"
                        options=owner_options
                        value=text(|r| r.owner.map(|m| m.to_string()).unwrap_or_default())
                        on_change=on_owner
                    />
                </div>
                <Prose
                    id=ids("description")
                    label="Description"
                    hint="What could happen, to whom, and why."
                    rows=3
                    value=text(|r| r.description.as_str().to_owned())
                    on_edit=on_description
                    disabled=Signal::derive(move || !session.can_edit())
                />
                <div class="risk-grid ratings">
                    <SelectField id=ids("likelihood") label="Likelihood" classes="likelihood" options=likelihoods value=text(|r| rating_value(r.likelihood)) on_change=rating(RiskField::Likelihood)/>
                    <SelectField id=ids("consequence") label="Consequence" classes="consequence" options=consequences value=text(|r| rating_value(r.consequence)) on_change=rating(RiskField::Consequence)/>
                    <SelectField id=ids("treatment") label="Treatment" classes="treatment" options=treatment_options value=text(treatment_value) on_change=on_treatment/>
                    <SelectField id=ids("residual-likelihood") label="Residual likelihood" classes="residual-likelihood" options=likelihoods value=text(|r| rating_value(r.residual_likelihood)) on_change=rating(RiskField::ResidualLikelihood)/>
                    <SelectField id=ids("residual-consequence") label="Residual consequence" classes="residual-consequence" options=consequences value=text(|r| rating_value(r.residual_consequence)) on_change=rating(RiskField::ResidualConsequence)/>
                </div>
                <LinkedControls session doc_id id risk error/>
                <actions::TreatmentActions session doc_id risk=id register choices/>
            </fieldset>
            <p id=error_id class="field-error" role="alert">{move || error.get()}</p>
            <approval::TreatmentApproval session doc_id id register choices/>
        </li>
    }
}

/// A risk's level as a small badge: its band and score, or that it is not rated yet.
#[component]
fn LevelBadge(label: &'static str, level: Signal<Option<RiskLevel>>, kind: &'static str) -> impl IntoView {
    view! {
        <span
            class=format!("level-badge {kind}")
            data-band-index=move || level.get().map(|l| l.band_index.to_string()).unwrap_or_default()
            data-acceptable=move || level.get().map(|l| l.acceptable.to_string()).unwrap_or_default()
        >
            <span class="level-label">{label}</span>
            {move || match level.get() {
                Some(level) => {
                    let acceptable = if level.acceptable { ", acceptable" } else { "" };
                    format!("{} ({}{acceptable})", level.band, level.score)
                }
                None => "not rated".to_owned(),
            }}
        </span>
    }
}

/// The Annex A controls that treat the risk, each with a button to unlink it, and a picker of
/// the controls not linked yet.
#[component]
fn LinkedControls(
    session: Session,
    doc_id: StoredValue<String>,
    id: RiskId,
    risk: Memo<Option<Risk>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let linked = Memo::new(move |_| {
        risk.with(|r| r.as_ref().map(|r| r.controls.keys().copied().collect::<Vec<_>>()).unwrap_or_default())
    });
    let run = move |link: bool, control: ControlId| {
        let result = doc_id.with_value(|doc| {
            session.edit(doc, |d| {
                if link {
                    model::link_control(d, now_ms(), id, control)
                } else {
                    model::unlink_control(d, now_ms(), id, control)
                }
            })
        });
        error.set(result.as_ref().err().map(explain));
    };
    let on_pick = move |event: leptos::ev::Event| {
        let select: web_sys::HtmlSelectElement = event_target(&event);
        if let Ok(control) = select.value().parse::<ControlId>() {
            run(true, control);
        }
        select.set_value("");
    };
    let picker = format!("risk-{id}-link-control");
    view! {
        <div class="linked-controls">
            <h4>"Annex A controls that treat it"</h4>
            <ul class="control-chips">
                {move || {
                    let linked = linked.get();
                    if linked.is_empty() {
                        return view! { <li class="muted">"None linked yet."</li> }.into_any();
                    }
                    linked
                        .into_iter()
                        .map(|control| {
                            let title = catalog::control(control.as_str()).map_or("", |c| c.title);
                            view! {
                                <li class="control-chip" data-control=control.as_str()>
                                    <span class="ref">{control.as_str()}</span>
                                    {title}
                                    <Show when=move || session.can_edit()>
                                        <button
                                            type="button"
                                            class="unlink"
                                            aria-label=format!("Unlink {control}")
                                            on:click=move |_| run(false, control)
                                        >
                                            "×"
                                        </button>
                                    </Show>
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
            <Show when=move || session.can_edit()>
                <div class="field link-control">
                    <label for=picker.clone()>"Link a control"</label>
                    <select id=picker.clone() class="link-control" on:change=on_pick>
                        <option value="" selected>"Choose an Annex A control…"</option>
                        {move || {
                            let linked = linked.get();
                            catalog::objectives()
                                .iter()
                                .map(|objective| {
                                    let options = catalog::controls_of(objective.id)
                                        .filter(|c| !linked.iter().any(|l| l.as_str() == c.id))
                                        .map(|c| view! { <option value=c.id>{format!("{} {}", c.id, c.title)}</option> })
                                        .collect_view();
                                    view! {
                                        <optgroup label=format!("{} {}", objective.id, objective.title)>{options}</optgroup>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
            </Show>
        </div>
    }
}
