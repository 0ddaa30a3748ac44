//! What an auditor would still flag: the unmet clause checks grouped under their clause, and the
//! Annex A controls not yet done grouped under their objective. Each gap links to the page
//! where it is fixed.

use leptos::prelude::*;
use leptos_router::components::A;
use quorum_shared::catalog::{self, Clause, Objective};
use quorum_shared::model::DocumentKind;
use quorum_shared::readiness::{Check, ControlReadiness};

/// The unmet checks under one top-level clause, 4 to 10.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClauseGaps {
    pub clause: &'static Clause,
    pub gaps: Vec<Check>,
}

/// The controls of one Annex A objective that are not done yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectiveGaps {
    pub objective: &'static Objective,
    pub controls: Vec<ControlGaps>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ControlGaps {
    pub id: &'static str,
    pub title: &'static str,
    pub gaps: Vec<&'static str>,
}

/// Groups unmet checks under their top-level clause in the standard's order, keeping the
/// checks' own order within a clause; clauses with nothing missing are left out.
pub fn group_by_clause<'a>(gaps: impl IntoIterator<Item = &'a Check>) -> Vec<ClauseGaps> {
    let gaps: Vec<&Check> = gaps.into_iter().collect();
    catalog::top_level_clauses()
        .filter_map(|clause| {
            let under: Vec<Check> = gaps
                .iter()
                .filter(|check| top_level(check.clause) == clause.id)
                .map(|&c| c.clone())
                .collect();
            (!under.is_empty()).then_some(ClauseGaps { clause, gaps: under })
        })
        .collect()
}

/// Groups the controls not yet done under their objective, in Annex A's order.
pub fn group_by_objective(controls: &[ControlReadiness]) -> Vec<ObjectiveGaps> {
    catalog::objectives()
        .iter()
        .filter_map(|objective| {
            let open: Vec<ControlGaps> = controls
                .iter()
                .filter(|c| c.control.objective == objective.id && !c.is_done())
                .map(|c| ControlGaps { id: c.control.id, title: c.control.title, gaps: c.gaps() })
                .collect();
            (!open.is_empty()).then_some(ObjectiveGaps { objective, controls: open })
        })
        .collect()
}

/// The clause 4 to 10 that `clause` (such as `6.1.2`) belongs to.
pub fn top_level(clause: &str) -> &str {
    clause.split('.').next().unwrap_or(clause)
}

/// The page where an artifact is edited.
pub fn page_of(kind: DocumentKind) -> &'static str {
    match kind {
        // The core documents are made with the workspace: the fix is to open or make one.
        DocumentKind::Workspace => "/",
        DocumentKind::Context => "/context",
        DocumentKind::Inventory => "/inventory",
        DocumentKind::Policy => "/policy",
        DocumentKind::Roles => "/roles",
        DocumentKind::RiskRegister => "/risks",
        DocumentKind::StatementOfApplicability => "/soa",
        DocumentKind::ImpactAssessment => "/impact",
        DocumentKind::Objectives => "/objectives",
        DocumentKind::PlannedChanges => "/changes",
        DocumentKind::Support => "/support",
        DocumentKind::DocumentedInformation => "/documents",
        DocumentKind::Monitoring => "/monitoring",
        DocumentKind::AuditProgramme | DocumentKind::Audit => "/audits",
        DocumentKind::ManagementReview => "/reviews",
        DocumentKind::Improvement => "/improvement",
    }
}

/// The artifact's name as a person says it.
pub fn artifact_name(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Workspace => "Workspace",
        DocumentKind::Context => "Context of the organization",
        DocumentKind::Inventory => "AI system inventory",
        DocumentKind::Policy => "AI policy",
        DocumentKind::Roles => "Roles and responsibilities",
        DocumentKind::RiskRegister => "Risk register",
        DocumentKind::StatementOfApplicability => "Statement of Applicability",
        DocumentKind::ImpactAssessment => "Impact assessments",
        DocumentKind::Objectives => "AI objectives",
        DocumentKind::PlannedChanges => "Planned changes",
        DocumentKind::Support => "Resources, competence and awareness",
        DocumentKind::DocumentedInformation => "Documented information",
        DocumentKind::Monitoring => "Monitoring and measurement",
        DocumentKind::AuditProgramme => "Internal audit programme",
        DocumentKind::Audit => "Internal audits",
        DocumentKind::ManagementReview => "Management reviews",
        DocumentKind::Improvement => "Nonconformities and improvement",
    }
}

/// Where a gap is fixed: a link to the artifact's page.
#[component]
fn FixedIn(kind: DocumentKind) -> impl IntoView {
    view! { <A href=page_of(kind) attr:class="fix">{artifact_name(kind)}</A> }
}

/// Everything a clause group shows: a group is rebuilt only when this changes.
fn clause_group_key(group: &ClauseGaps) -> (&'static str, Vec<(&'static str, &'static str, DocumentKind)>) {
    (group.clause.id, group.gaps.iter().map(|check| (check.clause, check.label, check.fix)).collect())
}

/// Everything an objective group shows (a control's title follows from its id).
fn objective_group_key(group: &ObjectiveGaps) -> (&'static str, Vec<(&'static str, Vec<&'static str>)>) {
    (group.objective.id, group.controls.iter().map(|control| (control.id, control.gaps.clone())).collect())
}

// Both lists are keyed by what each group shows, so that a change rebuilds only the groups it
// touches: rebuilding all of them (some 90 rows, each with a link) cost milliseconds on every
// remote edit, and closed every `<details>` the person had opened.

#[component]
pub fn ClauseGapList(#[prop(into)] groups: Signal<Vec<ClauseGaps>>) -> impl IntoView {
    view! {
        <Show
            when=move || groups.with(|groups| !groups.is_empty())
            fallback=|| view! { <p class="muted all-met">"Every clause check is met."</p> }
        >
            <For each=move || groups.get() key=clause_group_key let(group)>
                <section class="gap-group" data-clause=group.clause.id>
                    <h3>
                        <span class="ref">{group.clause.id}</span>
                        {group.clause.title}
                        <span class="count">{group.gaps.len()}</span>
                    </h3>
                    <ul class="gaps">
                        {group
                            .gaps
                            .into_iter()
                            .map(|check| {
                                view! {
                                    <li class="gap" data-clause=check.clause>
                                        <span class="ref">{check.clause}</span>
                                        <span class="gap-label">{check.label}</span>
                                        <FixedIn kind=check.fix/>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            </For>
        </Show>
    }
}

#[component]
pub fn ControlGapList(#[prop(into)] groups: Signal<Vec<ObjectiveGaps>>) -> impl IntoView {
    view! {
        <Show
            when=move || groups.with(|groups| !groups.is_empty())
            fallback=|| view! { <p class="muted all-met">"Every Annex A control is done."</p> }
        >
            <For each=move || groups.get() key=objective_group_key let(group)>
                {
                    let count = group.controls.len();
                    let noun = if count == 1 { "control" } else { "controls" };
                    view! {
                        <details class="gap-group control-gaps" data-objective=group.objective.id>
                            <summary>
                                <span class="ref">{group.objective.id}</span>
                                {group.objective.title}
                                <span class="count">{format!("{count} {noun} to do")}</span>
                            </summary>
                            <ul class="gaps">
                                {group
                                    .controls
                                    .into_iter()
                                    .map(|control| {
                                        view! {
                                            <li class="gap" data-control=control.id>
                                                <span class="ref">{control.id}</span>
                                                <span class="gap-label">
                                                    {control.title}
                                                    <span class="gap-todo">{control.gaps.join("; ")}</span>
                                                </span>
                                                <FixedIn kind=DocumentKind::StatementOfApplicability/>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </details>
                    }
                }
            </For>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use quorum_shared::readiness::{self, Evidence};

    use super::*;

    fn check(clause: &'static str, label: &'static str) -> Check {
        Check { clause, label, met: false, fix: DocumentKind::Policy }
    }

    // Plain data, so the tests run natively and, in the wasm suite, under wasm-bindgen-test.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn gaps_group_under_their_top_level_clause_in_the_standards_order() {
        let checks = [
            check("6.1.2", "criteria"),
            check("4.1", "issues"),
            check("6.2", "objectives"),
            check("10.2", "log"),
        ];
        let groups = group_by_clause(&checks);
        let shape: Vec<(&str, Vec<&str>)> =
            groups.iter().map(|g| (g.clause.id, g.gaps.iter().map(|c| c.label).collect())).collect();
        assert_eq!(
            shape,
            vec![("4", vec!["issues"]), ("6", vec!["criteria", "objectives"]), ("10", vec!["log"])],
            "10 is not mistaken for 1, and order within a clause is kept"
        );
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn top_level_takes_the_first_number() {
        for (clause, expected) in [("4", "4"), ("6.1.2", "6"), ("10.1", "10")] {
            assert_eq!(top_level(clause), expected);
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_new_workspace_has_every_control_to_do_under_its_objective() {
        let readiness = readiness::assess(&Evidence::default());
        let groups = group_by_objective(&readiness.controls);
        assert_eq!(groups.len(), catalog::objectives().len());
        assert_eq!(groups.iter().map(|g| g.controls.len()).sum::<usize>(), catalog::controls().len());
        assert!(groups.iter().all(|g| g.controls.iter().all(|c| !c.gaps.is_empty())));
        let clause_groups = group_by_clause(readiness.gaps());
        assert_eq!(clause_groups.iter().map(|g| g.gaps.len()).sum::<usize>(), readiness.gaps().count());
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn every_artifact_links_to_its_page() {
        assert_eq!(page_of(DocumentKind::StatementOfApplicability), "/soa");
        assert_eq!(page_of(DocumentKind::ManagementReview), "/reviews");
        assert_eq!(page_of(DocumentKind::Audit), page_of(DocumentKind::AuditProgramme));
        // Every gap of a new workspace links somewhere the router knows.
        let readiness = readiness::assess(&Evidence::default());
        let pages = [
            "/",
            "/context",
            "/inventory",
            "/policy",
            "/roles",
            "/risks",
            "/soa",
            "/impact",
            "/objectives",
            "/changes",
            "/support",
            "/documents",
            "/monitoring",
            "/audits",
            "/reviews",
            "/improvement",
        ];
        assert!(readiness.checks.iter().all(|check| pages.contains(&page_of(check.fix))));
    }
}
