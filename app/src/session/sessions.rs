//! Which workspace this tab has open, and opening another. A session's code (Automerge,
//! IndexedDB, the sync client, the model) is the optimized build's `workspace` chunk, with the
//! views that read it on every page: the functions here that need it are its split points, and
//! the header, the workspace frame and the dashboard declare theirs in the same chunk.

use automerge::AutoCommit;
use leptos::prelude::*;

use super::{Membership, Session, new_workspace_documents};
use crate::split::{self, split};

/// The workspace this browser has open, if any; provided as context by [`crate::App`].
#[derive(Clone)]
pub struct Sessions {
    pub current: RwSignal<Option<Session>>,
    /// The workspace being opened while its code is on its way (the optimized build's runtime
    /// chunk), so that the frame can show what it can meanwhile.
    pub opening: RwSignal<Option<Membership>>,
    /// The workspace whose code could not be fetched (offline before this browser kept it), so
    /// that opening it can be tried again.
    pub unavailable: RwSignal<Option<Membership>>,
    /// Sessions outlive the page that opened them, so their signals belong to the app.
    owner: Owner,
}

impl Sessions {
    /// Must be called inside [`crate::App`], whose lifetime the sessions share.
    pub fn new() -> Self {
        Self {
            current: RwSignal::new(None),
            opening: RwSignal::new(None),
            unavailable: RwSignal::new(None),
            owner: Owner::new(),
        }
    }

    /// Opens a workspace, closing the one open before. `initial` are documents made in this
    /// browser that no storage and no relay has yet (a workspace just created here). The
    /// workspace's code is the `workspace` chunk (see this module's doc): when it is here the session
    /// is current at once, otherwise once it arrives.
    pub fn open(&self, membership: Membership, initial: Vec<(String, AutoCommit)>) {
        let this = self.clone();
        self.opening.set(Some(membership.clone()));
        self.unavailable.set(None);
        split::spawn_eager(async move {
            let old = this.current.get_untracked();
            match start(old, membership.clone(), initial, this.owner.clone()).await {
                Ok(session) => this.current.set(Some(session)),
                Err(split::ChunkUnavailable) => this.unavailable.set(Some(membership)),
            }
            this.opening.set(None);
        });
    }
}

split!(
    /// Opens `membership`'s workspace under `owner` (closing `old`), with `initial` the documents
    /// made in this browser that nothing has stored yet.
    fn start(old: Option<Session>, membership: Membership, initial: Vec<(String, AutoCommit)>, owner: Owner)
        in workspace -> Session => {
        if let Some(old) = old {
            old.stop();
        }
        owner.clone().with(|| Session::start(membership, initial, owner))
    }
);

split!(
    /// The documents of a workspace created here (see [`new_workspace_documents`]).
    pub fn new_documents(membership: Membership, owner_name: String)
        in workspace -> Result<Vec<(String, AutoCommit)>, String> =>
        new_workspace_documents(&membership, &owner_name).map_err(|e| e.to_string())
);

impl Default for Sessions {
    fn default() -> Self {
        Self::new()
    }
}
