//! A document as it was at a past moment: the heads of every change made by then.

use std::collections::HashSet;

use automerge::{Automerge, ChangeHash};

/// The heads of the document as it stood at `at_ms`: every change stamped at or before it whose
/// dependencies are all in too (a change from a device whose clock ran behind cannot pull in a
/// later change it depends on). Empty when the document did not exist yet.
pub fn heads_as_of(doc: &Automerge, at_ms: i64) -> Vec<ChangeHash> {
    let mut taken: HashSet<ChangeHash> = HashSet::new();
    let mut depended_on: HashSet<ChangeHash> = HashSet::new();
    // Changes come in causal order, so a change's dependencies are decided before it.
    for change in doc.get_changes_meta(&[]) {
        if change.timestamp.saturating_mul(1000) <= at_ms && change.deps.iter().all(|dep| taken.contains(dep))
        {
            depended_on.extend(change.deps.iter().copied());
            taken.insert(change.hash);
        }
    }
    let mut heads: Vec<ChangeHash> = taken.difference(&depended_on).copied().collect();
    crate::order::sort(&mut heads);
    heads
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model;

    #[test]
    fn the_heads_as_of_a_moment_leave_out_later_changes() {
        let mut doc = model::new_document();
        model::create_policy(&mut doc, 1_000_000, "AI policy", "First").unwrap();
        let first = doc.get_heads();
        model::edit_policy_text(&mut doc, 2_000_000, "Second".into()).unwrap();
        assert_eq!(heads_as_of(doc.document(), 1_500_000), first);
        assert_eq!(heads_as_of(doc.document(), 2_000_000), doc.get_heads());
        assert!(heads_as_of(doc.document(), 999_000).is_empty());
    }

    #[test]
    fn a_change_stamped_early_that_depends_on_a_later_one_is_left_out() {
        let mut doc = model::new_document();
        model::create_policy(&mut doc, 1_000_000, "AI policy", "First").unwrap();
        let first = doc.get_heads();
        model::edit_policy_text(&mut doc, 3_000_000, "Second".into()).unwrap();
        // A device whose clock runs behind edits after the second change.
        model::edit_policy_text(&mut doc, 1_500_000, "Third".into()).unwrap();
        assert_eq!(heads_as_of(doc.document(), 2_000_000), first);
    }
}
