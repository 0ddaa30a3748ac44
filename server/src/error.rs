//! How the relay refuses an HTTP request: a status and `{"error": "..."}` (the shared
//! [`ErrorBody`]) with a message a person can act on. The API, the sync endpoint's upgrade and the
//! token checks all answer with it.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use quorum_shared::api::ErrorBody;

use crate::records::AccessError;

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

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(ErrorBody { error: self.message })).into_response()
    }
}

impl From<AccessError> for ApiError {
    fn from(error: AccessError) -> Self {
        let status = match &error {
            AccessError::WorkspaceNotFound(_)
            | AccessError::MemberNotFound(_)
            | AccessError::InviteNotFound => StatusCode::NOT_FOUND,
            AccessError::InviteUsed
            | AccessError::LastOwner
            | AccessError::KeyTaken
            | AccessError::DeviceTaken => StatusCode::CONFLICT,
            AccessError::InviteVoid => StatusCode::GONE,
            // A database that is away (PostgreSQL restarting) comes back: worth trying again.
            AccessError::Db(cause) if cause.is_unreachable() => {
                tracing::warn!(%cause, "the database is unreachable");
                return Self::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "the server cannot reach its database just now; try again shortly",
                );
            }
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
