//! The relay's JSON API, as both sides read and write it: each request and response body of
//! `/api/...`, defined once so that the relay and the app cannot drift apart. Pure serde types;
//! the relay answers with them and the app sends and reads them.
//!
//! ```
//! use quorum_shared::api::{CreateInvite, Invite};
//! use quorum_shared::model::Role;
//!
//! let request = serde_json::to_string(&CreateInvite { role: Role::Viewer }).unwrap();
//! assert_eq!(request, r#"{"role":"viewer"}"#);
//! let answer: Invite = serde_json::from_str(r#"{"invite":"i","role":"viewer","expires_at":9}"#).unwrap();
//! assert_eq!(answer.role, Role::Viewer);
//! ```

use serde::{Deserialize, Serialize};

/// The WebSocket subprotocol of `GET /sync` that the app asks for and the relay selects.
pub const SYNC_PROTOCOL: &str = "quorum-sync";

/// The app's access token travels as a second offered subprotocol, `quorum-token.<token>`, so
/// that it stays out of the URL (and so out of logs and history). A token's characters
/// (base64url and dots) are all allowed in a subprotocol name.
pub const TOKEN_PROTOCOL_PREFIX: &str = "quorum-token.";

use crate::model::Role;

/// `POST /api/workspaces`: a new workspace, with the caller as its first owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateWorkspace {
    pub name: String,
    /// Optional for older clients, which did not send it.
    #[serde(default = "default_owner_name")]
    pub owner_name: String,
}

fn default_owner_name() -> String {
    "Owner".to_owned()
}

/// A member's credentials: what creating a workspace, accepting an invite and refreshing an
/// access token answer, and what the app keeps in localStorage (so the fields and the role
/// tokens must keep reading what older versions stored).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub workspace_id: String,
    pub workspace_name: String,
    /// `automerge:<id>` of the workspace's root document.
    pub root_document_url: String,
    pub member_id: String,
    pub role: Role,
    pub token: String,
    /// Seconds since the epoch.
    pub expires_at: u64,
}

impl Membership {
    /// The root document's id, without the `automerge:` scheme.
    pub fn root_id(&self) -> &str {
        self.root_document_url.strip_prefix("automerge:").unwrap_or(&self.root_document_url)
    }
}

/// `POST /api/workspaces/{workspace}/invites`: an invite for a role; only an owner may ask.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateInvite {
    pub role: Role,
}

/// An invite the relay signed, to be handed to the person invited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    /// The invite's id, to withdraw it by (`DELETE .../invites/{id}`).
    #[serde(default)]
    pub id: String,
    /// The signed invite to send.
    pub invite: String,
    pub role: Role,
    /// Seconds since the epoch.
    pub expires_at: u64,
}

/// One invite that can still be accepted, as `GET /api/workspaces/{workspace}/invites` lists it
/// for owners (not the signed invite itself: that was shown once, to its maker).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvite {
    pub id: String,
    pub role: Role,
    /// Seconds since the epoch.
    pub expires_at: u64,
    /// The owner who made it; none for an operator's.
    pub issued_by: Option<String>,
    pub issued_by_name: Option<String>,
}

/// `GET /api/workspaces/{workspace}/invites`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvites {
    pub invites: Vec<PendingInvite>,
}

/// `DELETE /api/workspaces/{workspace}/invites/{invite}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteWithdrawn {
    pub withdrawn: String,
}

/// `POST /api/invites/accept`: an invite traded for a membership under the name given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptInvite {
    pub invite: String,
    pub name: String,
}

/// `GET /api/session`: what the relay says of an access token that still works.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub workspace_id: String,
    pub member_id: String,
    pub role: Role,
    /// Seconds since the epoch.
    pub expires_at: u64,
}

/// A member as the relay lists them: its own id (the one a revoke names), the name given when
/// joining, and the role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// Revoked members stay listed so that history can still name them.
    pub revoked: bool,
}

/// `GET /api/workspaces/{workspace}/members`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Members {
    pub members: Vec<Member>,
}

/// `POST /api/workspaces/{workspace}/keys`: this device's public signing key, for the relay to
/// certify as the caller's. Both in lowercase hex: the device id (16 bytes, the prefix of every
/// actor the device commits under) and the raw Ed25519 public key (32 bytes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterKey {
    pub device: String,
    pub public_key: String,
}

/// A device key as the relay certifies it: whose (the relay's member id), for which device,
/// since when (seconds since the epoch). What registering a key answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertifiedKey {
    pub key_id: String,
    pub member_id: String,
    pub device: String,
    pub public_key: String,
    pub registered_at: u64,
}

/// `GET /api/workspaces/{workspace}/keys`: every key the relay certified for the workspace,
/// revoked members' included, so that their past approvals still verify.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertifiedKeys {
    pub keys: Vec<CertifiedKey>,
}

/// `DELETE /api/workspaces/{workspace}/members/{member}`: the member revoked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revoked {
    pub revoked: String,
}

/// Every refusal, with a message a person can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
}

#[cfg(test)]
mod tests;
