//! The relay under test, in a child process on a free loopback port with a scratch data directory,
//! and what /proc tells about a process's memory and CPU.

use std::{net::SocketAddr, path::Path, process::Stdio, time::Duration};

use anyhow::Context;
use quorum_tests::wait::wait_until;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Quorum,
    Reference,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Quorum => "quorum",
            Kind::Reference => "JS reference",
        }
    }
}

pub struct Relay {
    pub kind: Kind,
    pub addr: SocketAddr,
    child: tokio::process::Child,
    _data: tempfile::TempDir,
}

impl Relay {
    /// Starts the relay, pinned to `cpu` (with `taskset`) when one is given. A Quorum relay keeps
    /// its data in PostgreSQL at `database_url` when one is given, in SQLite in its data directory
    /// otherwise.
    pub async fn start(
        kind: Kind,
        quorum: &Path,
        js_dir: &Path,
        cpu: Option<usize>,
        database_url: Option<&str>,
    ) -> anyhow::Result<Self> {
        let data = tempfile::tempdir()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let program = |program: &Path| match cpu {
            Some(cpu) => {
                let mut c = tokio::process::Command::new("taskset");
                c.args(["--cpu-list", &cpu.to_string()]).arg(program);
                c
            }
            None => tokio::process::Command::new(program),
        };
        let mut command = match kind {
            Kind::Quorum => {
                let mut c = program(quorum);
                c.args(["serve", "--listen", &addr.to_string(), "--static-dir"])
                    .arg(data.path().join("no-static-files"))
                    .arg("--data-dir")
                    .arg(data.path())
                    .env("RUST_LOG", "warn")
                    // The per-connection rate limit guards against a runaway peer; the benchmark
                    // measures the relay's capacity, not that limit.
                    .env("QUORUM_MESSAGES_PER_SECOND", "100000")
                    // Every client dials from 127.0.0.1, and the setup makes a workspace per group
                    // there: the per-address caps are for strangers.
                    .env("QUORUM_CONNECTIONS_PER_ADDRESS", "100000")
                    .env("QUORUM_WORKSPACES_PER_HOUR", "100000");
                if let Some(url) = database_url {
                    c.args(["--database-url", url]);
                }
                c
            }
            Kind::Reference => {
                let mut c = program(Path::new("node"));
                c.arg(js_dir.join("reference-relay.mjs")).arg(port.to_string()).arg(data.path());
                c
            }
        };
        let mut child =
            command.stdout(Stdio::null()).kill_on_drop(true).spawn().context("starting the relay")?;
        let listening = format!("{} to listen on {addr}", kind.name());
        wait_until(&listening, Duration::from_secs(20), async |_| {
            // A flag this build does not know ends the process at once: say so, not "timed out".
            if let Some(status) = child.try_wait()? {
                anyhow::bail!("{} exited at start with {status}", kind.name());
            }
            Ok(tokio::net::TcpStream::connect(addr).await.ok().map(drop))
        })
        .await?;
        Ok(Self { kind, addr, child, _data: data })
    }

    fn pid(&self) -> u32 {
        self.child.id().expect("the relay runs")
    }

    pub fn rss_kib(&self) -> anyhow::Result<f64> {
        rss_kib(&self.pid().to_string())
    }

    pub fn cpu_seconds(&self) -> anyhow::Result<f64> {
        cpu_seconds(&self.pid().to_string())
    }

    /// A new workspace's owner token: Quorum makes the workspace; the reference relay checks
    /// no token.
    pub async fn workspace_token(&self, name: &str) -> anyhow::Result<String> {
        match self.kind {
            Kind::Quorum => {
                let body = serde_json::json!({ "name": name });
                let (status, json) =
                    quorum_tests::http::post_json(self.addr, "/api/workspaces", None, &body).await?;
                anyhow::ensure!(status == 201, "creating a workspace answered {status}: {json}");
                Ok(json["token"].as_str().context("no token")?.to_owned())
            }
            Kind::Reference => Ok("none".to_owned()),
        }
    }

    pub fn sync_url(&self, token: &str) -> String {
        format!("ws://{}/sync?token={token}", self.addr)
    }

    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = self.child.wait().await;
    }
}

/// Resident memory in KiB of `/proc/<pid>` (`self` for this process).
pub fn rss_kib(pid: &str) -> anyhow::Result<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).context("no VmRSS")?;
    Ok(line.split_whitespace().nth(1).context("no VmRSS value")?.parse()?)
}

/// User plus system CPU time in seconds of `/proc/<pid>` (in clock ticks of 1/100 s on Linux).
pub fn cpu_seconds(pid: &str) -> anyhow::Result<f64> {
    let fields = stat(pid)?;
    Ok((fields[11] + fields[12]) as f64 / 100.0)
}

/// The fields of `/proc/<pid>/stat` after the command name (which is in parentheses and may hold
/// spaces), as numbers: [0] is the state (a letter, read as 0), [1] the parent, [11] and [12] the
/// process's user and system time, [13] and [14] those of the children it has waited for.
fn stat(pid: &str) -> anyhow::Result<Vec<u64>> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let rest = stat.rsplit_once(')').context("malformed stat")?.1;
    Ok(rest.split_whitespace().map(|field| field.parse().unwrap_or(0)).collect())
}

/// The machine's one-minute load average: how busy the rest of the box was.
pub fn load_average() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}

/// CPU time of process `pid` and its children, those running and those it has waited for
/// (`cutime` and `cstime`): PostgreSQL's postmaster, its workers, and a backend per connection.
pub fn tree_cpu_seconds(pid: u32) -> anyhow::Result<f64> {
    let fields = stat(&pid.to_string())?;
    let mut total = (fields[11] + fields[12] + fields[13] + fields[14]) as f64 / 100.0;
    for entry in std::fs::read_dir("/proc")? {
        let name = entry?.file_name();
        let Some(child) = name.to_str().filter(|n| n.bytes().all(|b| b.is_ascii_digit())) else {
            continue;
        };
        // A process may exit between the listing and the read.
        let Ok(fields) = stat(child) else { continue };
        if fields[1] == u64::from(pid) {
            total += (fields[11] + fields[12]) as f64 / 100.0;
        }
    }
    Ok(total)
}

/// The parent of process `pid`.
pub fn parent_pid(pid: u32) -> anyhow::Result<u32> {
    Ok(u32::try_from(stat(&pid.to_string())?[1])?)
}
