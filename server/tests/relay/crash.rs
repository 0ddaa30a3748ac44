//! A `quorum` process killed with SIGKILL loses nothing it acknowledged; the command line makes
//! the workspace and the token.

use std::{path::Path, process::Stdio};

use quorum_server::{AppState, Config, Membership};
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::Command,
};

use crate::support::{Client, get, put, within};

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
    let mut child = quorum()
        .args(["serve", "--listen", "127.0.0.1:0", "--static-dir"])
        .arg(data_dir.join("no-static-files"))
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
    let stored = state.find_document(doc.document_id()).await.expect("the document was stored");
    assert_eq!(get(&stored, "policy").as_deref(), Some("kept"));
    state.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_no_acknowledged_change() {
    let dir = tempfile::tempdir().unwrap();
    let owner = run_json(&["workspace", "create", "--name", "Crash test"], dir.path()).await;
    let editor =
        run_json(&["token", "issue", "--workspace", &owner.workspace_id, "--role", "editor"], dir.path())
            .await;
    assert_eq!(editor.workspace_id, owner.workspace_id);

    let (mut child, addr) = serve(dir.path()).await;
    let client = Client::connect_url(format!("ws://{addr}/sync?token={}", editor.token)).await;
    let doc = client.create("title", "crash test").await;
    let conn = client.dialer.connection_id().unwrap();
    let (acked_tx, mut acked_rx) = tokio::sync::watch::channel(None::<usize>);
    let writer = {
        let doc = doc.clone();
        tokio::spawn(async move {
            for i in 0.. {
                put(&doc, &format!("change-{i}"), "written");
                if i % 5 == 4 {
                    doc.they_have_our_changes(conn).await;
                    acked_tx.send_replace(Some(i));
                }
            }
        })
    };
    within("the server acknowledges 50 changes", acked_rx.wait_for(|acked| acked.is_some_and(|i| i >= 49)))
        .await
        .unwrap();
    // Kill while the client is still writing; whatever was acknowledged before the kill counts.
    child.start_kill().unwrap();
    within("the server dies", child.wait()).await.unwrap();
    let acked = acked_rx.borrow().expect("some changes were acknowledged");
    writer.abort();
    client.stop().await;

    let state = AppState::open(Config::new(dir.path(), dir.path().join("no-static-files"))).await.unwrap();
    let stored = within("the document loads after the crash", state.find_document(doc.document_id()))
        .await
        .expect("the document survived");
    for i in 0..=acked {
        assert_eq!(
            get(&stored, &format!("change-{i}")).as_deref(),
            Some("written"),
            "change {i} of {acked} acknowledged"
        );
    }
    state.shutdown().await;
}
