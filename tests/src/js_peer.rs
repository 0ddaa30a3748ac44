//! The JS ecosystem's automerge-repo peer (`tests/js/create.mjs`, `edit.mjs`, `read.mjs`, on the
//! npm packages `scripts/test` installs with `npm ci --prefix tests/js`) run against a relay:
//! each script dials the relay with a token, does one thing, and prints one JSON object.
//!
//! ```no_run
//! # async fn run(addr: std::net::SocketAddr, token: &str) -> anyhow::Result<()> {
//! let created = quorum_tests::js_peer::node("create.mjs", addr, &[token, "policy", "draft"]).await?;
//! let id = created["documentId"].as_str().unwrap_or_default();
//! # Ok(()) }
//! ```

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use anyhow::{Context, bail, ensure};
use serde_json::Value;

/// Each script gives up after 15 s of its own; this bounds the process as a whole.
const NODE_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs `node tests/js/<script> http://<addr> <args...>` and returns its JSON answer, or an error
/// with the `error` it printed.
pub async fn node(script: &str, addr: SocketAddr, args: &[&str]) -> anyhow::Result<Value> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("js");
    ensure!(
        dir.join("node_modules/@automerge/automerge-repo-network-websocket").is_dir(),
        "the JS peers' packages are missing: run `npm ci --prefix tests/js` (scripts/test does)"
    );
    let run = tokio::process::Command::new("node")
        .arg(script)
        .arg(format!("http://{addr}"))
        .args(args)
        .current_dir(&dir)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(NODE_TIMEOUT, run)
        .await
        .with_context(|| format!("node {script} did not finish within {NODE_TIMEOUT:?}"))?
        .context("cannot run node (is Node.js 20 or later installed?)")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let answer: Value =
        stdout.lines().last().and_then(|line| serde_json::from_str(line).ok()).with_context(|| {
            format!("node {script} printed no JSON: {stdout}\n{}", String::from_utf8_lossy(&output.stderr))
        })?;
    if !output.status.success() {
        bail!("node {script} failed: {}", answer["error"].as_str().unwrap_or_default());
    }
    Ok(answer)
}

/// The heads a script reported, as hex change hashes in order.
pub fn heads(answer: &Value) -> anyhow::Result<Vec<String>> {
    serde_json::from_value(answer["heads"].clone()).context("the script reported no heads")
}
