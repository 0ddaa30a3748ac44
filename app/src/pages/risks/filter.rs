//! Which risks the register shows: all of them in register order, or, with a heat map cell
//! chosen, only those rated in that cell of that view.

use quorum_shared::model::{RiskId, RiskRegister};

use crate::components::heat_map::{Placement, Selection};

/// The ids of the risks to show, in register order.
pub fn shown(register: &RiskRegister, selection: Option<&Selection>) -> Vec<RiskId> {
    register
        .risks_in_order()
        .into_iter()
        .filter(|(_, risk)| selection.is_none_or(|s| s.contains(&Placement::of(risk))))
        .map(|(id, _)| id)
        .collect()
}

/// The filter chip's words, such as "Showing 2 risks in likelihood 4, consequence 3".
pub fn chip_text(count: usize, selection: &Selection) -> String {
    let risks = match count {
        0 => "no risks".to_owned(),
        1 => "1 risk".to_owned(),
        n => format!("{n} risks"),
    };
    format!("Showing {risks} in {}", selection.describe())
}

#[cfg(test)]
mod tests {
    use quorum_shared::model::{self, Position, Risk, RiskField};

    use super::*;
    use crate::components::heat_map::{Cell, Rating};

    fn rated(title: &str, inherent: (u64, u64), residual: Option<(u64, u64)>) -> Risk {
        Risk {
            title: title.into(),
            likelihood: Some(inherent.0),
            consequence: Some(inherent.1),
            residual_likelihood: residual.map(|r| r.0),
            residual_consequence: residual.map(|r| r.1),
            ..Risk::default()
        }
    }

    fn select(rating: Rating, likelihood: u64, consequence: u64) -> Selection {
        Selection { rating, cell: Cell { likelihood, consequence } }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_chosen_cell_shows_only_its_risks_in_register_order() {
        let mut doc = model::new_document();
        model::create_risk_register(&mut doc, 0).unwrap();
        let drift =
            model::add(&mut doc, 1, [1; 16], rated("Drift", (4, 3), Some((2, 3))), Position::Last).unwrap();
        let bias =
            model::add(&mut doc, 2, [2; 16], rated("Bias", (4, 5), Some((2, 3))), Position::Last).unwrap();
        let leak = model::add(&mut doc, 3, [3; 16], rated("Leak", (4, 3), None), Position::First).unwrap();
        let unrated =
            model::add(&mut doc, 4, [4; 16], Risk { title: "New".into(), ..Risk::default() }, Position::Last)
                .unwrap();
        let register = RiskRegister::load(&doc).unwrap();

        assert_eq!(shown(&register, None), [leak, drift, bias, unrated]);
        assert_eq!(shown(&register, Some(&select(Rating::Inherent, 4, 3))), [leak, drift]);
        assert_eq!(shown(&register, Some(&select(Rating::Residual, 2, 3))), [drift, bias]);
        assert!(shown(&register, Some(&select(Rating::Inherent, 1, 1))).is_empty());

        // Re-rating a risk moves it out of the cell.
        model::edit(&mut doc, 5, drift, RiskField::Likelihood(Some(5))).unwrap();
        let register = RiskRegister::load(&doc).unwrap();
        assert_eq!(shown(&register, Some(&select(Rating::Inherent, 4, 3))), [leak]);
        assert_eq!(shown(&register, Some(&select(Rating::Inherent, 5, 3))), [drift]);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_chip_says_how_many_and_where() {
        assert_eq!(
            chip_text(2, &select(Rating::Inherent, 4, 3)),
            "Showing 2 risks in likelihood 4, consequence 3"
        );
        assert_eq!(
            chip_text(1, &select(Rating::Residual, 2, 1)),
            "Showing 1 risk in likelihood 2, consequence 1 after treatment"
        );
        assert_eq!(
            chip_text(0, &select(Rating::Inherent, 1, 1)),
            "Showing no risks in likelihood 1, consequence 1"
        );
    }
}
