//! The risk treatment plan (ISO/IEC 42001 6.1.3) as one list to read or print: per risk its
//! treatment, the actions that carry it out, the Annex A controls, the residual level and the
//! owner's approval. Read only; each risk is edited on its card in the register view.

use leptos::prelude::*;
use quorum_shared::catalog;
use quorum_shared::model::{ApprovalState, Risk, RiskId, RiskRegister};

use super::{Choices, words};
use crate::session::timezone_offset;

/// One risk's line of the plan, computed from the register.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
struct PlanLine {
    id: RiskId,
    title: String,
    treatment: &'static str,
    actions: Vec<String>,
    controls: Vec<String>,
    residual: String,
    approval: (&'static str, String),
}

#[component]
pub fn TreatmentPlanList(register: Memo<Option<RiskRegister>>, choices: Memo<Choices>) -> impl IntoView {
    let offset = timezone_offset();
    let lines = Memo::new(move |_| {
        register.with(|r| {
            let Some(register) = r.as_ref() else { return Vec::new() };
            choices.with(|choices| {
                register
                    .risks_in_order()
                    .into_iter()
                    .map(|(id, risk)| line(register, id, choices, offset, risk))
                    .collect()
            })
        })
    });
    view! {
        <section class="treatment-plan" aria-labelledby="treatment-plan-heading">
            <h3 id="treatment-plan-heading">"Risk treatment plan"</h3>
            <Show when=move || lines.with(Vec::is_empty)>
                <p class="muted">"No risks yet: add them in the register view, then choose their treatment."</p>
            </Show>
            <ol class="plan-list">
                <For each=move || lines.get() key=|line| line.clone() let:line>
                    <li class="plan-item" data-risk=line.id.to_string() data-approval=line.approval.0>
                        <h4>{line.title.clone()}</h4>
                        <dl class="plan-facts">
                            <dt>"Treatment"</dt>
                            <dd class="plan-treatment">{line.treatment}</dd>
                            <dt>"Actions"</dt>
                            <dd class="plan-actions">{joined(&line.actions)}</dd>
                            <dt>"Annex A controls"</dt>
                            <dd class="plan-controls">{joined(&line.controls)}</dd>
                            <dt>"Residual level"</dt>
                            <dd class="plan-residual">{line.residual.clone()}</dd>
                            <dt>"Approval"</dt>
                            <dd class="plan-approval">{line.approval.1.clone()}</dd>
                        </dl>
                    </li>
                </For>
            </ol>
        </section>
    }
}

fn line(register: &RiskRegister, id: RiskId, choices: &Choices, offset: i32, risk: &Risk) -> PlanLine {
    let state = register.approval_state(id);
    let kind = match state {
        ApprovalState::NotApproved => "none",
        ApprovalState::Approved(_) => "approved",
        ApprovalState::Changed { .. } => "changed",
    };
    let actions = register
        .actions_of(id)
        .into_iter()
        .map(|(_, action)| {
            let owner =
                action.owner.map(|o| format!(", {}", words::name(Some(o), choices))).unwrap_or_default();
            let due = action.due.map(|d| format!(", due {}", words::spoken(d))).unwrap_or_default();
            let done = if action.done { " (done)" } else { "" };
            format!("{}{owner}{due}{done}", action.title)
        })
        .collect();
    let controls = risk
        .controls
        .iter()
        .filter(|(_, linked)| **linked)
        .map(|(c, _)| {
            let title = catalog::control(c.as_str()).map_or("", |c| c.title);
            format!("{} {title}", c.as_str())
        })
        .collect();
    let residual = register.residual_level(risk).map_or_else(
        || "not rated".to_owned(),
        |level| {
            let acceptable = if level.acceptable { ", acceptable" } else { "" };
            format!("{} ({}{acceptable})", level.band, level.score)
        },
    );
    PlanLine {
        id,
        title: risk.title.clone(),
        treatment: words::treatment(risk.treatment),
        actions,
        controls,
        residual,
        approval: (kind, words::headline(&state, choices, offset)),
    }
}

fn joined(items: &[String]) -> String {
    if items.is_empty() { "none".to_owned() } else { items.join("; ") }
}
