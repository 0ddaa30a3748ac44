//! The server's settings, with defaults that suit a committee-sized deployment.

use std::{path::PathBuf, time::Duration};

/// Where the server keeps its data and what it serves.
#[derive(Clone, Debug)]
pub struct Config {
    /// Holds the SQLite database and the token key.
    pub data_dir: PathBuf,
    /// A PostgreSQL that several relays share (`postgres://...`) in place of the SQLite file:
    /// the tables, the chunks, the token key and the change log are all there.
    pub database_url: Option<String>,
    /// The built app (trunk's `dist/`): index.html, the hashed .js and .wasm, styles.
    pub static_dir: PathBuf,
    pub limits: Limits,
    /// How long an access token is valid.
    pub access_token_ttl: Duration,
    /// How long an invite can be accepted.
    pub invite_ttl: Duration,
    /// Who may create a workspace through the API.
    pub signup: Signup,
    /// A bearer token that opens `/metrics` from other addresses than loopback; without one,
    /// `/metrics` answers loopback only.
    pub metrics_token: Option<String>,
}

/// Who may create a workspace through `POST /api/workspaces`. The command line always may.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Signup {
    /// Anyone who reaches the server (rate-limited per address): the default on loopback.
    Open,
    /// Only a caller with an operator token (`quorum token operator`): the default elsewhere.
    Closed,
}

impl Config {
    pub fn new(data_dir: impl Into<PathBuf>, static_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            database_url: None,
            static_dir: static_dir.into(),
            limits: Limits::default(),
            access_token_ttl: Duration::from_secs(90 * 24 * 3600),
            invite_ttl: Duration::from_secs(7 * 24 * 3600),
            signup: Signup::Open,
            metrics_token: None,
        }
    }
}

const MIB: usize = 1024 * 1024;

/// Limits on what one connection, and all of them together, may ask of the server.
#[derive(Clone, Debug)]
pub struct Limits {
    /// The largest WebSocket message accepted; a whole document's first sync must fit.
    pub max_frame_bytes: usize,
    /// Messages per second a connection may send on average; bursts of twice as many pass.
    /// A connection that sends faster is slowed down, not dropped.
    pub messages_per_second: u32,
    /// Sync connections open at once; more are answered 503.
    pub max_connections: usize,
    /// A connection that sends nothing (not even a pong) for this long is closed. The server
    /// pings at a third of it.
    pub idle_timeout: Duration,
    /// A sync connection must send its `join` within this long of the upgrade.
    pub join_timeout: Duration,
    /// Sync connections one member may have open at once (tabs and devices together).
    pub connections_per_member: usize,
    /// HTTP connections (sync ones included) one address may have open at once.
    pub connections_per_address: usize,
    /// HTTP connections open at once, over all addresses; beyond it new ones wait to be accepted.
    pub max_http_connections: usize,
    /// An HTTP request's headers must have arrived within this long (slow senders are closed).
    pub header_read_timeout: Duration,
    /// Workspaces one address may create through the API per hour (in bursts of as many).
    pub workspaces_per_hour: u32,
    /// Documents one workspace may hold; a writer's request for one more is refused.
    pub documents_per_workspace: usize,
    /// The most a writer's sync message may inflate to (its compressed changes and deflated
    /// columns); a message that would inflate further closes its connection before any of it is
    /// inflated. A decompression bomb in one frame could otherwise take the relay's memory.
    pub max_inflated_bytes: u64,
    /// Bytes of peers' messages read and not yet taken in by the relay, over all connections;
    /// beyond it, readers wait (which slows their senders) instead of filling memory.
    pub inbound_bytes_total: usize,
    /// Bytes queued to one connection and not yet written to it; beyond it the connection is
    /// closed as too far behind (a single frame to a connection with nothing queued always goes).
    pub outbox_bytes_per_connection: usize,
    /// Bytes queued to all connections together; a connection with something queued already is
    /// closed rather than take the total past it.
    pub outbox_bytes_total: usize,
    /// Storage writes not yet committed (a slow or failing disk); beyond it, the relay takes in
    /// no more messages until storage catches up.
    pub max_pending_writes: usize,
    /// Presence messages one connection may send per second (in bursts of twice that), viewers'
    /// included; beyond it they are dropped.
    pub presence_per_second: u32,
    /// The largest presence message forwarded; larger ones are dropped.
    pub max_presence_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_frame_bytes: 16 * 1024 * 1024,
            messages_per_second: 500,
            max_connections: 10_000,
            idle_timeout: Duration::from_secs(60),
            join_timeout: Duration::from_secs(10),
            connections_per_member: 32,
            connections_per_address: 256,
            max_http_connections: 16_384,
            header_read_timeout: Duration::from_secs(10),
            workspaces_per_hour: 20,
            documents_per_workspace: 10_000,
            // The relay core's default, which says why it is what it is.
            max_inflated_bytes: quorum_shared::relay::MAX_INFLATED_BYTES,
            // Sixteen of the largest frames in flight to the core; far above a busy relay's need.
            inbound_bytes_total: 256 * MIB,
            // Four of the largest frames: a peer that takes more than that is not reading.
            outbox_bytes_per_connection: 64 * MIB,
            outbox_bytes_total: 1024 * MIB,
            max_pending_writes: 4096,
            presence_per_second: quorum_shared::relay::Config::default().ephemeral_per_second,
            max_presence_bytes: quorum_shared::relay::Config::default().max_ephemeral_bytes,
        }
    }
}
