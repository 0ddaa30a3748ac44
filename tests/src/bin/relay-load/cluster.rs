//! The relays of one run, and which of them each client dials: one `quorum serve` on SQLite (as
//! the Quick start runs it), the JS reference relay, or N `quorum serve` processes sharing one
//! private PostgreSQL (`quorum_tests::postgres::Postgres`, a fresh cluster per run).
//!
//! Clients are dealt to the relays round-robin by their index, and a group is consecutive
//! indices, so every group of co-editors spans the relays (with at least as many members as
//! relays) and its shared document's changes cross from relay to relay through PostgreSQL.

use std::path::Path;

use anyhow::Context;
use quorum_tests::postgres::Postgres;

use super::relay::{self, Kind, Relay};

/// What one column of the report measures.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Target {
    pub kind: Kind,
    pub relays: usize,
    pub postgres: bool,
}

impl Target {
    pub fn name(&self) -> String {
        match (self.kind, self.postgres) {
            (Kind::Quorum, true) => format!("quorum pg ×{}", self.relays),
            (kind, _) => kind.name().to_owned(),
        }
    }
}

/// What PostgreSQL had done by one moment; two give a phase's rates.
#[derive(Clone, Copy)]
pub struct DatabaseSample {
    pub cpu_seconds: f64,
    /// Committed transactions, read-only ones included: the relays' reads of the log are most.
    pub transactions: u64,
    /// Rows appended to the change log: the chunks every relay reads.
    pub log_rows: u64,
}

/// The relay (0-based, of `relays`) that `client` dials: round-robin by index.
pub fn relay_of(client: usize, relays: usize) -> usize {
    client % relays
}

pub struct Cluster {
    pub target: Target,
    relays: Vec<Relay>,
    /// Declared after the relays, so that it stops after them even when a run fails.
    postgres: Option<Postgres>,
    /// PostgreSQL's postmaster, whose children are its backends and workers.
    postmaster: Option<u32>,
}

impl Cluster {
    /// Starts PostgreSQL when the target uses it, runs `quorum migrate` once, then the relays,
    /// each pinned to `cpu` when one is given.
    pub async fn start(
        target: Target,
        quorum: &Path,
        js_dir: &Path,
        cpu: Option<usize>,
    ) -> anyhow::Result<Self> {
        let postgres = match target.postgres {
            true => Some(Postgres::start().await.context("starting PostgreSQL")?),
            false => None,
        };
        let postmaster = match &postgres {
            Some(postgres) => Some(postmaster_pid(postgres).await?),
            None => None,
        };
        let url = postgres.as_ref().map(|p| p.url());
        if let Some(url) = &url {
            // As server/README.md tells operators: migrate once, then start relays that find
            // nothing left to take (they would migrate at start too, one at a time).
            let status = tokio::process::Command::new(quorum)
                .args(["migrate", "--database-url", url])
                .env("RUST_LOG", "warn")
                .stdout(std::process::Stdio::null())
                .status()
                .await
                .context("running quorum migrate")?;
            anyhow::ensure!(status.success(), "quorum migrate exited with {status}");
        }
        let mut relays = Vec::with_capacity(target.relays);
        for _ in 0..target.relays {
            relays.push(Relay::start(target.kind, quorum, js_dir, cpu, url.as_deref()).await?);
        }
        Ok(Cluster { target, relays, postgres, postmaster })
    }

    pub fn name(&self) -> String {
        self.target.name()
    }

    /// The relay (0-based) that `client` dials.
    pub fn relay_of(&self, client: usize) -> usize {
        relay_of(client, self.relays.len())
    }

    pub fn len(&self) -> usize {
        self.relays.len()
    }

    /// One sync URL per client. Each group's workspace is made at the relay its first member
    /// dials; the other members present the same token to their own relays, which holds only
    /// if every relay of the cluster accepts what one of them signed.
    pub async fn client_urls(&self, clients: usize, group: usize) -> anyhow::Result<Vec<String>> {
        let mut tokens = Vec::with_capacity(clients.div_ceil(group));
        for g in 0..clients.div_ceil(group) {
            let maker = &self.relays[self.relay_of(g * group)];
            tokens.push(maker.workspace_token(&format!("bench {g}")).await?);
        }
        Ok((0..clients).map(|i| self.relays[self.relay_of(i)].sync_url(&tokens[i / group])).collect())
    }

    /// Resident memory of all relays together.
    pub fn rss_kib(&self) -> anyhow::Result<f64> {
        self.relays.iter().map(Relay::rss_kib).sum()
    }

    /// CPU time of all relays together.
    pub fn cpu_seconds(&self) -> anyhow::Result<f64> {
        self.relays.iter().map(Relay::cpu_seconds).sum()
    }

    /// PostgreSQL's CPU time, transactions and log rows so far, when the target has it.
    pub async fn database_sample(&self) -> anyhow::Result<Option<DatabaseSample>> {
        let (Some(postgres), Some(postmaster)) = (&self.postgres, self.postmaster) else {
            return Ok(None);
        };
        // Log ids come from a sequence, so the newest counts the rows appended (and the ids a
        // failed commit took). Backends report their transactions about once a second (an idle
        // one within 10 s), so that figure is off by a second's worth or more at each end.
        let counts = postgres
            .psql(
                "SELECT xact_commit, (SELECT coalesce(max(id), 0) FROM change_log) \
                 FROM pg_stat_database WHERE datname = current_database()",
            )
            .await?;
        let (transactions, log_rows) = counts.split_once('|').context("reading PostgreSQL's statistics")?;
        Ok(Some(DatabaseSample {
            cpu_seconds: relay::tree_cpu_seconds(postmaster)?,
            transactions: transactions.parse()?,
            log_rows: log_rows.parse()?,
        }))
    }

    pub async fn stop(self) {
        for relay in self.relays {
            relay.stop().await;
        }
        drop(self.postgres);
    }
}

/// The postmaster's process id: the parent of the checkpointer, a child that lives as long as the
/// server (the harness does not say where the cluster's `postmaster.pid` is).
async fn postmaster_pid(postgres: &Postgres) -> anyhow::Result<u32> {
    let checkpointer = postgres
        .psql("SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'")
        .await?
        .parse()
        .context("no checkpointer in pg_stat_activity")?;
    relay::parent_pid(checkpointer)
}
