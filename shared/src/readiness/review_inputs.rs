//! What the workspace's own records say on each input of a management review: a live line the
//! committee reads before writing its notes, such as "3 nonconformities, 1 open; 2 corrective
//! actions overdue".
//!
//! ```
//! use quorum_shared::model::ReviewTopic;
//! use quorum_shared::readiness::{Evidence, review_input_summary};
//!
//! let line = review_input_summary(ReviewTopic::Nonconformities, &Evidence::default(), None, "2025-06-30".parse().unwrap());
//! assert_eq!(line, "No nonconformity recorded");
//! ```

use super::Evidence;
use crate::model::{
    AssessmentStatus, Date, FindingKind, IssueKind, NonconformityStatus, ObjectiveStatus, ReviewTopic,
    Treatment,
};

/// The summary of `topic` for a review held (or to be held) on `held_on`, as of `today`.
pub fn review_input_summary(topic: ReviewTopic, e: &Evidence, held_on: Option<Date>, today: Date) -> String {
    match topic {
        ReviewTopic::EarlierActions => {
            let open: Vec<_> = e
                .reviews
                .iter()
                .filter(|r| r.held_on.is_some_and(|held| held_on.is_none_or(|this| held < this)))
                .flat_map(|r| r.actions.values())
                .filter(|a| !a.done)
                .collect();
            if open.is_empty() {
                return "No earlier review left an open action".into();
            }
            let overdue = open.iter().filter(|a| a.due.is_some_and(|due| due < today)).count();
            format!("{} from earlier reviews open, {overdue} overdue", count(open.len(), "action", "actions"))
        }
        ReviewTopic::Issues => match &e.context {
            Some(c) if !c.issues.is_empty() => {
                let internal = c.issues.values().filter(|i| i.kind == IssueKind::Internal).count();
                format!(
                    "{} internal and {} external",
                    count(internal, "issue", "issues"),
                    c.issues.len() - internal
                )
            }
            _ => "No issue recorded in the context".into(),
        },
        ReviewTopic::InterestedParties => match &e.context {
            Some(c) if !c.parties.is_empty() => {
                let open = c.requirements.values().filter(|r| !r.addressed).count();
                format!(
                    "{} with {}, {open} not yet addressed",
                    count(c.parties.len(), "interested party", "interested parties"),
                    count(c.requirements.len(), "requirement", "requirements"),
                )
            }
            _ => "No interested party recorded".into(),
        },
        ReviewTopic::Nonconformities => match &e.improvement {
            Some(i) if !i.nonconformities.is_empty() => {
                let open =
                    i.nonconformities.values().filter(|n| n.status == NonconformityStatus::Open).count();
                format!(
                    "{}, {open} open; {} overdue",
                    count(i.nonconformities.len(), "nonconformity", "nonconformities"),
                    count(i.overdue_actions(today), "corrective action", "corrective actions"),
                )
            }
            _ => "No nonconformity recorded".into(),
        },
        ReviewTopic::Monitoring => match &e.monitoring {
            Some(m) if !m.indicators.is_empty() => {
                let unread = m
                    .indicators
                    .keys()
                    .filter(|id| !m.readings.values().any(|r| r.indicator == **id))
                    .count();
                format!(
                    "{}, {}; {unread} never measured",
                    count(m.indicators.len(), "indicator", "indicators"),
                    count(m.readings.len(), "reading", "readings"),
                )
            }
            _ => "No indicator is measured yet".into(),
        },
        ReviewTopic::Audits => {
            let held = e.audits.iter().filter(|a| a.held_on.is_some()).count();
            if e.audits.is_empty() {
                return "No internal audit recorded".into();
            }
            let findings: Vec<_> = e.audits.iter().flat_map(|a| a.findings.values()).collect();
            let nonconformities = findings
                .iter()
                .filter(|f| {
                    matches!(f.kind, FindingKind::MinorNonconformity | FindingKind::MajorNonconformity)
                })
                .count();
            format!(
                "{}, {held} held; {}, {nonconformities} of them nonconformities",
                count(e.audits.len(), "internal audit", "internal audits"),
                count(findings.len(), "finding", "findings"),
            )
        }
        ReviewTopic::Objectives => match &e.objectives {
            Some(o) if !o.objectives.is_empty() => {
                let of = |status| o.objectives.values().filter(|x| x.status == status).count();
                let overdue = o
                    .objectives
                    .values()
                    .filter(|x| x.status != ObjectiveStatus::Achieved && x.due.is_some_and(|due| due < today))
                    .count();
                format!(
                    "{}: {} achieved, {} at risk, {} missed, {overdue} past due",
                    count(o.objectives.len(), "objective", "objectives"),
                    of(ObjectiveStatus::Achieved),
                    of(ObjectiveStatus::AtRisk),
                    of(ObjectiveStatus::Missed),
                )
            }
            _ => "No AI objective set".into(),
        },
        ReviewTopic::RisksAndImpacts => {
            let risks = e.risks.as_ref().map_or_else(
                || "No risk register".to_owned(),
                |r| {
                    let undecided = r.risks.values().filter(|x| x.treatment == Treatment::Undecided).count();
                    format!("{}, {undecided} without a treatment", count(r.risks.len(), "risk", "risks"))
                },
            );
            let approved = e.assessments.iter().filter(|a| a.status == AssessmentStatus::Approved).count();
            let due = e.assessments.iter().filter(|a| a.review_date.is_some_and(|d| d <= today)).count();
            format!(
                "{risks}; {}, {approved} approved, {due} due for review",
                count(e.assessments.len(), "impact assessment", "impact assessments")
            )
        }
        ReviewTopic::Improvement => match &e.improvement {
            Some(i) if !i.log.is_empty() => {
                format!("{} logged", count(i.log.len(), "improvement", "improvements"))
            }
            _ => "No improvement logged".into(),
        },
        ReviewTopic::Resources => match &e.support {
            Some(s) if !s.resources.is_empty() => {
                let unowned = s.resources.values().filter(|r| r.owner.is_none()).count();
                format!("{}, {unowned} without an owner", count(s.resources.len(), "resource", "resources"))
            }
            _ => "No resource recorded".into(),
        },
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        CorrectiveAction, Improvement, ManagementReview, Nonconformity, NonconformityId, ReviewAction,
        ReviewActionId,
    };

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn review(held: Option<&str>, actions: &[(bool, Option<&str>)]) -> ManagementReview {
        let actions = actions
            .iter()
            .enumerate()
            .map(|(n, (done, due))| {
                let action = ReviewAction { done: *done, due: due.map(date), ..Default::default() };
                (ReviewActionId::from_bytes([n as u8 + 1; 16]), action)
            })
            .collect();
        ManagementReview { held_on: held.map(date), actions, ..Default::default() }
    }

    #[test]
    fn summaries_read_the_workspace() {
        let nc = |n: u8, status| {
            (NonconformityId::from_bytes([n; 16]), Nonconformity { status, ..Default::default() })
        };
        let mut late = CorrectiveAction::new(NonconformityId::from_bytes([1; 16]), "Fix");
        late.due = Some(date("2025-01-01"));
        let improvement = Improvement {
            nonconformities: [
                nc(1, NonconformityStatus::Open),
                nc(2, NonconformityStatus::Closed),
                nc(3, NonconformityStatus::Closed),
            ]
            .into(),
            corrective_actions: [(crate::model::CorrectiveActionId::from_bytes([1; 16]), late)].into(),
            ..Default::default()
        };
        let evidence = Evidence {
            reviews: vec![
                review(Some("2024-06-30"), &[(false, Some("2024-12-31")), (false, None), (true, None)]),
                review(Some("2025-07-01"), &[(false, None)]),
                review(None, &[(false, None)]),
            ],
            improvement: Some(improvement),
            ..Default::default()
        };
        let today = date("2025-06-30");
        // Table: topic, the review's date, the line.
        let cases = [
            (
                ReviewTopic::EarlierActions,
                Some("2025-06-30"),
                "2 actions from earlier reviews open, 1 overdue",
            ),
            (ReviewTopic::EarlierActions, None, "3 actions from earlier reviews open, 1 overdue"),
            (ReviewTopic::EarlierActions, Some("2024-01-01"), "No earlier review left an open action"),
            (ReviewTopic::Nonconformities, None, "3 nonconformities, 1 open; 1 corrective action overdue"),
            (ReviewTopic::Improvement, None, "No improvement logged"),
            (ReviewTopic::Audits, None, "No internal audit recorded"),
            (
                ReviewTopic::RisksAndImpacts,
                None,
                "No risk register; 0 impact assessments, 0 approved, 0 due for review",
            ),
        ];
        for (topic, held, expected) in cases {
            assert_eq!(review_input_summary(topic, &evidence, held.map(date), today), expected, "{topic}");
        }
        for topic in ReviewTopic::ALL {
            assert!(!review_input_summary(topic, &Evidence::default(), None, today).is_empty());
        }
    }
}
