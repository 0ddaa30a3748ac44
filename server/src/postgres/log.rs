//! Following the change log: each relay LISTENs on the log's channel and, woken by another
//! relay's NOTIFY or every [`POLL`] whatever happens, reads the other relays' entries past its
//! cursor in order (its own are never sent back to it) and hands them to `deliver` (the relay
//! core takes chunks and bindings in, the server closes a revoked member's connections). A relay
//! that lost its connection reconnects and reads on from its cursor, so a missed notification
//! delays an entry, never loses it.

use std::{
    sync::{Arc, atomic::Ordering::Relaxed},
    time::Duration,
};

use futures::StreamExt;
use quorum_shared::relay::{Binding, Bound, Presence};
use tokio_postgres::{AsyncMessage, NoTls};

use super::{CHANNEL, Pg, presence};
use crate::db::DbError;
use crate::metrics::Metrics;

/// How often the log is read without a notification: the floor on how late an entry can be if a
/// NOTIFY is lost.
const POLL: Duration = Duration::from_secs(1);

/// Entries read in one query.
const PAGE: i64 = 512;

/// Deletes the entries older than an hour and marks how far the log is pruned: a relay away for
/// longer reads what it has open again (see [`Logged::Gap`]).
const PRUNE: &str = "WITH gone AS (DELETE FROM change_log WHERE at < now() - interval '1 hour' RETURNING id) \
     UPDATE change_log_pruned SET through = greatest(through, (SELECT coalesce(max(id), 0) FROM gone))";

/// One entry of the log, as a relay takes it in.
#[derive(Debug)]
pub enum Logged {
    Chunk {
        document_id: String,
        key: String,
        chunk: Vec<u8>,
    },
    Bind(Binding),
    Revoked {
        member: String,
    },
    /// Not in the log: presence a peer of another relay sent (`presence.rs`).
    Presence(Presence),
    /// Entries this relay never read were pruned: what it has open must be read again.
    Gap,
}

/// Follows the log from its head as of now, for the relay `relay`, until `deliver` says stop.
pub async fn follow(
    pg: Pg,
    relay: String,
    metrics: Arc<Metrics>,
    deliver: impl Fn(Vec<Logged>) -> bool + Send + Sync + 'static,
) -> Result<(), DbError> {
    let mut cursor = head(&pg).await?;
    tokio::spawn(async move {
        let mut backoff = Duration::from_millis(100);
        loop {
            match listen(&pg, &relay, &mut cursor, &metrics, &deliver).await {
                Ok(()) => return,
                Err(error) => {
                    metrics.database_up.store(0, Relaxed);
                    tracing::warn!(%error, ?backoff, "lost the change log's connection; reconnecting");
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(5));
                }
            }
        }
    });
    Ok(())
}

/// Where a relay starting now begins: past every entry there is, and every entry pruned.
async fn head(pg: &Pg) -> Result<i64, DbError> {
    let sql =
        "SELECT greatest(coalesce(max(id), 0), (SELECT through FROM change_log_pruned)) FROM change_log";
    Ok(pg.client().await?.query_one(sql, &[]).await?.get(0))
}

/// One connection's worth of following: returns `Ok` when `deliver` says stop, `Err` when the
/// connection fails.
async fn listen(
    pg: &Pg,
    relay: &str,
    cursor: &mut i64,
    metrics: &Metrics,
    deliver: &(impl Fn(Vec<Logged>) -> bool + Send + Sync),
) -> Result<(), DbError> {
    let (client, mut connection) = pg.config.connect(NoTls).await?;
    let me = relay.to_owned();
    let (wake, mut woken) = tokio::sync::mpsc::unbounded_channel();
    let mut messages = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
    let driver = tokio::spawn(async move {
        while let Some(message) = messages.next().await {
            match message {
                // This relay's own commits need no reading.
                Ok(AsyncMessage::Notification(note)) if note.channel() == CHANNEL && note.payload() == me => {
                }
                Ok(AsyncMessage::Notification(note)) => {
                    let _ =
                        wake.send((note.channel() == presence::CHANNEL).then(|| note.payload().to_owned()));
                }
                Ok(_) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(())
    });
    let driver = AbortOnDrop(driver.abort_handle());
    client.batch_execute(&format!("LISTEN {CHANNEL}; LISTEN {}", presence::CHANNEL)).await?;
    metrics.database_up.store(1, Relaxed);
    // Every id up to the head read just before is committed (ids become visible in order), so a
    // page short of full brings the cursor to that head, past this relay's own entries too.
    let read = client
        .prepare(
            "SELECT id, document_id, key, chunk, scope, actor, kind, member, revoked \
             FROM change_log WHERE id > $1 AND id <= $2 AND relay <> $3 ORDER BY id LIMIT $4",
        )
        .await?;
    metrics.database_bytes.store(pg.size().await?, Relaxed);
    let mut pruned_at = tokio::time::Instant::now();
    loop {
        let bounds = client
            .query_one(
                "SELECT (SELECT through FROM change_log_pruned), coalesce(max(id), 0) FROM change_log",
                &[],
            )
            .await?;
        let (pruned, head): (i64, i64) = (bounds.get(0), bounds.get(1));
        if pruned > *cursor {
            tracing::warn!(
                cursor = *cursor,
                pruned,
                "entries this relay never read were pruned; reading open documents again"
            );
            *cursor = pruned;
            if !deliver(vec![Logged::Gap]) {
                return Ok(());
            }
        }
        while head > *cursor {
            let rows = client.query(&read, &[&*cursor, &head, &relay, &PAGE]).await?;
            let full = rows.len() as i64 == PAGE;
            *cursor = match rows.last() {
                Some(last) if full => last.get(0),
                _ => head,
            };
            let entries: Vec<Logged> = rows.iter().filter_map(entry).collect();
            if !entries.is_empty() {
                metrics.log_applied.fetch_add(entries.len() as u64, Relaxed);
                if !deliver(entries) {
                    return Ok(());
                }
            }
        }
        metrics.log_lag.store(u64::try_from(head - *cursor).unwrap_or(0), Relaxed);
        if pruned_at.elapsed() > Duration::from_secs(60) {
            pruned_at = tokio::time::Instant::now();
            client.execute(PRUNE, &[]).await?;
            metrics.database_bytes.store(pg.size().await?, Relaxed);
        }
        // Until the log has news (or a poll is due), only presence comes in.
        let poll = tokio::time::sleep(POLL);
        tokio::pin!(poll);
        loop {
            let woke = tokio::select! {
                woke = woken.recv() => woke,
                () = &mut poll => break,
            };
            let Some(payload) = woke else {
                return Err(DbError::Pool("the change log's connection closed".into()));
            };
            let Some(payload) = payload else { break };
            if let Some(presence) = presence::decode(relay, &payload)
                && !deliver(vec![Logged::Presence(presence)])
            {
                return Ok(());
            }
        }
        if driver.0.is_finished() {
            return Err(DbError::Pool("the change log's connection closed".into()));
        }
    }
}

struct AbortOnDrop(tokio::task::AbortHandle);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn entry(row: &tokio_postgres::Row) -> Option<Logged> {
    if let (Some(document_id), Some(key), Some(chunk)) = (row.get(1), row.get(2), row.get(3)) {
        return Some(Logged::Chunk { document_id, key, chunk });
    }
    if let (Some(scope), Some(id), Some(kind), Some(member)) =
        (row.get::<_, Option<String>>(4), row.get(5), row.get::<_, Option<&str>>(6), row.get(7))
    {
        // A kind this version does not know binds nothing here.
        return Bound::parse(kind).map(|kind| Logged::Bind(Binding { scope, id, kind, member }));
    }
    row.get::<_, Option<String>>(8).map(|member| Logged::Revoked { member })
}
