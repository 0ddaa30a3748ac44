//! The workspace's overall readiness as a ring: the share of every clause check and Annex A
//! control that is done, drawn in SVG with the numbers beside it as text.

use leptos::prelude::*;
use quorum_shared::readiness::Progress;

/// The ring's radius in the SVG's 120 × 120 box; the stroke is drawn centred on it.
const RADIUS: f64 = 50.0;

/// Whole percent, rounded down, so that 100 % is only shown when everything is done.
pub fn percent(progress: Progress) -> usize {
    (progress.met.min(progress.total) * 100).checked_div(progress.total).unwrap_or(100)
}

/// The filled length and the remaining gap of the ring's dash pattern on a circle of `radius`:
/// together they make the whole circumference, so the arc never wraps past its start.
pub fn ring_dash(progress: Progress, radius: f64) -> (f64, f64) {
    let circumference = std::f64::consts::TAU * radius;
    let filled = circumference * progress.ratio().clamp(0.0, 1.0);
    (filled, circumference - filled)
}

/// What a screen reader hears for the ring.
pub fn ring_label(progress: Progress) -> String {
    format!(
        "Overall readiness: {} of {} checks done, {} percent",
        progress.met,
        progress.total,
        percent(progress)
    )
}

#[component]
pub fn ReadinessRing(#[prop(into)] progress: Signal<Progress>) -> impl IntoView {
    let dash = move || {
        let (filled, gap) = ring_dash(progress.get(), RADIUS);
        format!("{filled:.2} {gap:.2}")
    };
    view! {
        <figure class="readiness-ring" data-met=move || progress.get().met data-total=move || progress.get().total>
            <svg viewBox="0 0 120 120" role="img" aria-label=move || ring_label(progress.get())>
                <circle class="ring-track" cx="60" cy="60" r=RADIUS fill="none" stroke-width="12"/>
                <circle
                    class="ring-value"
                    cx="60"
                    cy="60"
                    r=RADIUS
                    fill="none"
                    stroke-width="12"
                    stroke-dasharray=dash
                    transform="rotate(-90 60 60)"
                />
                <text class="ring-percent" x="60" y="60" text-anchor="middle" dominant-baseline="central">
                    {move || format!("{}%", percent(progress.get()))}
                </text>
            </svg>
            <figcaption>
                <strong>{move || format!("{} of {}", progress.get().met, progress.get().total)}</strong>
                " checks and controls done"
            </figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(met: usize, total: usize) -> Progress {
        Progress { met, total }
    }

    // Plain data, so the tests run natively and, in the wasm suite, under wasm-bindgen-test.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn percent_rounds_down_and_only_reaches_100_when_complete() {
        let cases =
            [(p(0, 10), 0), (p(1, 3), 33), (p(2, 3), 66), (p(199, 200), 99), (p(5, 5), 100), (p(0, 0), 100)];
        for (progress, expected) in cases {
            assert_eq!(percent(progress), expected, "{progress:?}");
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_arc_and_its_gap_make_the_whole_circle() {
        let circumference = std::f64::consts::TAU * 10.0;
        for (progress, filled) in [(p(0, 4), 0.0), (p(1, 4), circumference / 4.0), (p(4, 4), circumference)] {
            let (arc, gap) = ring_dash(progress, 10.0);
            assert!((arc - filled).abs() < 1e-9, "{progress:?}: {arc}");
            assert!((arc + gap - circumference).abs() < 1e-9, "{progress:?}");
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_label_states_the_numbers() {
        assert_eq!(ring_label(p(3, 12)), "Overall readiness: 3 of 12 checks done, 25 percent");
    }
}
