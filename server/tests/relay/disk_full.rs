//! The disk fills under the relay (a small tmpfs): nothing that is not on disk is acknowledged,
//! `/healthz` turns red, and once there is room again the held change is stored and acknowledged
//! with nothing lost.
//!
//! Mounting a tmpfs needs the privilege to mount (root in this project's machines and CI); where
//! the mount is refused, the test says so and stops, as it cannot make a disk fill otherwise.

use std::{path::Path, process::Command, time::Duration};

use automerge::{ROOT, ScalarValue, transaction::Transactable};
use quorum_server::Limits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::{Client, TestServer, stored, within};

/// A tmpfs of `size` mounted at a new temporary directory, unmounted when dropped.
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount(size: &str) -> Result<Self, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0700"), "tmpfs"])
            .arg(dir.path())
            .output()
            .map_err(|e| e.to_string())?;
        match out.status.success() {
            true => Ok(Self(dir)),
            false => Err(String::from_utf8_lossy(&out.stderr).into_owned()),
        }
    }

    fn resize(&self, size: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(self.0.path())
            .status()
            .unwrap();
        assert!(status.success(), "the tmpfs grows");
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.0.path()).status();
    }
}

async fn healthz(server: &TestServer) -> String {
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer.lines().next().unwrap_or_default().to_owned()
}

fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_acknowledges_nothing_turns_health_red_and_recovers_losing_nothing() {
    let disk = match Tmpfs::mount("6m") {
        Ok(disk) => disk,
        Err(why) => {
            eprintln!("not run: this machine refuses to mount a tmpfs ({why})");
            return;
        }
    };
    let server = TestServer::start_with(disk.path(), Limits::default()).await;
    let owner = server.workspace("Acme AIMS").await;
    let alice = Client::connect(&server, &owner.token).await;
    let doc = alice.create("title", "on a small disk").await;
    alice.acknowledged(&doc).await;
    assert!(healthz(&server).await.contains("200"));

    // Incompressible megabytes until a write fails: each part is either acknowledged or makes
    // storage fail (the relay's own gauge says which, however slow the machine), and the part
    // that does not fit is never acknowledged while health says why.
    let conn = alice.dialer.connection_id().unwrap();
    let mut unacknowledged = None;
    for part in 0..12u64 {
        let bytes = noise(part + 1, 1 << 20);
        doc.with_document(|d| {
            d.transact(|tx| tx.put(ROOT, format!("part-{part}"), ScalarValue::Bytes(bytes))).unwrap()
        });
        let failing = async {
            while !server.state.render_metrics().lines().any(|line| line == "quorum_storage_failing 1") {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        };
        let full = within("the part acknowledged or storage failing", async {
            tokio::select! {
                _ = doc.they_have_our_changes(conn) => false,
                _ = failing => true,
            }
        })
        .await;
        if full {
            unacknowledged = Some(part);
            break;
        }
    }
    let part = unacknowledged.expect("a 6 MiB disk fills before 12 MiB are written");
    assert!(healthz(&server).await.contains("503"), "health is red while storage fails");
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        tokio::time::timeout(Duration::from_millis(500), doc.they_have_our_changes(conn)).await.is_err(),
        "nothing that is not on disk is acknowledged"
    );

    // Room again: the held change is stored, then acknowledged, and health is green.
    disk.resize("64m");
    alice.acknowledged(&doc).await;
    let kept = stored(&server.state, doc.document_id()).await.expect("stored");
    use automerge::ReadDoc;
    assert!(kept.get(ROOT, format!("part-{part}")).unwrap().is_some(), "the change held back is stored");
    within("health turns green", async {
        while !healthz(&server).await.contains("200") {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await;
    alice.stop().await;
    server.stop().await;
}
