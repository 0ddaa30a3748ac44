//! The connection limit. (The join deadline and the other caps: `hardening.rs`.)

use quorum_server::Limits;
use tokio_tungstenite::tungstenite::{self, http::StatusCode};

use super::bad_input::connect;
use crate::support::{TestServer, within};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_over_the_limit_are_answered_503_until_one_closes() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start_with(dir.path(), Limits { max_connections: 1, ..Limits::default() }).await;
    let owner = server.workspace("Acme AIMS").await;
    let first = connect(&server, &owner.token, Some("first")).await;

    let refused =
        within("the second upgrade", tokio_tungstenite::connect_async(server.sync_url(&owner.token))).await;
    match refused {
        Err(tungstenite::Error::Http(response)) => {
            assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE)
        }
        other => panic!("expected a 503, got {other:?}"),
    }

    drop(first);
    // The slot frees when the server notices the first connection has gone.
    within("a slot frees up", async {
        loop {
            match tokio_tungstenite::connect_async(server.sync_url(&owner.token)).await {
                Ok(_) => return,
                Err(tungstenite::Error::Http(response))
                    if response.status() == StatusCode::SERVICE_UNAVAILABLE =>
                {
                    tokio::task::yield_now().await;
                }
                Err(other) => panic!("unexpected failure: {other}"),
            }
        }
    })
    .await;
    server.stop().await;
}
