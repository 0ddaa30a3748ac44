//! What the programme's planned audits cover, as a picture: one square per clause 4 to 10 and
//! per applicable Annex A control, filled when some planned audit covers it; then in words, the
//! clauses and controls that none covers yet.

use leptos::prelude::*;
use quorum_shared::model::{
    AuditCoverage, AuditItem, AuditProgramme, PlannedAuditId, StatementOfApplicability, audit_coverage,
};

const CELL: f64 = 34.0;
const GAP: f64 = 4.0;
const PER_ROW: usize = 13;

#[component]
pub fn CoverageView(
    programme: Memo<Option<AuditProgramme>>,
    soa: Memo<Option<StatementOfApplicability>>,
) -> impl IntoView {
    let coverage = Memo::new(move |_| {
        programme.with(|p| p.as_ref().map(|p| soa.with(|soa| audit_coverage(p, soa.as_ref()))))
    });
    move || {
        let Some(coverage) = coverage.get() else { return ().into_any() };
        let complete = coverage.is_complete();
        let uncovered_clauses = coverage.uncovered_clauses();
        let uncovered_controls = coverage.uncovered_controls();
        let (clauses_left, controls_left) =
            (uncovered_clauses.len().to_string(), uncovered_controls.len().to_string());
        view! {
            <section class="card audit-coverage" aria-labelledby="audit-coverage-heading"
                data-complete=complete.to_string()
                data-uncovered-clauses=clauses_left
                data-uncovered-controls=controls_left>
                <h2 id="audit-coverage-heading">"Coverage over the cycle"</h2>
                <Picture coverage=coverage.clone()/>
                <p class="audit-coverage-legend muted">
                    <span class="legend-swatch covered"></span>" covered by a planned audit "
                    <span class="legend-swatch uncovered"></span>" not covered yet"
                </p>
                {if complete {
                    view! { <p class="audit-coverage-done">"Every clause 4 to 10 and every applicable control is in some planned audit's scope."</p> }.into_any()
                } else {
                    view! {
                        <ul class="audit-uncovered">
                            {(!uncovered_clauses.is_empty()).then(|| view! {
                                <li data-uncovered="clauses">"Clauses no planned audit covers: "{words(&uncovered_clauses)}</li>
                            })}
                            {(!uncovered_controls.is_empty()).then(|| view! {
                                <li data-uncovered="controls">"Applicable controls no planned audit covers: "{words(&uncovered_controls)}</li>
                            })}
                        </ul>
                    }
                    .into_any()
                }}
            </section>
        }
        .into_any()
    }
}

fn words(items: &[AuditItem]) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

#[component]
fn Picture(coverage: AuditCoverage) -> impl IntoView {
    let rows = |items: &[(AuditItem, Vec<PlannedAuditId>)]| items.len().div_ceil(PER_ROW);
    let clause_rows = rows(&coverage.clauses);
    let control_rows = rows(&coverage.controls);
    let label_height = 18.0;
    let band = |n: usize| n as f64 * (CELL + GAP);
    let controls_top = label_height + band(clause_rows) + label_height;
    let height = controls_top + band(control_rows.max(1));
    let width = band(PER_ROW);
    let cells = |items: Vec<(AuditItem, Vec<PlannedAuditId>)>, top: f64| {
        items
            .into_iter()
            .enumerate()
            .map(|(n, (item, by))| {
                let x = band(n % PER_ROW);
                let y = top + band(n / PER_ROW);
                let covered = !by.is_empty();
                let short = match item {
                    AuditItem::Clause(id) => id.to_string(),
                    AuditItem::Control(c) => c.as_str().trim_start_matches("A.").to_string(),
                };
                let title = format!(
                    "{item} {}: {}",
                    item.title(),
                    if covered { format!("covered by {} planned audit(s)", by.len()) } else { "not covered yet".into() }
                );
                view! {
                    <g class=if covered { "cell covered" } else { "cell uncovered" } data-item=item.to_string()>
                        <title>{title}</title>
                        <rect x=x y=y width=CELL height=CELL rx="4"/>
                        <text x=x + CELL / 2.0 y=y + CELL / 2.0 + 4.0 text-anchor="middle">{short}</text>
                    </g>
                }
            })
            .collect_view()
    };
    let summary = format!(
        "{} of {} clauses and {} of {} applicable controls are covered",
        coverage.clauses.iter().filter(|(_, by)| !by.is_empty()).count(),
        coverage.clauses.len(),
        coverage.controls.iter().filter(|(_, by)| !by.is_empty()).count(),
        coverage.controls.len(),
    );
    view! {
        <svg class="audit-coverage-grid" viewBox=format!("0 0 {width} {height}") role="img" aria-label=summary.clone()>
            <text class="band-label" x="0" y="13">"Clauses 4 to 10"</text>
            {cells(coverage.clauses, label_height)}
            <text class="band-label" x="0" y=controls_top - 5.0>"Applicable Annex A controls"</text>
            {cells(coverage.controls, controls_top)}
        </svg>
        <p class="visually-hidden">{summary}</p>
    }
}
