//! How often an indicator is read, and when its next reading is overdue.
//!
//! The rule: a reading is overdue when the last one is older than one period before today (a
//! monthly indicator last read on 31 January is due by the end of February and overdue from
//! 1 March). An indicator with no reading yet is overdue once its `since` date (the day its
//! measuring starts) is older than one period before today; with no reading and no `since`,
//! nothing says when to start, so the first reading is due at once. A reading dated in the future
//! counts as the latest one: the person who typed it knows what they measured.

use autosurgeon::{Hydrate, Reconcile};

use crate::model::Date;

/// How often an indicator is read.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Reconcile, Hydrate)]
pub enum Frequency {
    #[autosurgeon(rename = "weekly")]
    Weekly,
    #[default]
    #[autosurgeon(rename = "monthly")]
    Monthly,
    #[autosurgeon(rename = "quarterly")]
    Quarterly,
    #[autosurgeon(rename = "half-yearly")]
    HalfYearly,
    #[autosurgeon(rename = "yearly")]
    Yearly,
}

impl Frequency {
    pub const ALL: [Frequency; 5] = [
        Frequency::Weekly,
        Frequency::Monthly,
        Frequency::Quarterly,
        Frequency::HalfYearly,
        Frequency::Yearly,
    ];

    /// The token stored in documents.
    pub fn as_token(self) -> &'static str {
        match self {
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::HalfYearly => "half-yearly",
            Frequency::Yearly => "yearly",
        }
    }

    pub fn from_token(token: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_token() == token)
    }

    /// What a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Frequency::Weekly => "Weekly",
            Frequency::Monthly => "Monthly",
            Frequency::Quarterly => "Quarterly",
            Frequency::HalfYearly => "Every six months",
            Frequency::Yearly => "Yearly",
        }
    }

    /// "week", "month"...: the period in a sentence ("one reading every month").
    pub fn period(self) -> &'static str {
        match self {
            Frequency::Weekly => "week",
            Frequency::Monthly => "month",
            Frequency::Quarterly => "quarter",
            Frequency::HalfYearly => "six months",
            Frequency::Yearly => "year",
        }
    }
}

/// The day one period before `today`: a reading older than this is overdue. Months are
/// calendar months; a day the earlier month lacks becomes its last day (31 May less a month is
/// 30 April).
pub fn period_before(frequency: Frequency, today: Date) -> Date {
    match frequency {
        Frequency::Weekly => days_before(today, 7),
        Frequency::Monthly => months_before(today, 1),
        Frequency::Quarterly => months_before(today, 3),
        Frequency::HalfYearly => months_before(today, 6),
        Frequency::Yearly => months_before(today, 12),
    }
}

/// Whether an indicator read at `frequency`, measured since `since`, last read on `last`, is
/// overdue for a reading on `today` (the rule is in the module's documentation).
pub fn is_overdue(frequency: Frequency, since: Option<Date>, last: Option<Date>, today: Date) -> bool {
    let cutoff = period_before(frequency, today);
    match (last, since) {
        (Some(last), _) => last < cutoff,
        (None, Some(since)) => since < cutoff,
        (None, None) => true,
    }
}

fn months_before(date: Date, months: u32) -> Date {
    let index = u32::from(date.year()) * 12 + u32::from(date.month()) - 1;
    let Some(index) = index.checked_sub(months).filter(|i| *i >= 12) else {
        return Date::new(1, 1, 1).expect("1 January of year 1 exists");
    };
    let (year, month) = ((index / 12) as u16, (index % 12) as u8 + 1);
    last_valid(year, month, date.day())
}

fn days_before(date: Date, days: u8) -> Date {
    if date.day() > days {
        return Date::new(date.year(), date.month(), date.day() - days).expect("an earlier day of the month");
    }
    let previous = months_before(Date::new(date.year(), date.month(), 1).expect("the first exists"), 1);
    let length = last_valid(previous.year(), previous.month(), 31).day();
    Date::new(previous.year(), previous.month(), length + date.day() - days).unwrap_or(previous)
}

/// The day, or the month's last day when the month is shorter.
fn last_valid(year: u16, month: u8, day: u8) -> Date {
    (28..=day.max(28))
        .rev()
        .find_map(|d| Date::new(year, month, d.min(day)))
        .expect("every month has 28 days")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_period_before_counts_calendar_weeks_and_months() {
        let cases = [
            (Frequency::Weekly, "2025-03-10", "2025-03-03"),
            (Frequency::Weekly, "2025-03-03", "2025-02-24"),
            (Frequency::Weekly, "2024-03-05", "2024-02-27"),
            (Frequency::Weekly, "2025-01-02", "2024-12-26"),
            (Frequency::Monthly, "2025-03-15", "2025-02-15"),
            (Frequency::Monthly, "2025-03-31", "2025-02-28"),
            (Frequency::Monthly, "2024-03-31", "2024-02-29"),
            (Frequency::Monthly, "2025-01-10", "2024-12-10"),
            (Frequency::Quarterly, "2025-05-31", "2025-02-28"),
            (Frequency::HalfYearly, "2025-08-31", "2025-02-28"),
            (Frequency::Yearly, "2024-02-29", "2023-02-28"),
            (Frequency::Monthly, "0001-01-15", "0001-01-01"),
        ];
        for (frequency, today, expected) in cases {
            assert_eq!(period_before(frequency, date(today)), date(expected), "{frequency:?} before {today}");
        }
    }

    #[test]
    fn overdue_when_the_last_reading_is_older_than_a_period() {
        use Frequency::*;
        // (frequency, since, last reading, today, overdue)
        type Case = (Frequency, Option<&'static str>, Option<&'static str>, &'static str, bool);
        let cases: [Case; 14] = [
            (Monthly, None, Some("2025-02-15"), "2025-03-15", false),
            (Monthly, None, Some("2025-02-14"), "2025-03-15", true),
            (Monthly, None, Some("2025-01-31"), "2025-02-28", false),
            (Monthly, None, Some("2025-01-31"), "2025-03-01", true),
            (Monthly, None, Some("2025-03-15"), "2025-03-15", false),
            (Monthly, None, Some("2025-04-01"), "2025-03-15", false),
            (Weekly, None, Some("2025-03-03"), "2025-03-10", false),
            (Weekly, None, Some("2025-03-02"), "2025-03-10", true),
            (Quarterly, None, Some("2025-01-01"), "2025-04-01", false),
            (Quarterly, None, Some("2025-01-01"), "2025-04-02", true),
            (Yearly, Some("2020-01-01"), Some("2024-06-01"), "2025-06-01", false),
            (HalfYearly, Some("2025-01-01"), None, "2025-07-01", false),
            (HalfYearly, Some("2025-01-01"), None, "2025-07-02", true),
            (Weekly, None, None, "2025-07-02", true),
        ];
        for (frequency, since, last, today, expected) in cases {
            let got = is_overdue(frequency, since.map(date), last.map(date), date(today));
            assert_eq!(got, expected, "{frequency:?} since {since:?}, last {last:?}, on {today}");
        }
    }

    #[test]
    fn tokens_and_labels_are_separate_names() {
        for frequency in Frequency::ALL {
            assert_eq!(Frequency::from_token(frequency.as_token()), Some(frequency));
        }
        assert_eq!(Frequency::from_token("Monthly"), None);
        assert_eq!(Frequency::HalfYearly.as_token(), "half-yearly");
    }
}
