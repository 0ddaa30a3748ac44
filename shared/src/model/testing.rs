//! Helpers for the model's unit tests.

use automerge::AutoCommit;

use super::{RecordKey, history};

/// A deterministic id, different for each `n`.
pub(crate) fn id<I: RecordKey>(n: u8) -> I {
    I::from_bytes([n; 16])
}

/// How many commits the document has.
pub(crate) fn commits(doc: &mut AutoCommit) -> usize {
    history(doc).len()
}

/// The message of the latest commit.
pub(crate) fn last_message(doc: &mut AutoCommit) -> String {
    history(doc).pop().and_then(|entry| entry.message).unwrap_or_default()
}

/// How many operations the latest local commit holds.
pub(crate) fn last_ops(doc: &mut AutoCommit) -> usize {
    doc.get_last_local_change().map_or(0, |change| change.len())
}

/// Runs `operation` and checks it made exactly one commit with `message`.
pub(crate) fn one_commit<T>(
    doc: &mut AutoCommit,
    message: &str,
    operation: impl FnOnce(&mut AutoCommit) -> T,
) -> T {
    let before = commits(doc);
    let result = operation(doc);
    assert_eq!(commits(doc), before + 1, "one commit for {message:?}");
    assert_eq!(last_message(doc), message);
    result
}

/// Runs `operation`, checks it failed and left no commit behind.
pub(crate) fn refused<T: std::fmt::Debug, E: std::fmt::Debug>(
    doc: &mut AutoCommit,
    operation: impl FnOnce(&mut AutoCommit) -> Result<T, E>,
) -> E {
    let before = commits(doc);
    let heads = doc.get_heads();
    let error = operation(doc).expect_err("the operation is refused");
    assert_eq!(commits(doc), before);
    assert_eq!(doc.get_heads(), heads);
    error
}
