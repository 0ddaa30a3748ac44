//! Counters for `GET /metrics`, in Prometheus' text format.

use std::{
    fmt::Write,
    sync::{
        Arc,
        atomic::{AtomicI64, AtomicU64, Ordering::Relaxed},
    },
};

use samod::{RepoEvent, RepoObserver};

#[derive(Debug, Default)]
pub struct Metrics {
    pub connections: AtomicI64,
    pub connections_total: AtomicU64,
    pub rejected_connections: AtomicU64,
    pub documents_loaded: AtomicI64,
    pub messages_in: AtomicU64,
    pub messages_out: AtomicU64,
    pub bytes_in: AtomicU64,
    pub bytes_out: AtomicU64,
    pub bad_frames: AtomicU64,
    /// Sync messages sent before their changes were known to be on disk; see `DURABLE_WAIT`.
    pub undurable_sends: AtomicU64,
}

impl Metrics {
    /// Renders every metric; `storage_bytes` and `documents_known` are read by the caller.
    pub fn render(&self, storage_bytes: u64, documents_known: usize) -> String {
        let mut out = String::new();
        let mut metric = |name: &str, kind: &str, help: &str, value: String| {
            let _ = writeln!(
                out,
                "# HELP quorum_{name} {help}\n# TYPE quorum_{name} {kind}\nquorum_{name} {value}"
            );
        };
        let get = |a: &AtomicU64| a.load(Relaxed).to_string();
        metric(
            "connections",
            "gauge",
            "Sync connections open now.",
            self.connections.load(Relaxed).to_string(),
        );
        metric("connections_total", "counter", "Sync connections accepted.", get(&self.connections_total));
        metric(
            "rejected_connections_total",
            "counter",
            "Sync upgrades refused (bad token, revoked member, too many connections).",
            get(&self.rejected_connections),
        );
        metric(
            "documents_loaded",
            "gauge",
            "Documents open in memory.",
            self.documents_loaded.load(Relaxed).to_string(),
        );
        metric("documents_known", "gauge", "Documents assigned to a workspace.", documents_known.to_string());
        metric("messages_in_total", "counter", "Protocol messages received.", get(&self.messages_in));
        metric("messages_out_total", "counter", "Protocol messages sent.", get(&self.messages_out));
        metric("bytes_in_total", "counter", "Protocol bytes received.", get(&self.bytes_in));
        metric("bytes_out_total", "counter", "Protocol bytes sent.", get(&self.bytes_out));
        metric(
            "bad_frames_total",
            "counter",
            "Frames refused as malformed, oversized or not allowed.",
            get(&self.bad_frames),
        );
        metric(
            "undurable_sends_total",
            "counter",
            "Sync messages sent after waiting in vain for their changes to reach the disk (should stay 0).",
            get(&self.undurable_sends),
        );
        metric(
            "storage_bytes",
            "gauge",
            "Bytes of the database on disk, with its log.",
            storage_bytes.to_string(),
        );
        out
    }
}

/// Feeds samod's document lifecycle into [`Metrics`].
pub struct MetricsObserver(pub Arc<Metrics>);

impl RepoObserver for MetricsObserver {
    fn observe(&self, event: &RepoEvent) {
        match event {
            RepoEvent::DocumentOpened { .. } => {
                self.0.documents_loaded.fetch_add(1, Relaxed);
            }
            RepoEvent::DocumentClosed { .. } => {
                self.0.documents_loaded.fetch_sub(1, Relaxed);
            }
            _ => {}
        }
    }
}
