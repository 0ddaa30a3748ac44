//! What the relay's tests and the interop tests share: a server on a free loopback port, and
//! (in `client`) samod peers that dial it with a token.

pub mod client;

use std::{net::SocketAddr, path::Path, time::Duration};

use quorum_server::{AppState, Config, Limits, Membership, Role};

pub use client::{Client, get, heads, put, wait_for};

/// Every wait in these tests is bounded by this.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// A document as the server stored it, if it did.
pub async fn stored(state: &AppState, id: &samod::DocumentId) -> Option<automerge::Automerge> {
    state.find_document(&id.to_string()).await.expect("the database answers")
}

pub async fn within<F: Future>(what: &str, future: F) -> F::Output {
    tokio::time::timeout(TIMEOUT, future).await.unwrap_or_else(|_| panic!("timed out: {what}"))
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub state: AppState,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// How most tests begin: a server in a temporary directory of its own, with the workspace
    /// "Acme AIMS" and its owner. The directory must live as long as the server.
    pub async fn with_workspace() -> (tempfile::TempDir, Self, Membership) {
        let dir = tempfile::tempdir().unwrap();
        let server = Self::start(dir.path()).await;
        let owner = server.workspace("Acme AIMS").await;
        (dir, server, owner)
    }

    pub async fn start(data_dir: &Path) -> Self {
        Self::start_with(data_dir, Limits::default()).await
    }

    pub async fn start_with(data_dir: &Path, limits: Limits) -> Self {
        let mut config = Config::new(data_dir, data_dir.join("no-static-files"));
        config.limits = limits;
        Self::start_config(config).await
    }

    pub async fn start_config(config: Config) -> Self {
        let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter("info").try_init();
        let state = AppState::open(config).await.expect("the server starts");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let addr = listener.local_addr().unwrap();
        let serving = state.clone();
        let task = tokio::spawn(async move {
            quorum_server::serve(listener, serving, std::future::pending()).await.expect("the server runs");
        });
        Self { addr, state, task }
    }

    /// Stops accepting, closes every connection and waits for storage to finish.
    pub async fn stop(self) {
        self.task.abort();
        let _ = self.task.await;
        self.state.shutdown().await;
    }

    pub async fn workspace(&self, name: &str) -> Membership {
        self.state.create_workspace(name, "Owner").await.expect("workspace created")
    }

    pub async fn member(&self, workspace: &Membership, role: Role) -> Membership {
        self.state.add_member(&workspace.workspace_id, role, "Member").await.expect("member added")
    }

    pub fn sync_url(&self, token: &str) -> String {
        format!("ws://{}/sync?token={token}", self.addr)
    }
}
