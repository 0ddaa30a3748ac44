//! The `quorum` binary: parses flags, sets up logging, then serves [`quorum_server::app`] or runs
//! one operator command and prints its result as JSON.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use anyhow::Context;
use clap::{Parser, Subcommand};
use quorum_server::{AppState, Config, Limits, Role, Signup};
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(name = "quorum", version, about = "Quorum: an ISO/IEC 42001 AI management system workspace")]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no subcommand, `quorum` serves with these settings.
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app and the sync relay (the default).
    Serve(ServeArgs),
    /// Manage workspaces.
    #[command(subcommand)]
    Workspace(WorkspaceCommand),
    /// Issue tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Check an audit pack made in the app: every file's SHA-256, every document against its
    /// JSON, every approval's signature. Needs no network; exits 0 if the pack holds, 1 if not.
    Verify {
        /// The pack, a ZIP downloaded from the app's dashboard.
        pack: PathBuf,
    },
    /// Bring the database up to this version's schema and exit (every start does it too).
    Migrate {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Write the strongest brotli and gzip copies of the built app's hashed assets beside them,
    /// for `serve` to send as they are; prints what it wrote. Run it after each release build.
    Precompress {
        /// The built app (trunk's output).
        #[arg(long, env = "QUORUM_STATIC_DIR", default_value = "./dist")]
        static_dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum WorkspaceCommand {
    /// Create a workspace; prints its id, root document URL and the owner's access token.
    Create {
        #[arg(long)]
        name: String,
        /// The first owner's display name.
        #[arg(long, default_value = "Owner")]
        owner: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Make a signup token: where signup is closed, it lets its holder create workspaces in the
    /// app until it expires. Prints the token.
    Signup {
        /// Hours until it expires.
        #[arg(long, default_value_t = 72)]
        hours: u64,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Add a member with a role to a workspace; prints the member's access token.
    Issue {
        #[arg(long)]
        workspace: String,
        /// owner, editor or viewer.
        #[arg(long)]
        role: Role,
        /// The member's display name.
        #[arg(long, default_value = "Issued by an operator")]
        name: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(clap::Args)]
struct DataArgs {
    /// Directory that holds the server's data.
    #[arg(long, env = "QUORUM_DATA_DIR", default_value = "./data")]
    data_dir: PathBuf,
    /// A PostgreSQL database (postgres://user@host:port/name) in place of the SQLite file in the
    /// data directory: every relay given the same one serves the same workspaces.
    #[arg(long, env = "QUORUM_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
}

impl DataArgs {
    fn config(&self, static_dir: impl Into<PathBuf>) -> Config {
        let mut config = Config::new(&self.data_dir, static_dir);
        config.database_url = self.database_url.clone().filter(|url| !url.is_empty());
        config
    }
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "QUORUM_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    #[command(flatten)]
    data: DataArgs,
    /// The built app to serve (trunk's output).
    #[arg(long, env = "QUORUM_STATIC_DIR", default_value = "./dist")]
    static_dir: PathBuf,
    /// Largest WebSocket message accepted, in bytes.
    #[arg(long, env = "QUORUM_MAX_FRAME_BYTES", default_value_t = Limits::default().max_frame_bytes)]
    max_frame_bytes: usize,
    /// Messages per second one connection may send on average.
    #[arg(long, env = "QUORUM_MESSAGES_PER_SECOND", default_value_t = Limits::default().messages_per_second)]
    messages_per_second: u32,
    /// Sync connections open at once.
    #[arg(long, env = "QUORUM_MAX_CONNECTIONS", default_value_t = Limits::default().max_connections)]
    max_connections: usize,
    /// Seconds a silent connection stays open.
    #[arg(long, env = "QUORUM_IDLE_TIMEOUT_SECS", default_value_t = Limits::default().idle_timeout.as_secs())]
    idle_timeout_secs: u64,
    /// Seconds a new sync connection has to send its join.
    #[arg(long, env = "QUORUM_JOIN_TIMEOUT_SECS", default_value_t = Limits::default().join_timeout.as_secs())]
    join_timeout_secs: u64,
    /// Sync connections one member may have open at once.
    #[arg(long, env = "QUORUM_CONNECTIONS_PER_MEMBER", default_value_t = Limits::default().connections_per_member)]
    connections_per_member: usize,
    /// HTTP connections (sync ones included) one address may have open at once.
    #[arg(long, env = "QUORUM_CONNECTIONS_PER_ADDRESS", default_value_t = Limits::default().connections_per_address)]
    connections_per_address: usize,
    /// HTTP connections open at once; more wait to be accepted.
    #[arg(long, env = "QUORUM_MAX_HTTP_CONNECTIONS", default_value_t = Limits::default().max_http_connections)]
    max_http_connections: usize,
    /// Seconds an HTTP request's headers may take to arrive.
    #[arg(long, env = "QUORUM_HEADER_READ_TIMEOUT_SECS", default_value_t = Limits::default().header_read_timeout.as_secs())]
    header_read_timeout_secs: u64,
    /// Workspaces one address may create through the API per hour.
    #[arg(long, env = "QUORUM_WORKSPACES_PER_HOUR", default_value_t = Limits::default().workspaces_per_hour)]
    workspaces_per_hour: u32,
    /// Documents one workspace may hold.
    #[arg(long, env = "QUORUM_DOCUMENTS_PER_WORKSPACE", default_value_t = Limits::default().documents_per_workspace)]
    documents_per_workspace: usize,
    /// The most one sync message's changes may inflate to, in bytes.
    #[arg(long, env = "QUORUM_MAX_INFLATED_BYTES", default_value_t = Limits::default().max_inflated_bytes)]
    max_inflated_bytes: u64,
    /// Bytes of messages read and not yet taken in by the relay, over all connections.
    #[arg(long, env = "QUORUM_INBOUND_BYTES_TOTAL", default_value_t = Limits::default().inbound_bytes_total)]
    inbound_bytes_total: usize,
    /// Bytes queued to one connection before it is closed as too far behind.
    #[arg(long, env = "QUORUM_OUTBOX_BYTES_PER_CONNECTION", default_value_t = Limits::default().outbox_bytes_per_connection)]
    outbox_bytes_per_connection: usize,
    /// Bytes queued to all connections together.
    #[arg(long, env = "QUORUM_OUTBOX_BYTES_TOTAL", default_value_t = Limits::default().outbox_bytes_total)]
    outbox_bytes_total: usize,
    /// Storage writes not yet committed before the relay takes in no more messages.
    #[arg(long, env = "QUORUM_MAX_PENDING_WRITES", default_value_t = Limits::default().max_pending_writes)]
    max_pending_writes: usize,
    /// Presence messages one connection may send per second, in bursts of twice that.
    #[arg(long, env = "QUORUM_PRESENCE_PER_SECOND", default_value_t = Limits::default().presence_per_second)]
    presence_per_second: u32,
    /// The largest presence message forwarded, in bytes.
    #[arg(long, env = "QUORUM_MAX_PRESENCE_BYTES", default_value_t = Limits::default().max_presence_bytes)]
    max_presence_bytes: usize,
    /// Who may create workspaces in the app: open (anyone who reaches the server) or closed (with
    /// a signup token from `quorum token signup`). Default: open when listening on loopback only,
    /// closed otherwise.
    #[arg(long, env = "QUORUM_SIGNUP", value_enum)]
    signup: Option<Signup>,
    /// A bearer token that opens /metrics to other machines (without one, loopback only).
    #[arg(long, env = "QUORUM_METRICS_TOKEN", hide_env_values = true)]
    metrics_token: Option<String>,
    /// Seconds shutdown may take before the server exits anyway (a second signal exits at once).
    #[arg(long, env = "QUORUM_SHUTDOWN_DEADLINE_SECS", default_value_t = 20)]
    shutdown_deadline_secs: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve(cli.serve)) {
        Command::Serve(args) => serve(args).await,
        Command::Workspace(WorkspaceCommand::Create { name, owner, data }) => {
            let state = open(&data).await?;
            let created = state.create_workspace(&name, &owner).await;
            state.shutdown().await;
            print(created.map_err(|e| anyhow::anyhow!(e.message))?)
        }
        Command::Verify { pack } => match quorum_server::verify_file(&pack) {
            Ok((words, holds)) => {
                println!("{words}");
                std::process::exit(if holds { 0 } else { 1 })
            }
            Err(why) => {
                eprintln!("{why}");
                std::process::exit(2)
            }
        },
        Command::Migrate { data } => {
            print(serde_json::json!({ "migrated": quorum_server::migrate(&data.config("")).await? }))
        }
        Command::Precompress { static_dir } => print(quorum_server::precompress(&static_dir)?),
        Command::Token(TokenCommand::Signup { hours, data }) => {
            let state = open(&data).await?;
            let token = state.signup_token(Duration::from_secs(hours.max(1) * 3600));
            state.shutdown().await;
            print(serde_json::json!({ "signup_token": token, "expires_in_hours": hours.max(1) }))
        }
        Command::Token(TokenCommand::Issue { workspace, role, name, data }) => {
            let state = open(&data).await?;
            let issued = state.add_member(&workspace, role, &name).await;
            state.shutdown().await;
            print(issued.map_err(|e| anyhow::anyhow!(e.message))?)
        }
    }
}

async fn open(data: &DataArgs) -> anyhow::Result<AppState> {
    Ok(AppState::open(data.config("")).await?)
}

fn print(value: impl serde::Serialize) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(&value)?);
    Ok(())
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    if !args.static_dir.join("index.html").exists() {
        tracing::warn!(dir = %args.static_dir.display(), "no built app found; build it with trunk first");
    }
    let mut config = args.data.config(&args.static_dir);
    config.limits = Limits {
        max_frame_bytes: args.max_frame_bytes,
        messages_per_second: args.messages_per_second,
        max_connections: args.max_connections,
        idle_timeout: Duration::from_secs(args.idle_timeout_secs.max(1)),
        join_timeout: Duration::from_secs(args.join_timeout_secs.max(1)),
        connections_per_member: args.connections_per_member,
        connections_per_address: args.connections_per_address,
        max_http_connections: args.max_http_connections.max(1),
        header_read_timeout: Duration::from_secs(args.header_read_timeout_secs.max(1)),
        workspaces_per_hour: args.workspaces_per_hour,
        documents_per_workspace: args.documents_per_workspace,
        max_inflated_bytes: args.max_inflated_bytes,
        inbound_bytes_total: args.inbound_bytes_total,
        outbox_bytes_per_connection: args.outbox_bytes_per_connection,
        outbox_bytes_total: args.outbox_bytes_total,
        max_pending_writes: args.max_pending_writes,
        presence_per_second: args.presence_per_second,
        max_presence_bytes: args.max_presence_bytes,
    };
    config.signup =
        args.signup.unwrap_or(if args.listen.ip().is_loopback() { Signup::Open } else { Signup::Closed });
    config.metrics_token = args.metrics_token.filter(|token| !token.is_empty());
    let state = AppState::open(config).await.context("cannot start")?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    tracing::info!(signup = ?state.config().signup, "who may create workspaces in the app");
    tracing::info!("Quorum is at http://{}", listener.local_addr()?);

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let mut server = tokio::spawn(quorum_server::serve(listener, state, async {
        let _ = stopped.await;
    }));
    tokio::select! {
        ended = &mut server => return Ok(ended??),
        () = shutdown_signal() => {}
    }
    let _ = stop.send(());
    let deadline = Duration::from_secs(args.shutdown_deadline_secs);
    tokio::select! {
        ended = &mut server => ended??,
        () = tokio::time::sleep(deadline) => {
            tracing::error!(?deadline, "shutdown did not finish in time (storage may be stuck); exiting");
            std::process::exit(1);
        }
        () = shutdown_signal() => {
            tracing::warn!("a second signal: exiting without waiting for shutdown to finish");
            std::process::exit(1);
        }
    }
    tracing::info!("storage is flushed; goodbye");
    Ok(())
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut sig) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            sig.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}
