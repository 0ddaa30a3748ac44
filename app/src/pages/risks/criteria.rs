//! The risk criteria (ISO/IEC 42001 6.1.2): the likelihood and consequence scales with a name
//! for each level, the bands that turn a score into a risk level, and the acceptance
//! threshold. Each change replaces the criteria through `set_risk_criteria`, which checks them
//! first and writes only what differs.

use leptos::prelude::*;
use quorum_shared::model::{self, RiskBand, RiskCriteria, RiskRegister, ScaleLevel};

use crate::components::field::TextField;
use crate::explain::explain;
use crate::session::{Session, now_ms};

/// The most levels a scale may have; more is no longer a rating anyone can tell apart.
const MAX_LEVELS: usize = 10;

type Scale = fn(&RiskCriteria) -> &Vec<ScaleLevel>;
type ScaleMut = fn(&mut RiskCriteria) -> &mut Vec<ScaleLevel>;

fn likelihood(c: &RiskCriteria) -> &Vec<ScaleLevel> {
    &c.likelihood
}

fn likelihood_mut(c: &mut RiskCriteria) -> &mut Vec<ScaleLevel> {
    &mut c.likelihood
}

fn consequence(c: &RiskCriteria) -> &Vec<ScaleLevel> {
    &c.consequence
}

fn consequence_mut(c: &mut RiskCriteria) -> &mut Vec<ScaleLevel> {
    &mut c.consequence
}

#[component]
pub fn CriteriaEditor(
    session: Session,
    doc_id: StoredValue<String>,
    register: Memo<Option<RiskRegister>>,
) -> impl IntoView {
    let criteria =
        Memo::new(move |_| register.with(|r| r.as_ref().map(|r| r.criteria.clone()).unwrap_or_default()));
    let error = RwSignal::new(None::<String>);
    let apply = Callback::new(move |change: Change| {
        let mut next = criteria.get_untracked();
        if let Err(why) = change.apply(&mut next, register) {
            error.set(Some(why));
            return false;
        }
        let result =
            doc_id.with_value(|doc| session.edit(doc, |d| model::set_risk_criteria(d, now_ms(), &next)));
        error.set(result.as_ref().err().map(explain));
        result.is_ok()
    });
    let summary = move || {
        criteria.with(|c| {
            format!(
                "{} × {} matrix, {} levels, acceptable up to score {}",
                c.likelihood.len(),
                c.consequence.len(),
                c.bands.len(),
                c.acceptance_max_score
            )
        })
    };
    let threshold = Signal::derive(move || criteria.with(|c| c.acceptance_max_score.to_string()));
    let on_threshold = Callback::new(move |value: String| match value.trim().parse::<u64>() {
        Ok(score) => apply.run(Change::Threshold(score)),
        Err(_) => {
            error.set(Some("Write the acceptance threshold as a whole number score, such as 4.".into()));
            false
        }
    });
    view! {
        <details class="card risk-criteria">
            <summary>
                <h2>"Risk criteria"</h2>
                <span class="criteria-summary">{summary}</span>
            </summary>
            <p class="hint">
                "How your organization rates risks: what each likelihood and consequence level means, which scores make each risk level, and up to which score a risk can be accepted without treatment."
            </p>
            <fieldset class="criteria-fields" prop:disabled=move || !session.can_edit()>
                <legend class="visually-hidden">"Risk criteria"</legend>
                <ScaleEditor session name="Likelihood" noun="likelihood" criteria apply read=likelihood write=likelihood_mut/>
                <ScaleEditor session name="Consequence" noun="consequence" criteria apply read=consequence write=consequence_mut/>
                <BandsEditor session criteria apply/>
                <TextField id="criteria-threshold" label="Acceptable up to score" kind="number" classes="threshold" value=threshold on_change=on_threshold/>
            </fieldset>
            <p class="field-error" role="alert">{move || error.get()}</p>
        </details>
    }
}

/// One change to the criteria; checked against the register before it is saved.
pub enum Change {
    Label { scale: ScaleMut, level: usize, text: String },
    Description { scale: ScaleMut, level: usize, text: String },
    AddLevel { scale: ScaleMut },
    RemoveLevel { scale: ScaleMut, key: &'static str },
    BandName { band: usize, text: String },
    BandScore { band: usize, score: u64 },
    AddBand,
    RemoveBand,
    Threshold(u64),
}

impl Change {
    fn apply(self, c: &mut RiskCriteria, register: Memo<Option<RiskRegister>>) -> Result<(), String> {
        match self {
            Change::Label { scale, level, text } => scale(c)[level].label = text.trim().to_owned(),
            Change::Description { scale, level, text } => {
                scale(c)[level].description = text.trim().to_owned()
            }
            Change::AddLevel { scale } => {
                let next = scale(c).len() + 1;
                scale(c).push(ScaleLevel { label: format!("Level {next}"), description: String::new() });
            }
            Change::RemoveLevel { scale, key } => {
                let top = scale(c).len() as u64;
                let used = register.with_untracked(|r| {
                    r.as_ref().map_or(0, |r| {
                        r.risks
                            .values()
                            .filter(|risk| {
                                let ratings = if key == "likelihood" {
                                    [risk.likelihood, risk.residual_likelihood]
                                } else {
                                    [risk.consequence, risk.residual_consequence]
                                };
                                ratings.contains(&Some(top))
                            })
                            .count()
                    })
                });
                if used > 0 {
                    let risks = if used == 1 { "1 risk is" } else { "some risks are" };
                    return Err(format!(
                        "{risks} rated {key} {top}; rate them lower first, then remove the level."
                    ));
                }
                scale(c).pop();
                // Keep the threshold a possible score, as the criteria require.
                c.acceptance_max_score = c.acceptance_max_score.min(c.max_score());
            }
            Change::BandName { band, text } => c.bands[band].name = text.trim().to_owned(),
            Change::BandScore { band, score } => c.bands[band].min_score = score,
            Change::AddBand => {
                let from = c.bands.last().map_or(1, |b| b.min_score + 1);
                if from > c.max_score() {
                    return Err(
                        "The highest level already starts at the highest score; lower it first.".into()
                    );
                }
                let name = format!("Level {}", c.bands.len() + 1);
                c.bands.push(RiskBand { name, min_score: from });
            }
            Change::RemoveBand => {
                if c.bands.len() <= 1 {
                    return Err("The criteria need at least one risk level.".into());
                }
                c.bands.pop();
            }
            Change::Threshold(score) => c.acceptance_max_score = score,
        }
        Ok(())
    }
}

#[component]
fn ScaleEditor(
    session: Session,
    name: &'static str,
    noun: &'static str,
    criteria: Memo<RiskCriteria>,
    apply: Callback<Change, bool>,
    read: Scale,
    write: ScaleMut,
) -> impl IntoView {
    let len = Memo::new(move |_| criteria.with(|c| read(c).len()));
    // A named closure, not inline: in `view!` an inline `>=` ends the tag, which made the
    // click handler's body a child expression that ran on every render.
    let full = move || len.get() >= MAX_LEVELS;
    let level_field = move |level: usize, description: bool| {
        Signal::derive(move || {
            criteria
                .with(|c| {
                    read(c)
                        .get(level)
                        .map(|l| if description { l.description.clone() } else { l.label.clone() })
                })
                .unwrap_or_default()
        })
    };
    view! {
        <div class=format!("scale-editor {noun}-scale")>
            <h3>{format!("{name} scale")}</h3>
            <ol class="scale-levels">
                {move || {
                    (0..len.get())
                        .map(|level| {
                            let id = |part: &str| format!("criteria-{noun}-{}-{part}", level + 1);
                            let on_label = Callback::new(move |text: String| {
                                apply.run(Change::Label { scale: write, level, text })
                            });
                            let on_description = Callback::new(move |text: String| {
                                apply.run(Change::Description { scale: write, level, text })
                            });
                            view! {
                                <li class="scale-level">
                                    <TextField id=id("label") label=format!("{name} {} name", level + 1) classes="level-name" value=level_field(level, false) on_change=on_label/>
                                    <TextField id=id("description") label="Meaning" classes="level-meaning" value=level_field(level, true) on_change=on_description/>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            <Show when=move || session.can_edit()>
                <div class="scale-buttons">
                    <button type="button" class="button secondary" prop:disabled=full on:click=move |_| { apply.run(Change::AddLevel { scale: write }); }>
                        {format!("Add a {noun} level")}
                    </button>
                    <button type="button" class="button secondary" prop:disabled=move || len.get() <= 2 on:click=move |_| { apply.run(Change::RemoveLevel { scale: write, key: noun }); }>
                        "Remove the top level"
                    </button>
                </div>
            </Show>
        </div>
    }
}

#[component]
fn BandsEditor(
    session: Session,
    criteria: Memo<RiskCriteria>,
    apply: Callback<Change, bool>,
) -> impl IntoView {
    let len = Memo::new(move |_| criteria.with(|c| c.bands.len()));
    let band = move |index: usize| Memo::new(move |_| criteria.with(|c| c.bands.get(index).cloned()));
    view! {
        <div class="bands-editor">
            <h3>"Risk levels"</h3>
            <p class="hint">"Each level covers the scores (likelihood × consequence) from its lowest score up to the next level's."</p>
            <ol class="bands">
                {move || {
                    (0..len.get())
                        .map(|index| {
                            let band = band(index);
                            let name = Signal::derive(move || band.get().map(|b| b.name).unwrap_or_default());
                            let score = Signal::derive(move || band.get().map(|b| b.min_score.to_string()).unwrap_or_default());
                            let on_name = Callback::new(move |text: String| apply.run(Change::BandName { band: index, text }));
                            let on_score = Callback::new(move |text: String| {
                                text.trim().parse::<u64>().is_ok_and(|score| apply.run(Change::BandScore { band: index, score }))
                            });
                            view! {
                                <li class="band">
                                    <TextField id=format!("criteria-band-{}-name", index + 1) label=format!("Level {} name", index + 1) value=name on_change=on_name/>
                                    <TextField id=format!("criteria-band-{}-score", index + 1) label="From score" kind="number" value=score on_change=on_score/>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            <Show when=move || session.can_edit()>
                <div class="scale-buttons">
                    <button type="button" class="button secondary" on:click=move |_| { apply.run(Change::AddBand); }>"Add a risk level"</button>
                    <button type="button" class="button secondary" prop:disabled=move || len.get() <= 1 on:click=move |_| { apply.run(Change::RemoveBand); }>"Remove the top risk level"</button>
                </div>
            </Show>
        </div>
    }
}
