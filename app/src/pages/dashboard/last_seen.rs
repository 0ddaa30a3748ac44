//! What the dashboard last showed of a workspace, kept in this browser's localStorage, so that
//! the next open draws the dashboard at once, marked as last seen, while the documents load: a
//! workspace of fifty documents and twenty thousand changes takes a few hundred milliseconds to
//! load, and the dashboard needs every one of them. The live dashboard replaces it as soon as
//! every document is open, and is remembered in its turn.
//!
//! A stored copy that cannot be read (another version's, or damaged) is dropped and the
//! dashboard waits for the documents, as it does on the first open of a workspace.

use quorum_shared::readiness::Readiness;
use serde::{Deserialize, Serialize};

use crate::components::recent_changes::ChangeLine;

/// The dashboard as it was last drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct LastSeen {
    /// When, in milliseconds since the epoch.
    pub at_ms: i64,
    pub readiness: Readiness,
    pub changes: Vec<ChangeLine>,
}

/// The stored form: readiness as its own snapshot text (see `Readiness::to_snapshot`).
#[derive(Serialize, Deserialize)]
struct Stored {
    at_ms: i64,
    readiness: String,
    changes: Vec<ChangeLine>,
}

fn key(workspace_id: &str) -> String {
    format!("quorum.dashboard.{workspace_id}")
}

/// The last dashboard of `workspace_id` this browser drew, if it kept one that reads.
pub fn read(workspace_id: &str) -> Option<LastSeen> {
    let storage = web_sys::window()?.local_storage().ok()??;
    let text = storage.get_item(&key(workspace_id)).ok()??;
    let stored: Result<Stored, String> = serde_json::from_str(&text).map_err(|e| e.to_string());
    let read = stored.and_then(|stored| {
        let readiness = Readiness::from_snapshot(&stored.readiness).map_err(|e| e.to_string())?;
        Ok(LastSeen { at_ms: stored.at_ms, readiness, changes: stored.changes })
    });
    match read {
        Ok(last_seen) => Some(last_seen),
        Err(problem) => {
            // Nothing is lost: it is a copy of what the documents say, made again at this open.
            leptos::logging::warn!("the stored dashboard of {workspace_id} is not used: {problem}");
            let _ = storage.remove_item(&key(workspace_id));
            None
        }
    }
}

/// Keeps what the dashboard shows now for the next open. A browser that refuses (storage full
/// or disabled) only loses the head start.
pub fn remember(workspace_id: &str, at_ms: i64, readiness: &Readiness, changes: &[ChangeLine]) {
    let stored = Stored { at_ms, readiness: readiness.to_snapshot(), changes: changes.to_vec() };
    let Ok(text) = serde_json::to_string(&stored) else { return };
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(&key(workspace_id), &text);
    }
}
