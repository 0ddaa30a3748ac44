//! Where risks sit on the heat map, as plain data: the cells of the criteria's matrix, the
//! risks counted in each for one rating, a chosen cell and its URL query, and each cell's label
//! and colour. No browser is needed to test any of it.

use quorum_shared::model::{Risk, RiskCriteria};

/// Which of a risk's two ratings the map shows.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Rating {
    /// Before treatment.
    #[default]
    Inherent,
    /// After the planned treatment.
    Residual,
}

impl Rating {
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::Inherent => "inherent",
            Rating::Residual => "residual",
        }
    }
}

/// One cell of the matrix: a likelihood and a consequence, each counted from 1.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Cell {
    pub likelihood: u64,
    pub consequence: u64,
}

/// Where one risk sits before and after treatment; `None` until both halves are rated.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Placement {
    pub inherent: Option<Cell>,
    pub residual: Option<Cell>,
}

impl Placement {
    pub fn of(risk: &Risk) -> Self {
        let cell = |likelihood: Option<u64>, consequence: Option<u64>| {
            Some(Cell { likelihood: likelihood?, consequence: consequence? })
        };
        Self {
            inherent: cell(risk.likelihood, risk.consequence),
            residual: cell(risk.residual_likelihood, risk.residual_consequence),
        }
    }

    pub fn at(&self, rating: Rating) -> Option<Cell> {
        match rating {
            Rating::Inherent => self.inherent,
            Rating::Residual => self.residual,
        }
    }
}

/// A chosen cell of one view: the risks rated there are the ones to show.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Selection {
    pub rating: Rating,
    pub cell: Cell,
}

impl Selection {
    /// The selection a URL's query names (`l=4&c=3`, with `view=residual` for the residual
    /// view); `None` when the numbers are missing or not positive whole numbers.
    pub fn from_query(
        likelihood: Option<&str>,
        consequence: Option<&str>,
        view: Option<&str>,
    ) -> Option<Self> {
        let level = |value: Option<&str>| value?.trim().parse::<u64>().ok().filter(|v| *v >= 1);
        let cell = Cell { likelihood: level(likelihood)?, consequence: level(consequence)? };
        let rating = if view == Some("residual") { Rating::Residual } else { Rating::Inherent };
        Some(Self { rating, cell })
    }

    /// The query string [`Self::from_query`] reads back, without the `?`.
    pub fn query(&self) -> String {
        let Cell { likelihood, consequence } = self.cell;
        match self.rating {
            Rating::Inherent => format!("l={likelihood}&c={consequence}"),
            Rating::Residual => format!("l={likelihood}&c={consequence}&view=residual"),
        }
    }

    /// Whether a risk placed at `placement` is in the selected cell of the selected view.
    pub fn contains(&self, placement: &Placement) -> bool {
        placement.at(self.rating) == Some(self.cell)
    }

    /// The cell in words, such as "likelihood 4, consequence 3 after treatment".
    pub fn describe(&self) -> String {
        let Cell { likelihood, consequence } = self.cell;
        let when = match self.rating {
            Rating::Inherent => "",
            Rating::Residual => " after treatment",
        };
        format!("likelihood {likelihood}, consequence {consequence}{when}")
    }
}

/// One drawn cell: where it is, how many risks are in it, and the level the criteria give it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct HeatCell {
    pub cell: Cell,
    pub count: usize,
    pub band: String,
    pub band_index: usize,
    pub acceptable: bool,
}

/// The risks of one view spread over the matrix.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Binned {
    /// Every cell of the criteria's matrix, row by row from the highest likelihood down, each
    /// row from the lowest consequence up: the order they are drawn in.
    pub cells: Vec<HeatCell>,
    /// Risks with no cell in this view: not rated yet, or rated off a scale that was since
    /// shortened (which a merge can cause).
    pub unplaced: usize,
}

/// Counts the risks in each cell of the matrix for one view.
pub fn bin(criteria: &RiskCriteria, placements: &[Placement], rating: Rating) -> Binned {
    let (rows, columns) = (criteria.likelihood.len() as u64, criteria.consequence.len() as u64);
    let mut cells = Vec::with_capacity((rows * columns) as usize);
    for likelihood in (1..=rows).rev() {
        for consequence in 1..=columns {
            let cell = Cell { likelihood, consequence };
            let count = placements.iter().filter(|p| p.at(rating) == Some(cell)).count();
            // Every cell of the matrix is on both scales, so the criteria always give a level.
            let level = criteria.level(likelihood, consequence);
            let (band, band_index, acceptable) =
                level.map(|l| (l.band, l.band_index, l.acceptable)).unwrap_or_default();
            cells.push(HeatCell { cell, count, band, band_index, acceptable });
        }
    }
    let placed: usize = cells.iter().map(|c| c.count).sum();
    Binned { cells, unplaced: placements.len() - placed }
}

/// What a screen reader hears for a cell, such as "Likelihood 4, consequence 3: 2 risks (High)".
pub fn cell_label(cell: &HeatCell) -> String {
    let Cell { likelihood, consequence } = cell.cell;
    let count = match cell.count {
        0 => "no risks".to_owned(),
        1 => "1 risk".to_owned(),
        n => format!("{n} risks"),
    };
    format!("Likelihood {likelihood}, consequence {consequence}: {count} ({})", cell.band)
}

/// The fill of band `index` of `bands`: a ramp from a calm green (lowest) to a muted red
/// (highest), so the levels read in order whatever number of bands the criteria have.
pub fn band_fill(index: usize, bands: usize) -> String {
    const STOPS: [(f64, f64, f64); 4] =
        [(214.0, 237.0, 222.0), (247.0, 231.0, 166.0), (245.0, 190.0, 138.0), (232.0, 150.0, 140.0)];
    let t = if bands <= 1 { 0.0 } else { index.min(bands - 1) as f64 / (bands - 1) as f64 };
    let scaled = t * (STOPS.len() - 1) as f64;
    let at = (scaled.floor() as usize).min(STOPS.len() - 2);
    let within = scaled - at as f64;
    let (a, b) = (STOPS[at], STOPS[at + 1]);
    let mix = |x: f64, y: f64| (x + (y - x) * within).round() as u8;
    format!("rgb({} {} {})", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(inherent: Option<(u64, u64)>, residual: Option<(u64, u64)>) -> Placement {
        let cell = |(likelihood, consequence)| Cell { likelihood, consequence };
        Placement { inherent: inherent.map(cell), residual: residual.map(cell) }
    }

    fn count(binned: &Binned, likelihood: u64, consequence: u64) -> usize {
        let cell = Cell { likelihood, consequence };
        binned.cells.iter().find(|c| c.cell == cell).map(|c| c.count).unwrap()
    }

    // Plain data, so the tests run natively and, in the wasm suite, under wasm-bindgen-test.
    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn risks_land_in_their_cell_for_each_view() {
        let criteria = RiskCriteria::default();
        let risks = [
            placed(Some((4, 5)), Some((2, 3))),
            placed(Some((4, 5)), None),
            placed(Some((1, 1)), Some((1, 1))),
            placed(None, Some((2, 3))),
            placed(Some((4, 3)), Some((2, 3))),
        ];
        let inherent = bin(&criteria, &risks, Rating::Inherent);
        assert_eq!(inherent.cells.len(), 25);
        assert_eq!((count(&inherent, 4, 5), count(&inherent, 1, 1), count(&inherent, 4, 3)), (2, 1, 1));
        assert_eq!(count(&inherent, 2, 3), 0);
        assert_eq!(inherent.unplaced, 1);

        let residual = bin(&criteria, &risks, Rating::Residual);
        assert_eq!((count(&residual, 2, 3), count(&residual, 1, 1), count(&residual, 4, 5)), (3, 1, 0));
        assert_eq!(residual.unplaced, 1);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn cells_are_drawn_top_row_first_and_coloured_by_the_criteria() {
        let mut criteria = RiskCriteria::default();
        criteria.likelihood.truncate(3);
        let binned = bin(&criteria, &[], Rating::Inherent);
        assert_eq!(binned.cells.len(), 15);
        assert_eq!(binned.cells[0].cell, Cell { likelihood: 3, consequence: 1 });
        assert_eq!(binned.cells[14].cell, Cell { likelihood: 1, consequence: 5 });
        let top_right = &binned.cells[4];
        assert_eq!((top_right.band.as_str(), top_right.acceptable), ("High", false));
        let bottom_left = &binned.cells[10];
        assert_eq!((bottom_left.band.as_str(), bottom_left.acceptable), ("Low", true));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn ratings_off_a_shortened_scale_are_counted_as_unplaced() {
        let mut criteria = RiskCriteria::default();
        criteria.consequence.truncate(4);
        let binned =
            bin(&criteria, &[placed(Some((4, 5)), None), placed(Some((4, 4)), None)], Rating::Inherent);
        assert_eq!((count(&binned, 4, 4), binned.unplaced), (1, 1));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_selection_round_trips_through_the_query_and_matches_its_view_only() {
        let selection = Selection::from_query(Some("4"), Some("3"), None).unwrap();
        assert_eq!(selection.query(), "l=4&c=3");
        let residual = Selection::from_query(Some("2"), Some("5"), Some("residual")).unwrap();
        assert_eq!(residual.query(), "l=2&c=5&view=residual");
        assert_eq!(Selection::from_query(Some("2"), Some("5"), Some("residual")), Some(residual));
        for (l, c) in
            [(None, Some("3")), (Some("0"), Some("3")), (Some("x"), Some("3")), (Some("4"), Some("-1"))]
        {
            assert_eq!(Selection::from_query(l, c, None), None, "{l:?} {c:?}");
        }

        let risk = placed(Some((4, 3)), Some((2, 5)));
        assert!(selection.contains(&risk) && residual.contains(&risk));
        assert!(!selection.contains(&placed(Some((2, 5)), Some((4, 3)))));
        assert_eq!(residual.describe(), "likelihood 2, consequence 5 after treatment");
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn labels_say_the_cell_and_its_count() {
        let cell = |count| HeatCell {
            cell: Cell { likelihood: 4, consequence: 3 },
            count,
            band: "High".into(),
            band_index: 2,
            acceptable: false,
        };
        assert_eq!(cell_label(&cell(2)), "Likelihood 4, consequence 3: 2 risks (High)");
        assert_eq!(cell_label(&cell(1)), "Likelihood 4, consequence 3: 1 risk (High)");
        assert_eq!(cell_label(&cell(0)), "Likelihood 4, consequence 3: no risks (High)");
        assert_eq!(band_fill(0, 4), "rgb(214 237 222)");
        assert_eq!(band_fill(3, 4), "rgb(232 150 140)");
        assert_eq!(band_fill(0, 1), band_fill(0, 4));
    }
}
