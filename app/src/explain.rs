//! The model's refusals, said to a person: what happened and what to do about it. One place, so
//! that the same refusal reads the same on every page.

use quorum_shared::model::{AuditCloseRefusal, ModelError};

pub fn explain(error: &ModelError) -> String {
    match error {
        ModelError::NotFound { what: "member", .. } => {
            "Quorum does not know yet which member this browser belongs to. Wait until the header says synced, then try again.".into()
        }
        ModelError::NotFound { what, .. } => {
            format!("This {what} was deleted meanwhile, perhaps by someone else; nothing was changed.")
        }
        ModelError::Empty(what) => format!("The {what} cannot be empty: write something first."),
        ModelError::OutOfScale { scale, max, .. } => {
            format!("The {scale} must be a level from 1 to {max}; choose one of the listed levels.")
        }
        ModelError::NotFinite(what) => format!("The {what} must be a number, such as 12 or 0.5."),
        ModelError::UnknownRiskSource(_) => "Choose a risk source from the list.".into(),
        ModelError::InvalidCriteria(why) => {
            format!("The criteria were not changed: {why}. Correct it and try again.")
        }
        ModelError::JustificationRequired(control) => format!(
            "Excluding {control} needs a justification: say in the Justification box why it does not apply."
        ),
        ModelError::ControlExcluded(control) => {
            format!("{control} is excluded, so it has no implementation status; make it applicable first.")
        }
        ModelError::NotInReview => {
            "Only an assessment in review can be approved: submit it for review first.".into()
        }
        ModelError::NotRiskOwner => {
            "Only the risk's owner can approve its treatment: ask them, or make yourself its owner first.".into()
        }
        ModelError::TreatmentUndecided => {
            "Choose how the risk is treated before approving its treatment.".into()
        }
        ModelError::NoResidualLevel => {
            "Rate the residual likelihood and consequence first: approving accepts the risk that is left.".into()
        }
        ModelError::ReviewNotHeld => {
            "Set the date the review was held first: only the minutes of a review that took place can be approved.".into()
        }
        ModelError::NotShownEffective => "This nonconformity cannot be closed yet: record the effectiveness review (what was checked, by whom, when) and find the corrective actions effective first.".into(),
        ModelError::NonconformityClosed => {
            "This nonconformity is closed, so its effectiveness review is settled: reopen it to change the review.".into()
        }
        ModelError::LastOwner => {
            "A workspace needs at least one owner: make someone else an owner first.".into()
        }
        ModelError::AuditNotClosable(refusal) => match refusal {
            AuditCloseRefusal::NoScope => {
                "The audit cannot be closed without a scope: choose the clauses and controls it covered first.".into()
            }
            AuditCloseRefusal::NoConclusion => {
                "The audit cannot be closed without a conclusion: write what the audit concluded about the AI management system first.".into()
            }
            AuditCloseRefusal::Unjudged(1) => {
                "The audit cannot be closed yet: one checklist row has no verdict. Give it one first.".into()
            }
            AuditCloseRefusal::Unjudged(n) => {
                format!("The audit cannot be closed yet: {n} checklist rows have no verdict. Give each one a verdict first.")
            }
        },
        ModelError::PastVersion => {
            "You are looking at a past version, which cannot be changed: choose \"Back to now\" first.".into()
        }
        ModelError::AlreadyAsThen(what) => format!("Nothing to restore: the {what} is already as it was then."),
        ModelError::HolderGone(what) => {
            format!("The {what} cannot be restored on its own: what held it has been removed since. Restore that first.")
        }
        ModelError::TooLong { max, .. } => {
            format!("This is too long to keep: a field holds at most {max} characters. Shorten it, or attach it as a file instead.")
        }
        ModelError::Unrepairable(_) => "This record has no earlier version that reads; remove it instead.".into(),
        other => format!("This change was not made ({other}); reload the page and try again."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn refusals_say_what_to_do() {
        let control = "A.10.4".parse().unwrap();
        let excluded = explain(&ModelError::JustificationRequired(control));
        assert!(excluded.contains("A.10.4") && excluded.contains("Justification box"), "{excluded}");
        let gone = explain(&ModelError::NotFound { what: "risk", id: "x".into() });
        assert_eq!(gone, "This risk was deleted meanwhile, perhaps by someone else; nothing was changed.");
        let member = explain(&ModelError::NotFound { what: "member", id: "x".into() });
        assert!(member.contains("Wait until the header says synced"), "{member}");
        let scale = explain(&ModelError::OutOfScale { scale: "severity", value: 6, max: 5 });
        assert!(scale.contains("from 1 to 5"), "{scale}");
        let close = |refusal| explain(&ModelError::AuditNotClosable(refusal));
        assert!(close(AuditCloseRefusal::NoConclusion).contains("without a conclusion"));
        assert!(close(AuditCloseRefusal::NoScope).contains("without a scope"));
        assert!(close(AuditCloseRefusal::Unjudged(1)).contains("one checklist row has no verdict"));
        assert!(close(AuditCloseRefusal::Unjudged(3)).contains("3 checklist rows have no verdict"));
    }
}
