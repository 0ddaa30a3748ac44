//! The risk heat map: a likelihood × consequence grid drawn as inline SVG, each cell coloured by
//! the level the risk criteria give it and showing how many risks sit there, before treatment
//! (inherent) or after it (residual). Cells are buttons: choosing one selects it, and the page
//! showing the map decides what that means (the register filters to those risks; the dashboard
//! opens the register filtered).
//!
//! Where risks go is a pure function, [`bin`], so it is tested without a browser:
//!
//! ```ignore
//! let placements: Vec<Placement> = register.risks.values().map(Placement::of).collect();
//! let binned = bin(&register.criteria, &placements, Rating::Inherent);
//! ```

mod grid;

pub use grid::{Binned, Cell, HeatCell, Placement, Rating, Selection, band_fill, bin, cell_label};

use leptos::prelude::*;
use quorum_shared::model::RiskCriteria;

// The drawing's geometry, in SVG units; CSS scales the whole drawing.
const CELL: f64 = 60.0;
const LEFT: f64 = 112.0;
const TOP: f64 = 22.0;
const BOTTOM: f64 = 56.0;
const RIGHT: f64 = 6.0;

/// `rating` is the view the toggle switches; `selected` the cell to mark as chosen, shown only
/// in its own view; `on_select` gets the cell a person clicks or presses Enter on.
#[component]
pub fn HeatMap(
    #[prop(into)] criteria: Signal<RiskCriteria>,
    #[prop(into)] placements: Signal<Vec<Placement>>,
    rating: RwSignal<Rating>,
    #[prop(into)] selected: Signal<Option<Selection>>,
    on_select: Callback<Selection>,
    /// The figure's id (its caption's id is derived from it), so two maps never share ids.
    #[prop(into)]
    id: String,
) -> impl IntoView {
    let binned = Memo::new(move |_| {
        criteria.with(|criteria| placements.with(|placements| bin(criteria, placements, rating.get())))
    });
    let toggle = move |value: Rating, text: &'static str| {
        view! {
            <button
                type="button"
                class="heat-map-view"
                data-view=value.as_str()
                aria-pressed=move || (rating.get() == value).to_string()
                on:click=move |_| rating.set(value)
            >
                {text}
            </button>
        }
    };
    let caption = format!("{id}-caption");
    let described_by = caption.clone();
    view! {
        <figure class="heat-map" id=id.clone() data-view=move || rating.get().as_str()>
            <div class="heat-map-toggle" role="group" aria-label="Which rating the map shows">
                {toggle(Rating::Inherent, "Inherent")}
                {toggle(Rating::Residual, "Residual")}
            </div>
            {move || {
                criteria.with(|criteria| {
                    let (rows, columns) = (criteria.likelihood.len(), criteria.consequence.len());
                    let width = LEFT + columns as f64 * CELL + RIGHT;
                    let height = TOP + rows as f64 * CELL + BOTTOM;
                    let bands = criteria.bands.len();
                    let cells = binned
                        .get()
                        .cells
                        .into_iter()
                        .map(|cell| heat_cell(cell, rows, bands, rating, selected, on_select))
                        .collect_view();
                    let likelihood_labels = criteria
                        .likelihood
                        .iter()
                        .enumerate()
                        .map(|(i, level)| {
                            let y = TOP + (rows - 1 - i) as f64 * CELL + CELL / 2.0;
                            view! {
                                <text class="heat-axis-label" x={LEFT - 8.0} y=y text-anchor="end" dominant-baseline="middle">
                                    {format!("{} {}", short(&level.label, 14), i + 1)}
                                </text>
                            }
                        })
                        .collect_view();
                    let consequence_labels = criteria
                        .consequence
                        .iter()
                        .enumerate()
                        .map(|(i, level)| {
                            let x = LEFT + i as f64 * CELL + CELL / 2.0;
                            let y = TOP + rows as f64 * CELL + 14.0;
                            view! {
                                <text class="heat-axis-label" x=x y=y text-anchor="middle">
                                    <tspan x=x>{i + 1}</tspan>
                                    <tspan x=x dy="13">{short(&level.label, 10)}</tspan>
                                </text>
                            }
                        })
                        .collect_view();
                    view! {
                        <svg
                            class="heat-map-grid"
                            viewBox=format!("0 0 {width} {height}")
                            role="group"
                            aria-describedby=described_by.clone()
                            aria-label=move || format!("Risk heat map, {} rating: likelihood by consequence", rating.get().as_str())
                        >
                            <text class="heat-axis-title" x={LEFT - 8.0} y="12" text-anchor="end">"Likelihood ↑"</text>
                            <text class="heat-axis-title" x={LEFT + columns as f64 * CELL / 2.0} y={height - 4.0} text-anchor="middle">
                                "Consequence →"
                            </text>
                            {likelihood_labels}
                            {consequence_labels}
                            {cells}
                        </svg>
                    }
                })
            }}
            <figcaption id=caption>
                <ul class="heat-legend">
                    {move || {
                        criteria.with(|criteria| {
                            let mut bands = criteria.bands.clone();
                            quorum_shared::order::sort_by_key(&mut bands, |band| band.min_score);
                            let count = bands.len();
                            bands
                                .into_iter()
                                .enumerate()
                                .map(|(i, band)| {
                                    view! {
                                        <li>
                                            <span class="swatch" style=format!("background: {}", band_fill(i, count))></span>
                                            {format!("{} (score {}+)", band.name, band.min_score)}
                                        </li>
                                    }
                                })
                                .collect_view()
                        })
                    }}
                </ul>
                <p class="heat-acceptance">
                    {move || criteria.with(|c| format!("Scores up to {} are acceptable without treatment (outlined cells).", c.acceptance_max_score))}
                </p>
                {move || {
                    let unplaced = binned.with(|b| b.unplaced);
                    (unplaced > 0).then(|| {
                        let noun = if unplaced == 1 { "risk is" } else { "risks are" };
                        let when = match rating.get() {
                            Rating::Inherent => "",
                            Rating::Residual => " for after treatment",
                        };
                        view! {
                            <p class="heat-unplaced">{format!("{unplaced} {noun} not on the map: rate likelihood and consequence{when} to place them.")}</p>
                        }
                    })
                }}
            </figcaption>
        </figure>
    }
}

fn heat_cell(
    cell: HeatCell,
    rows: usize,
    bands: usize,
    rating: RwSignal<Rating>,
    selected: Signal<Option<Selection>>,
    on_select: Callback<Selection>,
) -> impl IntoView {
    let Cell { likelihood, consequence } = cell.cell;
    let x = LEFT + (consequence - 1) as f64 * CELL;
    let y = TOP + (rows as u64 - likelihood) as f64 * CELL;
    let choose = move || on_select.run(Selection { rating: rating.get_untracked(), cell: cell.cell });
    let pressed =
        move || selected.get().is_some_and(|s| s.cell == cell.cell && s.rating == rating.get()).to_string();
    view! {
        <g
            class="heat-cell"
            role="button"
            tabindex="0"
            aria-label=cell_label(&cell)
            aria-pressed=pressed
            data-likelihood=likelihood
            data-consequence=consequence
            data-count=cell.count
            data-band=cell.band.clone()
            data-acceptable=cell.acceptable.to_string()
            on:click=move |_| choose()
            on:keydown=move |event: leptos::ev::KeyboardEvent| {
                if event.key() == "Enter" || event.key() == " " {
                    // Space would otherwise scroll the page.
                    event.prevent_default();
                    choose();
                }
            }
        >
            <rect
                x={x + 2.0}
                y={y + 2.0}
                width={CELL - 4.0}
                height={CELL - 4.0}
                rx="4"
                fill=band_fill(cell.band_index, bands)
            ></rect>
            {(cell.count > 0).then(|| {
                view! {
                    <text class="heat-count" x={x + CELL / 2.0} y={y + CELL / 2.0} text-anchor="middle" dominant-baseline="central">
                        {cell.count}
                    </text>
                }
            })}
        </g>
    }
}

/// `text` cut to `max` characters with an ellipsis, so long custom level names fit the axes.
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}
