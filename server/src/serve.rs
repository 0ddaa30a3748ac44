//! Accepting HTTP connections: at most `max_http_connections` open at once and
//! `connections_per_address` from one address, headers in within `header_read_timeout` (so that
//! a slow sender cannot hold a connection open), and the caller's address handed to the handlers
//! as [`ConnectInfo`] (read back as `auth::Remote`). On shutdown it stops accepting, closes the sync connections, lets storage
//! commit, and lets requests in flight finish.

use std::{sync::atomic::Ordering::Relaxed, time::Duration};

use axum::extract::{ConnectInfo, Request};
use hyper::{body::Incoming, server::conn::http1};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use tokio::net::TcpListener;
use tower::ServiceExt;

use crate::AppState;

/// Serves [`crate::app`] on `listener` until `shutdown` completes, then shuts the state down.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let limits = state.inner.config.limits.clone();
    let router = crate::app(state.clone());
    let open = std::sync::Arc::new(tokio::sync::Semaphore::new(limits.max_http_connections));
    // Tells every connection to finish its request in flight and close.
    let (closing, closing_rx) = tokio::sync::watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        // At the cap, new connections wait in the listen queue instead of being refused.
        let permit = tokio::select! {
            permit = open.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, most likely: wait for some to close, do not spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(address) = state.inner.addresses.take(remote.ip(), limits.connections_per_address) else {
            state.inner.metrics.refused_by_address.fetch_add(1, Relaxed);
            tracing::debug!(%remote, "refusing a connection: its address has as many open as it may");
            continue;
        };
        // Sync messages are small and answered at once: without TCP_NODELAY, Nagle holds a frame
        // back while an earlier one is unacknowledged, which with the peer's delayed ACK costs
        // up to 40 ms a hop.
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "cannot set TCP_NODELAY on a connection");
        }
        let service = router.clone().map_request(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(remote));
            request
        });
        let mut closing = closing_rx.clone();
        let header_read_timeout = limits.header_read_timeout;
        tokio::spawn(async move {
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(header_read_timeout)
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
                .with_upgrades();
            tokio::pin!(connection);
            let ended = tokio::select! {
                ended = connection.as_mut() => ended,
                _ = async { closing.wait_for(|closing| *closing).await.map(|_| ()) } => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(error) = ended {
                tracing::debug!(%error, %remote, "an HTTP connection ended with an error");
            }
            // An upgraded sync connection leaves here; it holds a place of its own (`sync.rs`).
            drop((permit, address));
        });
    }
    drop(listener);
    // Sync connections are upgraded out of the HTTP server's reach: close them here.
    state.shutdown().await;
    let _ = closing.send(true);
    // Every connection gives its place back when it ends: all places free means all ended.
    let _ = open.acquire_many(u32::try_from(limits.max_http_connections).unwrap_or(u32::MAX)).await;
    Ok(())
}
