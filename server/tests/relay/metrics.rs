//! The server's metrics as the relay's tests read them.

use crate::support::TestServer;

/// The value of `quorum_<name>` in the server's metrics.
pub fn metric(server: &TestServer, name: &str) -> u64 {
    let metrics = server.state.render_metrics();
    let line = metrics.lines().find(|l| l.starts_with(&format!("quorum_{name} "))).expect("the metric");
    line.rsplit(' ').next().unwrap().parse().unwrap()
}
