//! Quorum's sync client through the JS ecosystem's reference relay (`tests/js/reference-relay.mjs`:
//! automerge-repo 2.5.6 behind its WebSocket server adapter), so that the client keeps to the
//! protocol and not to the ways of Quorum's own relay. The Node packages are installed by
//! `scripts/test` (`npm ci --prefix tests/js`).

use std::{net::SocketAddr, path::PathBuf, process::Stdio};

use anyhow::{Context, ensure};
use automerge::{AutoCommit, ROOT, transaction::Transactable};
use quorum_shared::model::DocumentId;
use quorum_tests::sync_peer::{SYNC_WAIT, SyncPeer, fresh_bytes, run_until, text};
use tokio::io::{AsyncBufReadExt, BufReader};

/// The reference relay in a child process on a free loopback port, killed when dropped.
struct JsRelay {
    addr: SocketAddr,
    _child: tokio::process::Child,
    _data: tempfile::TempDir,
}

async fn start() -> anyhow::Result<JsRelay> {
    let js = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("js");
    ensure!(
        js.join("node_modules/@automerge/automerge-repo").is_dir(),
        "the JS relay's packages are missing: run `npm ci --prefix tests/js` (scripts/test does)"
    );
    let data = tempfile::tempdir()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut child = tokio::process::Command::new("node")
        .arg(js.join("reference-relay.mjs"))
        .arg(port.to_string())
        .arg(data.path())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .context("starting node (is Node.js 20 or later installed?)")?;
    let mut lines = BufReader::new(child.stdout.take().context("the relay's output")?).lines();
    let first = tokio::time::timeout(SYNC_WAIT, lines.next_line())
        .await
        .context("the JS relay did not start in time")??
        .context("the JS relay exited")?;
    ensure!(first.contains("listening"), "the JS relay said {first}");
    // Keep reading what it says: a closed pipe would fail its next write.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok(JsRelay { addr: SocketAddr::from(([127, 0, 0, 1], port)), _child: child, _data: data })
}

#[tokio::test]
async fn quorum_clients_create_share_and_co_edit_through_the_js_reference_relay() -> anyhow::Result<()> {
    let relay = start().await?;
    // The reference relay takes any token; it checks nothing.
    let mut ada = SyncPeer::connect(relay.addr, "none", "peer-ada").await?;
    let mut bea = SyncPeer::connect(relay.addr, "none", "peer-bea").await?;
    let id = DocumentId::from_bytes(fresh_bytes()).to_string();
    let mut doc = AutoCommit::new();
    doc.put(ROOT, "policy", "draft")?;
    ada.client.open_with(&id, doc)?;
    ada.flush().await?;
    run_until(&mut [&mut ada], "the JS relay to acknowledge the document", |p| p[0].client.is_synced(&id))
        .await?;

    bea.client.open(&id)?;
    bea.flush().await?;
    run_until(&mut [&mut ada, &mut bea], "Bea to receive the document", |p| {
        text(p[1], &id, "policy").as_deref() == Some("draft")
    })
    .await?;

    // Both edit before hearing of the other's edit; both end with both.
    ada.client.change(&id, |d| d.put(ROOT, "owner", "Ada"))??;
    bea.client.change(&id, |d| d.put(ROOT, "scope", "hiring"))??;
    ada.flush().await?;
    bea.flush().await?;
    run_until(&mut [&mut ada, &mut bea], "both to converge", |p| {
        let heads: Vec<_> =
            p.iter_mut().map(|peer| peer.client.doc_mut(&id).map(|d| d.get_heads())).collect();
        heads[0] == heads[1]
            && p.iter().all(|peer| {
                text(peer, &id, "owner").as_deref() == Some("Ada")
                    && text(peer, &id, "scope").as_deref() == Some("hiring")
            })
    })
    .await?;
    Ok(())
}
