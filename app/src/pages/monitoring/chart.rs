//! An indicator's readings as a line over time, with its target as a dashed line. The geometry
//! comes from `model::chart`; this only draws it, and says in words what it shows.

use leptos::prelude::*;
use quorum_shared::model::{ChartLayout, Direction, IndicatorId, Monitoring, chart};

use super::with_unit;

#[component]
pub fn IndicatorChart(id: IndicatorId, monitoring: Memo<Option<Monitoring>>) -> impl IntoView {
    let drawn = Memo::new(move |_| {
        monitoring.with(|m| {
            let m = m.as_ref()?;
            let indicator = m.indicators.get(&id)?;
            let readings: Vec<_> = m.readings_of(id).into_iter().map(|(_, r)| (r.date, r.value)).collect();
            let geometry = chart(&readings, indicator.target, ChartLayout::default());
            Some((geometry, summary(m, id)))
        })
    });
    let title_id = format!("indicator-{id}-chart-title");
    move || {
        let (geometry, summary) = drawn.get()?;
        if geometry.points.is_empty() {
            return None;
        }
        let layout = geometry.layout;
        let (left, right, top, bottom) =
            (layout.plot_left(), layout.plot_right(), layout.plot_top(), layout.plot_bottom());
        let (title_id, labelled_by) = (title_id.clone(), title_id.clone());
        Some(view! {
            <figure class="indicator-chart" data-chart=id.to_string()>
                <svg
                    viewBox=format!("0 0 {} {}", layout.width, layout.height)
                    role="img"
                    aria-labelledby=labelled_by
                    preserveAspectRatio="xMidYMid meet"
                >
                    <title id=title_id>{summary.clone()}</title>
                    {geometry
                        .y_ticks
                        .iter()
                        .map(|tick| {
                            view! {
                                <line class="chart-grid" x1=left x2=right y1=tick.at y2=tick.at/>
                                <text class="chart-label" x=left - 8.0 y=tick.at + 4.0 text-anchor="end">{tick.label.clone()}</text>
                            }
                        })
                        .collect_view()}
                    <line class="chart-axis" x1=left x2=left y1=top y2=bottom/>
                    <line class="chart-axis" x1=left x2=right y1=bottom y2=bottom/>
                    {geometry
                        .x_ticks
                        .iter()
                        .enumerate()
                        .map(|(i, tick)| {
                            let anchor = match (geometry.x_ticks.len(), i) {
                                (1, _) => "middle",
                                (_, 0) => "start",
                                _ => "end",
                            };
                            view! { <text class="chart-label" x=tick.at y=bottom + 20.0 text-anchor=anchor>{tick.label.clone()}</text> }
                        })
                        .collect_view()}
                    {geometry.target_y.map(|y| {
                        view! {
                            <line class="chart-target" data-target-line="" x1=left x2=right y1=y y2=y/>
                            <text class="chart-target-label" x=right y=y - 6.0 text-anchor="end">"target"</text>
                        }
                    })}
                    <polyline class="chart-line" points=geometry.polyline()/>
                    {geometry
                        .points
                        .iter()
                        .map(|p| view! { <circle class="chart-point" cx=p.x cy=p.y r="4"/> })
                        .collect_view()}
                </svg>
                <figcaption class="visually-hidden">{summary}</figcaption>
            </figure>
        })
    }
}

/// The chart in one sentence: the latest value against the target.
fn summary(m: &Monitoring, id: IndicatorId) -> String {
    let Some(indicator) = m.indicators.get(&id) else { return String::new() };
    let count = m.readings_of(id).len();
    let Some((_, latest)) = m.latest(id) else { return format!("{}: no readings yet", indicator.name) };
    let value = with_unit(latest.value, &indicator.unit);
    let against = match (indicator.target, indicator.meets(latest.value)) {
        (Some(target), Some(meets)) => {
            let side = match indicator.direction {
                Direction::HigherIsBetter => "or more",
                Direction::LowerIsBetter => "or less",
            };
            let verdict = if meets { "meets" } else { "misses" };
            format!(", which {verdict} the target of {} {side}", with_unit(target, &indicator.unit))
        }
        _ => ", with no target set".to_owned(),
    };
    let readings = if count == 1 { "1 reading".to_owned() } else { format!("{count} readings") };
    format!("{}: {readings}; the latest, on {}, is {value}{against}.", indicator.name, latest.date)
}
