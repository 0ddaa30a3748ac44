//! Calendar dates (`YYYY-MM-DD`), for due dates, review dates and the dates of records.
//!
//! Dates are kept as the ISO 8601 string in documents, so that they read the same in any
//! Automerge tool and sort as strings; the type only makes sure the string is a real date.
//!
//! ```
//! use quorum_shared::model::Date;
//!
//! let due: Date = "2025-02-28".parse().unwrap();
//! assert!("2025-02-29".parse::<Date>().is_err());
//! assert!(due < "2025-03-01".parse().unwrap());
//! ```

use std::fmt;
use std::str::FromStr;

use autosurgeon::{Hydrate, HydrateError, Reconcile, Reconciler, reconcile::NoKey};

/// A calendar date, with no time of day or time zone.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, if it exists in the Gregorian calendar (years 1 to 9999).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let valid = (1..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month);
        valid.then_some(Self { year, month, day })
    }

    /// The calendar date of a moment (milliseconds since the epoch) where the person is:
    /// `offset_minutes` is how far UTC is ahead of local time, as the browser's
    /// `Date.getTimezoneOffset` gives it. Moments outside years 1 to 9999 are clamped to them.
    pub fn of_ms(ms: i64, offset_minutes: i32) -> Self {
        let local_ms = ms - i64::from(offset_minutes) * 60_000;
        let days = local_ms.div_euclid(86_400_000);
        // Days since 1970-01-01 to a civil date, counting in 400-year eras that start on 1 March
        // so that the leap day falls at the end of each year.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_from_march = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
        let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
        let year = (year_of_era + era * 400 + i64::from(month <= 2)).clamp(1, 9999) as u16;
        Self::new(year, month as u8, day as u8).unwrap_or(Self { year, month: 1, day: 1 })
    }

    /// The last millisecond of the day where the person is (`offset_minutes` as for
    /// [`Date::of_ms`]): "as of 3 March" means by the end of that day.
    pub fn end_ms(&self, offset_minutes: i32) -> i64 {
        // Days since 1970-01-01 of a civil date, the inverse of `of_ms`'s conversion.
        let (month, day) = (i64::from(self.month), i64::from(self.day));
        let year = i64::from(self.year) - i64::from(month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year.rem_euclid(400);
        let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        let days = era * 146_097 + day_of_era - 719_468;
        (days + 1) * 86_400_000 - 1 + i64::from(offset_minutes) * 60_000
    }

    /// The date as people write it, such as "3 March 2026".
    pub fn spoken(&self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let month = MONTHS.get(usize::from(self.month).saturating_sub(1)).copied().unwrap_or("?");
        format!("{} {month} {}", self.day, self.year)
    }

    pub fn year(&self) -> u16 {
        self.year
    }

    pub fn month(&self) -> u8 {
        self.month
    }

    pub fn day(&self) -> u8 {
        self.day
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Why a string is not a [`Date`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a date written YYYY-MM-DD")]
pub struct ParseDateError(String);

impl FromStr for Date {
    type Err = ParseDateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let error = || ParseDateError(s.to_string());
        let bytes = s.as_bytes();
        let shaped = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shaped {
            return Err(error());
        }
        let year = s[0..4].parse().map_err(|_| error())?;
        let month = s[5..7].parse().map_err(|_| error())?;
        let day = s[8..10].parse().map_err(|_| error())?;
        Date::new(year, month, day).ok_or_else(error)
    }
}

impl Reconcile for Date {
    type Key<'a> = NoKey;

    fn reconcile<R: Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        reconciler.str(self.to_string())
    }
}

impl Hydrate for Date {
    fn hydrate_string(s: &str) -> Result<Self, HydrateError> {
        s.parse().map_err(|_| HydrateError::unexpected("a date YYYY-MM-DD", format!("{s:?}")))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn moments_read_as_local_calendar_dates() {
        const NOV_20: i64 = 1_795_176_000_000; // 2026-11-20, 12:00 UTC
        let cases = [
            (0, 0, "1970-01-01"),
            (NOV_20, 0, "2026-11-20"),
            // 12:00 UTC is already the next day at UTC+13 (offset -780) and still the day at UTC-11.
            (NOV_20, -780, "2026-11-21"),
            (NOV_20, 660, "2026-11-20"),
            (951_782_400_000, 0, "2000-02-29"),
            (-1, 0, "1969-12-31"),
        ];
        for (ms, offset, expected) in cases {
            assert_eq!(Date::of_ms(ms, offset).to_string(), expected, "{ms} at offset {offset}");
        }
    }

    use super::*;

    fn check(input: &str, valid: bool) {
        let parsed = input.parse::<Date>();
        assert_eq!(parsed.is_ok(), valid, "{input}");
        if let Ok(date) = parsed {
            assert_eq!(date.to_string(), input);
        }
    }

    #[test]
    fn parses_only_real_dates() {
        for (input, valid) in [
            ("2025-01-31", true),
            ("2024-02-29", true),
            ("2000-02-29", true),
            ("1900-02-29", false),
            ("2025-02-29", false),
            ("2025-04-31", false),
            ("2025-13-01", false),
            ("2025-00-10", false),
            ("0000-01-01", false),
            ("2025-1-01", false),
            ("2025/01/01", false),
            ("+025-01-01", false),
            ("", false),
        ] {
            check(input, valid);
        }
    }

    #[test]
    fn a_day_ends_at_its_last_millisecond_where_the_person_is() {
        let day: Date = "2026-03-03".parse().unwrap();
        let end = day.end_ms(0);
        assert_eq!(Date::of_ms(end, 0), day);
        assert_eq!(Date::of_ms(end + 1, 0), "2026-03-04".parse().unwrap());
        // In New York (UTC is 300 minutes ahead), the day ends five hours later.
        assert_eq!(day.end_ms(300), end + 300 * 60_000);
        assert_eq!(Date::of_ms(day.end_ms(300), 300), day);
        let leap: Date = "2024-02-29".parse().unwrap();
        assert_eq!(Date::of_ms(leap.end_ms(-60), -60), leap);
    }

    #[test]
    fn dates_order_by_time() {
        let a: Date = "2024-12-31".parse().unwrap();
        let b: Date = "2025-01-01".parse().unwrap();
        assert!(a < b);
    }
}
