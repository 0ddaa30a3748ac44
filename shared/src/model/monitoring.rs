//! Monitoring and measurement (ISO/IEC 42001 9.1): indicators and their readings.
//!
//! Readings are their own register pointing at their indicator, so a reading recorded while
//! someone deletes the indicator stays visible as an orphan instead of vanishing with it.
//!
//! ```
//! use quorum_shared::model::{self, Indicator, Monitoring, Position, Reading};
//!
//! let mut doc = model::new_document();
//! model::create_monitoring(&mut doc, 0).unwrap();
//! let indicator = Indicator { name: "Appeals upheld".into(), unit: "%".into(), ..Default::default() };
//! let id = model::add(&mut doc, 1_000, indicator, Position::Last).unwrap();
//! let reading = Reading::new(id, "2025-03-31".parse().unwrap(), 4.5);
//! model::add(&mut doc, 2_000, reading, Position::Last).unwrap();
//! assert_eq!(Monitoring::load(&doc).unwrap().readings_of(id)[0].1.value, 4.5);
//! ```

use std::collections::BTreeMap;

use automerge::AutoCommit;
use autosurgeon::{Hydrate, Reconcile, Text};

use super::document::{artifact, create};
use super::register::{get, list, record, record_fields};
use super::{Date, IndicatorId, MemberId, ModelError, Rank, ReadingId, TextEdit};

/// The monitoring document.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Monitoring {
    #[autosurgeon(with = "autosurgeon::map_with_parseable_keys")]
    pub indicators: BTreeMap<IndicatorId, Indicator>,
    #[autosurgeon(with = "autosurgeon::map_with_parseable_keys")]
    pub readings: BTreeMap<ReadingId, Reading>,
}

artifact!(Monitoring, Monitoring);

impl Monitoring {
    /// An indicator's readings, oldest first.
    pub fn readings_of(&self, indicator: IndicatorId) -> Vec<(ReadingId, &Reading)> {
        let mut out: Vec<_> =
            self.readings.iter().filter(|(_, r)| r.indicator == indicator).map(|(id, r)| (*id, r)).collect();
        out.sort_by(|(a_id, a), (b_id, b)| a.date.cmp(&b.date).then(a_id.cmp(b_id)));
        out
    }
}

/// What is measured, how, how often, against what target, and who looks at it.
#[derive(Clone, PartialEq, Debug, Default, Reconcile, Hydrate)]
pub struct Indicator {
    pub rank: Rank,
    pub name: String,
    pub description: Text,
    pub unit: String,
    pub target: String,
    pub frequency: String,
    pub owner: Option<MemberId>,
}

record_fields! {
    /// A field of an [`Indicator`].
    pub enum IndicatorField for Indicator {
        Name(String) => scalar name,
        Description(TextEdit) => text description,
        Unit(String) => scalar unit,
        Target(String) => scalar target,
        Frequency(String) => scalar frequency,
        Owner(Option<MemberId>) => scalar owner,
    }
}

record! {
    Indicator { id: IndicatorId, field: IndicatorField, kind: Monitoring, register: "indicators", noun: "indicator", label: |i| i.name.clone() }
    {
        fn dependants(doc: &AutoCommit, id: IndicatorId) -> Result<Vec<(&'static str, String)>, ModelError> {
            Ok(list::<Reading>(doc)?
                .into_iter()
                .filter(|(_, r)| r.indicator == id)
                .map(|(r, _)| ("readings", r.to_string()))
                .collect())
        }
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
            get(doc, self.indicator).map(|_| ())
        }
    }
}

pub fn create_monitoring(doc: &mut AutoCommit, now_ms: i64) -> Result<(), ModelError> {
    create(doc, now_ms, &Monitoring::default(), "create monitoring")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::{id, one_commit};
    use crate::model::{Position, add_with_id, delete, edit, new_document};

    #[test]
    fn readings_sort_by_date_and_go_with_their_indicator() {
        let mut doc = new_document();
        create_monitoring(&mut doc, 0).unwrap();
        let i = id::<IndicatorId>(1);
        add_with_id(&mut doc, 0, i, Indicator { name: "Drift".into(), ..Default::default() }, Position::Last)
            .unwrap();
        let (a, b) = (id::<ReadingId>(1), id::<ReadingId>(2));
        add_with_id(&mut doc, 0, a, Reading::new(i, "2025-02-01".parse().unwrap(), 2.0), Position::Last)
            .unwrap();
        one_commit(&mut doc, "add reading \"2025-01-01 = 1\"", |doc| {
            add_with_id(doc, 0, b, Reading::new(i, "2025-01-01".parse().unwrap(), 1.0), Position::Last)
                .unwrap()
        });
        edit(&mut doc, 0, a, ReadingField::Value(2.5)).unwrap();
        let monitoring = Monitoring::load(&doc).unwrap();
        let values: Vec<f64> = monitoring.readings_of(i).iter().map(|(_, r)| r.value).collect();
        assert_eq!(values, [1.0, 2.5]);
        delete(&mut doc, 0, i).unwrap();
        assert!(Monitoring::load(&doc).unwrap().readings.is_empty());
    }
}
