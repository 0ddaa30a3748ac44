use std::{net::SocketAddr, path::PathBuf};

use anyhow::{Context, bail};

/// A Quorum server on `127.0.0.1` at a port the OS chose; it stops when dropped.
pub struct Server {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Serves the built app from `QUORUM_DIST`, or the workspace's `dist/`.
    pub async fn start() -> anyhow::Result<Self> {
        let dist = dist_dir();
        if !dist.join("index.html").exists() {
            bail!(
                "no built app in {}: run `trunk build` first (scripts/test does), or set QUORUM_DIST",
                dist.display()
            );
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.context("binding a loopback port")?;
        let addr = listener.local_addr()?;
        let state = quorum_server::AppState::ephemeral(dist).await.context("starting the server's state")?;
        let app = quorum_server::app(state);
        let task = tokio::spawn(async move {
            if let Err(error) = axum::serve(listener, app).await {
                eprintln!("test server stopped: {error}");
            }
        });
        Ok(Self { addr, task })
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn dist_dir() -> PathBuf {
    std::env::var_os("QUORUM_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"))
}
