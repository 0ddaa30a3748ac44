//! One run's clients and documents on the relay, and the editing phases run over them: one at a
//! given pace, and the ladder of doubling loads that finds the relay's capacity.

use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::Context;
use automerge::ReadDoc;
use futures::{StreamExt, stream};
use samod::DocHandle;

use super::client::{Client, Counters, connect, put};
use super::relay::{self, Relay};
use super::report::{Capacity, Outcome};
use super::{Args, SETUP_TIMEOUT};

/// Waits until the relay has every change of `doc` that `client` made.
async fn reached_relay(client: &Client, doc: &DocHandle) -> anyhow::Result<()> {
    let conn = client.dialer.connection_id().context("connected")?;
    tokio::time::timeout(SETUP_TIMEOUT, doc.they_have_our_changes(conn)).await.context("timed out")?;
    Ok(())
}

/// Nanoseconds since the benchmark's epoch: every client lives in this process, so one clock
/// times both ends of a delivery.
fn nanos(epoch: Instant) -> u64 {
    epoch.elapsed().as_nanos() as u64
}

/// Connected clients and their documents, on the relay, ready for editing phases.
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
    pub async fn new(args: &Args, relay: &Relay) -> anyhow::Result<Setup> {
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
        eprintln!("{}: {} documents on the relay", relay.kind.name(), own.len() + groups);

        Ok(Setup { clients, shared, own, counters, idle_peer_kib, phases: AtomicU64::new(0) })
    }

    /// One editing phase, each client editing once per `interval_ms`.
    pub async fn phase(&self, args: &Args, relay: &Relay, interval_ms: u64) -> anyhow::Result<Outcome> {
        let Setup { shared, own, counters, idle_peer_kib, phases, .. } = self;
        let idle_peer_kib = *idle_peer_kib;
        let base = (phases.fetch_add(1, Ordering::Relaxed) + 1) * 1_000_000_000;
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
                    let mut seen = vec![base; members.len()];
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
        let cpu = relay.cpu_seconds()? - cpu_before;
        let tool_cpu = relay::cpu_seconds("self")? - tool_cpu_before;
        let load_average = relay::load_average();
        // Late deliveries of the last edits still count toward latency, not toward throughput.
        tokio::time::sleep(Duration::from_secs(2)).await;
        recording.store(false, Ordering::Relaxed);

        for watcher in watchers {
            watcher.abort();
        }

        let mut latencies = std::mem::take(&mut *latencies.lock().unwrap());
        quorum_shared::order::sort(&mut latencies);
        let percentile = |p: f64| {
            if latencies.is_empty() {
                f64::NAN
            } else {
                latencies[((latencies.len() - 1) as f64 * p).round() as usize] as f64 / 1e6
            }
        };
        Ok(Outcome {
            offered_per_second: args.clients as f64 * 1000.0 / interval_ms as f64,
            messages_per_second: messages / elapsed,
            messages_per_cpu_second: messages / cpu.max(0.01),
            p50_ms: percentile(0.5),
            p99_ms: percentile(0.99),
            idle_peer_kib,
            deliveries: latencies.len(),
            due: due.load(Ordering::Relaxed) as usize,
            relay_cores: cpu / elapsed,
            tool_cores: tool_cpu / elapsed,
            load_average,
        })
    }

    /// Doubles the offered load, phase after phase, while the relay keeps p99 within 50 ms and
    /// delivers (nearly) everything due; the last load that held is the capacity.
    pub async fn capacity(&self, args: &Args, relay: &Relay) -> anyhow::Result<Capacity> {
        let mut interval_ms = args.capacity_from_ms;
        let mut held = None;
        let mut first = None;
        loop {
            let outcome = self.phase(args, relay, interval_ms).await?;
            eprintln!(
                "{}: {:.0} edits/s offered: p50 {:.1} ms, p99 {:.1} ms, {} of {} deliveries, relay {:.2} cores, load tool {:.2} cores",
                relay.kind.name(),
                outcome.offered_per_second,
                outcome.p50_ms,
                outcome.p99_ms,
                outcome.deliveries,
                outcome.due,
                outcome.relay_cores,
                outcome.tool_cores
            );
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
