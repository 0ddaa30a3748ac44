//! The document store on PostgreSQL, group-committed as on SQLite (`storage.rs`): one task takes
//! every write queued so far, commits them in one transaction with their log entries and a
//! NOTIFY, then reports each write's result; if the batch fails, each write is tried alone. The
//! core acknowledges nothing before the report, so a client's acknowledgement waits for COMMIT.

use std::sync::{Arc, Mutex};

use deadpool_postgres::Transaction;
use quorum_shared::relay::{Binding, Bound, Write};
use tokio::sync::{Notify, mpsc};

use super::{LOG_LOCK, Pg, announce};
use crate::chunks::{Report, WriteResults, bounds};
use crate::db::DbError;

/// Stores a binding by the core's rule (`Bindings::insert`), as `storage::BIND` does on SQLite.
pub(super) const BIND: &str = "INSERT INTO actor_bindings (workspace_id, id, kind, member_id) VALUES ($1, $2, $3, $4) \
     ON CONFLICT (workspace_id, id) DO UPDATE SET kind = excluded.kind \
     WHERE actor_bindings.member_id = excluded.member_id AND excluded.kind = 'device'";

const LOG_CHUNK: &str = "INSERT INTO change_log (relay, document_id, key, chunk) VALUES ($1, $2, $3, $4)";
pub(super) const LOG_BINDING: &str =
    "INSERT INTO change_log (relay, scope, actor, kind, member) VALUES ($1, $2, $3, $4, $5)";

/// The chunks store on PostgreSQL. Cheap to clone; the writer task stops with the last clone.
#[derive(Clone, Debug)]
pub struct PgStorage {
    pg: Pg,
    writes: mpsc::UnboundedSender<Write>,
    report: Arc<ReportSlot>,
}

#[derive(Default)]
struct ReportSlot {
    report: Mutex<Option<Arc<Report>>>,
    set: Notify,
}

impl std::fmt::Debug for ReportSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReportSlot")
    }
}

impl PgStorage {
    /// Starts the writer; `relay` names this relay in the log, so that it skips its own entries.
    pub fn new(pg: Pg, relay: String) -> Self {
        let (writes, queue) = mpsc::unbounded_channel();
        let report = Arc::new(ReportSlot::default());
        tokio::spawn(write_loop(pg.clone(), relay, queue, report.clone()));
        Self { pg, writes, report }
    }

    pub fn report_to(&self, report: Report) {
        *self.report.report.lock().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(report));
        self.report.set.notify_one();
    }

    pub fn submit(&self, write: Write) {
        let _ = self.writes.send(write);
    }

    pub async fn load(&self, document_id: &str) -> Result<Vec<(String, Vec<u8>)>, DbError> {
        let (low, high) = bounds(document_id);
        let rows = self
            .pg
            .client()
            .await?
            .query("SELECT key, data FROM chunks WHERE key >= $1 AND key < $2 ORDER BY key", &[&low, &high])
            .await?;
        Ok(rows.into_iter().map(|row| (row.get(0), row.get(1))).collect())
    }

    pub async fn bindings(&self) -> Result<Vec<Binding>, DbError> {
        let rows = self
            .pg
            .client()
            .await?
            .query("SELECT workspace_id, id, kind, member_id FROM actor_bindings", &[])
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                Bound::parse(row.get(2)).map(|kind| Binding {
                    scope: row.get(0),
                    id: row.get(1),
                    kind,
                    member: row.get(3),
                })
            })
            .collect())
    }

    pub async fn create(&self, key: String, chunk: Vec<u8>) -> Result<(), DbError> {
        self.pg
            .client()
            .await?
            .execute("INSERT INTO chunks (key, data) VALUES ($1, $2)", &[&key, &chunk])
            .await?;
        Ok(())
    }
}

async fn write_loop(pg: Pg, relay: String, mut queue: mpsc::UnboundedReceiver<Write>, slot: Arc<ReportSlot>) {
    let report = loop {
        if let Some(report) = slot.report.lock().unwrap_or_else(|p| p.into_inner()).clone() {
            break report;
        }
        slot.set.notified().await;
    };
    while let Some(first) = queue.recv().await {
        let mut writes = vec![first];
        while let Ok(write) = queue.try_recv() {
            writes.push(write);
        }
        let results: WriteResults = match commit(&pg, &relay, &writes).await {
            Ok(()) => writes.iter().map(|w| (w.id, Ok(()))).collect(),
            // Unreachable: no write would fare better alone. The core retries each with backoff.
            Err(error) if error.is_unreachable() => {
                tracing::warn!(%error, writes = writes.len(), "cannot reach the database; writes are held and retried");
                writes.iter().map(|w| (w.id, Err(error.to_string()))).collect()
            }
            Err(error) => {
                tracing::error!(%error, writes = writes.len(), "a group commit failed; committing each write alone");
                let mut results = Vec::with_capacity(writes.len());
                for write in &writes {
                    let result = commit(&pg, &relay, std::slice::from_ref(write)).await;
                    if let Err(error) = &result {
                        tracing::error!(%error, document = write.document_id, "a storage write failed; the relay retries it");
                    }
                    results.push((write.id, result.map_err(|e| e.to_string())));
                }
                results
            }
        };
        report(results);
    }
}

async fn commit(pg: &Pg, relay: &str, writes: &[Write]) -> Result<(), DbError> {
    let mut client = pg.client().await?;
    let tx = client.transaction().await?;
    // The log's lock first, before any row: two relays' commits touching the same chunks (a
    // snapshot deletes what another relay may be deleting too) would otherwise each hold a row
    // the other wants while waiting for the lock, and deadlock.
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOG_LOCK]).await?;
    let put = tx
        .prepare_cached("INSERT INTO chunks (key, data) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET data = excluded.data")
        .await?;
    let delete = tx.prepare_cached("DELETE FROM chunks WHERE key = $1").await?;
    let bind = tx.prepare_cached(BIND).await?;
    for write in writes {
        for b in &write.bind {
            tx.execute(&bind, &[&b.scope, &b.id, &b.kind.as_str(), &b.member]).await?;
        }
        for key in &write.delete {
            tx.execute(&delete, &[key]).await?;
        }
        for (key, data) in &write.put {
            tx.execute(&put, &[key, data]).await?;
        }
    }
    append_to_log(&tx, relay, writes).await?;
    tx.commit().await?;
    Ok(())
}

/// The writes' new changes and bindings, for the other relays (the log's lock is held). A
/// snapshot folds in only what is committed already, so it is not logged: the incrementals it
/// replaces were.
async fn append_to_log(tx: &Transaction<'_>, relay: &str, writes: &[Write]) -> Result<(), DbError> {
    let chunk = tx.prepare_cached(LOG_CHUNK).await?;
    let binding = tx.prepare_cached(LOG_BINDING).await?;
    for write in writes {
        for b in &write.bind {
            tx.execute(&binding, &[&relay, &b.scope, &b.id, &b.kind.as_str(), &b.member]).await?;
        }
        for (key, data) in write.put.iter().filter(|(key, _)| key.contains("/incremental/")) {
            tx.execute(&chunk, &[&relay, &write.document_id, key, data]).await?;
        }
    }
    announce(tx, relay).await
}
