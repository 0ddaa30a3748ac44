//! Quorum's relay as a library: [`app`] builds the whole HTTP surface (the sync WebSocket, the
//! JSON API, health, metrics and the app's static files), so tests drive it without a port and
//! `main.rs` only parses flags, binds and serves.
//!
//! ```no_run
//! # async fn run() -> anyhow::Result<()> {
//! let state = quorum_server::AppState::open(quorum_server::Config::new("data", "dist")).await?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! // Serves until the future given completes (here: Ctrl-C), then shuts the state down.
//! quorum_server::serve(listener, state, async {
//!     let _ = tokio::signal::ctrl_c().await;
//! })
//! .await?;
//! # Ok(())
//! # }
//! ```

mod access;
mod api;
mod auth;
mod chunks;
mod config;
mod db;
mod error;
mod headers;
mod metrics;
mod policy;
mod postgres;
mod quota;
mod records;
mod relay;
mod serve;
mod static_files;
mod storage;
mod sync;
pub mod token;
mod verify;

use std::{net::IpAddr, sync::Arc, time::Duration};

use axum::{
    Router,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    middleware,
    response::{IntoResponse, Response},
    routing::get,
};

pub use access::Role;
pub use config::{Config, Limits, Signup};
pub use db::{DbError, FILE_NAME as DATABASE_FILE};
pub use error::ApiError;
pub use quorum_shared::api::{Invite, Membership};
pub use serve::serve;
pub use static_files::precompress::{Compressed, precompress};
pub use storage::SqliteStorage;
pub use token::{Claims, TokenKind};
pub use verify::verify_file;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("cannot open the database: {0}")]
    Database(#[from] DbError),
    #[error(transparent)]
    Key(#[from] token::KeyError),
}

/// What every request handler may read; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    relay: relay::RelayHandle,
    access: access::Access,
    storage: storage::Storage,
    keys: token::TokenKeys,
    metrics: Arc<metrics::Metrics>,
    /// Shared with the change log's follower, which closes a member revoked on another relay.
    connections: Arc<sync::Connections>,
    /// HTTP and sync connections open per address.
    addresses: quota::Tally<IpAddr>,
    /// Workspaces created through the API, per address.
    signups: quota::RateLimit<IpAddr>,
    /// Keeps an [`AppState::ephemeral`] state's data directory alive as long as the state.
    _scratch: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").field("config", &self.inner.config).finish_non_exhaustive()
    }
}

impl AppState {
    /// Opens the data directory (creating the database and the token key on first start) and
    /// starts the relay on it.
    pub async fn open(config: Config) -> Result<Self, StartError> {
        Self::open_with(config, None).await
    }

    /// A state for `static_dir` with a fresh data directory that is removed when the last clone of
    /// the state is dropped; for tests.
    pub async fn ephemeral(static_dir: impl Into<std::path::PathBuf>) -> Result<Self, StartError> {
        let scratch = tempfile::tempdir().map_err(|source| StartError::DataDir {
            path: std::env::temp_dir().display().to_string(),
            source,
        })?;
        let config = Config::new(scratch.path(), static_dir);
        Self::open_with(config, Some(scratch)).await
    }

    async fn open_with(config: Config, scratch: Option<tempfile::TempDir>) -> Result<Self, StartError> {
        create_private_dir(&config.data_dir)
            .map_err(|source| StartError::DataDir { path: config.data_dir.display().to_string(), source })?;
        let name = format!("quorum-relay-{}", access::random_id());
        let metrics = Arc::new(metrics::Metrics::default());
        let (tables, storage, keys, pg) = match &config.database_url {
            None => {
                let db = db::Database::open(&config.data_dir)?;
                let keys = token::TokenKeys::load_or_create(&config.data_dir)?;
                metrics.database_up.store(1, std::sync::atomic::Ordering::Relaxed);
                let storage = storage::Storage::Sqlite(storage::SqliteStorage::new(db.clone()));
                (access::Tables::Sqlite(db), storage, keys, None)
            }
            Some(url) => {
                let pg = postgres::Pg::connect(url).await?;
                let keys =
                    token::TokenKeys::from_stored(pg.token_key(token::TokenKeys::random_key()?).await?)?;
                let storage = storage::Storage::Postgres(postgres::PgStorage::new(pg.clone(), name.clone()));
                (access::Tables::Postgres { pg: pg.clone(), relay: name.clone() }, storage, keys, Some(pg))
            }
        };
        let access = access::Access::load(tables).await?;
        let bindings = storage.bindings().await?;
        let presence = pg.as_ref().map(|pg| postgres::publisher(pg.clone(), name.clone()));
        let relay = relay::RelayHandle::start(
            &name,
            storage.clone(),
            bindings,
            presence,
            metrics.clone(),
            &config.limits,
        );
        let connections = Arc::new(sync::Connections::default());
        if let Some(pg) = pg {
            follow_log(pg, &name, &relay, &connections, &metrics).await?;
        }
        let signups = quota::RateLimit::new(config.limits.workspaces_per_hour, Duration::from_secs(3600));
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                relay,
                access,
                storage,
                keys,
                metrics,
                connections,
                addresses: quota::Tally::default(),
                signups,
                _scratch: scratch,
            }),
        })
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// A document as storage holds it; `None` if nothing of it is stored (or can be read).
    pub async fn find_document(&self, id: &str) -> Result<Option<automerge::Automerge>, DbError> {
        self.inner.storage.document(id).await
    }

    /// The metrics as `GET /metrics` serves them.
    pub fn render_metrics(&self) -> String {
        let inner = &self.inner;
        let bytes = match inner.access.db() {
            access::Tables::Sqlite(db) => db.size_on_disk(),
            access::Tables::Postgres { .. } => {
                inner.metrics.database_bytes.load(std::sync::atomic::Ordering::Relaxed)
            }
        };
        inner.metrics.render(bytes, inner.access.document_count())
    }

    /// Closes every sync connection, telling each peer why, and stops the relay once storage
    /// has committed everything it was given.
    pub async fn shutdown(&self) {
        self.inner.connections.close_all(&sync::CloseReason::new(1001, "the server is shutting down"));
        self.inner.relay.stop().await;
    }
}

/// Brings the database `config` names up to this version's schema, as every start does, and says
/// which database it is and the version it is at; for `quorum migrate`.
pub async fn migrate(config: &Config) -> Result<String, StartError> {
    match &config.database_url {
        None => {
            create_private_dir(&config.data_dir).map_err(|source| StartError::DataDir {
                path: config.data_dir.display().to_string(),
                source,
            })?;
            drop(db::Database::open(&config.data_dir)?);
            Ok(format!("sqlite {} is up to date", config.data_dir.join(db::FILE_NAME).display()))
        }
        Some(url) => {
            let pg = postgres::Pg::connect(url).await?;
            Ok(format!("postgresql is at schema version {}", pg.version().await?))
        }
    }
}

/// Follows the shared change log (`postgres/log.rs`): other relays' chunks and bindings go to the
/// relay core, their revocations close the member's connections here too.
async fn follow_log(
    pg: postgres::Pg,
    name: &str,
    relay: &relay::RelayHandle,
    connections: &Arc<sync::Connections>,
    metrics: &Arc<metrics::Metrics>,
) -> Result<(), DbError> {
    let (relay, connections, tables) = (relay.clone(), connections.clone(), pg.clone());
    postgres::follow(pg, name.to_owned(), metrics.clone(), move |entries| {
        for entry in &entries {
            match entry {
                postgres::Logged::Revoked { member } => connections.close_revoked(member),
                // Revocations may be among the entries missed: every revoked member's
                // connections close, as each revocation's own entry would have closed them.
                postgres::Logged::Gap => {
                    let (tables, connections) = (tables.clone(), connections.clone());
                    tokio::spawn(async move {
                        match tables.revoked_members().await {
                            Ok(members) => {
                                members.iter().for_each(|member| connections.close_revoked(member))
                            }
                            Err(error) => tracing::error!(%error, "cannot read the revoked members again"),
                        }
                    });
                }
                _ => {}
            }
        }
        relay.logged(entries)
    })
    .await
}

/// Creates the data directory, if it is missing, readable by this user only (0700): it holds the
/// database and the token key. A directory that exists keeps the mode its operator gave it.
fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// The relay's routes: sync, the API, health and metrics, and the app itself for every other path,
/// each response with the security headers.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/sync", get(sync::upgrade))
        .nest("/api", api::routes())
        .fallback_service(static_files::service(&state.inner.config.static_dir))
        .layer(middleware::from_fn_with_state(state.clone(), headers::security_headers))
        .with_state(state)
}

/// 200 while the relay can store what it is sent; 503 while the database is unreachable or
/// storage writes fail (they are retried, and nothing they carry is acknowledged until they
/// commit).
async fn healthz(State(state): State<AppState>) -> Response {
    if state.inner.metrics.database_up.load(std::sync::atomic::Ordering::Relaxed) == 0 {
        return (StatusCode::SERVICE_UNAVAILABLE, "the database is unreachable: writes are held and retried")
            .into_response();
    }
    if state.inner.metrics.storage_failing() {
        return (StatusCode::SERVICE_UNAVAILABLE, "storage is failing: writes are held and retried")
            .into_response();
    }
    "ok".into_response()
}

/// Open to this machine; from elsewhere only with the operator's `--metrics-token`. A request that
/// a proxy forwarded (it says so in `Forwarded` or `X-Forwarded-For`) is not this machine's own
/// though it comes from loopback: behind a proxy on the same machine, everyone's does.
async fn metrics(State(state): State<AppState>, remote: auth::Remote, headers: HeaderMap) -> Response {
    let token = state.inner.config.metrics_token.as_deref();
    let forwarded = headers.contains_key(header::FORWARDED) || headers.contains_key("x-forwarded-for");
    let allowed = (remote.is_local() && !forwarded)
        || token.is_some_and(|token| auth::bearer(&headers).is_some_and(|given| auth::same(&given, token)));
    if !allowed {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "metrics are served to this machine only, or with the operator's metrics token",
        )
        .into_response();
    }
    let body = state.render_metrics();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], body).into_response()
}

#[cfg(test)]
mod tests {
    use axum::{body::Body, http::Request};
    use tower::ServiceExt;

    use super::*;

    #[tokio::test]
    async fn health_turns_red_while_storage_fails_and_green_when_it_commits_again() {
        let state = AppState::ephemeral("no-static-files").await.unwrap();
        let health = || async {
            let request = Request::builder().uri("/healthz").body(Body::empty()).unwrap();
            app(state.clone()).oneshot(request).await.unwrap().status()
        };
        assert_eq!(health().await, StatusCode::OK);
        state.inner.metrics.storage_answered(false);
        assert_eq!(health().await, StatusCode::SERVICE_UNAVAILABLE);
        assert!(state.render_metrics().lines().any(|line| line == "quorum_storage_failing 1"));
        state.inner.metrics.storage_answered(true);
        assert_eq!(health().await, StatusCode::OK);
        state.shutdown().await;
    }
}
