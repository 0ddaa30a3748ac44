//! Risk criteria (ISO/IEC 42001 6.1.2): the likelihood and consequence scales, the bands that
//! turn their product into a risk level, and the score up to which a risk is acceptable.
//!
//! A risk's level is always computed from the criteria, never stored: after any merge (someone
//! re-rates a risk while someone else tightens the bands) it is right by construction.
//!
//! ```
//! use quorum_shared::model::RiskCriteria;
//!
//! let criteria = RiskCriteria::default(); // 5 x 5
//! let level = criteria.level(4, 5).unwrap();
//! assert_eq!((level.score, level.band.as_str(), level.acceptable), (20, "Critical", false));
//! assert!(criteria.level(6, 1).is_none());
//! ```

use autosurgeon::{Hydrate, Reconcile};

use super::ModelError;

/// The most levels a scale may have; checked on write, and on read before anything is read.
const MAX_LEVELS: usize = 10;
/// The most bands criteria may have (one per possible score of 10 × 10).
const MAX_BANDS: usize = MAX_LEVELS * MAX_LEVELS;

/// The scales, bands and acceptance threshold of a workspace's risk assessments.
#[derive(Clone, PartialEq, Eq, Debug, Reconcile, Hydrate)]
pub struct RiskCriteria {
    /// Likelihood levels from 1 (the first) upwards.
    pub likelihood: Vec<ScaleLevel>,
    /// Consequence levels from 1 (the first) upwards.
    pub consequence: Vec<ScaleLevel>,
    /// Risk level bands by the lowest likelihood × consequence score each covers.
    pub bands: Vec<RiskBand>,
    /// The highest score the organization accepts without treatment.
    pub acceptance_max_score: u64,
}

/// One step of a likelihood or consequence scale.
#[derive(Clone, PartialEq, Eq, Debug, Reconcile, Hydrate)]
pub struct ScaleLevel {
    pub label: String,
    pub description: String,
}

/// A named risk level covering the scores from `min_score` up to the next band's.
#[derive(Clone, PartialEq, Eq, Debug, Reconcile, Hydrate)]
pub struct RiskBand {
    pub name: String,
    pub min_score: u64,
}

/// A risk's level under the criteria.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RiskLevel {
    /// Likelihood × consequence.
    pub score: u64,
    /// The band's name, such as `High`.
    pub band: String,
    /// The band's place from the lowest (0), for colours and sorting.
    pub band_index: usize,
    /// Whether the score is within the acceptance threshold.
    pub acceptable: bool,
}

impl Default for RiskCriteria {
    /// A 5 × 5 matrix with four bands, accepting the low band; our wording.
    fn default() -> Self {
        let scale = |levels: [(&str, &str); 5]| {
            levels
                .into_iter()
                .map(|(label, description)| ScaleLevel {
                    label: label.to_string(),
                    description: description.to_string(),
                })
                .collect()
        };
        let band = |name: &str, min_score| RiskBand { name: name.to_string(), min_score };
        Self {
            likelihood: scale([
                ("Rare", "Could happen only in exceptional circumstances"),
                ("Unlikely", "Not expected, but possible within several years"),
                ("Possible", "Might happen within a year or two"),
                ("Likely", "Expected to happen within the year"),
                ("Almost certain", "Expected to happen repeatedly"),
            ]),
            consequence: scale([
                ("Negligible", "No noticeable effect on people or the organization"),
                ("Minor", "Limited, easily reversed effects"),
                ("Moderate", "Noticeable harm or loss that takes effort to reverse"),
                ("Major", "Serious harm to people, rights or the organization"),
                ("Severe", "Lasting or irreversible harm, or loss of trust"),
            ]),
            bands: vec![band("Low", 1), band("Medium", 5), band("High", 10), band("Critical", 17)],
            acceptance_max_score: 4,
        }
    }
}

impl RiskCriteria {
    /// The level of a risk rated `likelihood` and `consequence` (both from 1), or `None` if
    /// either is off its scale (which a merge with a shortened scale can cause).
    pub fn level(&self, likelihood: u64, consequence: u64) -> Option<RiskLevel> {
        let on_scale = |value: u64, scale: &[ScaleLevel]| (1..=scale.len() as u64).contains(&value);
        if !on_scale(likelihood, &self.likelihood) || !on_scale(consequence, &self.consequence) {
            return None;
        }
        let score = likelihood * consequence;
        // Sorting here, not trusting the stored order, keeps levels right after concurrent
        // edits of the bands.
        let mut bands: Vec<&RiskBand> = self.bands.iter().collect();
        crate::order::sort_by_key(&mut bands, |band| band.min_score);
        let band_index = bands.iter().rposition(|band| band.min_score <= score).unwrap_or(0);
        Some(RiskLevel {
            score,
            band: bands.get(band_index).map_or_else(String::new, |band| band.name.clone()),
            band_index,
            acceptable: score <= self.acceptance_max_score,
        })
    }

    /// The level of an optional rating: `None` until both halves are rated.
    pub fn level_of(&self, likelihood: Option<u64>, consequence: Option<u64>) -> Option<RiskLevel> {
        self.level(likelihood?, consequence?)
    }

    /// The highest possible score.
    pub fn max_score(&self) -> u64 {
        (self.likelihood.len() * self.consequence.len()) as u64
    }

    /// Checks the criteria make sense before they are saved.
    pub fn validate(&self) -> Result<(), ModelError> {
        let scale_ok = |scale: &[ScaleLevel]| (2..=MAX_LEVELS).contains(&scale.len());
        if !scale_ok(&self.likelihood) || !scale_ok(&self.consequence) {
            return Err(ModelError::InvalidCriteria("each scale needs 2 to 10 levels"));
        }
        let labelled = |scale: &[ScaleLevel]| scale.iter().all(|l| !l.label.trim().is_empty());
        if !labelled(&self.likelihood) || !labelled(&self.consequence) {
            return Err(ModelError::InvalidCriteria("every level needs a label"));
        }
        if self.bands.len() > MAX_BANDS {
            return Err(ModelError::InvalidCriteria("there can be no more bands than possible scores"));
        }
        if self.bands.is_empty() || self.bands.iter().any(|b| b.name.trim().is_empty()) {
            return Err(ModelError::InvalidCriteria("every band needs a name"));
        }
        let increasing = self.bands.windows(2).all(|w| w[0].min_score < w[1].min_score);
        if !increasing || self.bands[0].min_score != 1 {
            return Err(ModelError::InvalidCriteria("bands start at score 1 and go up in order"));
        }
        if !(1..=self.max_score()).contains(&self.acceptance_max_score) {
            return Err(ModelError::InvalidCriteria("the acceptance threshold must be a possible score"));
        }
        Ok(())
    }

    /// Checks a rating against one scale, for operations that set it.
    pub(crate) fn check(&self, scale: &'static str, value: Option<u64>) -> Result<(), ModelError> {
        let max = match scale {
            "likelihood" | "residual likelihood" => self.likelihood.len(),
            _ => self.consequence.len(),
        } as u64;
        match value {
            Some(value) if !(1..=max).contains(&value) => Err(ModelError::OutOfScale { scale, value, max }),
            _ => Ok(()),
        }
    }
}

/// The autosurgeon `with` adaptor for a document's criteria: criteria that do not read (a value
/// of the wrong type, or a hostile write of 100,000 levels) are read as the defaults and noted as
/// damaged (see `damage.rs`), so the risk pages stay usable and show why. The list lengths are
/// checked before any level is read. Criteria that read but would not pass `validate` (a merge of
/// two edits can leave eleven levels) are kept as they are: `level` copes with them, and the
/// criteria page asks for a fix on the next save, rather than every rating silently moving.
pub mod read_checked {
    use automerge::{ObjType, Value};
    use autosurgeon::{Hydrate, HydrateError, Prop, ReadDoc, Reconcile, Reconciler};

    use super::{MAX_BANDS, MAX_LEVELS, RiskCriteria};
    use crate::model::Damage;

    pub fn reconcile<R: Reconciler>(criteria: &RiskCriteria, reconciler: R) -> Result<(), R::Error> {
        criteria.reconcile(reconciler)
    }

    pub fn hydrate<D: ReadDoc>(
        doc: &D,
        obj: &automerge::ObjId,
        prop: Prop<'_>,
    ) -> Result<RiskCriteria, HydrateError> {
        match read(doc, obj, &prop) {
            Ok(criteria) => Ok(criteria),
            Err(damage) => {
                crate::model::damage::note(obj, &prop.to_string(), damage);
                Ok(RiskCriteria::default())
            }
        }
    }

    fn read<D: ReadDoc>(doc: &D, obj: &automerge::ObjId, prop: &Prop<'_>) -> Result<RiskCriteria, Damage> {
        let unreadable = |why: &str| Damage::Unreadable(why.to_owned());
        let Ok(Some((Value::Object(ObjType::Map), criteria))) = doc.get(obj, prop) else {
            return Err(unreadable("the risk criteria are not a map"));
        };
        for (list, max) in [("likelihood", MAX_LEVELS), ("consequence", MAX_LEVELS), ("bands", MAX_BANDS)] {
            if let Ok(Some((Value::Object(ObjType::List), id))) = doc.get(&criteria, list)
                && doc.length(&id) > max
            {
                return Err(unreadable("the risk criteria have more levels or bands than any scale may"));
            }
        }
        RiskCriteria::hydrate(doc, obj, prop.clone()).map_err(Damage::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_matrix_levels() {
        let criteria = RiskCriteria::default();
        criteria.validate().unwrap();
        for (l, c, band, acceptable) in [
            (1, 1, "Low", true),
            (2, 2, "Low", true),
            (1, 5, "Medium", false),
            (3, 3, "Medium", false),
            (2, 5, "High", false),
            (4, 4, "High", false),
            (5, 5, "Critical", false),
        ] {
            let level = criteria.level(l, c).unwrap();
            assert_eq!((level.band.as_str(), level.acceptable), (band, acceptable), "{l}x{c}");
        }
        assert_eq!(criteria.level(0, 3), None);
        assert_eq!(criteria.level_of(Some(3), None), None);
    }

    #[test]
    fn bands_out_of_order_still_give_the_right_level() {
        let mut criteria = RiskCriteria::default();
        criteria.bands.reverse();
        assert_eq!(criteria.level(5, 5).unwrap().band, "Critical");
        assert_eq!(criteria.level(1, 2).unwrap().band, "Low");
    }

    #[test]
    fn invalid_criteria_are_refused() {
        let mut one_level = RiskCriteria::default();
        one_level.likelihood.truncate(1);
        let mut unordered = RiskCriteria::default();
        unordered.bands.swap(1, 2);
        let threshold = RiskCriteria { acceptance_max_score: 26, ..RiskCriteria::default() };
        let mut unnamed = RiskCriteria::default();
        unnamed.bands[0].name = " ".into();
        for criteria in [one_level, unordered, threshold, unnamed] {
            assert!(matches!(criteria.validate(), Err(ModelError::InvalidCriteria(_))));
        }
    }
}
