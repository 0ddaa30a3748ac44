//! Monitoring and measurement (ISO/IEC 42001 9.1): indicators and their readings.
//!
//! An indicator says what is measured, how, how often, against which target, who looks at it,
//! and which AI objective or Annex A control it informs. Readings are their own register pointing
//! at their indicator, so a reading recorded while someone deletes the indicator stays visible as
//! an orphan instead of vanishing with it, and two people recording readings at once both keep
//! theirs.
//!
//! ```
//! use quorum_shared::model::{self, Frequency, Indicator, Monitoring, Position, Reading};
//!
//! let mut doc = model::new_document();
//! model::create_monitoring(&mut doc, 0).unwrap();
//! let indicator = Indicator {
//!     name: "Appeals upheld".into(),
//!     unit: "%".into(),
//!     target: Some(5.0),
//!     frequency: Frequency::Quarterly,
//!     ..Default::default()
//! };
//! let id = model::add(&mut doc, 1_000, [1; 16], indicator, Position::Last).unwrap();
//! let reading = Reading::new(id, "2025-03-31".parse().unwrap(), 4.5);
//! model::add(&mut doc, 2_000, [2; 16], reading, Position::Last).unwrap();
//! let monitoring = Monitoring::load(&doc).unwrap();
//! assert_eq!(monitoring.latest(id).unwrap().1.value, 4.5);
//! assert!(!monitoring.is_overdue(id, "2025-06-30".parse().unwrap()));
//! assert!(monitoring.is_overdue(id, "2025-07-01".parse().unwrap()));
//! ```

mod chart;
mod due;
mod link;

use std::collections::BTreeMap;

use automerge::AutoCommit;
use autosurgeon::{Hydrate, Reconcile, Text};

use super::document::{artifact, create};
use super::register::{get, list, record, record_fields};
use super::{Date, IndicatorId, MemberId, ModelError, Rank, ReadingId, TextEdit};

pub use chart::{ChartGeometry, ChartLayout, ChartPoint, Tick, chart, format_value};
pub use due::{Frequency, is_overdue, period_before};
pub use link::{IndicatorLink, ParseIndicatorLinkError};

/// The monitoring document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Monitoring {
    #[autosurgeon(with = "crate::model::records")]
    pub indicators: BTreeMap<IndicatorId, Indicator>,
    #[autosurgeon(with = "crate::model::records")]
    pub readings: BTreeMap<ReadingId, Reading>,
}

artifact!(Monitoring, Monitoring);

impl Monitoring {
    /// An indicator's readings, oldest first.
    pub fn readings_of(&self, indicator: IndicatorId) -> Vec<(ReadingId, &Reading)> {
        let mut out: Vec<_> =
            self.readings.iter().filter(|(_, r)| r.indicator == indicator).map(|(id, r)| (*id, r)).collect();
        crate::order::sort_by(&mut out, |(a_id, a), (b_id, b)| a.date.cmp(&b.date).then(a_id.cmp(b_id)));
        out
    }

    /// An indicator's newest reading (of two on the same date, the one with the larger id, so
    /// every replica picks the same).
    pub fn latest(&self, indicator: IndicatorId) -> Option<(ReadingId, &Reading)> {
        self.readings_of(indicator).pop()
    }

    /// The indicators in the order people arranged them.
    pub fn ordered(&self) -> Vec<(IndicatorId, &Indicator)> {
        let mut out: Vec<_> = self.indicators.iter().map(|(id, i)| (*id, i)).collect();
        crate::order::sort_by(&mut out, |(a_id, a), (b_id, b)| a.rank.cmp(&b.rank).then(a_id.cmp(b_id)));
        out
    }

    /// Whether the indicator's next reading is overdue on `today` (see [`is_overdue`]); an
    /// unknown indicator is not.
    pub fn is_overdue(&self, indicator: IndicatorId, today: Date) -> bool {
        self.indicators.get(&indicator).is_some_and(|i| {
            is_overdue(i.frequency, i.since, self.latest(indicator).map(|(_, r)| r.date), today)
        })
    }

    /// The indicators whose reading is overdue on `today`, in order.
    pub fn overdue(&self, today: Date) -> Vec<IndicatorId> {
        self.ordered().into_iter().map(|(id, _)| id).filter(|id| self.is_overdue(*id, today)).collect()
    }

    /// The indicators that inform an objective or a control, in order.
    pub fn linked_to(&self, link: &IndicatorLink) -> Vec<(IndicatorId, &Indicator)> {
        self.ordered().into_iter().filter(|(_, i)| i.link.as_ref() == Some(link)).collect()
    }
}

/// What is measured, how, how often, against what target, and who looks at it.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Indicator {
    pub rank: Rank,
    pub name: String,
    pub description: Text,
    /// How the value is obtained: the data, the query, the sample.
    pub method: String,
    pub frequency: Frequency,
    /// The value that counts as good enough; none until someone has set one.
    pub target: Option<f64>,
    pub direction: Direction,
    pub unit: String,
    pub owner: Option<MemberId>,
    /// The AI objective or Annex A control this indicator tells about.
    pub link: Option<IndicatorLink>,
    /// The day measuring starts: with no reading yet, the first one is due a period after it.
    pub since: Option<Date>,
}

impl Indicator {
    /// Whether a value meets the target; none when there is no target.
    pub fn meets(&self, value: f64) -> Option<bool> {
        self.target.map(|target| match self.direction {
            Direction::HigherIsBetter => value >= target,
            Direction::LowerIsBetter => value <= target,
        })
    }
}

/// Which side of the target is good.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum Direction {
    #[default]
    #[autosurgeon(rename = "higher")]
    HigherIsBetter,
    #[autosurgeon(rename = "lower")]
    LowerIsBetter,
}

impl Direction {
    pub const ALL: [Direction; 2] = [Direction::HigherIsBetter, Direction::LowerIsBetter];

    /// The token stored in documents.
    pub fn as_token(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "higher",
            Direction::LowerIsBetter => "lower",
        }
    }

    pub fn from_token(token: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_token() == token)
    }

    /// What a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Direction::HigherIsBetter => "Higher is better",
            Direction::LowerIsBetter => "Lower is better",
        }
    }
}

record_fields! {
    /// A field of an [`Indicator`].
    pub enum IndicatorField for Indicator {
        Name(String) => scalar name,
        Description(TextEdit) => text description,
        Method(String) => scalar method,
        Frequency(Frequency) => scalar frequency,
        Target(Option<f64>) => scalar target,
        Direction(Direction) => scalar direction,
        Unit(String) => scalar unit,
        Owner(Option<MemberId>) => scalar owner,
        Link(Option<IndicatorLink>) => scalar link,
        Since(Option<Date>) => scalar since,
    }
}

record! {
    Indicator { id: IndicatorId, field: IndicatorField, kind: Monitoring, register: "indicators", noun: "indicator", label: |i| i.name.clone() }
    {
        fn check(&self, _doc: &AutoCommit) -> Result<(), ModelError> {
            check_target(self.target)
        }

        fn check_field(field: &IndicatorField, _doc: &AutoCommit) -> Result<(), ModelError> {
            match field {
                IndicatorField::Target(target) => check_target(*target),
                _ => Ok(()),
            }
        }

        fn dependants(doc: &AutoCommit, id: IndicatorId) -> Result<Vec<(&'static str, String)>, ModelError> {
            Ok(list::<Reading>(doc)?
                .into_iter()
                .filter(|(_, r)| r.indicator == id)
                .map(|(r, _)| ("readings", r.to_string()))
                .collect())
        }
    }
}

fn check_target(target: Option<f64>) -> Result<(), ModelError> {
    match target {
        Some(value) if !value.is_finite() => Err(ModelError::NotFinite("target")),
        _ => Ok(()),
    }
}

/// One measurement of an indicator.
#[derive(Clone, PartialEq, Debug, Reconcile, Hydrate)]
pub struct Reading {
    pub rank: Rank,
    pub indicator: IndicatorId,
    pub date: Date,
    pub value: f64,
    pub note: String,
}

impl Reading {
    pub fn new(indicator: IndicatorId, date: Date, value: f64) -> Self {
        Self { rank: Rank::default(), indicator, date, value, note: String::new() }
    }
}

record_fields! {
    /// A field of a [`Reading`].
    pub enum ReadingField for Reading {
        Date(Date) => scalar date,
        Value(f64) => scalar value,
        Note(String) => scalar note,
    }
}

record! {
    Reading { id: ReadingId, field: ReadingField, kind: Monitoring, register: "readings", noun: "reading", label: |r| format!("{} = {}", r.date, r.value) }
    {
        fn check(&self, doc: &AutoCommit) -> Result<(), ModelError> {
            get(doc, self.indicator)?;
            check_value(self.value)
        }

        fn check_field(field: &ReadingField, _doc: &AutoCommit) -> Result<(), ModelError> {
            match field {
                ReadingField::Value(value) => check_value(*value),
                _ => Ok(()),
            }
        }
    }
}

fn check_value(value: f64) -> Result<(), ModelError> {
    if value.is_finite() { Ok(()) } else { Err(ModelError::NotFinite("reading")) }
}

pub fn create_monitoring(doc: &mut AutoCommit, now_ms: i64) -> Result<(), ModelError> {
    create(doc, now_ms, &Monitoring::default(), "create monitoring")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{id, one_commit, refused};
    use crate::model::{ObjectiveId, Position, add_with_id, delete, edit, new_document};

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn readings_sort_by_date_and_go_with_their_indicator() {
        let mut doc = new_document();
        create_monitoring(&mut doc, 0).unwrap();
        let i = id::<IndicatorId>(1);
        add_with_id(&mut doc, 0, i, Indicator { name: "Drift".into(), ..Default::default() }, Position::Last)
            .unwrap();
        let (a, b) = (id::<ReadingId>(1), id::<ReadingId>(2));
        add_with_id(&mut doc, 0, a, Reading::new(i, date("2025-02-01"), 2.0), Position::Last).unwrap();
        one_commit(&mut doc, "add reading \"2025-01-01 = 1\"", |doc| {
            add_with_id(doc, 0, b, Reading::new(i, date("2025-01-01"), 1.0), Position::Last).unwrap()
        });
        edit(&mut doc, 0, a, ReadingField::Value(2.5)).unwrap();
        let monitoring = Monitoring::load(&doc).unwrap();
        let values: Vec<f64> = monitoring.readings_of(i).iter().map(|(_, r)| r.value).collect();
        assert_eq!(values, [1.0, 2.5]);
        assert_eq!(monitoring.latest(i).map(|(id, _)| id), Some(a));
        delete(&mut doc, 0, i).unwrap();
        assert!(Monitoring::load(&doc).unwrap().readings.is_empty());
    }

    #[test]
    fn indicators_keep_their_typed_fields_and_refuse_what_is_not_a_number() {
        let mut doc = new_document();
        create_monitoring(&mut doc, 0).unwrap();
        let i = id::<IndicatorId>(1);
        add_with_id(&mut doc, 0, i, Indicator { name: "Drift".into(), ..Default::default() }, Position::Last)
            .unwrap();
        let objective = IndicatorLink::Objective(id::<ObjectiveId>(7));
        edit(&mut doc, 0, i, IndicatorField::Frequency(Frequency::HalfYearly)).unwrap();
        edit(&mut doc, 0, i, IndicatorField::Target(Some(0.25))).unwrap();
        edit(&mut doc, 0, i, IndicatorField::Direction(Direction::LowerIsBetter)).unwrap();
        edit(&mut doc, 0, i, IndicatorField::Link(Some(objective))).unwrap();
        refused(&mut doc, |doc| edit(doc, 0, i, IndicatorField::Target(Some(f64::NAN))));
        let bad = Reading::new(i, date("2025-01-01"), f64::INFINITY);
        refused(&mut doc, |doc| add_with_id(doc, 0, id::<ReadingId>(1), bad, Position::Last));
        let orphan = Reading::new(id::<IndicatorId>(9), date("2025-01-01"), 1.0);
        refused(&mut doc, |doc| add_with_id(doc, 0, id::<ReadingId>(2), orphan, Position::Last));

        let monitoring = Monitoring::load(&doc).unwrap();
        let indicator = &monitoring.indicators[&i];
        assert_eq!(indicator.frequency, Frequency::HalfYearly);
        assert_eq!(indicator.target, Some(0.25));
        assert_eq!((indicator.meets(0.2), indicator.meets(0.3)), (Some(true), Some(false)));
        assert_eq!(monitoring.linked_to(&objective).len(), 1);
        assert_eq!(Indicator::default().meets(1.0), None, "no target, no verdict");
    }
}
