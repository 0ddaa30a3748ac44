//! Helpers for the model's unit tests.

use automerge::AutoCommit;

use super::{RecordKey, history};

/// A deterministic id, different for each `n`.
pub(crate) fn id<I: RecordKey>(n: u8) -> I {
    I::from_bytes([n; 16])
}

/// Fresh bytes for a new id, different at each call: the tests' stand-in for the random bytes
/// the app and the relay pass in. A counter, so that a run is repeatable.
pub(crate) fn random() -> [u8; 16] {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut bytes = [0; 16];
    bytes[..8].copy_from_slice(&n.to_be_bytes());
    bytes
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
