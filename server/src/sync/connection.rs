//! One sync connection: decodes and checks every frame a peer sends before the relay core sees
//! it, and writes what the core sends, with pings, the idle timeout and the rate limit.
//!
//! Reading and writing run side by side so that a slow peer on one side never stalls the other.

use std::{
    sync::atomic::Ordering::Relaxed,
    time::{Duration, Instant},
};

use axum::extract::ws::{CloseFrame, Message as WsMessage, WebSocket};
use futures::channel::{mpsc, oneshot};
use futures::{
    SinkExt, StreamExt,
    stream::{SplitSink, SplitStream},
};
use quorum_shared::{
    model::DocumentId,
    relay::{Author, ConnectionId},
    wire::Message,
};
use tokio_tungstenite::tungstenite;

use super::{CloseReason, Control, Slot};
use crate::{
    AppState,
    access::{Grant, PeerBinding},
    policy::{self, Admission, Asking},
    quota::Bucket,
    relay::{Link, OUTBOX_FRAMES, Queue},
};

/// Close codes (RFC 6455 and the private range).
const NORMAL: u16 = 1000;
const GOING_AWAY: u16 = 1001;
const PROTOCOL_ERROR: u16 = 1002;
const UNSUPPORTED_DATA: u16 = 1003;
const POLICY_VIOLATION: u16 = 1008;
const TOO_BIG: u16 = 1009;
const INTERNAL_ERROR: u16 = 1011;

/// A send the peer does not take within this long closes the connection.
const SEND_TIMEOUT: Duration = Duration::from_secs(15);
/// How long a closing connection may take to say why.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(2);

pub(super) fn run(state: AppState, socket: WebSocket, grant: Grant, slot: Slot) -> impl Future<Output = ()> {
    state.inner.metrics.connections.fetch_add(1, Relaxed);
    state.inner.metrics.connections_total.fetch_add(1, Relaxed);
    // Split before the task's future is made, so that it holds the two halves and not also the
    // room of the socket they came from.
    let (ws_tx, ws_rx) = socket.split();
    serve(state, ws_tx, ws_rx, grant, slot)
}

async fn serve(
    state: AppState,
    mut ws_tx: SplitSink<WebSocket, WsMessage>,
    mut ws_rx: SplitStream<WebSocket>,
    grant: Grant,
    slot: Slot,
) {
    let metrics = state.inner.metrics.clone();
    let idle = state.inner.config.limits.idle_timeout;

    // The handshake is boxed: its futures live only until the peer has joined, and inline they
    // would widen every connection's task for its whole life (an idle peer's largest cost).
    let Some(Joined { peer, connection, id, mut frames_rx, queue, control_tx, mut control_rx, mut revoked }) =
        Box::pin(handshake(&state, &grant, &mut ws_tx, &mut ws_rx)).await
    else {
        return;
    };
    let relay = &state.inner.relay;

    let reader = async {
        // A faster sender is slowed down, not refused: bursts of twice the rate pass.
        let rate = f64::from(state.inner.config.limits.messages_per_second.max(1));
        let mut bucket = Bucket::new(rate, 2.0 * rate, Instant::now());
        loop {
            // A revoke stops the reader at once, even while the writer waits on a peer that does
            // not read: nothing the peer sends afterwards reaches the core.
            let next = tokio::select! {
                biased;
                // Fired, or (never while this runs) dropped by the registry: stop either way.
                _ = &mut revoked => return Some(revoked_reason()),
                next = tokio::time::timeout(idle, ws_rx.next()) => next,
            };
            let message = match next {
                Err(_) => return Some(CloseReason::new(NORMAL, "closing an idle connection")),
                Ok(None) => return None,
                Ok(Some(Err(error))) => {
                    let error = error.into_inner();
                    if let Some(tungstenite::Error::Capacity(limit)) =
                        error.downcast_ref::<tungstenite::Error>()
                    {
                        metrics.bad_frames.fetch_add(1, Relaxed);
                        tracing::info!(%peer, %limit, "closing a connection that sent an oversized frame");
                        return Some(CloseReason::new(TOO_BIG, format!("the message is too large: {limit}")));
                    }
                    tracing::info!(%peer, %error, "the connection was lost");
                    return None;
                }
                Ok(Some(Ok(message))) => message,
            };
            let bytes = match message {
                WsMessage::Binary(bytes) => bytes,
                WsMessage::Text(_) => {
                    metrics.bad_frames.fetch_add(1, Relaxed);
                    tracing::info!(%peer, "closing a connection that sent a text frame");
                    return Some(CloseReason::new(
                        UNSUPPORTED_DATA,
                        "text frames are not part of the protocol; send binary CBOR",
                    ));
                }
                WsMessage::Close(_) => return None,
                WsMessage::Ping(_) | WsMessage::Pong(_) => continue,
            };
            metrics.messages_in.fetch_add(1, Relaxed);
            metrics.bytes_in.fetch_add(bytes.len() as u64, Relaxed);
            while let Err(wait) = bucket.take(Instant::now()) {
                tokio::time::sleep(wait).await;
            }
            let message = match Message::decode(&bytes) {
                Ok(message) => message,
                Err(error) => {
                    metrics.bad_frames.fetch_add(1, Relaxed);
                    tracing::info!(%peer, %error, "closing a connection after a malformed message");
                    return Some(CloseReason::new(PROTOCOL_ERROR, error.to_string()));
                }
            };
            let asking = match &message {
                Message::Request { document_id, .. } | Message::Sync { document_id, .. } => {
                    Some((document_id, Asking::Sync))
                }
                Message::Ephemeral { document_id, .. } => Some((document_id, Asking::Other)),
                // Reports the relay does not act on: not worth a lookup.
                Message::DocUnavailable { .. }
                | Message::RemoteHeadsChanged { .. }
                | Message::RemoteSubscriptionChange { .. } => continue,
                _ => None,
            };
            if let Some((document_id, asking)) = asking {
                // The codec has checked the id's spelling; this reads it as the tables key it.
                let quota = state.inner.config.limits.documents_per_workspace;
                let admission = match document_id.parse::<DocumentId>() {
                    Ok(doc) => policy::admit(&state.inner.access, &grant, asking, &doc, quota).await,
                    Err(_) => Admission::Refused,
                };
                if admission != Admission::Admitted {
                    if admission == Admission::OverQuota {
                        metrics.documents_refused.fetch_add(1, Relaxed);
                        tracing::warn!(%peer, %document_id, workspace = grant.workspace, quota, "refusing a new document: the workspace holds as many as it may");
                    } else {
                        metrics.bad_frames.fetch_add(1, Relaxed);
                        tracing::info!(%peer, %document_id, kind = message.type_name(), "dropping a message for a document outside the peer's workspace");
                    }
                    if asking == Asking::Sync {
                        let unavailable = Message::DocUnavailable {
                            sender_id: relay.peer_id().to_owned(),
                            target_id: peer.clone(),
                            document_id: document_id.clone(),
                        };
                        let _ = control_tx.unbounded_send(Control::Frame(unavailable.encode()));
                    }
                    continue;
                }
            }
            // Room in the relay's inbound budget first: while the relay is behind, this reader
            // waits, and its peer with it.
            let (admitted, waited) = relay.inbound().admit(bytes.len()).await;
            if waited {
                metrics.inbound_waits.fetch_add(1, Relaxed);
            }
            if !matches!(revoked.try_recv(), Ok(None)) {
                return Some(revoked_reason());
            }
            if relay.message(connection, message, admitted).is_err() {
                return Some(CloseReason::new(GOING_AWAY, "the server is shutting down"));
            }
        }
    };

    let writer = async {
        let mut ping = tokio::time::interval(idle / 3);
        ping.tick().await;
        loop {
            // Control first: a close (a revoke, a shutdown) goes before frames still queued.
            tokio::select! {
                biased;
                control = control_rx.next() => match control {
                    Some(Control::Frame(bytes)) => {
                        if !delivered(&metrics, ws_tx.send(WsMessage::Binary(bytes.into()))).await {
                            return;
                        }
                    }
                    // Boxed, as closing happens once: inline it would widen the task.
                    Some(Control::Close(reason)) => return Box::pin(close(&mut ws_tx, &reason)).await,
                    None => return,
                },
                frame = frames_rx.next() => match frame {
                    Some(first) => {
                        // Whatever else the relay has queued for this peer goes out with it, in
                        // one flush, under one deadline.
                        let batch = async {
                            let mut frame = Some(first);
                            // Taken off the outbound budget once flushed to the socket, not when
                            // merely buffered.
                            let mut batched = 0;
                            while let Some(bytes) = frame {
                                metrics.messages_out.fetch_add(1, Relaxed);
                                metrics.bytes_out.fetch_add(bytes.len() as u64, Relaxed);
                                batched += bytes.len();
                                ws_tx.feed(WsMessage::Binary(bytes.into())).await?;
                                frame = frames_rx.try_recv().ok();
                            }
                            ws_tx.flush().await?;
                            queue.sent(batched);
                            Ok::<(), axum::Error>(())
                        };
                        if !delivered(&metrics, batch).await {
                            return;
                        }
                    }
                    None => return Box::pin(close(&mut ws_tx, &CloseReason::new(NORMAL, "the server closed the connection"))).await,
                },
                _ = ping.tick() => {
                    if !delivered(&metrics, ws_tx.send(WsMessage::Ping(Vec::new().into()))).await {
                        return;
                    }
                }
            }
        }
    };

    tokio::pin!(writer);
    let reader_stopped = tokio::select! {
        reason = reader => Some(reason),
        () = &mut writer => None,
    };
    if let Some(Some(reason)) = &reader_stopped {
        let _ = control_tx.unbounded_send(Control::Close(reason.clone()));
    }
    // Nothing more of this peer reaches the core, whatever its writer still waits on.
    relay.disconnect(connection);
    if reader_stopped.is_some() {
        // Let the writer say why, but do not wait long on a peer that stopped reading.
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, &mut writer).await;
    }
    state.inner.connections.unregister(id);
    state.inner.access.unbind_peer(&peer);
    tracing::info!(%peer, "peer disconnected");
    drop(slot);
    finish(&state);
}

/// What a connection has once its peer has joined.
struct Joined {
    peer: String,
    connection: ConnectionId,
    id: u64,
    frames_rx: mpsc::Receiver<Vec<u8>>,
    /// The bytes of `frames_rx`, counted in the relay's outbound budget.
    queue: Queue,
    control_tx: mpsc::UnboundedSender<Control>,
    control_rx: mpsc::UnboundedReceiver<Control>,
    /// Fires when the member is revoked.
    revoked: oneshot::Receiver<()>,
}

/// Takes the peer's `join`, binds its peer id to the grant and connects it to the relay core;
/// `None` once the connection has been refused and closed.
async fn handshake(
    state: &AppState,
    grant: &Grant,
    ws_tx: &mut SplitSink<WebSocket, WsMessage>,
    ws_rx: &mut SplitStream<WebSocket>,
) -> Option<Joined> {
    let metrics = &state.inner.metrics;
    // The first frame must be the peer's `join`, naming the peer id the grant is bound to.
    let first_frame = async {
        loop {
            match ws_rx.next().await {
                Some(Ok(WsMessage::Ping(_) | WsMessage::Pong(_))) => continue,
                other => return other,
            }
        }
    };
    let first = match tokio::time::timeout(state.inner.config.limits.join_timeout, first_frame).await {
        Ok(Some(Ok(WsMessage::Binary(bytes)))) => bytes,
        Ok(Some(Ok(WsMessage::Text(_)))) => {
            return refuse(state, ws_tx, UNSUPPORTED_DATA, "text frames are not part of the protocol").await;
        }
        Ok(_) => {
            finish(state);
            return None;
        }
        Err(_) => return refuse(state, ws_tx, NORMAL, "no join message arrived in time").await,
    };
    metrics.messages_in.fetch_add(1, Relaxed);
    metrics.bytes_in.fetch_add(first.len() as u64, Relaxed);
    let join = match Message::decode(&first) {
        Ok(join @ Message::Join { .. }) => join,
        Ok(_) => return refuse(state, ws_tx, PROTOCOL_ERROR, "the first message must be a join").await,
        Err(error) => return refuse(state, ws_tx, PROTOCOL_ERROR, &error.to_string()).await,
    };
    let Message::Join { sender_id: peer, .. } = &join else { unreachable!("matched above") };
    let peer = peer.clone();
    if state.inner.access.bind_peer(&peer, grant) == PeerBinding::Taken {
        return refuse(
            state,
            ws_tx,
            POLICY_VIOLATION,
            "this peer id is already connected with another token",
        )
        .await;
    }
    tracing::info!(%peer, workspace = grant.workspace, role = %grant.role, "peer connected");

    // futures' channels allocate per message, not a block of slots up front: an idle peer's
    // empty queues cost next to nothing.
    let (frames_tx, frames_rx) = mpsc::channel::<Vec<u8>>(OUTBOX_FRAMES);
    let (control_tx, control_rx) = mpsc::unbounded();
    let queue = state.inner.relay.queue();
    let link = Link { frames: frames_tx, control: control_tx.clone(), queue: queue.clone() };
    let author = match grant.role.can_write() {
        // Changes stamped before the workspace came here (a restored backup) bind no actor.
        true => match state.inner.access.workspace_since(&grant.workspace).await {
            Ok(Some(since)) => Some(Author {
                scope: grant.workspace.clone(),
                member: grant.member.clone(),
                binds_from_s: since,
            }),
            Ok(None) => {
                state.inner.access.unbind_peer(&peer);
                return refuse(state, ws_tx, POLICY_VIOLATION, "this workspace no longer exists").await;
            }
            Err(error) => {
                tracing::error!(%error, "the workspace could not be read for a new connection");
                state.inner.access.unbind_peer(&peer);
                return refuse(state, ws_tx, INTERNAL_ERROR, "the server could not read its database").await;
            }
        },
        false => None,
    };
    let Ok(connection) = state.inner.relay.connect(join, author, link) else {
        state.inner.access.unbind_peer(&peer);
        return refuse(state, ws_tx, GOING_AWAY, "the server is shutting down").await;
    };
    let (id, revoked) = state.inner.connections.register(&grant.member, control_tx.clone());
    // A revoke between the upgrade's check and the registration above would have missed this
    // connection: look again now that a revoke will find it.
    if !state.inner.access.is_active_member(&grant.workspace, &grant.member).await.unwrap_or(false) {
        state.inner.connections.close_revoked(&grant.member);
    }
    Some(Joined { peer, connection, id, frames_rx, queue, control_tx, control_rx, revoked })
}

/// Says why and closes, giving a peer that does not read at most `CLOSE_TIMEOUT`.
async fn close(ws_tx: &mut SplitSink<WebSocket, WsMessage>, reason: &CloseReason) {
    let _ = tokio::time::timeout(CLOSE_TIMEOUT, async {
        if reason.code != NORMAL || !reason.message.is_empty() {
            let error = Message::Error { sender_id: None, target_id: None, message: reason.message.clone() };
            let _ = ws_tx.send(WsMessage::Binary(error.encode().into())).await;
        }
        // A close reason must fit in a control frame (123 bytes).
        let mut text = reason.message.clone();
        while text.len() > 120 {
            text.pop();
        }
        let _ =
            ws_tx.send(WsMessage::Close(Some(CloseFrame { code: reason.code, reason: text.into() }))).await;
        let _ = ws_tx.close().await;
    })
    .await;
}

/// Whether a send went through in time: a peer that takes nothing for `SEND_TIMEOUT` is closed
/// (and counted as slow) instead of holding its task and buffers for good.
async fn delivered<E>(metrics: &crate::metrics::Metrics, send: impl Future<Output = Result<(), E>>) -> bool {
    match tokio::time::timeout(SEND_TIMEOUT, send).await {
        Ok(result) => result.is_ok(),
        Err(_) => {
            metrics.slow_peers.fetch_add(1, Relaxed);
            false
        }
    }
}

fn revoked_reason() -> CloseReason {
    CloseReason::new(POLICY_VIOLATION, "this membership has been revoked")
}

/// Closes a connection whose handshake failed; always `None`, the handshake's outcome.
async fn refuse(
    state: &AppState,
    ws_tx: &mut SplitSink<WebSocket, WsMessage>,
    code: u16,
    message: &str,
) -> Option<Joined> {
    state.inner.metrics.bad_frames.fetch_add(1, Relaxed);
    tracing::info!(reason = message, "closing a connection before its handshake");
    close(ws_tx, &CloseReason::new(code, message)).await;
    finish(state);
    None
}

fn finish(state: &AppState) {
    state.inner.metrics.connections.fetch_sub(1, Relaxed);
}
