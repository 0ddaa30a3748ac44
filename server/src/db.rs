//! The server's one SQLite database: document chunks for samod and the access tables, in a single
//! WAL-mode file under the data directory.
//!
//! Every call runs on tokio's blocking pool and returns only after SQLite has committed, so
//! whatever the caller acknowledges afterwards survives a crash of the process.

use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use rusqlite::Connection;

/// The database file's name inside the data directory.
pub const FILE_NAME: &str = "quorum.sqlite3";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS chunks (
    key TEXT PRIMARY KEY NOT NULL,
    data BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS workspaces (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    root_document TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS members_by_workspace ON members(workspace_id);
CREATE TABLE IF NOT EXISTS invites (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    role TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    accepted_by TEXT,
    -- The owner who made it (none for the command line's); void once they are revoked.
    issued_by TEXT,
    revoked_at INTEGER
);
-- A key per workspace: one browser's key is certified in each workspace it is a member of.
CREATE TABLE IF NOT EXISTS device_keys (
    key_id TEXT NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id),
    member_id TEXT NOT NULL REFERENCES members(id),
    device TEXT NOT NULL,
    public_key TEXT NOT NULL,
    registered_at INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, key_id)
);
-- Whose each actor id is, per workspace (see quorum_shared::relay's attribution): a device a
-- member registered ('device', every actor it begins) or an actor bound by its first change
-- ('actor'). Written with the change or the key that made it; read back when the relay starts.
CREATE TABLE IF NOT EXISTS actor_bindings (
    workspace_id TEXT NOT NULL,
    id BLOB NOT NULL,
    kind TEXT NOT NULL,
    member_id TEXT NOT NULL,
    PRIMARY KEY (workspace_id, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces(id)
) WITHOUT ROWID;
";

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the database task stopped before finishing")]
    TaskStopped,
    #[error("cannot make {path} private to this user: {source}")]
    Permissions { path: String, source: std::io::Error },
    #[error("postgresql: {}", postgres_message(.0))]
    Postgres(#[from] tokio_postgres::Error),
    #[error("cannot reach postgresql: {0}")]
    Pool(String),
    #[error("the database URL cannot be read: {0}")]
    Url(String),
    #[error("the database holds a value this version cannot read: {0}")]
    Corrupt(String),
}

/// What PostgreSQL said, with its error code (tokio-postgres' own message is only "db error").
fn postgres_message(error: &tokio_postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => error.to_string(),
    }
}

impl DbError {
    /// Whether the database could not be reached (rather than refusing what was asked): the
    /// same request may succeed once it is back.
    pub fn is_unreachable(&self) -> bool {
        match self {
            DbError::Pool(_) => true,
            DbError::Postgres(error) => error.is_closed(),
            _ => false,
        }
    }
}

/// How often the log is copied into the database, on a connection of its own.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// Copies the write-ahead log into the database every [`CHECKPOINT_EVERY`] without blocking the
/// writer (a passive checkpoint never waits for a lock), until the database is closed.
fn checkpoint_in_background(path: &Path, open: std::sync::Weak<Mutex<Connection>>) {
    let path = path.to_owned();
    let checkpoint = move || {
        let Ok(conn) = Connection::open(&path) else { return };
        loop {
            std::thread::sleep(CHECKPOINT_EVERY);
            if open.upgrade().is_none() {
                return;
            }
            if let Err(error) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                tracing::warn!(%error, "a checkpoint of the database's log failed; the next one tries again");
            }
        }
    };
    let _ = std::thread::Builder::new().name("quorum-checkpoint".into()).spawn(checkpoint);
}

/// A handle to the database; clones share one connection.
#[derive(Clone)]
pub struct Database {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database").field("path", &self.path).finish()
    }
}

impl Database {
    /// Opens (creating if needed) the database in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, DbError> {
        let path = data_dir.join(FILE_NAME);
        owner_only(&path, true)?;
        let conn = Connection::open(&path)?;
        // WAL lets readers proceed during a write; FULL makes each commit durable even against
        // power loss, which is what "acknowledged" promises a peer.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Checkpoints run beside the writer (`checkpoint_in_background`), not inside one of its
        // commits: the commit that crosses SQLite's automatic threshold pays for copying the log
        // into the database, with its fsync, and every acknowledgement behind it waits.
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        conn.execute_batch(SCHEMA)?;
        migrate(&conn)?;
        // SQLite gives its log files the database's own mode; these may predate that.
        for log in ["-wal", "-shm"] {
            let mut name = path.clone().into_os_string();
            name.push(log);
            owner_only(Path::new(&name), false)?;
        }
        let conn = Arc::new(Mutex::new(conn));
        checkpoint_in_background(&path, Arc::downgrade(&conn));
        Ok(Self { conn, path })
    }

    /// Runs `f` with the connection on the blocking pool.
    pub async fn call<R, F>(&self, f: F) -> Result<R, DbError>
    where
        R: Send + 'static,
        F: FnOnce(&mut Connection) -> rusqlite::Result<R> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            f(&mut conn).map_err(DbError::from)
        })
        .await
        .map_err(|_| DbError::TaskStopped)?
    }

    /// Runs `f` with the connection on the current thread; for start-up and the command line.
    pub fn call_blocking<R>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<R>,
    ) -> Result<R, DbError> {
        let mut conn = self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut conn).map_err(DbError::from)
    }

    /// Bytes the database occupies on disk, including its write-ahead log.
    pub fn size_on_disk(&self) -> u64 {
        let wal = PathBuf::from(format!("{}-wal", self.path.display()));
        [&self.path, &wal].iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum()
    }
}

/// Brings a database made by an earlier version up to `SCHEMA`: columns added since.
fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let has_column = |table: &str, column: &str| -> rusqlite::Result<bool> {
        let mut columns = conn.prepare(&format!("PRAGMA table_info({table})"))?;
        let names = columns.query_map([], |row| row.get::<_, String>(1))?;
        for name in names {
            if name? == column {
                return Ok(true);
            }
        }
        Ok(false)
    };
    for (column, kind) in [("issued_by", "TEXT"), ("revoked_at", "INTEGER")] {
        if !has_column("invites", column)? {
            conn.execute_batch(&format!("ALTER TABLE invites ADD COLUMN {column} {kind}"))?;
        }
    }
    // Keys were once unique across the relay, which kept a browser from certifying its key in a
    // second workspace: the table is rebuilt keyed per workspace, keeping every row. Foreign keys
    // are off while the table is swapped (SQLite's way to rebuild a table: a row an old version
    // left dangling must not stop the server from starting), and the whole rebuild is one
    // transaction, which a failure rolls back.
    let keyed_per_workspace = |conn: &Connection| -> rusqlite::Result<bool> {
        conn.query_row(
            "SELECT pk > 0 FROM pragma_table_info('device_keys') WHERE name = 'workspace_id'",
            [],
            |row| row.get(0),
        )
    };
    if !keyed_per_workspace(conn)? {
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        let rebuilt = (|| {
            let tx = conn.unchecked_transaction()?;
            if !keyed_per_workspace(&tx)? {
                // The schema makes the table as it is now once the old one is out of the way.
                tx.execute_batch("ALTER TABLE device_keys RENAME TO device_keys_unique_across_relay")?;
                tx.execute_batch(SCHEMA)?;
                tx.execute_batch(
                    "INSERT INTO device_keys
                         SELECT key_id, workspace_id, member_id, device, public_key, registered_at
                         FROM device_keys_unique_across_relay ORDER BY rowid;
                     DROP TABLE device_keys_unique_across_relay;",
                )?;
            }
            tx.commit()
        })();
        conn.pragma_update(None, "foreign_keys", "ON")?;
        rebuilt?;
    }
    Ok(())
}

/// Makes `path` readable and writable by its owner only, creating it empty if `create` and it is
/// missing: the database holds every workspace's documents and members.
fn owner_only(path: &Path, create: bool) -> Result<(), DbError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let io = |source| DbError::Permissions { path: path.display().to_string(), source };
        if path.exists() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
        } else if create {
            std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).map_err(io)?;
        }
    }
    #[cfg(not(unix))]
    let _ = (path, create);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_whose_keys_were_unique_across_the_relay_keeps_them_keyed_per_workspace() {
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = Connection::open(dir.path().join(FILE_NAME)).unwrap();
            conn.execute_batch(
                "CREATE TABLE workspaces (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL,
                     root_document TEXT NOT NULL, created_at INTEGER NOT NULL);
                 CREATE TABLE members (id TEXT PRIMARY KEY NOT NULL, workspace_id TEXT NOT NULL,
                     name TEXT NOT NULL, role TEXT NOT NULL, created_at INTEGER NOT NULL, revoked_at INTEGER);
                 CREATE TABLE device_keys (key_id TEXT PRIMARY KEY NOT NULL, workspace_id TEXT NOT NULL,
                     member_id TEXT NOT NULL, device TEXT NOT NULL, public_key TEXT NOT NULL,
                     registered_at INTEGER NOT NULL);
                 INSERT INTO workspaces VALUES ('w1', 'Acme', 'root', 1), ('w2', 'Globex', 'root2', 2);
                 INSERT INTO members VALUES ('m1', 'w1', 'Ada', 'owner', 1, NULL), ('m2', 'w2', 'Ada', 'owner', 2, NULL);
                 INSERT INTO device_keys VALUES ('k', 'w1', 'm1', 'd', 'p', 3);
                 -- A member an old version deleted without its key.
                 INSERT INTO device_keys VALUES ('k2', 'w1', 'gone', 'd2', 'p2', 4);",
            )
            .unwrap();
        }
        drop(Database::open(dir.path()).unwrap());
        let db = Database::open(dir.path()).unwrap();
        let rows = db
            .call_blocking(|conn| {
                // The same key in a second workspace, which the old key refused.
                conn.execute("INSERT INTO device_keys VALUES ('k', 'w2', 'm2', 'd', 'p', 4)", [])?;
                conn.prepare("SELECT workspace_id, member_id FROM device_keys ORDER BY rowid")?
                    .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap();
        let row = |w: &str, m: &str| (w.to_owned(), m.to_owned());
        assert_eq!(rows, [row("w1", "m1"), row("w1", "gone"), row("w2", "m2")], "every row kept, once");
    }
}
