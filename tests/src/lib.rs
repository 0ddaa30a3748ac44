//! The harness for end-to-end tests: a real Quorum server on a free loopback port, serving the
//! app that trunk built, and a headless Chromium driven through chromedriver; for the relays
//! that share one database, a private PostgreSQL ([`postgres`]) and several servers on it
//! ([`cluster`]).
//!
//! ```no_run
//! # async fn run() -> anyhow::Result<()> {
//! let server = quorum_tests::Server::start().await?;
//! let browser = quorum_tests::Browser::launch().await?;
//! browser.client.goto(&server.url("/")).await?;
//! # Ok(()) }
//! ```

mod browser;
pub mod cluster;
pub mod cycle;
pub mod form;
pub mod http;
pub mod js_peer;
pub mod postgres;
mod server;
pub mod sync_peer;
pub mod wait;
pub mod workspace;

pub use browser::Browser;
pub use server::{Server, server_binary};
