//! A `quorum` process killed with SIGKILL loses nothing it acknowledged; the command line makes
//! the workspace and the token.

use std::{path::Path, process::Stdio};

use quorum_server::{AppState, Config, Membership};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::Command,
};

use crate::support::{Client, get, put, stored, within};

fn quorum() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quorum"));
    command.env("RUST_LOG", "info").kill_on_drop(true);
    command
}

async fn run_json(args: &[&str], data_dir: &Path) -> Membership {
    let output = quorum().args(args).env("QUORUM_DATA_DIR", data_dir).output().await.unwrap();
    assert!(output.status.success(), "quorum {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

/// Starts `quorum serve` on a port the OS picks and returns it with its address.
async fn serve(data_dir: &Path) -> (tokio::process::Child, String) {
    serve_with(data_dir, &[]).await
}

async fn serve_with(data_dir: &Path, flags: &[&str]) -> (tokio::process::Child, String) {
    let mut child = quorum()
        .args(["serve", "--listen", "127.0.0.1:0", "--static-dir"])
        .arg(data_dir.join("no-static-files"))
        .args(flags)
        .env("QUORUM_DATA_DIR", data_dir)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let addr = within("the server says where it listens", async {
        loop {
            let line = lines.next_line().await.unwrap().expect("the server keeps running");
            if let Some((_, addr)) = line.split_once("Quorum is at http://") {
                return addr.trim().to_owned();
            }
        }
    })
    .await;
    // Keep draining the log so that the server never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    (child, addr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_closes_connections_and_exits_cleanly_keeping_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let owner = run_json(&["workspace", "create", "--name", "Shutdown test"], dir.path()).await;
    let (mut child, addr) = serve(dir.path()).await;
    let client = Client::connect_url(format!("ws://{addr}/sync?token={}", owner.token)).await;
    let doc = client.create("policy", "kept").await;
    client.acknowledged(&doc).await;

    let pid = child.id().expect("the server runs").to_string();
    let status = Command::new("kill").args(["-TERM", &pid]).status().await.unwrap();
    assert!(status.success());
    let exit = within("the server exits after SIGTERM", child.wait()).await.unwrap();
    assert!(exit.success(), "{exit}");
    client.stop().await;

    let state = AppState::open(Config::new(dir.path(), dir.path().join("no-static-files"))).await.unwrap();
    let stored = stored(&state, doc.document_id()).await.expect("the document was stored");
    assert_eq!(get(&stored, "policy").as_deref(), Some("kept"));
    state.shutdown().await;
}

/// How many times in a row the relay is killed in the crash test.
const KILLS: usize = 20;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_twenty_times_during_heavy_writes_loses_no_acknowledged_change() {
    let dir = tempfile::tempdir().unwrap();
    let owner = run_json(&["workspace", "create", "--name", "Crash test"], dir.path()).await;
    let editor =
        run_json(&["token", "issue", "--workspace", &owner.workspace_id, "--role", "editor"], dir.path())
            .await;
    assert_eq!(editor.workspace_id, owner.workspace_id);

    // Two writers, each on its own document, each counting what the relay acknowledged.
    let mut documents: Vec<Option<samod::DocumentId>> = vec![None, None];
    let mut acknowledged: Vec<usize> = vec![0, 0];
    for round in 0..KILLS {
        let (mut child, addr) = serve(dir.path()).await;
        let mut writers = Vec::new();
        let mut clients = Vec::new();
        let mut acks = Vec::new();
        for (writer, token) in [&owner.token, &editor.token].into_iter().enumerate() {
            let client = Client::connect_url(format!("ws://{addr}/sync?token={token}")).await;
            let doc = match &documents[writer] {
                None => client.create("writer", &writer.to_string()).await,
                Some(id) => client.find(id).await.expect("the document survived the last kill"),
            };
            documents[writer] = Some(doc.document_id().clone());
            let conn = client.dialer.connection_id().unwrap();
            let (acked_tx, acked_rx) = tokio::sync::watch::channel(acknowledged[writer]);
            let start = acknowledged[writer];
            writers.push(tokio::spawn(async move {
                for i in start.. {
                    put(&doc, &format!("change-{i}"), "written");
                    if i % 5 == 4 {
                        doc.they_have_our_changes(conn).await;
                        acked_tx.send_replace(i + 1);
                    }
                }
            }));
            clients.push(client);
            acks.push(acked_rx);
        }
        // Kill while both are still writing, after a different number of acknowledgements each
        // round; whatever was acknowledged before the kill counts.
        let target = 10 + 5 * (round % 4);
        for (writer, acked) in acks.iter_mut().enumerate() {
            let goal = acknowledged[writer] + target;
            within("the server acknowledges changes", acked.wait_for(|n| *n >= goal)).await.unwrap();
        }
        child.start_kill().unwrap();
        within("the server dies", child.wait()).await.unwrap();
        for (writer, acked) in acks.iter().enumerate() {
            acknowledged[writer] = *acked.borrow();
        }
        for task in writers {
            task.abort();
        }
        for client in clients {
            client.stop().await;
        }

        let state =
            AppState::open(Config::new(dir.path(), dir.path().join("no-static-files"))).await.unwrap();
        for (writer, id) in documents.iter().enumerate() {
            let id = id.as_ref().expect("created in the first round");
            let kept = within("the document loads after the crash", stored(&state, id))
                .await
                .expect("the document survived");
            for i in 0..acknowledged[writer] {
                assert_eq!(
                    get(&kept, &format!("change-{i}")).as_deref(),
                    Some("written"),
                    "round {round}: writer {writer}'s change {i} of {} acknowledged",
                    acknowledged[writer]
                );
            }
        }
        state.shutdown().await;
    }
    assert!(acknowledged.iter().all(|n| *n >= KILLS * 10), "{acknowledged:?}");
}

/// Holds the database's write lock, as a stuck disk would, then asks the server to stop: it must
/// exit by its deadline (or at a second signal), not wait for storage without end.
async fn stop_with_storage_stuck(
    flags: &[&str],
    signals: usize,
) -> (std::process::ExitStatus, std::time::Duration) {
    let dir = tempfile::tempdir().unwrap();
    let owner = run_json(&["workspace", "create", "--name", "Stuck storage"], dir.path()).await;
    let (mut child, addr) = serve_with(dir.path(), flags).await;
    let client = Client::connect_url(format!("ws://{addr}/sync?token={}", owner.token)).await;
    let doc = client.create("policy", "stored").await;
    client.acknowledged(&doc).await;
    let blocker = rusqlite::Connection::open(dir.path().join(quorum_server::DATABASE_FILE)).unwrap();
    blocker.execute_batch("BEGIN EXCLUSIVE").unwrap();
    put(&doc, "policy", "cannot be written yet");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    let pid = child.id().expect("the server runs").to_string();
    let started = std::time::Instant::now();
    for _ in 0..signals {
        let status = Command::new("kill").args(["-TERM", &pid]).status().await.unwrap();
        assert!(status.success());
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let exit = within("the server exits", child.wait()).await.unwrap();
    let took = started.elapsed();
    drop(blocker);
    client.stop().await;
    (exit, took)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_while_storage_is_stuck_exits_by_the_deadline() {
    let (exit, took) = stop_with_storage_stuck(&["--shutdown-deadline-secs", "2"], 1).await;
    assert!(!exit.success(), "storage never committed, so the exit says so: {exit}");
    // The relay's own grace for uncommitted writes is 10 s; the deadline cuts it short.
    assert!(took < std::time::Duration::from_secs(8), "exited after {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_sigterm_exits_at_once() {
    let (exit, took) = stop_with_storage_stuck(&["--shutdown-deadline-secs", "600"], 2).await;
    assert!(!exit.success(), "{exit}");
    assert!(took < std::time::Duration::from_secs(8), "exited after {took:?}");
}
