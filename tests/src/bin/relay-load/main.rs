//! A load benchmark for the relay: N samod clients over loopback, in workspaces of a few members
//! each, edit their own document and their group's shared one; the same workload then runs
//! against the JS ecosystem's reference relay (`tests/js/reference-relay.mjs`). It prints numbers
//! and asserts nothing. Run it through `scripts/bench-relay`, which builds both binaries in release:
//!
//! ```text
//! scripts/bench-relay --clients 500 --seconds 20 --runs 3
//! scripts/bench-relay --capacity --relay-cpu 1 --seconds 10 --runs 3
//! scripts/bench-relay --relays 1,2,3 --postgres --capacity --skip-reference --seconds 10
//! ```
//!
//! `--relays N` runs N `quorum serve` processes sharing one private PostgreSQL (started for each
//! run through `quorum_tests::postgres::Postgres`) and deals the clients to them round-robin, so
//! every group's shared document is edited through several relays; a list (`1,2,3`) measures each
//! count in turn, in the same run. One relay stays on SQLite, as the Quick start runs it, unless
//! `--postgres` is given. With more than one relay the report adds the cross-relay latency (from an
//! edit at a client of relay 1 to its arrival at a client of relay N); on PostgreSQL, its CPU,
//! transactions and change log rows a second.
//!
//! With `--capacity` each run then raises the offered load (edits per second over all clients),
//! doubling it each phase, until p99 exceeds 50 ms or fewer than 99% of the deliveries arrive;
//! the largest load that held is the relay's capacity. `--relay-cpu` pins the relay to one core.
//!
//! Per run and relay it reports sync messages through the relay per wall-clock second and per
//! second of the relay's own CPU time (the clients share the machine), the p50/p99 latency from
//! an edit at one client to its arrival at another of the same group, and the relay's resident
//! memory per idle connected peer. The summary gives each figure's median over the runs.
//!
//! The clients share the machine with the relay, so each run also says how many cores the relay
//! and this tool kept busy and the machine's load average: a tool near the machine's core count
//! would be measuring itself. All clients run on one tokio runtime of two workers, each editing
//! on a timer; nothing polls in a loop.

mod client;
mod cluster;
mod latency;
mod relay;
mod report;
mod setup;

use std::{path::PathBuf, time::Duration};

use anyhow::{Context, bail};
use clap::Parser;

use cluster::{Cluster, Target};
use relay::Kind;
use report::{Capacity, Outcome, summarize, summarize_capacity};
use setup::Setup;

/// Bounds each setup step (a handshake, a document reaching the relay); generous, as the machine
/// may be busy with more than this benchmark.
pub(crate) const SETUP_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Parser, Debug, Clone)]
#[command(about = "Load benchmark: Quorum's relay beside the JS reference relay")]
struct Args {
    /// Connected clients.
    #[arg(long, default_value_t = 500)]
    clients: usize,
    /// Clients per workspace; each group shares one document.
    #[arg(long, default_value_t = 10)]
    group: usize,
    /// Length of the editing phase of each run.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// Each client edits once per this many milliseconds, alternating its own and the shared
    /// document.
    #[arg(long, default_value_t = 500)]
    edit_interval_ms: u64,
    /// Runs per relay; the summary quotes medians.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// The `quorum` binary (default: beside this one).
    #[arg(long)]
    quorum: Option<PathBuf>,
    /// Where the JS reference relay and its node_modules are.
    #[arg(long, default_value = "tests/js")]
    js_dir: PathBuf,
    /// Only measure Quorum's relay.
    #[arg(long)]
    skip_reference: bool,
    /// Also find the largest offered load each relay sustains with p99 at most 50 ms: editing
    /// phases of `--seconds` at twice the load each, from `--capacity-from-ms`, until one fails.
    #[arg(long)]
    capacity: bool,
    /// The first capacity phase's interval between one client's edits: 40 s, 12.5 edits a
    /// second over 500 clients, which the JS reference still keeps within 50 ms.
    #[arg(long, default_value_t = 40_000)]
    capacity_from_ms: u64,
    /// Pin the relay to this CPU (with `taskset`), so that "per core" means one core; with
    /// several relays, all of them share it.
    #[arg(long)]
    relay_cpu: Option<usize>,
    /// Quorum relays sharing one PostgreSQL, the clients dealt to them round-robin; a list
    /// (`1,2,3`) measures each count in turn.
    #[arg(long, value_delimiter = ',', default_value = "1")]
    relays: Vec<usize>,
    /// Put a lone relay on PostgreSQL too (more than one always is); without it, SQLite.
    #[arg(long)]
    postgres: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(args.clients >= 2 && args.group >= 2, "need at least two clients per group");
    anyhow::ensure!(args.relays.iter().all(|&n| n >= 1), "--relays takes counts of one or more");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(run(args))
}

async fn run(args: Args) -> anyhow::Result<()> {
    let quorum = match &args.quorum {
        Some(path) => path.clone(),
        None => std::env::current_exe()?.with_file_name("quorum"),
    };
    if !quorum.exists() {
        bail!(
            "no quorum binary at {}: build it with `cargo build --release -p quorum-server`",
            quorum.display()
        );
    }
    if !args.skip_reference && !args.js_dir.join("node_modules/@automerge/automerge-repo").is_dir() {
        bail!("the reference relay's packages are missing: run `npm ci --prefix {}`", args.js_dir.display());
    }
    println!(
        "{} clients in groups of {}, one edit per {} ms each for {} s, {} runs per relay",
        args.clients, args.group, args.edit_interval_ms, args.seconds, args.runs
    );
    let mut targets: Vec<Target> = args
        .relays
        .iter()
        .map(|&relays| Target { kind: Kind::Quorum, relays, postgres: args.postgres || relays > 1 })
        .collect();
    if !args.skip_reference {
        targets.push(Target { kind: Kind::Reference, relays: 1, postgres: false });
    }
    let mut outcomes: Vec<(Target, Vec<Outcome>)> = targets.iter().map(|t| (*t, Vec::new())).collect();
    let mut capacities: Vec<(Target, Vec<Capacity>)> = targets.iter().map(|t| (*t, Vec::new())).collect();
    for run in 1..=args.runs {
        for ((target, results), (_, held)) in outcomes.iter_mut().zip(&mut capacities) {
            let relays = Cluster::start(*target, &quorum, &args.js_dir, args.relay_cpu).await?;
            let name = relays.name();
            let context = || format!("{name} run {run}");
            let setup = Setup::new(&args, &relays).await.with_context(context)?;
            // The ladder climbs from a light load, so it runs before the full-load phase, which
            // may leave a relay with a backlog.
            if args.capacity {
                let capacity = setup.capacity(&args, &relays).await.with_context(context)?;
                capacity.print(run, &name);
                held.push(capacity);
            }
            let outcome = setup.phase(&args, &relays, args.edit_interval_ms).await.with_context(context)?;
            outcome.print(run, &name);
            results.push(outcome);
            setup.stop().await;
            relays.stop().await;
        }
    }
    summarize(&outcomes);
    if args.capacity {
        summarize_capacity(&capacities);
    }
    Ok(())
}
