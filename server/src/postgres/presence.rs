//! Presence between relays: who is in which field reaches the peers of every relay, not only
//! those of the sender's. It is not in the change log, being ephemeral (a relay that misses one
//! loses nothing; the next comes within a second or so), but the payload of a NOTIFY on its own
//! channel, which the change log's follower also LISTENs on (`log.rs`).

use base64::Engine as _;
use quorum_shared::relay::Presence;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use super::Pg;

pub(super) const CHANNEL: &str = "quorum_presence";

/// PostgreSQL takes payloads shorter than 8000 bytes; a presence message that would not fit
/// stays with its own relay's peers.
const MAX_PAYLOAD: usize = 7_900;

/// Presence waiting to be published; beyond it (the database is slow or away) new ones drop.
const QUEUE: usize = 1024;

#[derive(Serialize, Deserialize)]
struct Payload {
    relay: String,
    document_id: String,
    sender_id: String,
    session_id: String,
    count: u64,
    /// base64
    data: String,
}

/// Starts publishing this relay's presence; the task ends with the last sender.
pub fn publisher(pg: Pg, relay: String) -> mpsc::Sender<Presence> {
    let (tx, mut rx) = mpsc::channel::<Presence>(QUEUE);
    tokio::spawn(async move {
        while let Some(first) = rx.recv().await {
            let mut batch = vec![first];
            while let Ok(presence) = rx.try_recv() {
                batch.push(presence);
            }
            let Ok(client) = pg.client().await else { continue };
            let payloads: Vec<String> = batch.into_iter().filter_map(|p| encode(&relay, p)).collect();
            // Pipelined on one connection: one round trip for the batch.
            let params: Vec<[&(dyn tokio_postgres::types::ToSql + Sync); 2]> =
                payloads.iter().map(|payload| [&CHANNEL as _, payload as _]).collect();
            let sent = params.iter().map(|params| client.execute("SELECT pg_notify($1, $2)", params));
            for result in futures::future::join_all(sent).await {
                if let Err(error) = result {
                    tracing::debug!(%error, "presence not passed on to other relays");
                }
            }
        }
    });
    tx
}

fn encode(relay: &str, p: Presence) -> Option<String> {
    let payload = Payload {
        relay: relay.to_owned(),
        document_id: p.document_id,
        sender_id: p.sender_id,
        session_id: p.session_id,
        count: p.count,
        data: base64::engine::general_purpose::STANDARD.encode(p.data),
    };
    serde_json::to_string(&payload).ok().filter(|json| json.len() <= MAX_PAYLOAD)
}

/// Another relay's presence; `None` for this relay's own, or a payload that does not read.
pub(super) fn decode(relay: &str, payload: &str) -> Option<Presence> {
    let p: Payload = serde_json::from_str(payload).ok()?;
    if p.relay == relay {
        return None;
    }
    let data = base64::engine::general_purpose::STANDARD.decode(p.data).ok()?;
    Some(Presence {
        document_id: p.document_id,
        sender_id: p.sender_id,
        session_id: p.session_id,
        count: p.count,
        data,
    })
}
