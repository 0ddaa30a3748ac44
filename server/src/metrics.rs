//! Counters for `GET /metrics`, in Prometheus' text format.

use std::{
    fmt::Write,
    sync::{
        Mutex,
        atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering::Relaxed},
    },
};

use quorum_shared::relay::Stats;

#[derive(Debug, Default)]
pub struct Metrics {
    pub connections: AtomicI64,
    pub connections_total: AtomicU64,
    pub rejected_connections: AtomicU64,
    pub messages_in: AtomicU64,
    pub messages_out: AtomicU64,
    pub bytes_in: AtomicU64,
    pub bytes_out: AtomicU64,
    pub bad_frames: AtomicU64,
    /// Connections closed because they stopped reading.
    pub slow_peers: AtomicU64,
    /// HTTP connections closed at once because their address had as many open as it may.
    pub refused_by_address: AtomicU64,
    /// Workspace creations refused: signup closed, or the address's hourly allowance spent.
    pub signups_refused: AtomicU64,
    /// New documents refused because their workspace holds as many as it may.
    pub documents_refused: AtomicU64,
    /// Messages whose reader waited for room in the inbound budget.
    pub inbound_waits: AtomicU64,
    /// Times the write queue filled and the relay stopped taking in messages.
    pub write_queue_full: AtomicU64,
    /// Bytes queued to connections now, as of the relay's last round.
    pub outbound_bytes: AtomicU64,
    /// 1 while the database answers: always for SQLite; for PostgreSQL, while the change log's
    /// connection is up (`postgres/log.rs`).
    pub database_up: AtomicU64,
    /// Entries of the change log past this relay's cursor, as of its last read.
    pub log_lag: AtomicU64,
    /// Entries of other relays taken from the change log.
    pub log_applied: AtomicU64,
    /// Bytes of a PostgreSQL database, as of the change log's last look (SQLite's file is
    /// measured when asked).
    pub database_bytes: AtomicU64,
    /// Whether the latest storage writes failed (cleared when a batch commits).
    storage_failing: AtomicBool,
    /// The relay core's gauges and totals, as of its last round.
    relay: Mutex<Stats>,
}

impl Metrics {
    /// Takes in the outcome of a batch of storage writes.
    pub fn storage_answered(&self, all_committed: bool) {
        self.storage_failing.store(!all_committed, Relaxed);
    }

    pub fn storage_failing(&self) -> bool {
        self.storage_failing.load(Relaxed)
    }

    /// Takes in the relay core's counters after one of its rounds.
    pub fn publish(&self, stats: Stats) {
        *self.relay.lock().unwrap_or_else(|p| p.into_inner()) = stats;
    }

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
        let relay = self.relay.lock().unwrap_or_else(|p| p.into_inner()).clone();
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
        metric("documents_loaded", "gauge", "Documents in the relay's memory.", relay.documents.to_string());
        metric(
            "peer_states",
            "gauge",
            "Sync states held: one per document a connection has open.",
            relay.peer_states.to_string(),
        );
        metric(
            "held_frames",
            "gauge",
            "Sync messages waiting for the writes they acknowledge.",
            relay.held_frames.to_string(),
        );
        metric(
            "pending_writes",
            "gauge",
            "Storage writes not yet committed, failed ones included.",
            relay.pending_writes.to_string(),
        );
        metric(
            "sync_messages_generated_total",
            "counter",
            "Sync messages the relay generated.",
            relay.sync_messages_generated.to_string(),
        );
        metric(
            "writes_committed_total",
            "counter",
            "Storage writes committed.",
            relay.writes_committed.to_string(),
        );
        metric(
            "write_failures_total",
            "counter",
            "Storage writes that failed and were retried.",
            relay.write_failures.to_string(),
        );
        metric(
            "documents_unloaded_total",
            "counter",
            "Idle documents dropped from memory.",
            relay.documents_unloaded.to_string(),
        );
        metric(
            "unreadable_chunks_total",
            "counter",
            "Stored chunks skipped as unreadable.",
            relay.unreadable_chunks.to_string(),
        );
        metric(
            "ephemeral_dropped_total",
            "counter",
            "Presence messages dropped: past the rate or size limit, or passed on under another peer's id.",
            relay.ephemeral_dropped.to_string(),
        );
        metric(
            "inflation_refused_total",
            "counter",
            "Sync messages refused: their changes would inflate past the limit.",
            relay.inflation_refused.to_string(),
        );
        metric(
            "forged_refused_total",
            "counter",
            "Sync messages refused: a new change in them is by an actor that is another member's.",
            relay.forged_refused.to_string(),
        );
        metric(
            "actor_bindings",
            "gauge",
            "Actor and device ids bound to members.",
            relay.bindings.to_string(),
        );
        metric(
            "refused_by_address_total",
            "counter",
            "HTTP connections closed at once: their address had as many open as it may.",
            get(&self.refused_by_address),
        );
        metric(
            "signups_refused_total",
            "counter",
            "Workspace creations refused (signup closed or the address's hourly allowance spent).",
            get(&self.signups_refused),
        );
        metric(
            "documents_refused_total",
            "counter",
            "New documents refused: their workspace holds as many as it may.",
            get(&self.documents_refused),
        );
        metric(
            "inbound_waits_total",
            "counter",
            "Messages whose reader waited for room in the inbound byte budget.",
            get(&self.inbound_waits),
        );
        metric(
            "write_queue_full_total",
            "counter",
            "Times the write queue filled and the relay took in no messages until storage caught up.",
            get(&self.write_queue_full),
        );
        metric(
            "outbound_queued_bytes",
            "gauge",
            "Bytes queued to connections and not yet written to them.",
            get(&self.outbound_bytes),
        );
        metric(
            "database_up",
            "gauge",
            "1 while the database answers (for PostgreSQL: while the change log's connection is up).",
            get(&self.database_up),
        );
        metric(
            "change_log_lag",
            "gauge",
            "Entries of the shared change log this relay has not read yet (PostgreSQL only).",
            get(&self.log_lag),
        );
        metric(
            "change_log_applied_total",
            "counter",
            "Entries other relays wrote to the change log, taken in by this one.",
            get(&self.log_applied),
        );
        metric(
            "chunks_from_elsewhere_total",
            "counter",
            "Chunks other relays committed, taken into documents open here.",
            relay.chunks_from_elsewhere.to_string(),
        );
        metric(
            "storage_failing",
            "gauge",
            "1 while the latest storage writes failed (they are retried).",
            u8::from(self.storage_failing()).to_string(),
        );
        metric("slow_peers_total", "counter", "Connections closed for not reading.", get(&self.slow_peers));
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
            "storage_bytes",
            "gauge",
            "Bytes of the database on disk, with its log.",
            storage_bytes.to_string(),
        );
        out
    }
}
