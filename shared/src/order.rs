//! Sorting with one compiled copy of the sort for the whole app.
//!
//! The standard library's stable sort is generic over both the item and the comparison, so each
//! `sort_by` call site with its own closure is compiled into its own 3 to 4 KB copy of the sort:
//! the shipped app carried 150 of them, a tenth of its code. These functions sort a list of
//! positions with a comparison behind a `dyn` pointer, which is compiled once, and then move the
//! items into that order, which is the only part made per item type. Clippy's
//! `disallowed-methods` (clippy.toml) points every other call here.
//!
//! ```
//! let mut names = vec!["Grace", "ada", "Alan"];
//! quorum_shared::order::sort_by_key(&mut names, |name| name.to_lowercase());
//! assert_eq!(names, ["ada", "Alan", "Grace"]);
//! ```

use std::cmp::Ordering;

/// Sorts `items` in their natural order, keeping the order of equal items.
pub fn sort<T: Ord>(items: &mut [T]) {
    let order = sorted_positions(items.len(), &|a, b| items[a].cmp(&items[b]));
    permute(items, &order);
}

/// Sorts `items` by `compare`, keeping the order of equal items (a stable sort).
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let order = sorted_positions(items.len(), &|a, b| compare(&items[a], &items[b]));
    permute(items, &order);
}

/// Sorts `items` by the key `key` gives each, keeping the order of equal items. The key is
/// computed once per item, so an allocating key (a lowercased name) costs one allocation each.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    let keys: Vec<K> = items.iter().map(key).collect();
    let order = sorted_positions(keys.len(), &|a, b| keys[a].cmp(&keys[b]));
    permute(items, &order);
}

/// The positions `0..len` in the order `compare` gives them, equal ones in their first order.
/// The one place the standard sort is instantiated, for `usize` and this `dyn` comparison.
#[allow(clippy::disallowed_methods)]
fn sorted_positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Rearranges `items` so that position `i` holds the item that was at `order[i]`, by swapping
/// along each cycle of the permutation: no item is cloned or moved out of the slice.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let mut placed = vec![false; items.len()];
    for start in 0..items.len() {
        let mut at = start;
        while !placed[at] {
            placed[at] = true;
            let from = order[at];
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every permutation of up to six items, with duplicates, sorts as the standard stable sort
    /// does, including the order of equal items.
    #[test]
    #[allow(clippy::disallowed_methods)]
    fn sorts_as_the_standard_stable_sort() {
        for len in 0..=6usize {
            // Items are (key, original position), keys drawn with repeats.
            for seed in 0..200u64 {
                let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let items: Vec<(u64, usize)> = (0..len)
                    .map(|i| {
                        state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                        ((state >> 33) % 3, i)
                    })
                    .collect();
                let mut expected = items.clone();
                expected.sort_by_key(|item| item.0);
                let mut by = items.clone();
                sort_by(&mut by, |a, b| a.0.cmp(&b.0));
                let mut natural = items.clone();
                sort(&mut natural);
                let mut expected_natural = items.clone();
                expected_natural.sort();
                assert_eq!(natural, expected_natural, "sort of {items:?}");
                let mut by_key = items.clone();
                sort_by_key(&mut by_key, |item| item.0);
                assert_eq!(by, expected, "sort_by of {items:?}");
                assert_eq!(by_key, expected, "sort_by_key of {items:?}");
            }
        }
    }

    #[test]
    fn sorts_items_that_cannot_be_copied() {
        let mut names: Vec<String> = ["c", "a", "b", "a"].iter().map(|s| s.to_string()).collect();
        sort_by(&mut names, |a, b| b.cmp(a));
        assert_eq!(names, ["c", "b", "a", "a"]);
    }
}
