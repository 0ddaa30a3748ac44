//! `shared`'s sans-IO sync client over a real WebSocket to the relay's `/sync`: the socket is
//! driven here, the protocol stays in [`quorum_shared::sync::Client`]. Peers are driven
//! explicitly, never by background tasks, so a test decides exactly which frames are read before
//! it drops a connection; [`run_until`] reads every peer's socket until a condition holds.
//!
//! ```no_run
//! # async fn run(server: &quorum_tests::Server, token: &str, doc: &str) -> anyhow::Result<()> {
//! use quorum_tests::sync_peer::{SyncPeer, run_until};
//! let mut a = SyncPeer::connect(server.addr, token, "peer-a").await?;
//! a.client.open(doc)?;
//! a.flush().await?;
//! run_until(&mut [&mut a], "the relay has the document", |peers| peers[0].client.is_synced(doc)).await?;
//! # Ok(()) }
//! ```

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, bail};
use automerge::{AutoCommit, ROOT, ReadDoc};
use futures::{SinkExt, StreamExt, future::select_all};
use quorum_shared::sync::{Client, Event};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Every wait on the relay is bounded by this; generous, as the machine may be busy.
pub const SYNC_WAIT: Duration = Duration::from_secs(30);

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// One device: a sync client and, while connected, its socket.
pub struct SyncPeer {
    pub client: Client,
    token: String,
    url: String,
    socket: Option<Socket>,
    /// Bytes of the binary frames sent on the current connection (the join included).
    pub bytes_sent: usize,
    /// Every event the client reported, oldest first; tests take what they look for.
    pub events: Vec<Event>,
}

/// Bytes no other call in this process gets: what a peer's run and a new document are named by,
/// where the app takes random ones from the browser.
pub fn fresh_bytes<const N: usize>() -> [u8; N] {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed).to_be_bytes();
    let mut bytes = [0; N];
    // The counter's low bytes go last, where a short array keeps them.
    let take = N.min(8);
    bytes[N - take..].copy_from_slice(&n[8 - take..]);
    bytes
}

impl SyncPeer {
    /// A new client for `peer_id` (with a storage id of its own, as a browser has), connected
    /// with a member's token; returns once the handshake has finished.
    pub async fn connect(addr: SocketAddr, token: &str, peer_id: &str) -> anyhow::Result<Self> {
        let client = Client::new(peer_id, Some(format!("{peer_id}-storage")), fresh_bytes());
        let url = sync_url(addr, token);
        let token = token.to_owned();
        let mut peer = Self { client, token, url, socket: None, bytes_sent: 0, events: Vec::new() };
        peer.reconnect().await?;
        Ok(peer)
    }

    /// Opens a new socket and runs the handshake on it; documents already open then resume
    /// syncing from what the relay was last known to share.
    pub async fn reconnect(&mut self) -> anyhow::Result<()> {
        let (socket, _) = tokio_tungstenite::connect_async(&self.url).await.context("opening /sync")?;
        self.socket = Some(socket);
        self.bytes_sent = 0;
        let join = self.client.connect();
        self.send(join).await?;
        run_until(&mut [&mut *self], "the relay's peer message", |peers| peers[0].client.is_connected()).await
    }

    /// Drops the connection and reconnects to another relay (of a cluster sharing one database),
    /// as a browser would after its relay died: the same client, its documents still open.
    pub async fn move_to(&mut self, addr: SocketAddr) -> anyhow::Result<()> {
        self.drop_connection();
        self.url = sync_url(addr, &self.token);
        self.reconnect().await
    }

    /// Drops the connection at once, as a pulled cable would: no close frame, and anything the
    /// relay sent that was not read yet is lost.
    pub fn drop_connection(&mut self) {
        self.socket = None;
        self.client.disconnected();
    }

    pub fn is_connected(&self) -> bool {
        self.socket.is_some() && self.client.is_connected()
    }

    /// Sends whatever the client has queued (after a local change, say).
    pub async fn flush(&mut self) -> anyhow::Result<()> {
        let frames = self.client.drain_outgoing();
        self.send(frames).await
    }

    /// Takes the events reported so far.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    async fn send(&mut self, frames: Vec<Vec<u8>>) -> anyhow::Result<()> {
        let Some(socket) = self.socket.as_mut() else {
            // Offline: the client keeps the changes, and its sync state sends them on reconnect.
            return Ok(());
        };
        for frame in frames {
            self.bytes_sent += frame.len();
            socket.feed(Message::Binary(frame.into())).await?;
        }
        socket.flush().await?;
        Ok(())
    }

    /// Handles what the socket gave: a frame goes to the client and its replies go out.
    async fn handle(
        &mut self,
        message: Option<Result<Message, tokio_tungstenite::tungstenite::Error>>,
    ) -> anyhow::Result<()> {
        match message {
            Some(Ok(Message::Binary(frame))) => {
                let events = self.client.receive(&frame).context("the client refused the relay's frame")?;
                let closed = events.iter().any(|e| matches!(e, Event::Closed { .. }));
                self.events.extend(events);
                if closed {
                    self.drop_connection();
                } else {
                    self.flush().await?;
                }
            }
            // Pings are answered by tungstenite on the next read or write.
            Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {}
            Some(Ok(Message::Text(text))) => bail!("the relay sent a text frame: {text}"),
            Some(Ok(Message::Close(reason))) => {
                self.events.push(Event::Closed { error: reason.map(|r| r.reason.to_string()) });
                self.drop_connection();
            }
            Some(Err(error)) => {
                self.events.push(Event::Closed { error: Some(error.to_string()) });
                self.drop_connection();
            }
            None => self.drop_connection(),
        }
        Ok(())
    }
}

fn sync_url(addr: SocketAddr, token: &str) -> String {
    format!("ws://{addr}/sync?token={token}")
}

/// Reads the connected peers' sockets, feeding each frame to its client and sending the
/// replies, until `done` holds (checked before each read), or fails after [`SYNC_WAIT`].
pub async fn run_until(
    peers: &mut [&mut SyncPeer],
    what: &str,
    mut done: impl FnMut(&mut [&mut SyncPeer]) -> bool,
) -> anyhow::Result<()> {
    let deadline = tokio::time::Instant::now() + SYNC_WAIT;
    loop {
        if done(peers) {
            return Ok(());
        }
        let reads: Vec<_> = peers
            .iter_mut()
            .enumerate()
            .filter_map(|(i, peer)| {
                let socket = peer.socket.as_mut()?;
                Some(Box::pin(async move { (i, socket.next().await) }))
            })
            .collect();
        if reads.is_empty() {
            bail!("waiting for {what}, but no peer is connected");
        }
        // Reading a WebSocket stream is cancel-safe: the reads not chosen lose nothing.
        let ((i, message), _, _) = tokio::time::timeout_at(deadline, select_all(reads))
            .await
            .with_context(|| format!("timed out after {SYNC_WAIT:?} waiting for {what}"))?;
        peers[i].handle(message).await?;
    }
}

/// Whether every peer holds the same heads of `doc` and the relay is known to hold them too.
pub fn converged(peers: &mut [&mut SyncPeer], doc: &str) -> bool {
    let heads: Vec<_> =
        peers.iter_mut().map(|p| p.client.doc_mut(doc).map(|d| d.get_heads()).unwrap_or_default()).collect();
    !heads[0].is_empty()
        && heads.iter().all(|h| *h == heads[0])
        && peers.iter_mut().all(|p| p.client.is_synced(doc))
}

/// The owner creates a document and the relay acknowledges it; `others` open it by id and
/// receive it.
pub async fn share(
    owner: &mut SyncPeer,
    others: &mut [&mut SyncPeer],
    id: &str,
    doc: AutoCommit,
) -> anyhow::Result<()> {
    owner.client.open_with(id, doc)?;
    owner.flush().await?;
    run_until(&mut [&mut *owner], "the relay to acknowledge the document", |p| p[0].client.is_synced(id))
        .await?;
    for other in others.iter_mut() {
        other.client.open(id)?;
        other.flush().await?;
    }
    let mut peers: Vec<&mut SyncPeer> = vec![owner];
    peers.extend(others.iter_mut().map(|p| &mut **p));
    run_until(&mut peers, "every peer to receive the document", |p| converged(p, id)).await
}

/// A string at the root of an open document, as Rust's `put` of a `&str` and the JS peers'
/// `scalar` write one.
pub fn text(peer: &SyncPeer, doc: &str, key: &str) -> Option<String> {
    let doc = peer.client.doc(doc)?;
    doc.get(ROOT, key).ok()??.0.into_string().ok()
}
