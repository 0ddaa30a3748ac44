//! Change-to-peer latency. Every member of a group watches its shared document and times each
//! other member's edit as it arrives (the edit carries its send time; every client lives in this
//! process, so one clock times both ends). Deliveries from a client of the first relay to a
//! client of the last are also kept apart: the cross-relay latency, through PostgreSQL.
//!
//! ```text
//! let watch = Watch::start(&shared, &Members { clients, group, relays }, base, epoch);
//! watch.record(true);   // the editing phase
//! watch.record(false);
//! let latencies = watch.finish();
//! ```

use std::{
    ops::Range,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Instant,
};

use automerge::ReadDoc;
use futures::StreamExt;
use samod::DocHandle;

use super::cluster::relay_of;

/// How clients are laid out: groups of consecutive indices, dealt to relays by [`relay_of`].
#[derive(Clone, Copy)]
pub struct Members {
    pub clients: usize,
    pub group: usize,
    pub relays: usize,
}

impl Members {
    fn of_group(&self, client: usize) -> Range<usize> {
        let start = client / self.group * self.group;
        start..(start + self.group).min(self.clients)
    }

    /// Whether a delivery from `sender` to `receiver` is one the cross-relay figure times.
    fn first_to_last(&self, sender: usize, receiver: usize) -> bool {
        self.relays > 1
            && relay_of(sender, self.relays) == 0
            && relay_of(receiver, self.relays) == self.relays - 1
    }
}

/// Latencies in nanoseconds, sorted.
pub struct Latencies {
    pub all: Vec<u64>,
    pub first_to_last: Vec<u64>,
}

impl Latencies {
    /// The `p` quantile (0 to 1) in milliseconds; NaN when nothing arrived.
    pub fn percentile(values: &[u64], p: f64) -> f64 {
        match values.len() {
            0 => f64::NAN,
            n => values[((n - 1) as f64 * p).round() as usize] as f64 / 1e6,
        }
    }
}

pub struct Watch {
    recording: Arc<AtomicBool>,
    latencies: Arc<Mutex<Latencies>>,
    watchers: Vec<tokio::task::JoinHandle<()>>,
}

/// Nanoseconds since the benchmark's epoch.
pub fn nanos(epoch: Instant) -> u64 {
    epoch.elapsed().as_nanos() as u64
}

impl Watch {
    /// Starts one watcher per client on `shared[client]`, its group's document. Only edits
    /// numbered above `base` count, so that a phase never times a value left by the one before.
    pub fn start(shared: &[DocHandle], members: &Members, base: u64, epoch: Instant) -> Watch {
        let recording = Arc::new(AtomicBool::new(false));
        let latencies = Arc::new(Mutex::new(Latencies { all: Vec::new(), first_to_last: Vec::new() }));
        let watchers = shared
            .iter()
            .enumerate()
            .map(|(receiver, doc)| {
                let (doc, recording, latencies, members) =
                    (doc.clone(), recording.clone(), latencies.clone(), *members);
                tokio::spawn(async move {
                    let group = members.of_group(receiver);
                    let mut seen = vec![base; group.len()];
                    let mut changes = doc.changes();
                    while changes.next().await.is_some() {
                        let now = nanos(epoch);
                        let arrived = doc.with_document(|d| {
                            let mut arrived = Vec::new();
                            for (slot, sender) in group.clone().enumerate() {
                                if sender == receiver {
                                    continue;
                                }
                                let Some((seq, sent)) = stamp(d, sender) else {
                                    continue;
                                };
                                if seq > seen[slot] {
                                    seen[slot] = seq;
                                    arrived.push((sender, now.saturating_sub(sent)));
                                }
                            }
                            arrived
                        });
                        if recording.load(Ordering::Relaxed) {
                            let mut latencies = latencies.lock().unwrap();
                            for (sender, latency) in arrived {
                                latencies.all.push(latency);
                                if members.first_to_last(sender, receiver) {
                                    latencies.first_to_last.push(latency);
                                }
                            }
                        }
                    }
                })
            })
            .collect();
        Watch { recording, latencies, watchers }
    }

    pub fn record(&self, on: bool) {
        self.recording.store(on, Ordering::Relaxed);
    }

    pub fn finish(self) -> Latencies {
        for watcher in self.watchers {
            watcher.abort();
        }
        let mut latencies = self.latencies.lock().unwrap();
        let mut all = std::mem::take(&mut latencies.all);
        let mut first_to_last = std::mem::take(&mut latencies.first_to_last);
        quorum_shared::order::sort(&mut all);
        quorum_shared::order::sort(&mut first_to_last);
        Latencies { all, first_to_last }
    }
}

/// The sequence number and send time that `sender` last wrote into its group's document, as
/// `w<sender>` = `"<seq>:<nanos>"`.
fn stamp(doc: &automerge::Automerge, sender: usize) -> Option<(u64, u64)> {
    let Ok(Some((automerge::Value::Scalar(s), _))) = doc.get(automerge::ROOT, format!("w{sender}")) else {
        return None;
    };
    let (seq, sent) = s.as_str()?.split_once(':')?;
    Some((seq.parse().ok()?, sent.parse().ok()?))
}
