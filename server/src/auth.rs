//! Who is calling: the access token of a request (an `Authorization: Bearer` header, or the sync
//! endpoint's `?token=`), checked against the server's key and its tables, and the address it
//! came from ([`Remote`]). The JSON API and the sync endpoint both ask here, so neither has to
//! ask the other.

use std::net::SocketAddr;

use axum::{
    extract::ConnectInfo,
    http::{HeaderMap, StatusCode, header},
};

use crate::{
    AppState,
    access::{Grant, Role},
    error::ApiError,
    token::{self, TokenKind},
};

/// What a request without a bearer token is told.
const SIGN_IN_FIRST: &str = "sign in first: send your access token as Authorization: Bearer";

/// The token of an `Authorization: Bearer` header.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

/// Compares two secrets in a time that does not depend on where they differ.
pub(crate) fn same(given: &str, expected: &str) -> bool {
    use sha2::{Digest, Sha256};
    let (given, expected) = (Sha256::digest(given), Sha256::digest(expected));
    given.iter().zip(expected.iter()).fold(0u8, |differ, (a, b)| differ | (a ^ b)) == 0
}

impl AppState {
    /// Checks an access token and that its member is still in the workspace.
    pub(crate) async fn verify_access(&self, token: &str) -> Result<Grant, ApiError> {
        let claims = self.inner.keys.verify(token, token::now()).map_err(|error| {
            ApiError::unauthorized(format!("{error}; ask the workspace owner for a new one"))
        })?;
        if claims.kind != TokenKind::Access {
            return Err(ApiError::unauthorized("this is an invite: accept it first to get an access token"));
        }
        // The role is the tables' own: a token minted before a change of role does not keep the
        // old one.
        let Some(role) = self.inner.access.active_role(&claims.workspace, &claims.subject).await? else {
            return Err(ApiError::unauthorized("this membership has been revoked"));
        };
        Ok(Grant { workspace: claims.workspace, member: claims.subject, role })
    }

    /// The caller's access token, checked as the sync endpoint checks it: 401 with the reason
    /// (expired, revoked, not issued here) when it no longer works. Gives the grant and the
    /// token's expiry.
    pub(crate) async fn checked_token(&self, headers: &HeaderMap) -> Result<(Grant, u64), ApiError> {
        let token = bearer(headers).ok_or_else(|| ApiError::unauthorized(SIGN_IN_FIRST))?;
        let grant = self.verify_access(&token).await?;
        // Verified just above, so only a clock crossing the expiry in between can fail here.
        let claims = self.inner.keys.verify(&token, token::now()).map_err(|error| {
            ApiError::unauthorized(format!("{error}; ask the workspace owner for a new one"))
        })?;
        Ok((grant, claims.expires_at))
    }

    /// The caller's grant, which must be for `workspace`.
    pub(crate) async fn caller(&self, headers: &HeaderMap, workspace: &str) -> Result<Grant, ApiError> {
        let token = bearer(headers).ok_or_else(|| ApiError::unauthorized(SIGN_IN_FIRST))?;
        let grant = self.verify_access(&token).await?;
        if grant.workspace != workspace {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "your token is for another workspace"));
        }
        Ok(grant)
    }

    /// The caller's grant, which must be an owner's of `workspace`.
    pub(crate) async fn owner(&self, headers: &HeaderMap, workspace: &str) -> Result<Grant, ApiError> {
        let grant = self.caller(headers, workspace).await?;
        if grant.role != Role::Owner {
            return Err(ApiError::new(StatusCode::FORBIDDEN, "only an owner of the workspace can do this"));
        }
        Ok(grant)
    }
}

/// The address a request came from, when it came through [`crate::serve`]; `None` for a request made
/// in-process (the tests' `oneshot`), which is trusted as loopback is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Remote(pub Option<SocketAddr>);

impl Remote {
    /// Whether the caller is on this machine.
    pub fn is_local(self) -> bool {
        self.0.is_none_or(|addr| addr.ip().is_loopback())
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Remote {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Remote(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| *addr)))
    }
}
