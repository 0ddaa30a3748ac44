//! The PostgreSQL schema as numbered migrations: a fresh database takes them all, an existing one
//! those it has not taken, each once, in one transaction with the version it reaches. Relays
//! starting together wait for each other on an advisory lock rather than racing. A migration is
//! never edited once released; a change to the schema is a new one at the end.

use crate::db::DbError;

const MIGRATIONS: &[&str] = &[
    // 1: the tables of the SQLite schema (`db.rs`), with a sequence where SQLite's rowid gave the
    // order of members and keys; the shared token key; and the change log.
    "
    CREATE TABLE chunks (
        key TEXT PRIMARY KEY,
        data BYTEA NOT NULL
    );
    CREATE TABLE workspaces (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        root_document TEXT NOT NULL,
        created_at BIGINT NOT NULL
    );
    CREATE TABLE members (
        seq BIGSERIAL UNIQUE,
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        name TEXT NOT NULL,
        role TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        revoked_at BIGINT
    );
    CREATE INDEX members_by_workspace ON members(workspace_id);
    CREATE TABLE invites (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        role TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        accepted_by TEXT,
        issued_by TEXT,
        revoked_at BIGINT
    );
    CREATE TABLE device_keys (
        seq BIGSERIAL UNIQUE,
        key_id TEXT NOT NULL,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        member_id TEXT NOT NULL REFERENCES members(id),
        device TEXT NOT NULL,
        public_key TEXT NOT NULL,
        registered_at BIGINT NOT NULL,
        PRIMARY KEY (workspace_id, key_id)
    );
    CREATE TABLE actor_bindings (
        workspace_id TEXT NOT NULL,
        id BYTEA NOT NULL,
        kind TEXT NOT NULL,
        member_id TEXT NOT NULL,
        PRIMARY KEY (workspace_id, id)
    );
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id)
    );
    CREATE INDEX documents_by_workspace ON documents(workspace_id);
    CREATE TABLE relay_secrets (
        name TEXT PRIMARY KEY,
        value BYTEA NOT NULL
    );
    -- What one relay committed, for the others (see postgres.rs): a chunk stored for a document,
    -- a binding made, or a member revoked. Pruned once older than every relay needs.
    CREATE TABLE change_log (
        id BIGSERIAL PRIMARY KEY,
        relay TEXT NOT NULL,
        at TIMESTAMPTZ NOT NULL DEFAULT now(),
        document_id TEXT,
        key TEXT,
        chunk BYTEA,
        scope TEXT,
        actor BYTEA,
        kind TEXT,
        member TEXT,
        revoked TEXT
    );
    CREATE INDEX change_log_by_time ON change_log(at);
    ",
    // 2: the last id pruned from the log, so that a relay whose cursor is behind it knows it
    // missed entries: by then the log may hold nothing at all to tell it.
    "
    CREATE TABLE change_log_pruned (through BIGINT NOT NULL);
    INSERT INTO change_log_pruned VALUES (0);
    ",
];

/// Takes the migrations `client`'s database has not taken yet.
pub async fn migrate(client: &mut tokio_postgres::Client) -> Result<(), DbError> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock(7283019)", &[]).await?;
    tx.batch_execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, taken_at TIMESTAMPTZ NOT NULL DEFAULT now())")
        .await?;
    let taken: i32 =
        tx.query_one("SELECT coalesce(max(version), 0) FROM schema_migrations", &[]).await?.get(0);
    for (version, sql) in (1..).zip(MIGRATIONS).skip(usize::try_from(taken).unwrap_or(0)) {
        tx.batch_execute(sql).await?;
        tx.execute("INSERT INTO schema_migrations (version) VALUES ($1)", &[&version]).await?;
        tracing::info!(version, "database migrated");
    }
    tx.commit().await?;
    Ok(())
}

/// The version a database is at, for `quorum migrate`'s report.
pub async fn version(client: &tokio_postgres::Client) -> Result<i32, DbError> {
    Ok(client.query_one("SELECT coalesce(max(version), 0) FROM schema_migrations", &[]).await?.get(0))
}
