use std::{
    net::{SocketAddr, TcpListener},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use anyhow::{Context, bail};

use crate::wait::wait_until;

/// A real `quorum` server process on a free loopback port, with a data directory of its own.
/// Being a process, it can be killed outright (`kill`), as a crash or a pulled cable would, and
/// started again on the same data (`restart`).
pub struct Server {
    pub addr: SocketAddr,
    child: Option<Child>,
    data: tempfile::TempDir,
    /// Flags given to `quorum serve` beyond the address and directories.
    flags: Vec<String>,
}

impl Server {
    /// Serves the built app from `QUORUM_DIST`, or the workspace's `dist/`.
    pub async fn start() -> anyhow::Result<Self> {
        Self::start_with(&[]).await
    }

    /// [`Server::start`] with more flags for `quorum serve`, such as `--signup closed`.
    pub async fn start_with(flags: &[&str]) -> anyhow::Result<Self> {
        let data = tempfile::tempdir().context("making a data directory")?;
        let addr = SocketAddr::from(([127, 0, 0, 1], free_port()?));
        let flags = flags.iter().map(|flag| (*flag).to_owned()).collect();
        let mut server = Self { addr, child: None, data, flags };
        server.restart().await?;
        Ok(server)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn data_dir(&self) -> &Path {
        self.data.path()
    }

    /// Stops the server at once with SIGKILL: no goodbye to any connection.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Freezes the server's process where it stands (SIGSTOP) until [`Server::resume`]: its
    /// sockets stay open and it reads nothing, as a relay stalled by its machine would.
    pub fn pause(&self) -> anyhow::Result<()> {
        self.signal("STOP")
    }

    /// Lets a paused server run on (SIGCONT).
    pub fn resume(&self) -> anyhow::Result<()> {
        self.signal("CONT")
    }

    fn signal(&self, name: &str) -> anyhow::Result<()> {
        let pid = self.child.as_ref().context("the server is not running")?.id();
        let status = Command::new("kill").arg(format!("-{name}")).arg(pid.to_string()).status()?;
        anyhow::ensure!(status.success(), "kill -{name} {pid} failed: {status}");
        Ok(())
    }

    /// Starts the server again on the same port and data, and waits until it answers.
    pub async fn restart(&mut self) -> anyhow::Result<()> {
        self.kill();
        let dist = dist_dir();
        if !dist.join("index.html").exists() {
            bail!(
                "no built app in {}: run `trunk build` first (scripts/test does), or set QUORUM_DIST",
                dist.display()
            );
        }
        let binary = server_binary()?;
        let child = Command::new(&binary)
            .args(["serve", "--listen", &self.addr.to_string(), "--static-dir"])
            .arg(&dist)
            .arg("--data-dir")
            .arg(self.data.path())
            .args(&self.flags)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .with_context(|| format!("starting {}", binary.display()))?;
        self.child = Some(child);
        self.wait_until_healthy().await
    }

    async fn wait_until_healthy(&mut self) -> anyhow::Result<()> {
        let addr = self.addr;
        wait_until("the server to answer /healthz", Duration::from_secs(30), async |_| {
            if let Some(status) = self.child.as_mut().and_then(|c| c.try_wait().ok().flatten()) {
                bail!("the server exited at start with {status}");
            }
            if let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let request = format!("GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
                let mut reply = String::new();
                if stream.write_all(request.as_bytes()).await.is_ok()
                    && stream.read_to_string(&mut reply).await.is_ok()
                    && reply.starts_with("HTTP/1.1 200")
                {
                    return Ok(Some(()));
                }
            }
            Ok(None)
        })
        .await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn dist_dir() -> PathBuf {
    std::env::var_os("QUORUM_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../dist"))
}

/// The `quorum` binary that cargo built beside this test binary (`target/debug/quorum`; tests
/// live in `target/debug/deps/`), or `QUORUM_BIN`.
pub fn server_binary() -> anyhow::Result<PathBuf> {
    if let Some(path) = std::env::var_os("QUORUM_BIN") {
        return Ok(path.into());
    }
    let exe = std::env::current_exe()?;
    let binary = exe
        .parent()
        .and_then(Path::parent)
        .map(|dir| dir.join(format!("quorum{}", std::env::consts::EXE_SUFFIX)))
        .context("locating the target directory")?;
    if !binary.exists() {
        bail!(
            "no server binary at {}: run `cargo build -p quorum-server` first (scripts/test does)",
            binary.display()
        );
    }
    Ok(binary)
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
