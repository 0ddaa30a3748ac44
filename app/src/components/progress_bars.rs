//! A list of horizontal progress bars, one per clause or Annex A objective: each bar is an SVG
//! image whose label states its numbers, and the numbers are shown beside it as text too.

use leptos::prelude::*;
use quorum_shared::readiness::Progress;

/// One bar: what it measures and how far along it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bar {
    /// The clause or objective, such as `"6"` or `"A.5"`.
    pub id: &'static str,
    pub title: &'static str,
    pub progress: Progress,
}

/// The SVG's width; bars are drawn in this many units and scaled by CSS.
const WIDTH: f64 = 100.0;

/// The filled width of a bar `width` long, never past its end.
pub fn bar_width(progress: Progress, width: f64) -> f64 {
    width * progress.ratio().clamp(0.0, 1.0)
}

/// What a screen reader hears for one bar, such as "Clause 6, Planning: 1 of 9 checks met".
pub fn bar_label(noun: &str, bar: &Bar, unit: &str) -> String {
    format!("{noun} {}, {}: {} of {} {unit}", bar.id, bar.title, bar.progress.met, bar.progress.total)
}

/// `noun` names what a bar is ("Clause", "Objective"), `unit` what is counted ("checks met").
#[component]
pub fn ProgressBars(
    #[prop(into)] bars: Signal<Vec<Bar>>,
    noun: &'static str,
    unit: &'static str,
) -> impl IntoView {
    view! {
        <ul class="progress-bars">
            {move || {
                bars.get()
                    .into_iter()
                    .map(|bar| {
                        let label = bar_label(noun, &bar, unit);
                        let filled = format!("{:.2}", bar_width(bar.progress, WIDTH));
                        let state = if bar.progress.is_complete() { "complete" } else { "open" };
                        view! {
                            <li
                                class="progress-bar"
                                data-bar=bar.id
                                data-met=bar.progress.met
                                data-total=bar.progress.total
                                data-state=state
                            >
                                <span class="bar-title" title=bar.title>
                                    <span class="ref">{bar.id}</span>
                                    {bar.title}
                                </span>
                                <svg
                                    class="bar-chart"
                                    viewBox="0 0 100 10"
                                    preserveAspectRatio="none"
                                    role="img"
                                    aria-label=label
                                >
                                    <rect class="bar-track" width="100" height="10"/>
                                    <rect class="bar-value" width=filled height="10"/>
                                </svg>
                                <span class="bar-numbers">
                                    {format!("{} of {}", bar.progress.met, bar.progress.total)}
                                </span>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Plain data, so the tests run natively and, in the wasm suite, under wasm-bindgen-test.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_bar_fills_its_share_and_never_overflows() {
        let cases = [((0, 5), 0.0), ((2, 5), 40.0), ((5, 5), 100.0), ((0, 0), 100.0), ((7, 5), 100.0)];
        for ((met, total), expected) in cases {
            let width = bar_width(Progress { met, total }, 100.0);
            assert!((width - expected).abs() < 1e-9, "{met}/{total}: {width}");
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_label_states_the_numbers() {
        let bar = Bar { id: "A.5", title: "Assessing impacts", progress: Progress { met: 1, total: 4 } };
        assert_eq!(
            bar_label("Objective", &bar, "controls done"),
            "Objective A.5, Assessing impacts: 1 of 4 controls done"
        );
    }
}
