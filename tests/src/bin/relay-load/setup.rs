//! One run's clients and documents on the relays, and the editing phases run over them: one at a
//! given pace, and the ladder of doubling loads that finds the relays' capacity.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::Context;
use futures::{StreamExt, stream};
use samod::DocHandle;

use super::client::{Client, Counters, connect, put};
use super::cluster::Cluster;
use super::latency::{Latencies, Members, Watch, nanos};
use super::relay;
use super::report::{Capacity, Outcome};
use super::{Args, SETUP_TIMEOUT};

/// Waits until the relay has every change of `doc` that `client` made.
async fn reached_relay(client: &Client, doc: &DocHandle) -> anyhow::Result<()> {
    let conn = client.dialer.connection_id().context("connected")?;
    tokio::time::timeout(SETUP_TIMEOUT, doc.they_have_our_changes(conn)).await.context("timed out")?;
    Ok(())
}

/// Connected clients and their documents, on the relays, ready for editing phases.
pub(crate) struct Setup {
    clients: Vec<Client>,
    shared: Vec<DocHandle>,
    own: Vec<DocHandle>,
    counters: Arc<Counters>,
    idle_peer_kib: f64,
    /// Phases run so far: each numbers its edits from its own base, so that a watcher never
    /// times a value left by the phase before.
    phases: AtomicU64,
}

impl Setup {
    pub async fn new(args: &Args, relays: &Cluster) -> anyhow::Result<Setup> {
        let groups = args.clients.div_ceil(args.group);
        let urls = relays.client_urls(args.clients, args.group).await?;
        let counters = Arc::new(Counters::default());

        // Idle peers: connected, holding no documents.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let rss_before = relays.rss_kib()?;
        let clients: Vec<Client> = stream::iter(0..args.clients)
            .map(|i| connect(urls[i].clone(), counters.clone()))
            .buffered(32)
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<anyhow::Result<_>>()?;
        tokio::time::sleep(Duration::from_secs(2)).await;
        let idle_peer_kib = (relays.rss_kib()? - rss_before) / args.clients as f64;
        eprintln!("{}: {} idle peers connected", relays.name(), clients.len());

        // Documents: one per group, made by its first member and fetched by the rest, then one per
        // client; each has reached the relay before editing starts.
        let shared: Vec<DocHandle> = stream::iter(clients.chunks(args.group).enumerate())
            .map(|(group, members)| async move {
                let first = &members[0];
                let doc = first.repo.create(automerge::Automerge::new()).await?;
                put(&doc, "group", group.to_string());
                reached_relay(first, &doc).await.context("the relay did not take a shared document")?;
                let id = doc.document_id().clone();
                let fetched = futures::future::try_join_all(members[1..].iter().map(|member| {
                    let id = id.clone();
                    async move {
                        tokio::time::timeout(SETUP_TIMEOUT, member.repo.find(id))
                            .await
                            .context("fetching a shared document timed out")??
                            .context("the relay did not serve a shared document")
                    }
                }))
                .await?;
                anyhow::Ok(std::iter::once(doc).chain(fetched).collect::<Vec<_>>())
            })
            .buffered(8)
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<anyhow::Result<Vec<_>>>()?
            .into_iter()
            .flatten()
            .collect();

        let own: Vec<DocHandle> = stream::iter(&clients)
            .map(|c| async move {
                let doc = c.repo.create(automerge::Automerge::new()).await?;
                reached_relay(c, &doc).await.context("the relay did not take a client's document")?;
                anyhow::Ok(doc)
            })
            .buffered(32)
            .collect::<Vec<_>>()
            .await
            .into_iter()
            .collect::<Result<_, _>>()?;
        eprintln!("{}: {} documents on the relays", relays.name(), own.len() + groups);

        Ok(Setup { clients, shared, own, counters, idle_peer_kib, phases: AtomicU64::new(0) })
    }

    /// One editing phase, each client editing once per `interval_ms`.
    pub async fn phase(&self, args: &Args, relays: &Cluster, interval_ms: u64) -> anyhow::Result<Outcome> {
        let Setup { shared, own, counters, idle_peer_kib, phases, .. } = self;
        let idle_peer_kib = *idle_peer_kib;
        let base = (phases.fetch_add(1, Ordering::Relaxed) + 1) * 1_000_000_000;
        let epoch = Instant::now();
        let members = Members { clients: args.clients, group: args.group, relays: relays.len() };
        let watch = Watch::start(shared, &members, base, epoch);

        // The editing phase: every client edits on its own timer, staggered across the interval.
        tokio::time::sleep(Duration::from_secs(1)).await;
        watch.record(true);
        let messages_before = counters.total();
        let cpu_before = relays.cpu_seconds()?;
        let database_before = relays.database_sample().await?;
        let tool_cpu_before = relay::cpu_seconds("self")?;
        let started = Instant::now();
        let interval = Duration::from_millis(interval_ms);
        // Deliveries the edits call for: each shared edit is due at every other member of its group.
        // Latency covers only those that arrived, so fewer arrivals than this means a backlog that
        // the percentiles do not show.
        let due = Arc::new(AtomicU64::new(0));
        let editors: Vec<_> = (0..args.clients)
            .map(|i| {
                let own = own[i].clone();
                let shared = shared[i].clone();
                let due = due.clone();
                let group_start = i / args.group * args.group;
                let others = ((group_start + args.group).min(args.clients) - group_start - 1) as u64;
                let offset = interval.mul_f64(i as f64 / args.clients as f64);
                let until = started + Duration::from_secs(args.seconds);
                tokio::spawn(async move {
                    let mut ticks =
                        tokio::time::interval_at(tokio::time::Instant::from_std(started + offset), interval);
                    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                    let mut seq = base;
                    loop {
                        ticks.tick().await;
                        if Instant::now() >= until {
                            break;
                        }
                        seq += 1;
                        // Shared first: a phase shorter than two intervals still times some.
                        if seq % 2 == 0 {
                            put(&own, "n", seq.to_string());
                        } else {
                            put(&shared, &format!("w{i}"), format!("{seq}:{}", nanos(epoch)));
                            due.fetch_add(others, Ordering::Relaxed);
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
        let cpu = relays.cpu_seconds()? - cpu_before;
        let database = relays.database_sample().await?.zip(database_before);
        let tool_cpu = relay::cpu_seconds("self")? - tool_cpu_before;
        let load_average = relay::load_average();
        // Late deliveries of the last edits still count toward latency, not toward throughput.
        tokio::time::sleep(Duration::from_secs(2)).await;
        watch.record(false);
        let Latencies { all, first_to_last } = watch.finish();
        Ok(Outcome {
            offered_per_second: args.clients as f64 * 1000.0 / interval_ms as f64,
            messages_per_second: messages / elapsed,
            messages_per_cpu_second: messages / cpu.max(0.01),
            p50_ms: Latencies::percentile(&all, 0.5),
            p99_ms: Latencies::percentile(&all, 0.99),
            relays: relays.len(),
            cross_p50_ms: Latencies::percentile(&first_to_last, 0.5),
            cross_p99_ms: Latencies::percentile(&first_to_last, 0.99),
            cross_deliveries: first_to_last.len(),
            idle_peer_kib,
            deliveries: all.len(),
            due: due.load(Ordering::Relaxed) as usize,
            relay_cores: cpu / elapsed,
            tool_cores: tool_cpu / elapsed,
            database_cores: database
                .map_or(f64::NAN, |(after, before)| (after.cpu_seconds - before.cpu_seconds) / elapsed),
            database_transactions_per_second: database.map_or(f64::NAN, |(after, before)| {
                after.transactions.saturating_sub(before.transactions) as f64 / elapsed
            }),
            log_rows_per_second: database.map_or(f64::NAN, |(after, before)| {
                after.log_rows.saturating_sub(before.log_rows) as f64 / elapsed
            }),
            load_average,
        })
    }

    /// Doubles the offered load, phase after phase, while the relays keep p99 within 50 ms and
    /// delivers (nearly) everything due; the last load that held is the capacity.
    pub async fn capacity(&self, args: &Args, relays: &Cluster) -> anyhow::Result<Capacity> {
        let mut interval_ms = args.capacity_from_ms;
        let mut held = None;
        let mut first = None;
        loop {
            let outcome = self.phase(args, relays, interval_ms).await?;
            outcome.progress(&relays.name());
            first.get_or_insert(outcome);
            if !outcome.holds() {
                break;
            }
            held = Some(outcome);
            if interval_ms < 8 {
                break;
            }
            interval_ms /= 2;
        }
        Ok(Capacity { first: first.expect("one phase ran"), held })
    }

    pub async fn stop(self) {
        stream::iter(self.clients)
            .for_each_concurrent(64, |c| async move {
                c.dialer.close();
                c.repo.stop().await;
            })
            .await;
    }
}
