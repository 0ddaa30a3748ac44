//! A private PostgreSQL for one test or benchmark: a cluster of its own in a temporary directory,
//! listening on a free loopback port only, with a database `quorum` made for the relays. It is
//! stopped and its directory removed when dropped, so tests running at once never share one.
//!
//! ```no_run
//! # async fn run() -> anyhow::Result<()> {
//! let mut postgres = quorum_tests::postgres::Postgres::start().await?;
//! let url = postgres.url(); // postgres://postgres@127.0.0.1:PORT/quorum
//! assert_eq!(postgres.psql("select 1").await?, "1");
//! postgres.stop().await?; // as a crash would: relays lose their connections
//! postgres.restart().await?; // the same data on the same port
//! # Ok(()) }
//! ```
//!
//! The binaries are Debian's (`/usr/lib/postgresql/<newest version>/bin`, which
//! `scripts/setup` installs), or else whichever `initdb` and `pg_ctl` are on the `PATH`. When
//! they are missing and the tests run as root, `apt-get install postgresql` runs once. The
//! server refuses to run as root, so as root `initdb` and `pg_ctl` run as the `postgres` user
//! (`runuser`), which Debian's package creates, and own the directory; clients such as `psql`
//! connect over TCP, where the cluster trusts every local connection.

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    sync::OnceLock,
};

use anyhow::{Context, bail};
use tokio::process::Command;

/// The database the relays are given, made at start.
pub const DATABASE: &str = "quorum";

/// A running (or stopped) private PostgreSQL cluster; see the module documentation.
pub struct Postgres {
    port: u16,
    bin: PathBuf,
    /// Runs the server's own commands as `postgres`: the tests run as root.
    as_postgres: bool,
    running: bool,
    /// Holds `data/` (the cluster), `postgres.log` and the Unix socket.
    dir: tempfile::TempDir,
}

impl Postgres {
    /// Makes a new cluster on a free loopback port, starts it, and creates [`DATABASE`].
    pub async fn start() -> anyhow::Result<Self> {
        let bin = binaries()?;
        let as_postgres = running_as_root();
        let dir =
            tempfile::Builder::new().prefix("quorum-postgres-").tempdir().context("making a directory")?;
        if as_postgres {
            run(Command::new("chown").arg("postgres:").arg(dir.path())).await?;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let mut postgres = Self { port, bin, as_postgres, running: false, dir };
        // --no-sync only skips flushing the template files initdb writes: the server itself keeps
        // fsync on, as the relays' durability is what the tests check.
        let initdb = postgres
            .server_command("initdb")
            .arg("-D")
            .arg(postgres.data_dir())
            .args(["--auth=trust", "--username=postgres", "--encoding=UTF8", "--no-locale"])
            .args(["--no-instructions", "--no-sync"])
            .output()
            .await;
        check("initdb", initdb)?;
        // In the configuration file rather than on pg_ctl's command line, so a restart needs none.
        let settings = format!(
            "\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{}'\n\
             max_connections = 200\n",
            postgres.dir.path().display()
        );
        append(&postgres.data_dir().join("postgresql.conf"), &settings)?;
        postgres.restart().await?;
        postgres.psql_in("postgres", &format!("CREATE DATABASE {DATABASE}")).await?;
        Ok(postgres)
    }

    /// The URL the relays take with `--database-url`.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{DATABASE}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The postmaster's process id (whose children are the backends), while the server runs:
    /// the first line of its `postmaster.pid`.
    pub fn pid(&self) -> anyhow::Result<u32> {
        let path = self.data_dir().join("postmaster.pid");
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let first = text.lines().next().unwrap_or_default();
        first.trim().parse().with_context(|| format!("{} begins with {first:?}", path.display()))
    }

    /// Stops the server at once (`pg_ctl stop -m immediate`): every connection is cut and
    /// nothing is flushed beyond what was committed, as a crash would leave it.
    pub async fn stop(&mut self) -> anyhow::Result<()> {
        let stop = self.pg_ctl_stop().output().await;
        check("pg_ctl stop", stop)?;
        self.running = false;
        Ok(())
    }

    /// Starts the server on the same data and port (stopping it first if it runs), and returns
    /// once it accepts connections.
    pub async fn restart(&mut self) -> anyhow::Result<()> {
        if self.running {
            self.stop().await?;
        }
        let start = self
            .server_command("pg_ctl")
            .arg("start")
            .arg("-D")
            .arg(self.data_dir())
            .arg("-l")
            .arg(self.dir.path().join("postgres.log"))
            .args(["--wait", "--timeout=60"])
            // The server writes its output to the log; nothing of it may hold these pipes open.
            .stdin(Stdio::null())
            .output()
            .await;
        if let Err(error) = check("pg_ctl start", start) {
            return Err(error.context(format!("the server's log says:\n{}", self.log_tail())));
        }
        self.running = true;
        Ok(())
    }

    /// Runs SQL in [`DATABASE`] with `psql`, and returns what it printed, unaligned and without
    /// headers (`select 1` gives `1`).
    pub async fn psql(&self, sql: &str) -> anyhow::Result<String> {
        self.psql_in(DATABASE, sql).await
    }

    async fn psql_in(&self, database: &str, sql: &str) -> anyhow::Result<String> {
        let output = Command::new(self.bin.join("psql"))
            .args(["--no-psqlrc", "--no-align", "--tuples-only", "--quiet", "-v", "ON_ERROR_STOP=1"])
            .args(["--host=127.0.0.1", "--username=postgres", &format!("--port={}", self.port)])
            .args(["--dbname", database, "--command", sql])
            .output()
            .await;
        Ok(check("psql", output)?.trim_end().to_owned())
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// One of the server's own programs, run as `postgres` when the tests run as root.
    fn server_command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        };
        // A working directory `postgres` may enter: the test's own may be closed to it.
        command.current_dir(self.dir.path());
        command
    }

    fn pg_ctl_stop(&self) -> Command {
        let mut command = self.server_command("pg_ctl");
        command.arg("stop").arg("-D").arg(self.data_dir()).args(["-m", "immediate", "--wait"]);
        command
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.dir.path().join("postgres.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if self.running {
            // Synchronous: a drop cannot wait on tokio, and the directory goes right after.
            let mut stop = self.pg_ctl_stop().into_std();
            let _ = stop.stdout(Stdio::null()).stderr(Stdio::null()).status();
        }
    }
}

/// The directory of PostgreSQL's programs, installing Debian's package first if need be (once per
/// process, however many tests ask at once).
fn binaries() -> anyhow::Result<PathBuf> {
    static FOUND: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    let found = FOUND.get_or_init(|| {
        if let Some(bin) = find_binaries() {
            return Ok(bin);
        }
        if !running_as_root() {
            return Err("PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on the \
                        PATH): run scripts/setup, or install Debian's postgresql package"
                .into());
        }
        let installed = std::process::Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends", "postgresql"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status();
        match installed {
            Ok(status) if status.success() => {
                find_binaries().ok_or_else(|| "apt-get installed postgresql, but no initdb".to_owned())
            }
            Ok(status) => Err(format!("apt-get install postgresql failed: {status}")),
            Err(error) => Err(format!("cannot run apt-get to install postgresql: {error}")),
        }
    });
    found.clone().map_err(anyhow::Error::msg)
}

/// Debian's newest version, else the `PATH`'s.
fn find_binaries() -> Option<PathBuf> {
    let debian = std::fs::read_dir("/usr/lib/postgresql").ok().and_then(|versions| {
        let newest = versions
            .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|version| {
                has_server(&Path::new("/usr/lib/postgresql").join(version.to_string()).join("bin"))
            })
            .max()?;
        Some(Path::new("/usr/lib/postgresql").join(newest.to_string()).join("bin"))
    });
    debian.or_else(|| std::env::split_paths(&std::env::var_os("PATH")?).find(|dir| has_server(dir)))
}

fn has_server(dir: &Path) -> bool {
    ["initdb", "pg_ctl", "psql"].iter().all(|program| dir.join(program).is_file())
}

/// Whether this process's effective user is root, from `/proc` (no libc call needed).
fn running_as_root() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let effective = status.lines().find_map(|line| line.strip_prefix("Uid:")?.split_whitespace().nth(1));
    effective == Some("0")
}

fn append(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .with_context(|| format!("opening {}", path.display()))?;
    file.write_all(text.as_bytes()).with_context(|| format!("writing {}", path.display()))
}

/// Runs a command for its exit status alone.
async fn run(command: &mut Command) -> anyhow::Result<()> {
    let program = format!("{:?}", command.as_std().get_program());
    check(&program, command.output().await).map(drop)
}

/// What a finished command printed, or an error with its stderr if it failed.
fn check(what: &str, output: std::io::Result<std::process::Output>) -> anyhow::Result<String> {
    let output = output.with_context(|| format!("cannot run {what}"))?;
    if !output.status.success() {
        bail!("{what} failed ({}): {}", output.status, String::from_utf8_lossy(&output.stderr).trim());
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
