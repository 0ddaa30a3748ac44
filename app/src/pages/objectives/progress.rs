//! An objective's progress: read from what the person types, and drawn as a small bar.

use leptos::prelude::*;

/// The progress typed into the field: blank is "not said yet"; otherwise a whole percentage
/// from 0 to 100 (a trailing `%` is fine). The error says what to type instead.
pub fn parse_percent(text: &str) -> Result<Option<u64>, String> {
    let text = text.trim().trim_end_matches('%').trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u64>() {
        Ok(percent) if percent <= 100 => Ok(Some(percent)),
        _ => Err("Progress is a whole percentage from 0 to 100, such as 40; leave it blank if nobody has judged it yet."
            .to_owned()),
    }
}

/// The bar's filled width out of 100.
pub fn filled(percent: Option<u64>) -> u64 {
    percent.unwrap_or(0).min(100)
}

/// A small bar; its label states the number, which is also shown beside it.
#[component]
pub fn ProgressBar(#[prop(into)] percent: Signal<Option<u64>>) -> impl IntoView {
    let label = move || match percent.get() {
        Some(p) => format!("Progress: {p}%"),
        None => "Progress: not judged yet".to_owned(),
    };
    let state = move || match percent.get() {
        Some(100) => "complete",
        Some(_) => "open",
        None => "unknown",
    };
    view! {
        <span class="objective-progress" data-state=state>
            <svg class="bar-chart" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label=label>
                <rect class="bar-track" width="100" height="10"/>
                <rect class="bar-value" width=move || filled(percent.get()).to_string() height="10"/>
            </svg>
            <span class="bar-numbers">{move || percent.get().map_or_else(|| "–".to_owned(), |p| format!("{p}%"))}</span>
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn progress_is_a_whole_percentage_or_blank() {
        assert_eq!(parse_percent(""), Ok(None));
        assert_eq!(parse_percent("  "), Ok(None));
        assert_eq!(parse_percent("0"), Ok(Some(0)));
        assert_eq!(parse_percent(" 40 % "), Ok(Some(40)));
        assert_eq!(parse_percent("100"), Ok(Some(100)));
        for wrong in ["101", "-5", "4.5", "half"] {
            assert!(parse_percent(wrong).is_err(), "{wrong}");
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_bar_fills_its_share_and_is_empty_until_judged() {
        assert_eq!(filled(None), 0);
        assert_eq!(filled(Some(35)), 35);
        assert_eq!(filled(Some(100)), 100);
    }
}
