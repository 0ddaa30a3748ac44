//! Following the change log: each relay LISTENs on the log's channel and, woken by a NOTIFY or
//! every [`POLL`] whatever happens, reads every entry past its cursor in order, skipping its own,
//! and hands the rest to `deliver` (the relay core takes chunks and bindings in, the server closes
//! a revoked member's connections). A relay that lost its connection reconnects and reads on
//! from its cursor, so a missed notification delays an entry, never loses it.

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

/// How long entries are kept: a relay away for longer reads its open documents again (see
/// [`Logged::Gap`]).
const RETENTION: &str = "1 hour";

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

async fn head(pg: &Pg) -> Result<i64, DbError> {
    Ok(pg.client().await?.query_one("SELECT coalesce(max(id), 0) FROM change_log", &[]).await?.get(0))
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
    let (wake, mut woken) = tokio::sync::mpsc::unbounded_channel();
    let mut messages = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
    let driver = tokio::spawn(async move {
        while let Some(message) = messages.next().await {
            match message {
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
    let read = client
        .prepare(
            "SELECT id, relay, document_id, key, chunk, scope, actor, kind, member, revoked \
             FROM change_log WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .await?;
    metrics.database_bytes.store(pg.size().await?, Relaxed);
    let mut pruned_at = tokio::time::Instant::now();
    loop {
        let bounds = client
            .query_one("SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM change_log", &[])
            .await?;
        let (oldest, head): (i64, i64) = (bounds.get(0), bounds.get(1));
        if oldest > *cursor + 1 && *cursor > 0 {
            tracing::warn!(
                cursor = *cursor,
                oldest,
                "entries this relay never read were pruned; reading open documents again"
            );
            if !deliver(vec![Logged::Gap]) {
                return Ok(());
            }
        }
        while head > *cursor {
            let rows = client.query(&read, &[&*cursor, &PAGE]).await?;
            let Some(last) = rows.last() else { break };
            *cursor = last.get(0);
            let full = rows.len() as i64 == PAGE;
            let entries: Vec<Logged> =
                rows.iter().filter(|row| row.get::<_, &str>(1) != relay).filter_map(entry).collect();
            if !entries.is_empty() {
                metrics.log_applied.fetch_add(entries.len() as u64, Relaxed);
                if !deliver(entries) {
                    return Ok(());
                }
            }
            if !full {
                break;
            }
        }
        metrics.log_lag.store(u64::try_from(head - *cursor).unwrap_or(0), Relaxed);
        if pruned_at.elapsed() > Duration::from_secs(60) {
            pruned_at = tokio::time::Instant::now();
            client
                .execute(&format!("DELETE FROM change_log WHERE at < now() - interval '{RETENTION}'"), &[])
                .await?;
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
    if let (Some(document_id), Some(key), Some(chunk)) = (row.get(2), row.get(3), row.get(4)) {
        return Some(Logged::Chunk { document_id, key, chunk });
    }
    if let (Some(scope), Some(id), Some(kind), Some(member)) =
        (row.get::<_, Option<String>>(5), row.get(6), row.get::<_, Option<&str>>(7), row.get(8))
    {
        // A kind this version does not know binds nothing here.
        return Bound::parse(kind).map(|kind| Logged::Bind(Binding { scope, id, kind, member }));
    }
    row.get::<_, Option<String>>(9).map(|member| Logged::Revoked { member })
}
