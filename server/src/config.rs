//! The server's settings, with defaults that suit a committee-sized deployment.

use std::{path::PathBuf, time::Duration};

/// Where the server keeps its data and what it serves.
#[derive(Clone, Debug)]
pub struct Config {
    /// Holds the SQLite database and the token key.
    pub data_dir: PathBuf,
    /// The built app (trunk's `dist/`): index.html, the hashed .js and .wasm, styles.
    pub static_dir: PathBuf,
    pub limits: Limits,
    /// How long an access token is valid.
    pub access_token_ttl: Duration,
    /// How long an invite can be accepted.
    pub invite_ttl: Duration,
}

impl Config {
    pub fn new(data_dir: impl Into<PathBuf>, static_dir: impl Into<PathBuf>) -> Self {
        Self {
            data_dir: data_dir.into(),
            static_dir: static_dir.into(),
            limits: Limits::default(),
            access_token_ttl: Duration::from_secs(90 * 24 * 3600),
            invite_ttl: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

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
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_frame_bytes: 16 * 1024 * 1024,
            messages_per_second: 500,
            max_connections: 10_000,
            idle_timeout: Duration::from_secs(60),
        }
    }
}
