//! Several `quorum` relays sharing one private PostgreSQL, as an operator runs them behind a
//! load balancer: each relay a process of its own on its own loopback port, with its own data
//! directory, all given the same `--database-url`; and the operator's commands (`workspace
//! create`, `token issue`) run against the same database.
//!
//! ```no_run
//! # async fn run() -> anyhow::Result<()> {
//! use quorum_shared::model::Role;
//! use quorum_tests::{cluster::Cluster, sync_peer::SyncPeer};
//!
//! let cluster = Cluster::start(3).await?;
//! let owner = cluster.workspace("Acme AIMS").await?;
//! let editor = cluster.member(&owner, Role::Editor).await?;
//! let bea = SyncPeer::connect(cluster.relays[1].addr, &editor.token, "peer-bea").await?;
//! # Ok(()) }
//! ```

use std::{net::SocketAddr, time::Duration};

use anyhow::{Context, bail};
use futures::future::try_join_all;
use quorum_shared::{api::Membership, model::Role};

use crate::{Server, http, postgres::Postgres, server_binary, wait::wait_until};

/// How long a relay may take to notice the database went away or came back.
pub const HEALTH_WAIT: Duration = Duration::from_secs(60);

pub struct Cluster {
    /// Declared before the database, so the relays stop first when the cluster is dropped.
    pub relays: Vec<Server>,
    pub postgres: Postgres,
    /// The operator commands' `--data-dir`: with a database URL they should keep nothing there,
    /// but the flag has a default (`./data`) that must not land in the source tree.
    operator: tempfile::TempDir,
}

impl Cluster {
    /// A new PostgreSQL and `relays` relays on it. The relays start at once, as a deployment
    /// starts its replicas, so their migrations race on the empty database.
    pub async fn start(relays: usize) -> anyhow::Result<Self> {
        let postgres = Postgres::start().await?;
        let url = postgres.url();
        let flags = ["--database-url", url.as_str()];
        let starts = (0..relays).map(|_| Server::start_with(&flags));
        let relays = try_join_all(starts).await.context("starting the relays on one database")?;
        let operator = tempfile::tempdir()?;
        Ok(Self { relays, postgres, operator })
    }

    /// `quorum workspace create`: a new workspace and its owner's membership.
    pub async fn workspace(&self, name: &str) -> anyhow::Result<Membership> {
        self.operator(&["workspace", "create", "--name", name]).await
    }

    /// `quorum token issue`: a new member of `workspace` with `role`.
    pub async fn member(&self, workspace: &Membership, role: Role) -> anyhow::Result<Membership> {
        let issue = ["token", "issue", "--workspace", &workspace.workspace_id, "--role", role.as_token()];
        self.operator(&issue).await
    }

    /// The status relay `relay` answers `/healthz` with.
    pub async fn health(&self, relay: usize) -> anyhow::Result<u16> {
        Ok(http::get(self.relays[relay].addr, "/healthz").await?.0)
    }

    /// Waits until every relay answers `/healthz` with `status`.
    pub async fn wait_health(&self, status: u16) -> anyhow::Result<()> {
        wait_until(&format!("every relay's /healthz to answer {status}"), HEALTH_WAIT, async |seen| {
            let mut answers = Vec::new();
            for relay in 0..self.relays.len() {
                answers.push(self.health(relay).await?);
            }
            *seen = format!("{answers:?}");
            Ok(answers.iter().all(|answer| *answer == status).then_some(()))
        })
        .await
    }

    /// A metric's value at relay `relay`, from `/metrics` (open to loopback).
    pub async fn metric(&self, relay: usize, name: &str) -> anyhow::Result<f64> {
        metric(self.relays[relay].addr, name).await
    }

    async fn operator(&self, args: &[&str]) -> anyhow::Result<Membership> {
        let binary = server_binary()?;
        let output = tokio::process::Command::new(&binary)
            .args(args)
            .arg("--database-url")
            .arg(self.postgres.url())
            .arg("--data-dir")
            .arg(self.operator.path())
            .env("RUST_LOG", "warn")
            .kill_on_drop(true)
            .output()
            .await
            .with_context(|| format!("running {}", binary.display()))?;
        if !output.status.success() {
            bail!("quorum {args:?} failed ({}): {}", output.status, String::from_utf8_lossy(&output.stderr));
        }
        serde_json::from_slice(&output.stdout)
            .with_context(|| format!("quorum {args:?} printed {}", String::from_utf8_lossy(&output.stdout)))
    }
}

/// A metric's value from the `/metrics` text at `addr`: the line `name value`.
pub async fn metric(addr: SocketAddr, name: &str) -> anyhow::Result<f64> {
    let (status, text) = http::get(addr, "/metrics").await?;
    anyhow::ensure!(status == 200, "/metrics answered {status}: {text}");
    let value = text.lines().find_map(|line| {
        let (metric, value) = line.split_once(' ')?;
        (metric == name).then(|| value.trim().parse::<f64>().ok()).flatten()
    });
    value.with_context(|| format!("no {name} in /metrics:\n{text}"))
}
