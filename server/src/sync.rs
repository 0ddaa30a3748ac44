//! `GET /sync`: the WebSocket that carries automerge-repo protocol frames between a member's
//! browser and the relay core.
//!
//! The upgrade needs an access token of a member who has not been revoked: the app offers it as
//! a subprotocol (`quorum-token.<token>`, beside `quorum-sync`, which the relay selects), other
//! peers give `?token=` or `Authorization: Bearer`. The token's grant is bound to the peer id
//! the client announces in its `join`, and the share policy decides from that grant.

mod connection;

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{
        Mutex,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
};

use axum::{
    extract::{
        Query, State,
        rejection::QueryRejection,
        ws::{WebSocketUpgrade, rejection::WebSocketUpgradeRejection},
    },
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
};
use futures::channel::{mpsc, oneshot};
use quorum_shared::api::{SYNC_PROTOCOL, TOKEN_PROTOCOL_PREFIX};
use serde::Deserialize;

use crate::{
    AppState,
    access::Grant,
    auth::{Remote, bearer},
    error::ApiError,
    quota::{Held, Tally},
};

/// The WebSocket's read buffer; see [`upgrade`].
const READ_BUFFER_BYTES: usize = 1024;

#[derive(Deserialize)]
pub(crate) struct SyncParams {
    token: Option<String>,
}

/// Why the server closes a connection, told to the peer as an `error` message and a close frame.
#[derive(Clone, Debug)]
pub(crate) struct CloseReason {
    pub code: u16,
    pub message: String,
}

impl CloseReason {
    pub fn new(code: u16, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

/// What the rest of the server may ask of a live connection.
#[derive(Debug)]
pub(crate) enum Control {
    /// Send this frame as it is.
    Frame(Vec<u8>),
    Close(CloseReason),
}

/// The open connections, so that a revoke or a shutdown can close them.
#[derive(Debug, Default)]
pub(crate) struct Connections {
    open: AtomicUsize,
    /// Open connections per member.
    members: Tally<String>,
    next_id: AtomicU64,
    by_id: Mutex<HashMap<u64, Registered>>,
}

/// What a revoke or a shutdown reaches of one connection.
#[derive(Debug)]
struct Registered {
    member: String,
    control: mpsc::UnboundedSender<Control>,
    /// Fired on revoke: the connection's reader stops at once, whatever its writer waits on. (A
    /// oneshot is a fifth of a watch channel's size, and an idle peer pays for it.)
    revoked: Option<oneshot::Sender<()>>,
}

/// A place among the open connections, given back when dropped: also when an upgrade fails and
/// the connection never runs. It counts against the server's limit, the member's and the
/// address's (an upgrade briefly counts twice against its address: its HTTP connection too).
pub(crate) struct Slot {
    state: AppState,
    _member: Held<String>,
    _address: Option<Held<IpAddr>>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.state.inner.connections.open.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Slot {
    fn reserve(state: &AppState, member: &str, remote: Remote) -> Result<Slot, ApiError> {
        let limits = &state.inner.config.limits;
        let busy = |why: &str| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, why.to_owned());
        let address =
            match remote.0 {
                Some(addr) => {
                    Some(state.inner.addresses.take(addr.ip(), limits.connections_per_address).ok_or_else(
                        || busy("your address has as many connections open as it may; close some"),
                    )?)
                }
                None => None,
            };
        let member = state
            .inner
            .connections
            .members
            .take(member.to_owned(), limits.connections_per_member)
            .ok_or_else(|| {
            busy("this member has as many connections open as it may; close some tabs or devices")
        })?;
        let connections = &state.inner.connections;
        if connections.open.fetch_add(1, Ordering::Relaxed) >= limits.max_connections {
            connections.open.fetch_sub(1, Ordering::Relaxed);
            return Err(busy("the server has as many connections as it allows; try again shortly"));
        }
        Ok(Slot { state: state.clone(), _member: member, _address: address })
    }
}

impl Connections {
    /// Registers a connection; the receiver fires when its member is revoked.
    fn register(
        &self,
        member: &str,
        control: mpsc::UnboundedSender<Control>,
    ) -> (u64, oneshot::Receiver<()>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (revoked, revoked_rx) = oneshot::channel();
        self.lock().insert(id, Registered { member: member.to_owned(), control, revoked: Some(revoked) });
        (id, revoked_rx)
    }

    fn unregister(&self, id: u64) {
        self.lock().remove(&id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Registered>> {
        self.by_id.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Closes every connection of a member whose membership was just revoked: their readers
    /// stop taking anything in at once, and their writers say why when the peer reads again.
    pub fn close_revoked(&self, member: &str) {
        let reason = CloseReason::new(1008, "this membership has been revoked");
        for registered in self.lock().values_mut().filter(|r| r.member == member) {
            if let Some(revoked) = registered.revoked.take() {
                let _ = revoked.send(());
            }
            let _ = registered.control.unbounded_send(Control::Close(reason.clone()));
        }
    }

    pub fn close_all(&self, reason: &CloseReason) {
        for registered in self.lock().values() {
            let _ = registered.control.unbounded_send(Control::Close(reason.clone()));
        }
    }
}

pub(crate) async fn upgrade(
    State(state): State<AppState>,
    remote: Remote,
    params: Result<Query<SyncParams>, QueryRejection>,
    headers: HeaderMap,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    match authorize(&state, params, &headers).await {
        Ok(grant) => {
            let ws = match ws {
                Ok(ws) => ws,
                Err(rejection) => {
                    return ApiError::new(
                        StatusCode::BAD_REQUEST,
                        format!("/sync is a WebSocket endpoint: {}", rejection.body_text()),
                    )
                    .into_response();
                }
            };
            let limits = &state.inner.config.limits;
            let slot = match Slot::reserve(&state, &grant.member, remote) {
                Ok(slot) => slot,
                Err(refused) => {
                    state.inner.metrics.rejected_connections.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(reason = %refused.message, "refusing a sync connection");
                    return refused.into_response();
                }
            };
            ws.protocols([SYNC_PROTOCOL])
                .max_message_size(limits.max_frame_bytes)
                .max_frame_size(limits.max_frame_bytes)
                // tungstenite zero-fills its whole read buffer before the first read, so its
                // default of 128 KiB was resident for every connection, idle or not: most of an
                // idle peer's cost. Sync messages are mostly a few hundred bytes; a larger one
                // grows the buffer as it arrives.
                .read_buffer_size(READ_BUFFER_BYTES)
                .on_upgrade(move |socket| connection::run(state, socket, grant, slot))
        }
        Err(error) => {
            state.inner.metrics.rejected_connections.fetch_add(1, Ordering::Relaxed);
            tracing::info!(reason = %error.message, "refusing a sync connection");
            error.into_response()
        }
    }
}

async fn authorize(
    state: &AppState,
    params: Result<Query<SyncParams>, QueryRejection>,
    headers: &HeaderMap,
) -> Result<Grant, ApiError> {
    // The app offers its token as a subprotocol; other automerge-repo peers, which can only
    // give a URL, put it in the query. Neither is logged.
    let from_protocol = headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .find_map(|offered| offered.trim().strip_prefix(TOKEN_PROTOCOL_PREFIX).map(str::to_owned));
    let from_query = params.ok().and_then(|Query(p)| p.token);
    let token = from_protocol.or(from_query).or_else(|| bearer(headers)).ok_or_else(|| {
        ApiError::unauthorized(
            "a token is needed: offer it as the quorum-token.<token> subprotocol, add ?token=... or \
             an Authorization: Bearer header",
        )
    })?;
    let grant = state.verify_access(&token).await?;
    Ok(grant)
}
