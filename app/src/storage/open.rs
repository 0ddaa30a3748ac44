//! Opening the database: its schema, and telling a blocked upgrade apart from a slow open.
//!
//! ```ignore
//! let db = open::database("quorum").await?;
//! ```

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;

use rexie::{ObjectStore, Rexie};

use super::StorageError;
use super::error::OPENING;

/// The object store automerge-repo's IndexedDB adapter uses; keeping its name lets either read
/// the other's data.
pub(crate) const STORE: &str = "documents";

/// Raise this, and add the upgrade to [`database`], when the schema changes.
const VERSION: u32 = 1;

/// IndexedDB never fails an open that another tab blocks: the request waits until that tab lets
/// go. An open that has not finished after this long is reported as blocked, since an
/// unblocked open takes milliseconds.
const BLOCKED_AFTER_MS: i32 = 10_000;

/// Opens (and on first use creates) the database `name`.
pub(crate) async fn database(name: &str) -> Result<Rexie, StorageError> {
    let open = Rexie::builder(name)
        .version(VERSION)
        // Out-of-line keys, as in the JS adapter: the key is not a property of the value.
        .add_object_store(ObjectStore::new(STORE))
        .build();
    // Without a window there is no timer, and the open simply waits, as IndexedDB does anyway.
    match first_of(open, crate::timer::delay(BLOCKED_AFTER_MS)).await {
        Some(Ok(database)) => Ok(database),
        Some(Err(error)) => Err(StorageError::from_rexie(error, OPENING, "")),
        None => Err(StorageError::Blocked),
    }
}

/// Runs `work` until it finishes or `deadline` passes, whichever is first.
async fn first_of<T>(work: impl Future<Output = T>, deadline: impl Future) -> Option<T> {
    let mut work = pin!(work);
    let mut deadline = pin!(deadline);
    poll_fn(|cx| {
        if let Poll::Ready(done) = work.as_mut().poll(cx) {
            return Poll::Ready(Some(done));
        }
        deadline.as_mut().poll(cx).map(|_| None)
    })
    .await
}
