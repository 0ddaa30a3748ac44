//! A load benchmark for the relay: N samod clients over loopback, in workspaces of a few members
//! each, edit their own document and their group's shared one; the same workload then runs
//! against the JS ecosystem's reference relay (`tests/js/reference-relay.mjs`). It prints numbers
//! and asserts nothing. Run it through `scripts/bench-relay`, which builds both binaries in release:
//!
//! ```text
//! scripts/bench-relay --clients 500 --seconds 20 --runs 3
//! ```
//!
//! Per run and relay it reports sync messages through the relay per wall-clock second and per
//! second of the relay's own CPU time (the clients share the machine), the p50/p99 latency from
//! an edit at one client to its arrival at another of the same group, and the relay's resident
//! memory per idle connected peer. The summary gives each figure's median over the runs.

use std::{
    net::SocketAddr,
    path::{Path, PathBuf},
    process::Stdio,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use automerge::{ReadDoc, transaction::Transactable};
use clap::Parser;
use futures::{SinkExt, StreamExt, TryStreamExt, future::BoxFuture, stream};
use samod::{BackoffConfig, DialError, DocHandle, Repo, Transport};
use tokio_tungstenite::tungstenite::{self, Message};

/// Bounds each setup step (a handshake, a document reaching the relay); generous, as the machine
/// may be busy with more than this benchmark.
const SETUP_TIMEOUT: Duration = Duration::from_secs(120);

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
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Quorum,
    Reference,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Quorum => "quorum (samod)",
            Kind::Reference => "JS reference",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Outcome {
    messages_per_second: f64,
    messages_per_cpu_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    idle_peer_kib: f64,
    deliveries: usize,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    anyhow::ensure!(args.clients >= 2 && args.group >= 2, "need at least two clients per group");
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
    let mut kinds = vec![Kind::Quorum];
    if !args.skip_reference {
        kinds.push(Kind::Reference);
    }
    let mut outcomes: Vec<(Kind, Vec<Outcome>)> = kinds.iter().map(|k| (*k, Vec::new())).collect();
    for run in 1..=args.runs {
        for (kind, results) in &mut outcomes {
            let relay = Relay::start(*kind, &quorum, &args.js_dir).await?;
            let outcome =
                measure(&args, &relay).await.with_context(|| format!("{} run {run}", kind.name()))?;
            relay.stop().await;
            println!(
                "run {run} {:<15} {:>9.0} msg/s  {:>9.0} msg/CPU-s  p50 {:>7.1} ms  p99 {:>7.1} ms  \
                 {:>6.1} KiB/idle peer  ({} deliveries)",
                kind.name(),
                outcome.messages_per_second,
                outcome.messages_per_cpu_second,
                outcome.p50_ms,
                outcome.p99_ms,
                outcome.idle_peer_kib,
                outcome.deliveries
            );
            results.push(outcome);
        }
    }
    summarize(&outcomes);
    Ok(())
}

fn summarize(outcomes: &[(Kind, Vec<Outcome>)]) {
    let medians: Vec<(Kind, [f64; 5])> = outcomes
        .iter()
        .map(|(kind, runs)| {
            let pick = |f: fn(&Outcome) -> f64| median(runs.iter().map(f).collect());
            (
                *kind,
                [
                    pick(|o| o.messages_per_second),
                    pick(|o| o.messages_per_cpu_second),
                    pick(|o| o.p50_ms),
                    pick(|o| o.p99_ms),
                    pick(|o| o.idle_peer_kib),
                ],
            )
        })
        .collect();
    println!("\nmedians                  msg/s  msg/CPU-s   p50 ms   p99 ms  KiB/idle peer");
    for (kind, m) in &medians {
        println!(
            "{:<15} {:>14.0} {:>10.0} {:>8.1} {:>8.1} {:>14.1}",
            kind.name(),
            m[0],
            m[1],
            m[2],
            m[3],
            m[4]
        );
    }
    if let [(_, q), (_, r)] = medians.as_slice() {
        println!(
            "quorum / JS     {:>13.2}× {:>9.2}× {:>7.2}× {:>7.2}× {:>13.2}×",
            q[0] / r[0],
            q[1] / r[1],
            q[2] / r[2],
            q[3] / r[3],
            q[4] / r[4]
        );
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// A relay in a child process on a free loopback port, with a scratch data directory.
struct Relay {
    kind: Kind,
    addr: SocketAddr,
    child: tokio::process::Child,
    _data: tempfile::TempDir,
}

impl Relay {
    async fn start(kind: Kind, quorum: &Path, js_dir: &Path) -> anyhow::Result<Self> {
        let data = tempfile::tempdir()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let mut command = match kind {
            Kind::Quorum => {
                let mut c = tokio::process::Command::new(quorum);
                c.args(["serve", "--listen", &addr.to_string(), "--static-dir"])
                    .arg(data.path().join("no-static-files"))
                    .arg("--data-dir")
                    .arg(data.path())
                    .env("RUST_LOG", "warn")
                    // The per-connection rate limit guards against a runaway peer; the benchmark
                    // measures the relay's capacity, not that limit.
                    .env("QUORUM_MESSAGES_PER_SECOND", "100000");
                c
            }
            Kind::Reference => {
                let mut c = tokio::process::Command::new("node");
                c.arg(js_dir.join("reference-relay.mjs")).arg(port.to_string()).arg(data.path());
                c
            }
        };
        let child = command.stdout(Stdio::null()).kill_on_drop(true).spawn().context("starting the relay")?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(addr).await.is_err() {
            if Instant::now() > deadline {
                bail!("{} did not listen on {addr} within 20 s", kind.name());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(Self { kind, addr, child, _data: data })
    }

    fn pid(&self) -> u32 {
        self.child.id().expect("the relay runs")
    }

    /// Resident memory in KiB, from /proc.
    fn rss_kib(&self) -> anyhow::Result<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))?;
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).context("no VmRSS")?;
        Ok(line.split_whitespace().nth(1).context("no VmRSS value")?.parse()?)
    }

    /// User plus system CPU time in seconds, from /proc (in clock ticks of 1/100 s on Linux).
    fn cpu_seconds(&self) -> anyhow::Result<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid()))?;
        // Fields after the command name, which is in parentheses and may hold spaces.
        let rest = stat.rsplit_once(')').context("malformed stat")?.1;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks: u64 = fields[11].parse::<u64>()? + fields[12].parse::<u64>()?;
        Ok(ticks as f64 / 100.0)
    }

    /// One sync URL per group: a workspace each on Quorum, no token on the reference relay.
    async fn group_urls(&self, groups: usize) -> anyhow::Result<Vec<String>> {
        let mut urls = Vec::with_capacity(groups);
        for group in 0..groups {
            let token = match self.kind {
                Kind::Quorum => {
                    let body = serde_json::json!({ "name": format!("bench {group}") });
                    let (status, json) =
                        quorum_tests::http::post_json(self.addr, "/api/workspaces", None, &body).await?;
                    anyhow::ensure!(status == 201, "creating a workspace answered {status}: {json}");
                    json["token"].as_str().context("no token")?.to_owned()
                }
                Kind::Reference => "none".to_owned(),
            };
            urls.push(format!("ws://{}/sync?token={token}", self.addr));
        }
        Ok(urls)
    }

    async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

/// WebSocket messages that crossed all clients' sockets: the relay's messages in and out.
#[derive(Default)]
struct Counters {
    sent: AtomicU64,
    received: AtomicU64,
}

impl Counters {
    fn total(&self) -> u64 {
        self.sent.load(Ordering::Relaxed) + self.received.load(Ordering::Relaxed)
    }
}

struct CountingDialer {
    url: String,
    counters: Arc<Counters>,
}

impl samod::Dialer for CountingDialer {
    type Error = tungstenite::Error;

    fn url(&self) -> samod::Url {
        samod::Url::parse(&self.url).expect("a valid URL")
    }

    fn connect(&self) -> BoxFuture<'static, Result<Transport, DialError<Self::Error>>> {
        let url = self.url.clone();
        let counters = self.counters.clone();
        Box::pin(async move {
            let (ws, _) = tokio_tungstenite::connect_async(url).await.map_err(DialError::transient)?;
            let (sink, stream) = ws.split();
            let received = counters.clone();
            let stream = stream
                .try_filter_map(move |message| {
                    let received = received.clone();
                    async move {
                        Ok(match message {
                            Message::Binary(bytes) => {
                                received.received.fetch_add(1, Ordering::Relaxed);
                                Some(bytes.to_vec())
                            }
                            _ => None,
                        })
                    }
                })
                .boxed();
            let sink = sink.with(move |bytes: Vec<u8>| {
                counters.sent.fetch_add(1, Ordering::Relaxed);
                async move { Ok::<_, tungstenite::Error>(Message::Binary(bytes.into())) }
            });
            Ok(Transport::new(stream, Box::pin(sink)))
        })
    }
}

struct Client {
    repo: Repo,
    dialer: samod::DialerHandle<tungstenite::Error>,
}

async fn connect(url: String, counters: Arc<Counters>) -> anyhow::Result<Client> {
    let repo = Repo::build_tokio().load().await;
    let dialer = repo.dial(
        // samod 0.16.0 may fail a first dial with "no dialer registered"; a loaded relay may
        // also refuse a connection now and then.
        BackoffConfig {
            initial_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(500),
            max_retries: Some(10),
        },
        Arc::new(CountingDialer { url, counters }),
    )?;
    tokio::time::timeout(SETUP_TIMEOUT, dialer.established())
        .await
        .context("the handshake timed out")?
        .context("the client could not connect")?;
    Ok(Client { repo, dialer })
}

/// Nanoseconds since the benchmark's epoch: every client lives in this process, so one clock
/// times both ends of a delivery.
fn nanos(epoch: Instant) -> u64 {
    epoch.elapsed().as_nanos() as u64
}

fn put(doc: &DocHandle, key: &str, value: String) {
    doc.with_document(|d| {
        d.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(automerge::ROOT, key, value)?;
            Ok(())
        })
        .expect("a local edit applies");
    });
}

async fn measure(args: &Args, relay: &Relay) -> anyhow::Result<Outcome> {
    let groups = args.clients.div_ceil(args.group);
    let urls = relay.group_urls(groups).await?;
    let counters = Arc::new(Counters::default());

    // Idle peers: connected, holding no documents.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_before = relay.rss_kib()?;
    let clients: Vec<Client> = stream::iter(0..args.clients)
        .map(|i| connect(urls[i / args.group].clone(), counters.clone()))
        .buffered(32)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<anyhow::Result<_>>()?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle_peer_kib = (relay.rss_kib()? - rss_before) / args.clients as f64;
    eprintln!("{}: {} idle peers connected", relay.kind.name(), clients.len());

    // Documents: one per group, made by its first member and fetched by the rest, then one per
    // client.
    let mut shared = Vec::with_capacity(args.clients);
    for (group, members) in clients.chunks(args.group).enumerate() {
        let first = &members[0];
        let doc = first.repo.create(automerge::Automerge::new()).await?;
        put(&doc, "group", group.to_string());
        let conn = first.dialer.connection_id().context("connected")?;
        tokio::time::timeout(SETUP_TIMEOUT, doc.they_have_our_changes(conn))
            .await
            .context("the relay did not take a shared document")?;
        let id = doc.document_id().clone();
        shared.push(doc);
        for member in &members[1..] {
            let found = tokio::time::timeout(SETUP_TIMEOUT, member.repo.find(id.clone()))
                .await
                .context("fetching a shared document timed out")??
                .context("the relay did not serve a shared document")?;
            shared.push(found);
        }
    }

    let own: Vec<DocHandle> = stream::iter(&clients)
        .map(|c| async move { c.repo.create(automerge::Automerge::new()).await })
        .buffered(32)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    eprintln!("{}: {} documents on the relay", relay.kind.name(), own.len() + groups);

    // Every member watches its shared document and times the others' edits as they arrive.
    let epoch = Instant::now();
    let recording = Arc::new(AtomicBool::new(false));
    let latencies = Arc::new(Mutex::new(Vec::<u64>::new()));
    let watchers: Vec<_> = shared
        .iter()
        .enumerate()
        .map(|(i, doc)| {
            let doc = doc.clone();
            let recording = recording.clone();
            let latencies = latencies.clone();
            let group_start = i / args.group * args.group;
            let members = group_start..(group_start + args.group).min(args.clients);
            tokio::spawn(async move {
                let mut seen = vec![0u64; members.len()];
                let mut changes = doc.changes();
                while changes.next().await.is_some() {
                    let now = nanos(epoch);
                    let arrived: Vec<u64> = doc.with_document(|d| {
                        let mut arrived = Vec::new();
                        for (slot, member) in members.clone().enumerate() {
                            if member == i {
                                continue;
                            }
                            let Ok(Some((automerge::Value::Scalar(s), _))) =
                                d.get(automerge::ROOT, format!("w{member}"))
                            else {
                                continue;
                            };
                            let Some((seq, sent)) = s.as_str().and_then(|v| v.split_once(':')) else {
                                continue;
                            };
                            let (Ok(seq), Ok(sent)) = (seq.parse::<u64>(), sent.parse::<u64>()) else {
                                continue;
                            };
                            if seq > seen[slot] {
                                seen[slot] = seq;
                                arrived.push(now.saturating_sub(sent));
                            }
                        }
                        arrived
                    });
                    if recording.load(Ordering::Relaxed) {
                        latencies.lock().unwrap().extend(arrived);
                    }
                }
            })
        })
        .collect();

    // The editing phase: every client edits on its own timer, staggered across the interval.
    tokio::time::sleep(Duration::from_secs(1)).await;
    recording.store(true, Ordering::Relaxed);
    let messages_before = counters.total();
    let cpu_before = relay.cpu_seconds()?;
    let started = Instant::now();
    let interval = Duration::from_millis(args.edit_interval_ms);
    let editors: Vec<_> = (0..args.clients)
        .map(|i| {
            let own = own[i].clone();
            let shared = shared[i].clone();
            let offset = interval.mul_f64(i as f64 / args.clients as f64);
            let until = started + Duration::from_secs(args.seconds);
            tokio::spawn(async move {
                let mut ticks =
                    tokio::time::interval_at(tokio::time::Instant::from_std(started + offset), interval);
                ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                let mut seq = 0u64;
                loop {
                    ticks.tick().await;
                    if Instant::now() >= until {
                        break;
                    }
                    seq += 1;
                    if seq % 2 == 1 {
                        put(&own, "n", seq.to_string());
                    } else {
                        put(&shared, &format!("w{i}"), format!("{seq}:{}", nanos(epoch)));
                    }
                }
            })
        })
        .collect();
    for editor in editors {
        editor.await?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let messages = (counters.total() - messages_before) as f64;
    let cpu = relay.cpu_seconds()? - cpu_before;
    // Late deliveries of the last edits still count toward latency, not toward throughput.
    tokio::time::sleep(Duration::from_secs(2)).await;
    recording.store(false, Ordering::Relaxed);

    for watcher in watchers {
        watcher.abort();
    }
    stream::iter(clients)
        .for_each_concurrent(64, |c| async move {
            c.dialer.close();
            c.repo.stop().await;
        })
        .await;

    let mut latencies = std::mem::take(&mut *latencies.lock().unwrap());
    latencies.sort_unstable();
    let percentile = |p: f64| {
        if latencies.is_empty() {
            f64::NAN
        } else {
            latencies[((latencies.len() - 1) as f64 * p).round() as usize] as f64 / 1e6
        }
    };
    Ok(Outcome {
        messages_per_second: messages / elapsed,
        messages_per_cpu_second: messages / cpu.max(0.01),
        p50_ms: percentile(0.5),
        p99_ms: percentile(0.99),
        idle_peer_kib,
        deliveries: latencies.len(),
    })
}
