//! The JSON API the app uses to manage workspaces: create one, invite, accept an invite, list
//! members, revoke; and for a member's own access: check it (`GET /api/session`, which tells a
//! browser why its WebSocket upgrade was refused, since a browser cannot read that status) and
//! trade it for a fresh one before it expires (`POST /api/session/refresh`). Every error is
//! JSON, `{"error": "..."}`, with a message a person can act on.

use axum::{
    Json, Router,
    extract::{Path, State, rejection::JsonRejection},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{delete, get, post},
};
use samod::AutomergeUrl;
use serde::{Deserialize, Serialize};

use crate::{
    AppState,
    access::{AccessError, Grant, Member, Role},
    sync::{CloseReason, bearer},
    token::{self, Claims, TokenKind},
};

/// An error as the API answers it.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, message: message.into() }
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }

    fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(serde_json::json!({ "error": self.message }))).into_response()
    }
}

impl From<AccessError> for ApiError {
    fn from(error: AccessError) -> Self {
        let status = match &error {
            AccessError::WorkspaceNotFound(_)
            | AccessError::MemberNotFound(_)
            | AccessError::InviteNotFound => StatusCode::NOT_FOUND,
            AccessError::InviteUsed | AccessError::LastOwner => StatusCode::CONFLICT,
            AccessError::Db(cause) => {
                tracing::error!(%cause, "database error");
                return Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the server could not reach its database",
                );
            }
        };
        Self::new(status, error.to_string())
    }
}

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

/// A new member's credentials, as the API and the command line print them.
#[derive(Debug, Serialize, Deserialize)]
pub struct Membership {
    pub workspace_id: String,
    pub workspace_name: String,
    pub root_document_url: String,
    pub member_id: String,
    pub role: Role,
    pub token: String,
    pub expires_at: u64,
}

/// An invite, to be handed to the person invited.
#[derive(Debug, Serialize, Deserialize)]
pub struct Invite {
    pub invite: String,
    pub role: Role,
    pub expires_at: u64,
}

impl AppState {
    /// Creates a workspace with its root document and its first owner.
    pub async fn create_workspace(&self, name: &str, owner_name: &str) -> Result<Membership, ApiError> {
        let name = check_name(name, "workspace name")?;
        let owner_name = check_name(owner_name, "owner's name")?;
        let shutting_down = || {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the server is shutting down; try again shortly")
        };
        // The root document is made in the new workspace's own repo, so the id comes first.
        let id = crate::access::random_id();
        let repo = self.inner.repos.get(&id).await.map_err(|_| shutting_down())?;
        let root = repo.repo.create(automerge::Automerge::new()).await.map_err(|_| shutting_down())?;
        let (workspace, owner) =
            self.inner.access.create_workspace(id, name, owner_name, root.document_id().clone()).await?;
        tracing::info!(workspace = workspace.id, "workspace created");
        Ok(self.membership(workspace.id, workspace.name, &workspace.root_document, owner.id, owner.role))
    }

    /// Adds a member directly, as an operator may from the command line.
    pub async fn add_member(&self, workspace: &str, role: Role, name: &str) -> Result<Membership, ApiError> {
        let name = check_name(name, "member's name")?;
        let found = self.inner.access.workspace(workspace).await?;
        let invite = self.inner.access.create_invite(&found.id, role, token::now() + 60).await?;
        let (workspace, member) = self.inner.access.accept_invite(&invite, name).await?;
        Ok(self.membership(workspace.id, workspace.name, &workspace.root_document, member.id, member.role))
    }

    /// Revokes a member: their tokens stop working and their open connections close.
    pub async fn revoke(&self, workspace: &str, member: &str) -> Result<(), ApiError> {
        self.inner.access.revoke(workspace, member).await?;
        self.inner
            .connections
            .close_member(member, &CloseReason::new(1008, "this membership has been revoked"));
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
        let root_document_url = match root.parse::<samod::DocumentId>() {
            Ok(doc) => AutomergeUrl::from(&doc).to_string(),
            Err(_) => format!("automerge:{root}"),
        };
        Membership { workspace_id, workspace_name, root_document_url, member_id, role, token, expires_at }
    }

    /// The caller's grant, which must be for `workspace`.
    async fn caller(&self, headers: &HeaderMap, workspace: &str) -> Result<Grant, ApiError> {
        let token = bearer(headers).ok_or_else(|| {
            ApiError::unauthorized("sign in first: send your access token as Authorization: Bearer")
        })?;
        let grant = self.verify_access(&token).await?;
        if grant.workspace != workspace {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "your token is for another workspace"));
        }
        Ok(grant)
    }

    async fn owner(&self, headers: &HeaderMap, workspace: &str) -> Result<Grant, ApiError> {
        let grant = self.caller(headers, workspace).await?;
        if grant.role != Role::Owner {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "only an owner of the workspace can do this"));
        }
        Ok(grant)
    }
}

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/session", get(session))
        .route("/session/refresh", post(refresh_session))
        .route("/workspaces", post(create_workspace))
        .route("/workspaces/{workspace}/invites", post(create_invite))
        .route("/workspaces/{workspace}/members", get(list_members))
        .route("/workspaces/{workspace}/members/{member}", delete(revoke_member))
        .route("/invites/accept", post(accept_invite))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "there is no such API endpoint") })
}

/// What `GET /api/session` says of a token that still works.
#[derive(Debug, Serialize, Deserialize)]
pub struct Session {
    pub workspace_id: String,
    pub member_id: String,
    pub role: Role,
    pub expires_at: u64,
}

/// The caller's access token, checked as the sync endpoint checks it: 401 with the reason
/// (expired, revoked, not issued here) when it no longer works.
async fn checked_token(state: &AppState, headers: &HeaderMap) -> Result<(Grant, u64), ApiError> {
    let token = bearer(headers).ok_or_else(|| {
        ApiError::unauthorized("sign in first: send your access token as Authorization: Bearer")
    })?;
    let grant = state.verify_access(&token).await?;
    // Verified just above, so only a clock crossing the expiry in between can fail here.
    let claims =
        state.inner.keys.verify(&token, token::now()).map_err(|error| {
            ApiError::unauthorized(format!("{error}; ask the workspace owner for a new one"))
        })?;
    Ok((grant, claims.expires_at))
}

async fn session(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Session>, ApiError> {
    let (grant, expires_at) = checked_token(&state, &headers).await?;
    Ok(Json(Session { workspace_id: grant.workspace, member_id: grant.member, role: grant.role, expires_at }))
}

/// A fresh access token for the same member, workspace and role, valid for the full term from
/// now. Only a token that still works can be traded: an expired or revoked one is answered 401,
/// so a member who lost access cannot get it back this way.
async fn refresh_session(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Membership>, ApiError> {
    let (grant, _) = checked_token(&state, &headers).await?;
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

#[derive(Deserialize)]
struct CreateWorkspace {
    name: String,
    #[serde(default = "default_owner_name")]
    owner_name: String,
}

fn default_owner_name() -> String {
    "Owner".to_owned()
}

async fn create_workspace(
    State(state): State<AppState>,
    payload: Result<Json<CreateWorkspace>, JsonRejection>,
) -> Result<(StatusCode, Json<Membership>), ApiError> {
    let request = body(payload)?;
    Ok((StatusCode::CREATED, Json(state.create_workspace(&request.name, &request.owner_name).await?)))
}

#[derive(Deserialize)]
struct CreateInvite {
    role: Role,
}

async fn create_invite(
    State(state): State<AppState>,
    Path(workspace): Path<String>,
    headers: HeaderMap,
    payload: Result<Json<CreateInvite>, JsonRejection>,
) -> Result<(StatusCode, Json<Invite>), ApiError> {
    state.owner(&headers, &workspace).await?;
    let request = body(payload)?;
    let expires_at = token::now() + state.inner.config.invite_ttl.as_secs();
    let id = state.inner.access.create_invite(&workspace, request.role, expires_at).await?;
    let invite = state.sign(&Claims {
        kind: TokenKind::Invite,
        workspace,
        role: request.role,
        subject: id,
        expires_at,
    });
    Ok((StatusCode::CREATED, Json(Invite { invite, role: request.role, expires_at })))
}

#[derive(Deserialize)]
struct AcceptInvite {
    invite: String,
    name: String,
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

#[derive(Serialize)]
struct Members {
    members: Vec<Member>,
}

async fn list_members(
    State(state): State<AppState>,
    Path(workspace): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Members>, ApiError> {
    state.caller(&headers, &workspace).await?;
    Ok(Json(Members { members: state.inner.access.members(&workspace).await? }))
}

async fn revoke_member(
    State(state): State<AppState>,
    Path((workspace, member)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<serde_json::Value>, ApiError> {
    state.owner(&headers, &workspace).await?;
    state.revoke(&workspace, &member).await?;
    Ok(Json(serde_json::json!({ "revoked": member })))
}
