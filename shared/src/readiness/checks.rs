//! The clause checks: one table row per thing an auditor looks for, each a plain function of the
//! evidence. A check about "every X" also needs at least one X, so an empty register never passes
//! for a complete one — except where the clause itself is conditional (planned changes,
//! nonconformities), where having none is a fine answer.

use autosurgeon::Text;

use super::{Check, Evidence};
use crate::model::{
    AssessmentStatus, DocumentFlag, DocumentKind as Kind, DocumentRows, InternalAudit, IssueKind,
    NonconformityStatus, Raci, Treatment, audit_coverage, audit_violations, awaiting_acknowledgement,
    competence_gaps,
};

type Test = fn(&Evidence) -> bool;

/// Clause, what is looked for, where it is fixed, and the test.
const CHECKS: &[(&str, &str, Kind, Test)] = &[
    ("4.1", "Internal issues that affect the AI management system are recorded", Kind::Context, |e| {
        e.context.as_ref().is_some_and(|c| c.issues.values().any(|i| i.kind == IssueKind::Internal))
    }),
    ("4.1", "External issues are recorded", Kind::Context, |e| {
        e.context.as_ref().is_some_and(|c| c.issues.values().any(|i| i.kind == IssueKind::External))
    }),
    ("4.2", "Interested parties are identified", Kind::Context, |e| {
        e.context.as_ref().is_some_and(|c| !c.parties.is_empty())
    }),
    ("4.2", "Every interested party has its requirements recorded", Kind::Context, |e| {
        e.context.as_ref().is_some_and(|c| {
            every(c.parties.keys(), |party| c.requirements.values().any(|r| r.party == *party))
        })
    }),
    ("4.3", "The scope of the AI management system is written down", Kind::Context, |e| {
        e.context.as_ref().is_some_and(|c| written(&c.scope))
    }),
    ("4.3", "The AI systems in scope are listed in the inventory", Kind::Inventory, |e| {
        e.inventory.as_ref().is_some_and(|i| i.systems.values().any(|s| s.in_scope))
    }),
    ("4.4", "The core documents exist: context, policy, risk register and SoA", Kind::Workspace, |e| {
        e.context.is_some() && e.policy.is_some() && e.risks.is_some() && e.soa.is_some()
    }),
    ("5.1", "Top management has approved the AI policy", Kind::Policy, policy_approved),
    ("5.1", "Top management has held a management review", Kind::ManagementReview, review_held),
    ("5.2", "The AI policy is written", Kind::Policy, |e| {
        e.policy.as_ref().is_some_and(|p| written(&p.text))
    }),
    ("5.2", "A version of the AI policy is approved", Kind::Policy, policy_approved),
    ("5.2", "The AI policy has a review date", Kind::Policy, |e| {
        e.policy.as_ref().is_some_and(|p| p.review_date.is_some())
    }),
    ("5.3", "Every AIMS process has one accountable person", Kind::Roles, |e| {
        e.roles.as_ref().is_some_and(|r| {
            every(r.processes.values(), |p| p.raci.values().filter(|x| **x == Raci::Accountable).count() == 1)
        })
    }),
    ("5.3", "People know how to report a concern about AI", Kind::Roles, |e| {
        e.roles.as_ref().is_some_and(|r| written(&r.concern_reporting))
    }),
    ("6.1.1", "Risk criteria (scales, levels, acceptance) are defined", Kind::RiskRegister, |e| {
        e.risks.as_ref().is_some_and(|r| r.criteria.validate().is_ok())
    }),
    ("6.1.2", "AI risks are identified", Kind::RiskRegister, |e| {
        e.risks.as_ref().is_some_and(|r| !r.risks.is_empty())
    }),
    ("6.1.2", "Every risk is rated for likelihood and consequence", Kind::RiskRegister, |e| {
        e.risks.as_ref().is_some_and(|r| every(r.risks.values(), |risk| r.inherent_level(risk).is_some()))
    }),
    ("6.1.2", "Every risk has an owner", Kind::RiskRegister, |e| {
        e.risks.as_ref().is_some_and(|r| every(r.risks.values(), |risk| risk.owner.is_some()))
    }),
    ("6.1.3", "Every risk has a treatment chosen", Kind::RiskRegister, |e| {
        e.risks
            .as_ref()
            .is_some_and(|r| every(r.risks.values(), |risk| risk.treatment != Treatment::Undecided))
    }),
    (
        "6.1.3",
        "Risks above the acceptance threshold are treated with Annex A controls",
        Kind::RiskRegister,
        |e| {
            e.risks.as_ref().is_some_and(|r| {
                !r.risks.is_empty()
                    && r.risks
                        .values()
                        .filter(|risk| r.inherent_level(risk).is_some_and(|l| !l.acceptable))
                        .all(|risk| {
                            risk.treatment != Treatment::Undecided
                                && (risk.treatment != Treatment::Modify
                                    || risk.controls.values().any(|linked| *linked))
                        })
            })
        },
    ),
    // An approval holds a copy of the plan it approved, so "changed since approval" is a pure
    // function of the register struct (no history needed): a changed approval does not count.
    ("6.1.3", "Every risk's treatment plan is approved by its owner", Kind::RiskRegister, |e| {
        e.risks.as_ref().is_some_and(|r| every(r.risks.keys(), |id| r.approval_state(*id).is_approved()))
    }),
    (
        "6.1.3",
        "Every Annex A control is decided and justified in the SoA",
        Kind::StatementOfApplicability,
        |e| {
            e.soa.as_ref().is_some_and(|s| s.rows.len() == crate::catalog::controls().len())
                && e.soa.as_ref().is_some_and(|s| s.rows.values().all(|row| written(&row.justification)))
        },
    ),
    ("6.1.4", "An AI system impact assessment exists", Kind::ImpactAssessment, |e| !e.assessments.is_empty()),
    ("6.1.4", "Every AI system in scope has an impact assessment", Kind::ImpactAssessment, |e| {
        e.inventory.as_ref().is_some_and(|inv| {
            let in_scope: Vec<_> =
                inv.systems.iter().filter(|(_, s)| s.in_scope).map(|(id, _)| *id).collect();
            every(&in_scope, |id| e.assessments.iter().any(|a| a.system == Some(*id)))
        })
    }),
    ("6.2", "AI objectives have a measure, a target, an owner and a due date", Kind::Objectives, |e| {
        e.objectives.as_ref().is_some_and(|o| {
            every(o.objectives.values(), |x| {
                !x.measure.trim().is_empty()
                    && !x.target.trim().is_empty()
                    && x.owner.is_some()
                    && x.due.is_some()
            })
        })
    }),
    ("6.3", "Planned changes each have a purpose and an owner", Kind::PlannedChanges, |e| {
        e.changes
            .as_ref()
            .is_none_or(|c| c.changes.values().all(|x| written(&x.purpose) && x.owner.is_some()))
    }),
    ("7.1", "The resources of the AI systems are recorded with who provides them", Kind::Support, |e| {
        e.support
            .as_ref()
            .is_some_and(|s| s.resources.values().any(|r| !r.name.trim().is_empty() && r.has_provider()))
    }),
    (
        "7.2",
        "Every holder of an AIMS role has valid training records for its competences",
        Kind::Support,
        |e| {
            let (Some(s), Some(today)) = (e.support.as_ref(), e.today) else { return false };
            let staffed = s
                .roles
                .values()
                .any(|r| !r.holders.is_empty() && r.required.keys().any(|c| s.competences.contains_key(c)));
            staffed && competence_gaps(s, today).is_empty()
        },
    ),
    ("7.3", "Every member has acknowledged the AI policy version in force", Kind::Support, |e| {
        let (Some(s), Some(w), Some(p)) = (e.support.as_ref(), e.workspace.as_ref(), e.policy.as_ref())
        else {
            return false;
        };
        p.current_version().is_some_and(|(_, version, _)| awaiting_acknowledgement(w, s, version).is_empty())
    }),
    ("7.4", "A communication plan says what, with whom, how and who communicates", Kind::Support, |e| {
        e.support.as_ref().is_some_and(|s| s.communications.values().any(|c| c.is_complete()))
    }),
    ("7.5.1", "Documented information is registered", Kind::DocumentedInformation, |e| {
        e.documented.is_some() && !document_rows(e).rows.is_empty()
    }),
    ("7.5.2", "Every registered document has an owner and an approval", Kind::DocumentedInformation, |e| {
        e.documented.is_some() && every(&document_rows(e).rows, |r| r.owner.is_some() && r.approved)
    }),
    ("7.5.2", "No registered document is past its review date", Kind::DocumentedInformation, |e| {
        e.documented.is_some() && document_rows(e).count(DocumentFlag::OverdueReview) == 0
    }),
    (
        "7.5.3",
        "Every registered document says where it is kept and for how long",
        Kind::DocumentedInformation,
        |e| e.documented.is_some() && every(&document_rows(e).rows, |r| r.kept()),
    ),
    ("8.1", "Every AI system in the inventory has an owner", Kind::Inventory, |e| {
        e.inventory.as_ref().is_some_and(|i| every(i.systems.values(), |s| s.owner.is_some()))
    }),
    ("8.2", "Risks are assessed against the criteria", Kind::RiskRegister, |e| {
        e.risks.as_ref().is_some_and(|r| r.risks.values().any(|risk| r.inherent_level(risk).is_some()))
    }),
    ("8.3", "Treated risks have a residual level", Kind::RiskRegister, |e| {
        e.risks.as_ref().is_some_and(|r| {
            let treated: Vec<_> = r
                .risks
                .values()
                .filter(|x| !matches!(x.treatment, Treatment::Undecided | Treatment::Retain))
                .collect();
            treated.iter().all(|risk| r.residual_level(risk).is_some())
                && r.risks.values().any(|x| x.treatment != Treatment::Undecided)
        })
    }),
    ("8.3", "Treatment actions have owners and due dates", Kind::RiskRegister, |e| {
        e.risks.as_ref().is_some_and(|r| every(r.actions.values(), |a| a.owner.is_some() && a.due.is_some()))
    }),
    ("8.4", "An impact assessment is approved", Kind::ImpactAssessment, |e| {
        e.assessments.iter().any(|a| a.status == AssessmentStatus::Approved)
    }),
    (
        "9.1",
        "Every indicator has been measured and none is overdue for its next reading",
        Kind::Monitoring,
        |e| {
            // Without today's date nothing can be shown to be on time, so the check is not met.
            let Some(today) = e.today else { return false };
            e.monitoring.as_ref().is_some_and(|m| {
                every(m.indicators.keys(), |i| m.latest(*i).is_some() && !m.is_overdue(*i, today))
            })
        },
    ),
    ("9.2.1", "An internal audit has been held, concluded and closed", Kind::Audit, |e| {
        e.audits.iter().any(audit_closed)
    }),
    (
        "9.2.1",
        "Every nonconformity a closed audit found is in the nonconformity register",
        Kind::Audit,
        |e| {
            e.audits.iter().any(audit_closed)
                && e.audits.iter().filter(|a| audit_closed(a)).all(|a| {
                    a.findings.values().filter(|f| f.kind.is_nonconformity()).all(|f| {
                        f.nonconformity.is_some_and(|nc| {
                            e.improvement.as_ref().is_some_and(|i| i.nonconformities.contains_key(&nc))
                        })
                    })
                })
        },
    ),
    ("9.2.2", "The audit programme's planned audits cover every clause 4 to 10", Kind::AuditProgramme, |e| {
        e.audit_programme
            .as_ref()
            .is_some_and(|p| audit_coverage(p, e.soa.as_ref()).uncovered_clauses().is_empty())
    }),
    ("9.2.2", "The planned audits cover every applicable Annex A control", Kind::AuditProgramme, |e| {
        e.audit_programme.as_ref().is_some_and(|p| {
            !p.audits.is_empty() && audit_coverage(p, e.soa.as_ref()).uncovered_controls().is_empty()
        })
    }),
    (
        "9.3.1",
        "A management review has been held, with its date and attendees",
        Kind::ManagementReview,
        review_held,
    ),
    ("9.3.2", "A held review has notes on every one of its inputs", Kind::ManagementReview, |e| {
        e.reviews.iter().any(|r| r.held_on.is_some() && r.every_input_noted())
    }),
    ("9.3.3", "A held review recorded decisions or actions", Kind::ManagementReview, |e| {
        e.reviews.iter().any(|r| r.held_on.is_some() && !(r.decisions.is_empty() && r.actions.is_empty()))
    }),
    (
        "9.3.3",
        "The minutes of a held review are approved, and unchanged since",
        Kind::ManagementReview,
        |e| e.reviews.iter().any(|r| r.held_on.is_some() && r.approval_state().is_current()),
    ),
    ("10.1", "Improvements are logged", Kind::Improvement, |e| {
        e.improvement.as_ref().is_some_and(|i| !i.log.is_empty())
    }),
    (
        "10.2",
        "Every nonconformity has a root cause and a corrective action, and every closed one an effective review",
        Kind::Improvement,
        |e| {
            e.improvement.as_ref().is_none_or(|i| {
                i.nonconformities.iter().all(|(id, nc)| {
                    written(&nc.root_cause)
                        && i.corrective_actions.values().any(|a| a.nonconformity == *id)
                        && (nc.status != NonconformityStatus::Closed || nc.effectiveness.shows_effective())
                })
            })
        },
    ),
];

pub(super) fn run(evidence: &Evidence) -> Vec<Check> {
    CHECKS
        .iter()
        .map(|(clause, label, fix, test)| Check { clause, label, met: test(evidence), fix: *fix })
        .collect()
}

/// The clause of every check, for the test that each names a real clause.
#[cfg(test)]
pub(super) fn clauses() -> impl Iterator<Item = &'static str> {
    CHECKS.iter().map(|(clause, ..)| *clause)
}

fn written(text: &Text) -> bool {
    !text.as_str().trim().is_empty()
}

/// Every item passes, and there is at least one: an empty register is not a complete one.
fn every<T>(items: impl IntoIterator<Item = T>, test: impl FnMut(T) -> bool) -> bool {
    let mut items = items.into_iter().peekable();
    items.peek().is_some() && items.all(test)
}

/// The documented information register's rows, as its page shows them.
fn document_rows(e: &Evidence) -> DocumentRows {
    match (&e.documented, &e.workspace) {
        (Some(register), Some(workspace)) => {
            crate::model::document_rows(&workspace.documents, register, &e.artifact_facts, e.today)
        }
        _ => DocumentRows::default(),
    }
}

fn policy_approved(e: &Evidence) -> bool {
    e.policy.as_ref().is_some_and(|p| p.current_version().is_some())
}

/// Closed with a conclusion and every row judged, and no merge has undone any of it since.
fn audit_closed(audit: &InternalAudit) -> bool {
    audit.is_closed() && audit_violations(audit).is_empty()
}

/// A review took place: it has the date it was held and who attended.
fn review_held(e: &Evidence) -> bool {
    e.reviews.iter().any(|r| r.held_on.is_some() && !r.attendees.trim().is_empty())
}
