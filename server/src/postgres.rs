//! PostgreSQL, for several relays serving the same workspaces (`--database-url`): the relay's
//! own tables, the document chunks, the token key, and the change log that carries what one
//! relay commits to the others. SQLite (`db.rs`) stays the embedded default.
//!
//! The log is the truth and NOTIFY only the wake-up (`log.rs`): a relay that missed a
//! notification, or was away, reads on from its cursor. Appends to the log are serialized by a
//! transaction-scoped advisory lock, so that log ids become visible in the order they were
//! given out and a cursor never skips an entry a slower transaction was still writing.

mod log;
mod presence;
mod schema;
mod storage;
mod tables;

use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::NoTls;

pub use log::{Logged, follow};
pub use presence::publisher;
pub use storage::PgStorage;

use crate::db::DbError;

/// The channel relays LISTEN on; its payload names the relay that appended, so that a relay is
/// not woken by its own commits (the log says what is new).
const CHANNEL: &str = "quorum_change_log";

/// The advisory lock every append to the log holds until its transaction ends.
const LOG_LOCK: i64 = 0x5155_4f52_554d; // "QUORUM"

/// Wakes the other relays when `tx` commits: it appended to the log for `relay`.
async fn announce(tx: &tokio_postgres::Transaction<'_>, relay: &str) -> Result<(), DbError> {
    tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &relay]).await?;
    Ok(())
}

/// A pool of connections to the database, cheap to clone.
#[derive(Clone)]
pub struct Pg {
    pool: Pool,
    /// For the change log's own connection, which LISTENs and so stays out of the pool.
    config: std::sync::Arc<tokio_postgres::Config>,
}

impl std::fmt::Debug for Pg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pg").field("hosts", &self.config.get_hosts()).finish_non_exhaustive()
    }
}

impl Pg {
    /// Connects to `url` and brings its schema up to date (see `schema.rs`).
    pub async fn connect(url: &str) -> Result<Pg, DbError> {
        let mut config: tokio_postgres::Config =
            url.parse().map_err(|e: tokio_postgres::Error| DbError::Url(e.to_string()))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(5));
        }
        config.application_name("quorum");
        // PostgreSQL's notices (a table that exists already) are not the relay's news.
        config.options("-c client_min_messages=warning");
        let manager = Manager::from_config(
            config.clone(),
            NoTls,
            ManagerConfig { recycling_method: RecyclingMethod::Fast },
        );
        let pool = Pool::builder(manager)
            .max_size(16)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(10)))
            .create_timeout(Some(Duration::from_secs(5)))
            .recycle_timeout(Some(Duration::from_secs(5)))
            .build()
            .map_err(|e| DbError::Pool(e.to_string()))?;
        let pg = Pg { pool, config: config.into() };
        schema::migrate(&mut *pg.client().await?).await?;
        Ok(pg)
    }

    /// The schema version the database is at (see `schema.rs`).
    pub async fn version(&self) -> Result<i32, DbError> {
        schema::version(&**self.client().await?).await
    }

    /// A connection from the pool.
    pub async fn client(&self) -> Result<deadpool_postgres::Object, DbError> {
        self.pool.get().await.map_err(|e| DbError::Pool(e.to_string()))
    }

    /// The token key every relay of the database shares: made by whichever starts first.
    pub async fn token_key(&self, fresh: [u8; 32]) -> Result<Vec<u8>, DbError> {
        let client = self.client().await?;
        client
            .execute(
                "INSERT INTO relay_secrets (name, value) VALUES ('token-key', $1) ON CONFLICT (name) DO NOTHING",
                &[&fresh.as_slice()],
            )
            .await?;
        let row = client.query_one("SELECT value FROM relay_secrets WHERE name = 'token-key'", &[]).await?;
        Ok(row.get(0))
    }

    /// Bytes the database occupies, for `/metrics`.
    pub async fn size(&self) -> Result<u64, DbError> {
        let row = self.client().await?.query_one("SELECT pg_database_size(current_database())", &[]).await?;
        Ok(u64::try_from(row.get::<_, i64>(0)).unwrap_or(0))
    }
}
