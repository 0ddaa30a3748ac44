//! The relay's JSON API: create a workspace, accept an invite, list the members, invite, list and
//! withdraw invites, revoke,
//! certify this device's signing key and list the certified keys;
//! and this member's own access: whether the relay still accepts it, and a fresh token before it
//! expires. Errors are worded for the person at the form, with the relay's own message where it
//! gave one; every call needs the relay, so "cannot be reached" says that and what to do.
//!
//! ```ignore
//! let invite = create_invite(&membership, Role::Viewer).await?;
//! let link = invite_link(&invite.invite);   // <origin>/join?invite=...
//! ```

use quorum_shared::api::{
    AcceptInvite, CertifiedKeys, CreateInvite, CreateWorkspace, ErrorBody, InviteWithdrawn, Members,
    PendingInvites, RegisterKey, Revoked,
};
pub use quorum_shared::api::{CertifiedKey, Invite, Member as RelayMember, PendingInvite};
use quorum_shared::model::Role;
use serde::{Serialize, de::DeserializeOwned};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use super::{KeptMembership, Membership};

/// Why the relay made no workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotCreated {
    /// Signup is closed on this server (or the token given does not work): its operator hands
    /// out signup tokens. The relay's words.
    NeedsSignupToken(String),
    /// Anything else, worded for the person ([`UNREACHABLE`] when there was no answer).
    Other(String),
}

impl NotCreated {
    pub fn message(&self) -> &str {
        match self {
            NotCreated::NeedsSignupToken(message) | NotCreated::Other(message) => message,
        }
    }
}

/// Asks the relay for a new workspace with this browser's person as its owner; `signup_token`
/// where the server's operator gave one.
pub async fn create_workspace(
    name: &str,
    owner_name: &str,
    signup_token: Option<&str>,
) -> Result<Membership, NotCreated> {
    let body = CreateWorkspace { name: name.to_owned(), owner_name: owner_name.to_owned() };
    let membership: Membership =
        send("POST", "/api/workspaces", signup_token, Some(&body)).await.map_err(|failure| {
            // 403 is this call's answer to a missing or unusable signup token, and only that.
            if failure.status == Some(403) {
                NotCreated::NeedsSignupToken(failure.message)
            } else {
                NotCreated::Other(failure.message)
            }
        })?;
    membership.remember_name(owner_name);
    Ok(membership)
}

/// Trades an invite for a membership.
pub async fn accept_invite(invite: &str, name: &str) -> Result<Membership, String> {
    let body = AcceptInvite { invite: invite.to_owned(), name: name.to_owned() };
    let membership: Membership = call("POST", "/api/invites/accept", None, Some(&body)).await?;
    membership.remember_name(name);
    Ok(membership)
}

/// The workspace's members, as the relay has them; any member may ask.
pub async fn list_members(membership: &Membership) -> Result<Vec<RelayMember>, String> {
    let path = format!("/api/workspaces/{}/members", encode(&membership.workspace_id));
    let members: Members = call("GET", &path, Some(&membership.token), NO_BODY).await?;
    Ok(members.members)
}

/// Makes an invite for `role`, to be sent to the person invited as [`invite_link`]; only an
/// owner may.
/// Certifies this device's public signing key as the member's (see `crate::keys`).
pub async fn register_key(
    membership: &Membership,
    device: &str,
    public_key: &str,
) -> Result<CertifiedKey, String> {
    let path = format!("/api/workspaces/{}/keys", encode(&membership.workspace_id));
    let body = RegisterKey { device: device.to_owned(), public_key: public_key.to_owned() };
    call("POST", &path, Some(&membership.token), Some(&body)).await
}

/// Every device key the relay certified for the workspace.
pub async fn list_keys(membership: &Membership) -> Result<Vec<CertifiedKey>, String> {
    let path = format!("/api/workspaces/{}/keys", encode(&membership.workspace_id));
    let keys: CertifiedKeys = call("GET", &path, Some(&membership.token), NO_BODY).await?;
    Ok(keys.keys)
}

pub async fn create_invite(membership: &Membership, role: Role) -> Result<Invite, String> {
    let path = format!("/api/workspaces/{}/invites", encode(&membership.workspace_id));
    let body = CreateInvite { role };
    call("POST", &path, Some(&membership.token), Some(&body)).await
}

/// The workspace's invites that can still be accepted; only an owner may ask.
pub async fn list_invites(membership: &Membership) -> Result<Vec<PendingInvite>, String> {
    let path = format!("/api/workspaces/{}/invites", encode(&membership.workspace_id));
    let listed: PendingInvites = call("GET", &path, Some(&membership.token), NO_BODY).await?;
    Ok(listed.invites)
}

/// Withdraws an invite nobody has accepted yet; only an owner may.
pub async fn withdraw_invite(membership: &Membership, invite_id: &str) -> Result<(), String> {
    let path = format!("/api/workspaces/{}/invites/{}", encode(&membership.workspace_id), encode(invite_id));
    let _: InviteWithdrawn = call("DELETE", &path, Some(&membership.token), NO_BODY).await?;
    Ok(())
}

/// Revokes a member: their token stops working and the relay closes their connections. Only an
/// owner may, and the last owner cannot be revoked.
pub async fn revoke_member(membership: &Membership, member_id: &str) -> Result<(), String> {
    let path = format!("/api/workspaces/{}/members/{}", encode(&membership.workspace_id), encode(member_id));
    let _: Revoked = call("DELETE", &path, Some(&membership.token), NO_BODY).await?;
    Ok(())
}

/// A call the relay did not answer with what was asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    /// The relay's HTTP status, when it answered at all.
    pub status: Option<u16>,
    /// Worded for the person: the relay's own message where it gave one.
    pub message: String,
}

impl Failure {
    /// Whether the relay refused the token itself (expired, revoked, not issued by it): trying
    /// again with it cannot help.
    pub fn refused(&self) -> bool {
        self.status == Some(401)
    }
}

/// Asks the relay whether it still accepts `token`. A browser cannot read why a WebSocket
/// upgrade failed, so after a failed connect this tells a relay that is down (retry) from one
/// that refuses this member (stop, and say so).
pub(crate) async fn check_access(token: &str) -> Result<(), Failure> {
    let _: quorum_shared::api::Session = send("GET", "/api/session", Some(token), NO_BODY).await?;
    Ok(())
}

/// Trades this member's access token, while it still works, for a fresh one with the same
/// workspace, member and role.
pub(crate) async fn refresh_access(membership: &Membership) -> Result<Membership, Failure> {
    send("POST", "/api/session/refresh", Some(&membership.token), NO_BODY).await
}

/// The link that opens the join page with `invite` in it, on this app's own origin.
pub fn invite_link(invite: &str) -> String {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    format!("{origin}/join?invite={}", encode(invite))
}

/// No request body, for the calls that send none.
const NO_BODY: Option<&()> = None;

/// What every call says when the relay does not answer.
pub const UNREACHABLE: &str =
    "the Quorum server cannot be reached; check this device's network connection and try again";

async fn call<T: DeserializeOwned>(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&impl Serialize>,
) -> Result<T, String> {
    send(method, path, token, body).await.map_err(|failure| failure.message)
}

async fn send<T: DeserializeOwned>(
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&impl Serialize>,
) -> Result<T, Failure> {
    let unreachable = |_| Failure { status: None, message: UNREACHABLE.to_owned() };
    let init = RequestInit::new();
    init.set_method(method);
    if let Some(body) = body {
        // The bodies are plain structs of strings, which serde_json always writes; the error
        // is mapped only so that no panic path is left.
        let json = serde_json::to_string(body).map_err(|_| unreachable(JsValue::NULL))?;
        init.set_body(&JsValue::from_str(&json));
    }
    let request = Request::new_with_str_and_init(path, &init).map_err(unreachable)?;
    if body.is_some() {
        request.headers().set("content-type", "application/json").map_err(unreachable)?;
    }
    if let Some(token) = token {
        request.headers().set("authorization", &format!("Bearer {token}")).map_err(unreachable)?;
    }
    let window = web_sys::window().ok_or_else(|| unreachable(JsValue::NULL))?;
    let response: Response =
        JsFuture::from(window.fetch_with_request(&request)).await.map_err(unreachable)?.unchecked_into();
    let text = JsFuture::from(response.text().map_err(unreachable)?)
        .await
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default();
    if !response.ok() {
        let status = response.status();
        return Err(match serde_json::from_str::<ErrorBody>(&text) {
            Ok(error) => Failure { status: Some(status), message: error.error },
            // A gateway in front of the relay answering for it: the relay was not reached.
            Err(_) if matches!(status, 502..=504) => {
                Failure { status: None, message: UNREACHABLE.to_owned() }
            }
            Err(_) => Failure { status: Some(status), message: format!("the server answered {status}") },
        });
    }
    serde_json::from_str(&text).map_err(|_| Failure {
        status: Some(response.status()),
        message: "the server's answer could not be read; reload and try again".to_owned(),
    })
}

fn encode(part: &str) -> String {
    js_sys::encode_uri_component(part).into()
}
