//! How this browser stands with the relay, worded for the header: the states, and what the
//! person reads when the relay ends or refuses the connection.

/// How this browser stands with the relay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncStatus {
    /// The browser reports no network; edits are kept here and sent later.
    Offline,
    Connecting,
    /// Connected, with this many documents not yet in step with the relay.
    Syncing(usize),
    Synced,
    /// Something the person can act on, worded for them.
    Error(String),
}

impl SyncStatus {
    /// A stable name for styling and tests.
    pub fn state(&self) -> &'static str {
        match self {
            Self::Offline => "offline",
            Self::Connecting => "connecting",
            Self::Syncing(_) => "syncing",
            Self::Synced => "synced",
            Self::Error(_) => "error",
        }
    }

    pub fn label(&self) -> String {
        match self {
            Self::Offline => "Offline: changes are kept on this device".to_owned(),
            Self::Connecting => "Connecting…".to_owned(),
            Self::Syncing(1) => "Syncing 1 document…".to_owned(),
            Self::Syncing(n) => format!("Syncing {n} documents…"),
            Self::Synced => "Synced".to_owned(),
            Self::Error(message) => message.clone(),
        }
    }
}

/// The close code the relay gives a connection it will not serve: a revoked member, or a peer
/// id already bound to another member.
pub(super) const POLICY_VIOLATION: u16 = 1008;

/// What the header says when the relay ended the connection with `reason`, worded for the
/// person: a revoked member learns that retrying will not help and whom to ask.
pub(super) fn ended_by_relay(reason: &str) -> String {
    if reason.contains("revoked") {
        return "An owner has removed your access to this workspace. What you changed here stays on \
                this device but no longer reaches anyone else; ask an owner for a new invite to take \
                part again."
            .to_owned();
    }
    format!(
        "The server ended the connection ({reason}). Quorum keeps your edits here and retries; if \
         this goes on, ask a workspace owner for a new invite."
    )
}

/// What the header says when the relay refuses this member's token, worded for the person from
/// the relay's `reason`: retrying cannot help, the data here stays, and an owner can let them in
/// again.
pub(super) fn refused_message(reason: &str) -> String {
    let what = if reason.contains("revoked") {
        "An owner has removed your access to this workspace"
    } else if reason.contains("expired") {
        "Your access to this workspace has expired"
    } else {
        "The Quorum server no longer accepts this device's access to the workspace"
    };
    format!(
        "{what}. Everything here stays readable on this device, but changes no longer reach anyone          else; ask an owner for a new invite to take part again."
    )
}
