//! One sync connection: checks every frame a peer sends before samod sees it, and writes what
//! samod sends, with pings, the idle timeout and the rate limit.
//!
//! Reading and writing run side by side so that a slow peer on one side never stalls the other.

use std::{
    convert::Infallible,
    sync::atomic::Ordering::Relaxed,
    time::{Duration, Instant},
};

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::{SinkExt, StreamExt, stream::SplitSink};
use samod::{PeerId, Transport};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite;

use super::{
    CloseReason, Control, Slot,
    frame::{self, MessageKind},
};
use crate::{AppState, access::Grant, access::PeerBinding};

/// Close codes (RFC 6455 and the private range).
const NORMAL: u16 = 1000;
const GOING_AWAY: u16 = 1001;
const PROTOCOL_ERROR: u16 = 1002;
const UNSUPPORTED_DATA: u16 = 1003;
const POLICY_VIOLATION: u16 = 1008;
const TOO_BIG: u16 = 1009;

/// Frames buffered between the socket and samod in each direction.
const BUFFER: usize = 64;

/// How long a sync message waits for its heads to reach the disk before it goes out anyway: far
/// beyond a commit (milliseconds), so reached only if a write failed for good, which storage
/// logs; holding the peer's sync forever would not make the data any safer.
const DURABLE_WAIT: Duration = Duration::from_secs(10);

/// Waits until the changes a sync message advertises are on disk.
async fn durable(state: &AppState, document: &samod::DocumentId, heads: &[automerge::ChangeHash]) {
    let document = document.to_string();
    let wait = state.inner.storage.heads_durable(&document, heads);
    if tokio::time::timeout(DURABLE_WAIT, wait).await.is_err() {
        state.inner.metrics.undurable_sends.fetch_add(1, Relaxed);
        tracing::error!(document, "sending a sync message whose changes are not known to be on disk");
    }
}

pub(super) async fn run(state: AppState, socket: WebSocket, grant: Grant, slot: Slot) {
    let metrics = state.inner.metrics.clone();
    metrics.connections.fetch_add(1, Relaxed);
    metrics.connections_total.fetch_add(1, Relaxed);
    let (mut ws_tx, mut ws_rx) = socket.split();
    let idle = state.inner.config.limits.idle_timeout;

    // The first frame must be the peer's `join`, naming the peer id the grant is bound to.
    let first_frame = async {
        loop {
            match ws_rx.next().await {
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                other => return other,
            }
        }
    };
    let first = match tokio::time::timeout(idle, first_frame).await {
        Ok(Some(Ok(Message::Binary(bytes)))) => bytes.to_vec(),
        Ok(Some(Ok(Message::Text(_)))) => {
            return refuse(&state, &mut ws_tx, UNSUPPORTED_DATA, "text frames are not part of the protocol")
                .await;
        }
        Ok(_) => return finish(&state),
        Err(_) => return refuse(&state, &mut ws_tx, NORMAL, "no join message arrived in time").await,
    };
    let peer = match frame::parse_header(&first) {
        Ok(frame::FrameHeader { kind: MessageKind::Join, sender: Some(sender), .. }) => PeerId::from(sender),
        Ok(_) => return refuse(&state, &mut ws_tx, PROTOCOL_ERROR, "the first message must be a join").await,
        Err(error) => return refuse(&state, &mut ws_tx, PROTOCOL_ERROR, &error.to_string()).await,
    };
    if state.inner.access.bind_peer(&peer, &grant) == PeerBinding::Taken {
        return refuse(
            &state,
            &mut ws_tx,
            POLICY_VIOLATION,
            "this peer id is already connected with another token",
        )
        .await;
    }
    tracing::info!(%peer, workspace = grant.workspace, role = %grant.role, "peer connected");

    let (inbound_tx, inbound_rx) = futures::channel::mpsc::channel::<Vec<u8>>(BUFFER);
    let (outbound_tx, mut outbound_rx) = futures::channel::mpsc::channel::<Vec<u8>>(BUFFER);
    let transport =
        Transport::new(inbound_rx.map(Ok::<_, Infallible>), outbound_tx).with_expected_peer_id(peer.clone());
    let accepted = match state.inner.repos.get(&grant.workspace).await {
        Ok(workspace) => workspace.acceptor.accept(transport).is_ok(),
        Err(_) => false,
    };
    if !accepted {
        state.inner.access.unbind_peer(&peer);
        return refuse(&state, &mut ws_tx, GOING_AWAY, "the server is shutting down").await;
    }
    let (control_tx, mut control_rx) = mpsc::unbounded_channel();
    let id = state.inner.connections.register(&grant.member, control_tx.clone());
    // A revoke between the upgrade's check and the registration above would have missed this
    // connection: look again now that a revoke will find it.
    if !state.inner.access.is_active_member(&grant.workspace, &grant.member).await.unwrap_or(false) {
        let _ = control_tx
            .send(Control::Close(CloseReason::new(POLICY_VIOLATION, "this membership has been revoked")));
    }

    let reader = async {
        // Owned by the reader, so that samod sees the connection end as soon as reading stops.
        let mut inbound_tx = inbound_tx;
        metrics.messages_in.fetch_add(1, Relaxed);
        metrics.bytes_in.fetch_add(first.len() as u64, Relaxed);
        if inbound_tx.send(first).await.is_err() {
            return None;
        }
        let mut bucket = TokenBucket::new(state.inner.config.limits.messages_per_second);
        loop {
            let message = match tokio::time::timeout(idle, ws_rx.next()).await {
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
                Message::Binary(bytes) => bytes,
                Message::Text(_) => {
                    metrics.bad_frames.fetch_add(1, Relaxed);
                    tracing::info!(%peer, "closing a connection that sent a text frame");
                    return Some(CloseReason::new(
                        UNSUPPORTED_DATA,
                        "text frames are not part of the protocol; send binary CBOR",
                    ));
                }
                Message::Close(_) => return None,
                Message::Ping(_) | Message::Pong(_) => continue,
            };
            metrics.messages_in.fetch_add(1, Relaxed);
            metrics.bytes_in.fetch_add(bytes.len() as u64, Relaxed);
            if let Some(wait) = bucket.take(Instant::now()) {
                tokio::time::sleep(wait).await;
            }
            let header = match frame::parse_header(&bytes) {
                Ok(header) => header,
                Err(error) => {
                    metrics.bad_frames.fetch_add(1, Relaxed);
                    tracing::info!(%peer, %error, "closing a connection after a malformed message");
                    return Some(CloseReason::new(PROTOCOL_ERROR, error.to_string()));
                }
            };
            if let Some(doc) = &header.document
                && !admit(&state, &grant, header.kind, doc).await
            {
                metrics.bad_frames.fetch_add(1, Relaxed);
                tracing::info!(%peer, %doc, kind = ?header.kind, "dropping a message for a document outside the peer's workspace");
                if matches!(header.kind, MessageKind::Request | MessageKind::Sync) {
                    let unavailable = doc_unavailable(state.inner.repos.peer_id(), &peer, doc);
                    let _ = control_tx.send(Control::Frame(unavailable));
                }
                continue;
            }
            if inbound_tx.send(bytes.to_vec()).await.is_err() {
                return None;
            }
        }
    };

    let writer = async {
        let mut ping = tokio::time::interval(idle / 3);
        ping.tick().await;
        loop {
            tokio::select! {
                outbound = outbound_rx.next() => match outbound {
                    Some(first) => {
                        // Whatever else samod has queued for this peer goes out with it: one wait
                        // for storage and one flush for the lot, rather than one each, which under
                        // load made every message wait for a commit of its own behind the last.
                        let mut batch = vec![first];
                        while batch.len() < BUFFER
                            && let Ok(bytes) = outbound_rx.try_recv()
                        {
                            batch.push(bytes);
                        }
                        // A sync message tells the peer which changes the server has; say so only
                        // once they are on disk, so that a crash cannot lose what was acknowledged.
                        for (document, heads) in batch.iter().filter_map(|bytes| frame::sync_heads(bytes)) {
                            durable(&state, &document, &heads).await;
                        }
                        for bytes in batch {
                            metrics.messages_out.fetch_add(1, Relaxed);
                            metrics.bytes_out.fetch_add(bytes.len() as u64, Relaxed);
                            if ws_tx.feed(Message::Binary(bytes.into())).await.is_err() {
                                return;
                            }
                        }
                        if ws_tx.flush().await.is_err() {
                            return;
                        }
                    }
                    None => return close(&mut ws_tx, &CloseReason::new(NORMAL, "the server closed the connection")).await,
                },
                control = control_rx.recv() => match control {
                    Some(Control::Frame(bytes)) => {
                        if ws_tx.send(Message::Binary(bytes.into())).await.is_err() {
                            return;
                        }
                    }
                    Some(Control::Close(reason)) => return close(&mut ws_tx, &reason).await,
                    None => return,
                },
                _ = ping.tick() => {
                    if ws_tx.send(Message::Ping(Vec::new().into())).await.is_err() {
                        return;
                    }
                }
            }
        }
    };

    tokio::pin!(writer);
    tokio::select! {
        reason = reader => {
            if let Some(reason) = reason {
                let _ = control_tx.send(Control::Close(reason));
            }
            // Let the writer say why, but do not wait on a peer that stopped reading.
            let _ = tokio::time::timeout(Duration::from_secs(5), &mut writer).await;
        }
        () = &mut writer => {}
    }
    state.inner.connections.unregister(id);
    state.inner.access.unbind_peer(&peer);
    tracing::info!(%peer, "peer disconnected");
    drop(slot);
    finish(&state);
}

/// Whether a message about `doc` may reach samod: it must be of the peer's workspace, or a new
/// document that a writer announces, which then becomes its workspace's.
async fn admit(state: &AppState, grant: &Grant, kind: MessageKind, doc: &samod::DocumentId) -> bool {
    let access = &state.inner.access;
    let owner = match access.document_workspace(doc) {
        Some(owner) => Some(owner),
        // Only a request or a sync can bring a document into being; and another process (the
        // command line) may have created it since this one loaded its tables.
        None if grant.role.can_write() && matches!(kind, MessageKind::Request | MessageKind::Sync) => {
            match access.claim_document(doc, &grant.workspace).await {
                Ok(owner) => Some(owner),
                Err(error) => {
                    tracing::error!(%error, %doc, "cannot record a new document");
                    None
                }
            }
        }
        None => access.lookup_document(doc).await.unwrap_or_else(|error| {
            tracing::error!(%error, %doc, "cannot look a document up");
            None
        }),
    };
    owner.as_deref() == Some(grant.workspace.as_str())
}

fn doc_unavailable(server: &PeerId, peer: &PeerId, doc: &samod::DocumentId) -> Vec<u8> {
    let mut encoder = minicbor::Encoder::new(Vec::new());
    let written: Result<_, minicbor::encode::Error<Infallible>> = (|| {
        encoder
            .map(4)?
            .str("type")?
            .str("doc-unavailable")?
            .str("senderId")?
            .str(server.as_str())?
            .str("targetId")?
            .str(peer.as_str())?
            .str("documentId")?
            .str(&doc.to_string())?;
        Ok(())
    })();
    written.expect("encoding into a Vec cannot fail");
    encoder.into_writer()
}

async fn close(ws_tx: &mut SplitSink<WebSocket, Message>, reason: &CloseReason) {
    if reason.code != NORMAL || !reason.message.is_empty() {
        let _ = ws_tx.send(Message::Binary(frame::error_frame(&reason.message).into())).await;
    }
    // A close reason must fit in a control frame (123 bytes).
    let mut text = reason.message.clone();
    while text.len() > 120 {
        text.pop();
    }
    let _ = ws_tx.send(Message::Close(Some(CloseFrame { code: reason.code, reason: text.into() }))).await;
    let _ = ws_tx.close().await;
}

async fn refuse(state: &AppState, ws_tx: &mut SplitSink<WebSocket, Message>, code: u16, message: &str) {
    state.inner.metrics.bad_frames.fetch_add(1, Relaxed);
    tracing::info!(reason = message, "closing a connection before its handshake");
    close(ws_tx, &CloseReason::new(code, message)).await;
    finish(state);
}

fn finish(state: &AppState) {
    state.inner.metrics.connections.fetch_sub(1, Relaxed);
}

/// Allows `rate` messages a second on average, in bursts of up to twice that.
struct TokenBucket {
    rate: f64,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    fn new(rate: u32) -> Self {
        let rate = f64::from(rate.max(1));
        Self { rate, tokens: 2.0 * rate, last: Instant::now() }
    }

    /// Takes one token, returning how long to wait first if there was none.
    fn take(&mut self, now: Instant) -> Option<Duration> {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(2.0 * self.rate) - 1.0;
        (self.tokens < 0.0).then(|| Duration::from_secs_f64(-self.tokens / self.rate))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bucket_passes_a_burst_then_spaces_messages_out() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(10);
        for _ in 0..20 {
            assert_eq!(bucket.take(start), None);
        }
        let wait = bucket.take(start).expect("the burst is spent");
        assert!((wait.as_secs_f64() - 0.1).abs() < 1e-9, "{wait:?}");
        // After a second the bucket has refilled by the rate.
        assert_eq!(bucket.take(start + Duration::from_secs(2)), None);
    }
}
