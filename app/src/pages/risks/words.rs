//! How a risk's treatment approval reads: who approved and when, what changed since and what it
//! was, in plain words. Pure functions of the register, the members' names and a time zone.

use quorum_shared::catalog;
use quorum_shared::model::{
    ApprovalState, ApprovalSummary, Date, MemberId, PlanField, Treatment, TreatmentPlan,
};

use super::Choices;

/// A date as people write it, such as "3 March 2026".
pub fn spoken(date: Date) -> String {
    date.spoken()
}

/// A member's name; an approval outlives membership, so a removed member is still named.
pub fn name(member: Option<MemberId>, choices: &Choices) -> String {
    let Some(member) = member else { return "no one".to_owned() };
    choices
        .members
        .iter()
        .find(|(id, _)| *id == member)
        .map_or_else(|| "a former member".to_owned(), |(_, name)| name.clone())
}

/// A treatment in a few words.
pub fn treatment(treatment: Treatment) -> &'static str {
    match treatment {
        Treatment::Undecided => "not decided",
        Treatment::Modify => "modify",
        Treatment::Avoid => "avoid",
        Treatment::Share => "share",
        Treatment::Retain => "retain",
    }
}

/// The state's headline: "Treatment approved by Ada on 3 March 2026", "Changed since Ada's
/// approval: likelihood, treatment" or "Not approved". `offset` is the browser's time zone.
pub fn headline(state: &ApprovalState, choices: &Choices, offset: i32) -> String {
    match state {
        ApprovalState::NotApproved => "Not approved".to_owned(),
        ApprovalState::Approved(approval) => format!(
            "Treatment approved by {} on {}",
            name(Some(approval.member), choices),
            spoken(Date::of_ms(approval.sign_off.at_ms, offset))
        ),
        ApprovalState::Changed { approval, changes } => {
            let fields: Vec<_> = changes.iter().map(|f| f.label()).collect();
            format!(
                "Changed since {}'s approval: {}",
                name(Some(approval.member), choices),
                fields.join(", ")
            )
        }
    }
}

/// What a changed field was when approved, such as "likelihood was 3".
pub fn was(field: PlanField, plan: &TreatmentPlan, choices: &Choices) -> String {
    let rating = |r: Option<u64>| r.map_or_else(|| "not rated".to_owned(), |r| r.to_string());
    let value = match field {
        PlanField::Title => format!("\u{201c}{}\u{201d}", plan.title),
        PlanField::Source => plan
            .source
            .as_deref()
            .map_or("none", |key| catalog::risk_source(key).map_or(key, |s| s.title))
            .to_owned(),
        PlanField::System => plan
            .system
            .and_then(|system| choices.systems.iter().find(|(id, _)| *id == system))
            .map_or_else(|| "none".to_owned(), |(_, name)| name.clone()),
        PlanField::Description => {
            let text: String = plan.description.chars().take(80).collect();
            let more = if plan.description.chars().count() > 80 { "…" } else { "" };
            format!("\u{201c}{text}{more}\u{201d}")
        }
        PlanField::Likelihood => rating(plan.likelihood),
        PlanField::Consequence => rating(plan.consequence),
        PlanField::Owner => name(plan.owner, choices),
        PlanField::Treatment => treatment(plan.treatment).to_owned(),
        PlanField::Controls => list(plan.controls.iter().map(|c| c.as_str().to_owned())),
        PlanField::Actions => list(plan.actions.iter().map(|a| a.title.clone())),
        PlanField::ResidualLikelihood => rating(plan.residual_likelihood),
        PlanField::ResidualConsequence => rating(plan.residual_consequence),
    };
    let verb = if matches!(field, PlanField::Controls | PlanField::Actions) { "were" } else { "was" };
    format!("{} {verb} {value}", field.label())
}

/// The summary line, such as "2 approved, 1 changed since approval, 3 awaiting approval".
pub fn summary(counts: ApprovalSummary) -> String {
    format!(
        "{} approved, {} changed since approval, {} awaiting approval",
        counts.approved, counts.changed, counts.awaiting
    )
}

fn list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<_> = items.collect();
    if items.is_empty() { "none".to_owned() } else { items.join(", ") }
}

#[cfg(test)]
mod tests {
    use quorum_shared::model::{Approval, TreatmentApproval};

    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn approvals_read_as_sentences() {
        let ada = MemberId::from_bytes([1; 16]);
        let choices = Choices { members: vec![(ada, "Ada".into())], systems: vec![] };
        let plan = TreatmentPlan { likelihood: Some(3), treatment: Treatment::Modify, ..Default::default() };
        // 3 March 2026, 10:00 UTC.
        let approval = TreatmentApproval {
            member: ada,
            sign_off: Approval {
                at_ms: 1_772_532_000_000,
                heads: vec![],
                note: String::new(),
                signature: None,
            },
            plan: plan.clone(),
        };
        assert_eq!(
            headline(&ApprovalState::Approved(&approval), &choices, 0),
            "Treatment approved by Ada on 3 March 2026"
        );
        let changed = ApprovalState::Changed {
            approval: &approval,
            changes: vec![PlanField::Likelihood, PlanField::Treatment],
        };
        assert_eq!(headline(&changed, &choices, 0), "Changed since Ada's approval: likelihood, treatment");
        assert_eq!(headline(&ApprovalState::NotApproved, &choices, 0), "Not approved");
        assert_eq!(was(PlanField::Likelihood, &plan, &choices), "likelihood was 3");
        assert_eq!(was(PlanField::Treatment, &plan, &choices), "treatment was modify");
        assert_eq!(was(PlanField::Actions, &plan, &choices), "treatment actions were none");
        assert_eq!(was(PlanField::Owner, &plan, &choices), "owner was no one");
        assert_eq!(spoken("2026-12-31".parse().unwrap()), "31 December 2026");
    }
}
