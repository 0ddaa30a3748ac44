//! Where a record sits in its register: a fractional index.
//!
//! Registers are Automerge maps keyed by record id, not lists, because moving an item of an
//! Automerge list is a delete and an insert: a concurrent edit of the moved item would land in
//! the deleted copy and be lost. With a map, a move only rewrites the record's `rank`, a string
//! that sorts between its new neighbours, and an edit made meanwhile stays on the same record.
//! Two replicas that place records at the same spot may pick the same rank; ties sort by record
//! id, so every replica shows the same order.
//!
//! ```
//! use quorum_shared::model::Rank;
//!
//! let first = Rank::between(None, None);
//! let second = Rank::between(Some(&first), None);
//! let middle = Rank::between(Some(&first), Some(&second));
//! assert!(first < middle && middle < second);
//! ```

use autosurgeon::{Hydrate, Reconcile};

/// The digits of a rank, in ASCII order so that string order is numeric order.
const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A position in a register: a base-62 fraction written without its leading `0.`, compared as a
/// string. It never ends in `0`, so there is always room below it.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default)]
pub struct Rank(String);

impl Reconcile for Rank {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: autosurgeon::Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        reconciler.str(&self.0)
    }
}

impl Hydrate for Rank {
    fn hydrate_string(s: &str) -> Result<Self, autosurgeon::HydrateError> {
        Ok(Rank(s.to_string()))
    }
}

/// Where to put a record in its register.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Position<I> {
    First,
    Last,
    Before(I),
    After(I),
}

impl Rank {
    /// A rank strictly between `low` and `high` (`None` meaning the start or the end). If a
    /// concurrent edit left `low` not below `high`, the result is just above `low`.
    pub fn between(low: Option<&Rank>, high: Option<&Rank>) -> Rank {
        let low = low.map(|r| digits(&r.0)).unwrap_or_default();
        let high = high.map(|r| digits(&r.0)).filter(|high| *high > low);
        let out = match (&high, low.is_empty()) {
            // Stepping up or down one digit keeps ranks short when people add at the ends.
            (None, false) => increment(&low),
            (Some(high), true) => decrement(high).unwrap_or_else(|| midpoint(&low, Some(high))),
            _ => midpoint(&low, high.as_deref()),
        };
        Rank(out.into_iter().map(|d| DIGITS[d as usize] as char).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The digit values of a rank; characters that are not digits (from a foreign writer) count as
/// the highest digit so that nothing panics.
fn digits(s: &str) -> Vec<u8> {
    let digits: Vec<u8> =
        s.bytes().map(|b| DIGITS.iter().position(|d| *d == b).unwrap_or(DIGITS.len() - 1) as u8).collect();
    // A trailing zero would leave no room below; it changes nothing to drop it.
    let end = digits.iter().rposition(|d| *d != 0).map_or(0, |i| i + 1);
    digits[..end].to_vec()
}

const BASE: u8 = DIGITS.len() as u8;

/// The shortest rank above `low`: the first digit that can go up, goes up.
fn increment(low: &[u8]) -> Vec<u8> {
    match low.iter().position(|d| *d < BASE - 1) {
        Some(i) => {
            let mut out = low[..=i].to_vec();
            out[i] += 1;
            out
        }
        None => {
            let mut out = low.to_vec();
            out.push(BASE / 2);
            out
        }
    }
}

/// A short rank below `high`, if one can be had by lowering a digit (keeping the result above 0).
fn decrement(high: &[u8]) -> Option<Vec<u8>> {
    let i = high.iter().position(|d| *d > 1)?;
    let mut out = high[..=i].to_vec();
    out[i] -= 1;
    Some(out)
}

/// The midpoint of two fractions, after rocicorp's `fractional-indexing`: `low < high`, neither
/// with a trailing zero, `low` possibly empty (0) and `high` possibly absent (1).
fn midpoint(low: &[u8], high: Option<&[u8]>) -> Vec<u8> {
    if let Some(high) = high {
        let common = (0..high.len()).take_while(|&i| low.get(i).copied().unwrap_or(0) == high[i]).count();
        if common > 0 {
            let mut out = high[..common].to_vec();
            let rest_low = low.get(common..).unwrap_or(&[]);
            out.extend(midpoint(rest_low, Some(&high[common..])));
            return out;
        }
    }
    let digit_low = low.first().copied().unwrap_or(0);
    let digit_high = high.map_or(BASE, |h| h[0]);
    if digit_high - digit_low > 1 {
        vec![(digit_low + digit_high).div_ceil(2)]
    } else if let Some(high) = high.filter(|h| h.len() > 1) {
        vec![high[0]]
    } else {
        let mut out = vec![digit_low];
        out.extend(midpoint(low.get(1..).unwrap_or(&[]), None));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rank(s: &str) -> Rank {
        Rank(s.to_string())
    }

    fn check(low: Option<&str>, high: Option<&str>) {
        let (l, h) = (low.map(rank), high.map(rank));
        let mid = Rank::between(l.as_ref(), h.as_ref());
        assert!(!mid.0.ends_with('0'), "{mid:?}");
        if let Some(l) = &l {
            assert!(*l < mid, "{l:?} < {mid:?}");
        }
        if let Some(h) = &h {
            assert!(mid < *h, "{mid:?} < {h:?}");
        }
    }

    #[test]
    fn between_is_strictly_between() {
        for (low, high) in [
            (None, None),
            (Some("V"), None),
            (None, Some("V")),
            (Some("V"), Some("W")),
            (Some("V"), Some("V1")),
            (Some("z"), None),
            (Some("zz"), None),
            (None, Some("1")),
            (None, Some("01")),
            (None, Some("11")),
            (Some("A"), Some("A01")),
            (Some("Az"), Some("B")),
            (Some("1"), Some("2")),
        ] {
            check(low, high);
        }
    }

    #[test]
    fn repeated_inserts_stay_ordered_and_short() {
        let mut ranks = vec![Rank::between(None, None)];
        for _ in 0..200 {
            let last = ranks.last().cloned();
            ranks.push(Rank::between(last.as_ref(), None));
        }
        for _ in 0..60 {
            let (a, b) = (ranks[0].clone(), ranks[1].clone());
            ranks.insert(1, Rank::between(Some(&a), Some(&b)));
        }
        let mut sorted = ranks.clone();
        crate::order::sort(&mut sorted);
        assert_eq!(sorted, ranks);
        assert!(ranks.iter().all(|r| r.0.len() < 20), "{ranks:?}");
    }

    #[test]
    fn crossed_bounds_do_not_panic() {
        let (a, b) = (rank("W"), rank("V"));
        assert!(Rank::between(Some(&a), Some(&b)) > a);
        assert!(Rank::between(Some(&a), Some(&a)) > a);
        let odd = rank("é!");
        let _ = Rank::between(Some(&odd), None);
    }
}
