//! The geometry of an indicator's line chart: where each reading and the target fall in an SVG
//! view box, and the labels of the axes. Pure numbers, so the page only draws them and the
//! scales are tested here.
//!
//! ```
//! use quorum_shared::model::{ChartLayout, chart};
//!
//! let readings = [("2025-01-31".parse().unwrap(), 4.0), ("2025-02-28".parse().unwrap(), 6.0)];
//! let geometry = chart(&readings, Some(5.0), ChartLayout::default());
//! assert_eq!(geometry.points.len(), 2);
//! assert!(geometry.points[0].y > geometry.points[1].y, "a larger value is drawn higher");
//! let target = geometry.target_y.unwrap();
//! assert!(geometry.points[1].y < target && target < geometry.points[0].y);
//! ```

use crate::model::Date;

/// The view box and the margins around the plot, in SVG units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartLayout {
    pub width: f64,
    pub height: f64,
    /// Room for the value labels on the left.
    pub left: f64,
    pub right: f64,
    pub top: f64,
    /// Room for the date labels below.
    pub bottom: f64,
}

impl Default for ChartLayout {
    fn default() -> Self {
        Self { width: 640.0, height: 220.0, left: 56.0, right: 20.0, top: 14.0, bottom: 30.0 }
    }
}

impl ChartLayout {
    pub fn plot_left(&self) -> f64 {
        self.left
    }

    pub fn plot_right(&self) -> f64 {
        self.width - self.right
    }

    pub fn plot_top(&self) -> f64 {
        self.top
    }

    pub fn plot_bottom(&self) -> f64 {
        self.height - self.bottom
    }
}

/// One reading placed in the view box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartPoint {
    pub x: f64,
    pub y: f64,
    pub date: Date,
    pub value: f64,
}

/// A label on an axis at a position along it.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub at: f64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChartGeometry {
    pub layout: ChartLayout,
    /// Oldest first, as the line is drawn.
    pub points: Vec<ChartPoint>,
    /// Where the target's horizontal line is, when there is a target.
    pub target_y: Option<f64>,
    /// Value labels, bottom to top, each with its gridline's y.
    pub y_ticks: Vec<Tick>,
    /// Date labels: the first and the last reading's dates (one when they are the same day).
    pub x_ticks: Vec<Tick>,
}

impl ChartGeometry {
    /// The `points` attribute of the SVG polyline joining the readings.
    pub fn polyline(&self) -> String {
        self.points.iter().map(|p| format!("{:.1},{:.1}", p.x, p.y)).collect::<Vec<_>>().join(" ")
    }
}

/// Places `readings` (in any order) and the target in `layout`. Dates are spaced by the days
/// between them; a single date sits in the middle. The value scale runs over the readings and the
/// target together, widened to round steps, so the target line is always inside the plot.
pub fn chart(readings: &[(Date, f64)], target: Option<f64>, layout: ChartLayout) -> ChartGeometry {
    let mut readings: Vec<(Date, f64)> = readings.iter().copied().filter(|(_, v)| v.is_finite()).collect();
    crate::order::sort_by_key(&mut readings, |(date, _)| *date);
    let target = target.filter(|t| t.is_finite());

    let values = readings.iter().map(|(_, v)| *v).chain(target);
    let (low, high) = values
        .fold(None, |range: Option<(f64, f64)>, v| {
            Some(range.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
        })
        .unwrap_or((0.0, 1.0));
    let (low, high, step) = nice_range(low, high);
    let (top, bottom) = (layout.plot_top(), layout.plot_bottom());
    let y_of = |value: f64| bottom - (value - low) / (high - low) * (bottom - top);

    let first = readings.first().map(|(d, _)| day_number(*d));
    let last = readings.last().map(|(d, _)| day_number(*d));
    let (left, right) = (layout.plot_left(), layout.plot_right());
    let x_of = |date: Date| match (first, last) {
        (Some(first), Some(last)) if last > first => {
            left + (day_number(date) - first) as f64 / (last - first) as f64 * (right - left)
        }
        _ => (left + right) / 2.0,
    };

    let points: Vec<ChartPoint> = readings
        .iter()
        .map(|(date, value)| ChartPoint { x: x_of(*date), y: y_of(*value), date: *date, value: *value })
        .collect();
    let steps = ((high - low) / step).round() as usize;
    let y_ticks = (0..=steps)
        .map(|i| {
            let value = low + step * i as f64;
            Tick { at: y_of(value), label: format_value(value, step) }
        })
        .collect();
    let mut x_ticks: Vec<Tick> = readings
        .first()
        .iter()
        .chain(readings.last().iter())
        .map(|(date, _)| Tick { at: x_of(*date), label: date.to_string() })
        .collect();
    x_ticks.dedup();
    ChartGeometry { layout, points, target_y: target.map(y_of), y_ticks, x_ticks }
}

/// A value as an axis shows it: as many decimals as the step between labels needs.
pub fn format_value(value: f64, step: f64) -> String {
    let decimals = if step >= 1.0 { 0 } else { (-step.log10()).ceil().clamp(0.0, 6.0) as usize };
    let text = format!("{value:.decimals$}");
    if text.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') { "0".into() } else { text }
}

/// The range widened to whole steps of 1, 2 or 5 times a power of ten, about four of them; an
/// empty range is widened around its value.
fn nice_range(low: f64, high: f64) -> (f64, f64, f64) {
    let (low, high) = if high > low {
        (low, high)
    } else {
        let pad = if low == 0.0 { 1.0 } else { low.abs() * 0.1 };
        (low - pad, high + pad)
    };
    let rough = (high - low) / 4.0;
    let magnitude = 10f64.powf(rough.log10().floor());
    let step =
        [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|s| *s >= rough).unwrap_or(rough);
    let nice_low = (low / step).floor() * step;
    let nice_high = (high / step).ceil() * step;
    (nice_low, nice_high, step)
}

/// Days since 1970-01-01, for spacing dates.
fn day_number(date: Date) -> i64 {
    let (year, month, day) = (i64::from(date.year()), i64::from(date.month()), i64::from(date.day()));
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn days_count_from_the_epoch() {
        for (day, number) in
            [("1970-01-01", 0), ("1970-03-01", 59), ("2000-03-01", 11_017), ("2024-12-31", 20_088)]
        {
            assert_eq!(day_number(date(day)), number, "{day}");
        }
    }

    #[test]
    fn readings_span_the_plot_by_date_and_value() {
        let layout = ChartLayout::default();
        let readings = [(date("2025-03-01"), 30.0), (date("2025-01-01"), 10.0), (date("2025-01-31"), 20.0)];
        let g = chart(&readings, None, layout);
        let dates: Vec<Date> = g.points.iter().map(|p| p.date).collect();
        assert_eq!(dates, [date("2025-01-01"), date("2025-01-31"), date("2025-03-01")], "oldest first");
        assert!(close(g.points[0].x, layout.plot_left()));
        assert!(close(g.points[2].x, layout.plot_right()));
        // 30 of 59 days in: the middle point is a little past halfway.
        let share = (g.points[1].x - layout.plot_left()) / (layout.plot_right() - layout.plot_left());
        assert!(close(share, 30.0 / 59.0));
        // Values 10 to 30 in steps of 5: the scale is exactly that range.
        assert!(close(g.points[0].y, layout.plot_bottom()));
        assert!(close(g.points[2].y, layout.plot_top()));
        let labels: Vec<&str> = g.y_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["10", "15", "20", "25", "30"]);
        let x_labels: Vec<&str> = g.x_ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(x_labels, ["2025-01-01", "2025-03-01"]);
        assert_eq!(g.target_y, None);
    }

    #[test]
    fn the_target_is_always_inside_the_scale() {
        let layout = ChartLayout::default();
        let g = chart(&[(date("2025-01-01"), 2.0), (date("2025-02-01"), 3.0)], Some(10.0), layout);
        let target = g.target_y.unwrap();
        assert!(close(target, layout.plot_top()), "the target is the largest value");
        assert!(g.points.iter().all(|p| p.y > target));
        assert_eq!(g.y_ticks.last().unwrap().label, "10");
    }

    #[test]
    fn one_reading_sits_in_the_middle_of_a_widened_scale() {
        let layout = ChartLayout::default();
        let g = chart(&[(date("2025-01-01"), 0.5)], None, layout);
        let p = g.points[0];
        assert!(close(p.x, (layout.plot_left() + layout.plot_right()) / 2.0));
        assert!(p.y > layout.plot_top() && p.y < layout.plot_bottom());
        assert_eq!(g.x_ticks.len(), 1);
        assert_eq!(g.polyline(), format!("{:.1},{:.1}", p.x, p.y));
        assert!(g.y_ticks.iter().all(|t| t.label.contains('.') || t.label == "0" || t.label == "1"));
    }

    #[test]
    fn no_readings_draw_only_the_target() {
        let g = chart(&[], Some(95.0), ChartLayout::default());
        assert!(g.points.is_empty() && g.x_ticks.is_empty());
        assert!(g.target_y.is_some());
        assert_eq!(g.polyline(), "");
    }

    #[test]
    fn axis_values_show_the_decimals_their_step_needs() {
        let cases = [
            (10.0, 5.0, "10"),
            (0.25, 0.05, "0.25"),
            (0.3, 0.1, "0.3"),
            (-0.0, 0.5, "0"),
            (1200.0, 200.0, "1200"),
        ];
        for (value, step, expected) in cases {
            assert_eq!(format_value(value, step), expected, "{value} by {step}");
        }
    }
}
