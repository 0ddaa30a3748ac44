//! The JSON API the app uses to manage workspaces: create one, invite, accept an invite, list
//! members, revoke; and for a member's own access: check it (`GET /api/session`, which tells a
//! browser why its WebSocket upgrade was refused, since a browser cannot read that status) and
//! trade it for a fresh one before it expires (`POST /api/session/refresh`). Every error is
//! JSON, `{"error": "..."}`, with a message a person can act on.

use axum::{
    Json, Router,
    extract::{Path, State, rejection::JsonRejection},
    http::{HeaderMap, StatusCode},
    routing::{delete, get, post},
};
use quorum_shared::api::{
    AcceptInvite, CertifiedKey, CertifiedKeys, CreateInvite, CreateWorkspace, Invite, InviteWithdrawn,
    Members, Membership, PendingInvites, RegisterKey, Revoked, Session,
};
use quorum_shared::model::DocumentId;

use crate::{
    AppState,
    access::Role,
    auth::{Remote, bearer},
    config::Signup,
    error::ApiError,
    token::{self, Claims, TokenKind},
};
use std::sync::atomic::Ordering::Relaxed;

fn body<T>(payload: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    payload.map(|Json(value)| value).map_err(|rejection| ApiError::bad_request(rejection.body_text()))
}

fn check_name(name: &str, what: &str) -> Result<String, ApiError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(ApiError::bad_request(format!("the {what} must not be empty")));
    }
    if name.chars().count() > 200 {
        return Err(ApiError::bad_request(format!("the {what} must be at most 200 characters")));
    }
    Ok(name.to_owned())
}

impl AppState {
    /// Creates a workspace with its root document and its first owner.
    pub async fn create_workspace(&self, name: &str, owner_name: &str) -> Result<Membership, ApiError> {
        let name = check_name(name, "workspace name")?;
        let owner_name = check_name(owner_name, "owner's name")?;
        // The root document is stored before its id is handed out, with one empty change so
        // that there is something to find, as automerge-repo's `create` does.
        let root = DocumentId::from_bytes(crate::access::random_bytes());
        let mut doc = automerge::AutoCommit::new();
        doc.empty_change(automerge::transaction::CommitOptions::default());
        let chunk = doc.save();
        let key = quorum_shared::relay::chunk_key(&root.to_string(), "snapshot", &chunk);
        self.inner.storage.create(key, chunk).await.map_err(|error| {
            tracing::error!(%error, "cannot store a new workspace's root document");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server cannot store the workspace; try again shortly",
            )
        })?;
        let id = crate::access::random_id();
        let (workspace, owner) = self.inner.access.create_workspace(id, name, owner_name, root).await?;
        tracing::info!(workspace = workspace.id, "workspace created");
        Ok(self.membership(workspace.id, workspace.name, &workspace.root_document, owner.id, owner.role))
    }

    /// Whether this caller may create a workspace now: signup is open or they hold a signup
    /// token, and their address has not used up its hourly allowance.
    fn may_sign_up(&self, remote: Remote, headers: &HeaderMap) -> Result<(), ApiError> {
        if self.inner.config.signup == Signup::Closed {
            let token = bearer(headers).ok_or_else(|| {
                ApiError::new(
                    StatusCode::FORBIDDEN,
                    "this server creates workspaces only with a signup token from its operator; \
                     ask them for one, or for an invite to an existing workspace",
                )
            })?;
            let claims = self.inner.keys.verify(&token, token::now()).map_err(|error| {
                ApiError::new(StatusCode::FORBIDDEN, format!("this signup token cannot be used: {error}"))
            })?;
            if claims.kind != TokenKind::Signup {
                return Err(ApiError::new(StatusCode::FORBIDDEN, "this is not a signup token"));
            }
        }
        if let Some(addr) = remote.0
            && let Err(wait) = self.inner.signups.take(addr.ip(), std::time::Instant::now())
        {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "too many workspaces were created from your address; try again in {} minutes",
                    wait.as_secs().div_ceil(60).max(1)
                ),
            ));
        }
        Ok(())
    }

    /// A signup token, for `quorum token signup`: valid for `ttl`.
    pub fn signup_token(&self, ttl: std::time::Duration) -> String {
        self.sign(&Claims {
            kind: TokenKind::Signup,
            workspace: String::new(),
            role: Role::Owner,
            subject: crate::access::random_id(),
            expires_at: token::now() + ttl.as_secs(),
        })
    }

    /// Adds a member directly, as an operator may from the command line.
    pub async fn add_member(&self, workspace: &str, role: Role, name: &str) -> Result<Membership, ApiError> {
        let name = check_name(name, "member's name")?;
        let found = self.inner.access.workspace(workspace).await?;
        let invite = self.inner.access.create_invite(&found.id, role, token::now() + 60, None).await?;
        let (workspace, member) = self.inner.access.accept_invite(&invite, name).await?;
        Ok(self.membership(workspace.id, workspace.name, &workspace.root_document, member.id, member.role))
    }

    /// Revokes a member: their tokens stop working and their open connections close.
    pub async fn revoke(&self, workspace: &str, member: &str) -> Result<(), ApiError> {
        self.inner.access.revoke(workspace, member).await?;
        self.inner.connections.close_revoked(member);
        tracing::info!(workspace, member, "member revoked");
        Ok(())
    }

    /// Signs claims with the server's key; tests use it to make expired or odd tokens.
    pub fn sign(&self, claims: &Claims) -> String {
        self.inner.keys.sign(claims)
    }

    fn membership(
        &self,
        workspace_id: String,
        workspace_name: String,
        root: &str,
        member_id: String,
        role: Role,
    ) -> Membership {
        let expires_at = token::now() + self.inner.config.access_token_ttl.as_secs();
        let token = self.sign(&Claims {
            kind: TokenKind::Access,
            workspace: workspace_id.clone(),
            role,
            subject: member_id.clone(),
            expires_at,
        });
        let root_document_url = match root.parse::<DocumentId>() {
            Ok(doc) => doc.url().to_string(),
            Err(_) => format!("automerge:{root}"),
        };
        Membership { workspace_id, workspace_name, root_document_url, member_id, role, token, expires_at }
    }
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/session", get(session))
        .route("/session/refresh", post(refresh_session))
        .route("/workspaces", post(create_workspace))
        .route("/workspaces/{workspace}/invites", post(create_invite).get(list_invites))
        .route("/workspaces/{workspace}/invites/{invite}", delete(withdraw_invite))
        .route("/workspaces/{workspace}/members", get(list_members))
        .route("/workspaces/{workspace}/members/{member}", delete(revoke_member))
        .route("/workspaces/{workspace}/keys", get(list_keys).post(register_key))
        .route("/invites/accept", post(accept_invite))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "there is no such API endpoint") })
}

async fn session(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Session>, ApiError> {
    let (grant, expires_at) = state.checked_token(&headers).await?;
    Ok(Json(Session { workspace_id: grant.workspace, member_id: grant.member, role: grant.role, expires_at }))
}

/// A fresh access token for the same member, workspace and role, valid for the full term from
/// now. Only a token that still works can be traded: an expired or revoked one is answered 401,
/// so a member who lost access cannot get it back this way.
async fn refresh_session(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Membership>, ApiError> {
    let (grant, _) = state.checked_token(&headers).await?;
    let workspace = state.inner.access.workspace(&grant.workspace).await?;
    tracing::info!(workspace = workspace.id, member = grant.member, "access token refreshed");
    Ok(Json(state.membership(
        workspace.id,
        workspace.name,
        &workspace.root_document,
        grant.member,
        grant.role,
    )))
}

async fn create_workspace(
    State(state): State<AppState>,
    remote: Remote,
    headers: HeaderMap,
    payload: Result<Json<CreateWorkspace>, JsonRejection>,
) -> Result<(StatusCode, Json<Membership>), ApiError> {
    if let Err(refused) = state.may_sign_up(remote, &headers) {
        state.inner.metrics.signups_refused.fetch_add(1, Relaxed);
        tracing::info!(reason = %refused.message, "refusing to create a workspace");
        return Err(refused);
    }
    let request = body(payload)?;
    Ok((StatusCode::CREATED, Json(state.create_workspace(&request.name, &request.owner_name).await?)))
}

async fn create_invite(
    State(state): State<AppState>,
    Path(workspace): Path<String>,
    headers: HeaderMap,
    payload: Result<Json<CreateInvite>, JsonRejection>,
) -> Result<(StatusCode, Json<Invite>), ApiError> {
    let issuer = state.owner(&headers, &workspace).await?;
    let request = body(payload)?;
    let expires_at = token::now() + state.inner.config.invite_ttl.as_secs();
    let id =
        state.inner.access.create_invite(&workspace, request.role, expires_at, Some(&issuer.member)).await?;
    let invite = state.sign(&Claims {
        kind: TokenKind::Invite,
        workspace,
        role: request.role,
        subject: id.clone(),
        expires_at,
    });
    Ok((StatusCode::CREATED, Json(Invite { id, invite, role: request.role, expires_at })))
}

/// The invites that can still be accepted; owners only, as only they can withdraw one.
async fn list_invites(
    State(state): State<AppState>,
    Path(workspace): Path<String>,
    headers: HeaderMap,
) -> Result<Json<PendingInvites>, ApiError> {
    state.owner(&headers, &workspace).await?;
    Ok(Json(PendingInvites { invites: state.inner.access.pending_invites(&workspace).await? }))
}

async fn withdraw_invite(
    State(state): State<AppState>,
    Path((workspace, invite)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<InviteWithdrawn>, ApiError> {
    let owner = state.owner(&headers, &workspace).await?;
    state.inner.access.revoke_invite(&workspace, &invite).await?;
    tracing::info!(workspace, invite, by = owner.member, "invite withdrawn");
    Ok(Json(InviteWithdrawn { withdrawn: invite }))
}

async fn accept_invite(
    State(state): State<AppState>,
    payload: Result<Json<AcceptInvite>, JsonRejection>,
) -> Result<(StatusCode, Json<Membership>), ApiError> {
    let request = body(payload)?;
    let name = check_name(&request.name, "name")?;
    let claims = state
        .inner
        .keys
        .verify(&request.invite, token::now())
        .map_err(|error| ApiError::bad_request(format!("this invite cannot be used: {error}")))?;
    if claims.kind != TokenKind::Invite {
        return Err(ApiError::bad_request("this is an access token, not an invite"));
    }
    let (workspace, member) = state.inner.access.accept_invite(&claims.subject, name).await?;
    tracing::info!(workspace = workspace.id, member = member.id, role = %member.role, "invite accepted");
    let membership =
        state.membership(workspace.id, workspace.name, &workspace.root_document, member.id, member.role);
    Ok((StatusCode::CREATED, Json(membership)))
}

async fn list_members(
    State(state): State<AppState>,
    Path(workspace): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Members>, ApiError> {
    state.caller(&headers, &workspace).await?;
    Ok(Json(Members { members: state.inner.access.members(&workspace).await? }))
}

/// Certifies a device's public signing key as the caller's. The key's id is derived from the
/// key itself, so a key cannot be registered under a name that is not its own.
async fn register_key(
    State(state): State<AppState>,
    Path(workspace): Path<String>,
    headers: HeaderMap,
    payload: Result<Json<RegisterKey>, JsonRejection>,
) -> Result<(StatusCode, Json<CertifiedKey>), ApiError> {
    let grant = state.caller(&headers, &workspace).await?;
    let request = body(payload)?;
    let device = request.device.to_ascii_lowercase();
    if device.len() != 32 || quorum_shared::model::signature::unhex(&device).is_none() {
        return Err(ApiError::bad_request("the device must be 32 hexadecimal digits (16 bytes)"));
    }
    let public_key = request.public_key.to_ascii_lowercase();
    let key_id = quorum_shared::model::signature::check_public_key(&public_key).map_err(|_| {
        ApiError::bad_request("the public key must be 64 hexadecimal digits of an Ed25519 public key")
    })?;
    // The device becomes the caller's with its key, in one transaction, and only then does the
    // relay enforce it: a binding it enforced must never be lost to a crash.
    let bytes = quorum_shared::model::signature::unhex(&device).expect("checked above");
    let binding = match state.inner.relay.device_binding(&workspace, bytes, &grant.member).await {
        Ok(Ok(binding)) => binding,
        Ok(Err(refused)) => return Err(ApiError::new(StatusCode::CONFLICT, refused.to_string())),
        Err(stopping) => return Err(ApiError::new(StatusCode::SERVICE_UNAVAILABLE, stopping.to_string())),
    };
    let key = state
        .inner
        .access
        .register_key(&workspace, &grant.member, key_id, device, public_key, binding.clone())
        .await?;
    state.inner.relay.bind(binding);
    tracing::info!(workspace, member = grant.member, key = key.key_id, "device key certified");
    Ok((StatusCode::CREATED, Json(key)))
}

/// Every key the relay certified for the workspace, for any of its members to verify approvals.
async fn list_keys(
    State(state): State<AppState>,
    Path(workspace): Path<String>,
    headers: HeaderMap,
) -> Result<Json<CertifiedKeys>, ApiError> {
    state.caller(&headers, &workspace).await?;
    Ok(Json(CertifiedKeys { keys: state.inner.access.keys(&workspace).await? }))
}

async fn revoke_member(
    State(state): State<AppState>,
    Path((workspace, member)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Revoked>, ApiError> {
    state.owner(&headers, &workspace).await?;
    state.revoke(&workspace, &member).await?;
    Ok(Json(Revoked { revoked: member }))
}
