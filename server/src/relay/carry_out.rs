//! What the driver does with the core's outputs: frames onto each connection's bounded queue
//! (closing one that stops reading), loads and writes to storage, presence to the other relays,
//! and connections the core refused closed with the reason their peer is told.

use quorum_shared::relay::{Output, Refusal};

use super::{Driver, Input};
use crate::postgres::Logged;
use crate::sync::{CloseReason, Control};
use std::sync::atomic::Ordering::Relaxed;

impl Driver {
    pub(super) fn carry_out(&mut self, outputs: Vec<Output>) {
        let mut slow = Vec::new();
        for output in outputs {
            match output {
                Output::Send { connection, frame } => {
                    let Some(link) = self.links.get_mut(&connection) else { continue };
                    let len = frame.len();
                    if !self.outbound.has_room(&link.queue, len) {
                        slow.push(connection);
                        continue;
                    }
                    // Counted before it is handed over: the writer may send it (and take it off)
                    // before `try_send` even returns.
                    link.queue.add(len);
                    if link.frames.try_send(frame).is_err() {
                        link.queue.sent(len);
                        slow.push(connection);
                    }
                }
                Output::Load { document_id } => self.load(document_id),
                Output::Presence(presence) => {
                    // Presence is ephemeral: past the queue, it stays with this relay's peers.
                    if let Some(share) = &self.presence {
                        let _ = share.try_send(presence);
                    }
                }
                Output::Write(write) => self.storage.submit(write),
                Output::Close { connection, refusal } => {
                    if refusal != Refusal::Left {
                        self.metrics.bad_frames.fetch_add(1, Relaxed);
                        tracing::info!(connection, %refusal, "closing a connection the relay refused");
                    }
                    if let Some(link) = self.links.remove(&connection) {
                        link.queue.clear();
                        let _ = link.control.unbounded_send(Control::Close(close_reason(&refusal)));
                    }
                }
            }
        }
        for connection in slow {
            if let Some(link) = self.links.remove(&connection) {
                link.queue.clear();
                tracing::info!(connection, "closing a connection that stopped reading");
                self.metrics.slow_peers.fetch_add(1, Relaxed);
                let reason =
                    CloseReason::new(1008, "the connection fell too far behind; reconnect to resync");
                let _ = link.control.unbounded_send(Control::Close(reason));
                self.core.disconnect(self.now(), connection);
            }
        }
    }

    /// Reads an open document's chunks again, as if another relay had just stored each: for a
    /// relay that missed part of the change log.
    pub(super) fn read_again(&self, document_id: String) {
        let (storage, inbox) = (self.storage.clone(), self.inbox.clone());
        tokio::spawn(async move {
            match storage.load(&document_id).await {
                Ok(chunks) => {
                    let entries = chunks
                        .into_iter()
                        .map(|(key, chunk)| Logged::Chunk { document_id: document_id.clone(), key, chunk })
                        .collect();
                    let _ = inbox.send(Input::Logged(entries));
                }
                Err(error) => tracing::error!(%error, document = document_id, "cannot read a document again"),
            }
        });
    }

    /// Takes every binding in again: for a relay that missed part of the change log.
    pub(super) fn bind_again(&self) {
        let (storage, inbox) = (self.storage.clone(), self.inbox.clone());
        tokio::spawn(async move {
            match storage.bindings().await {
                Ok(bindings) => {
                    for binding in bindings {
                        let _ = inbox.send(Input::Bind(binding));
                    }
                }
                Err(error) => tracing::error!(%error, "cannot read the bindings again"),
            }
        });
    }

    fn load(&self, document_id: String) {
        let (storage, inbox) = (self.storage.clone(), self.inbox.clone());
        tokio::spawn(async move {
            let chunks = storage.load(&document_id).await.map_err(|error| {
                tracing::error!(%error, document = document_id, "cannot read a document; retrying");
                error.to_string()
            });
            let _ = inbox.send(Input::Loaded { document_id, chunks });
        });
    }
}

/// A refusal as the peer is told it, with the WebSocket close code it deserves.
fn close_reason(refusal: &Refusal) -> CloseReason {
    let code = match refusal {
        Refusal::Left => return CloseReason::new(1000, ""),
        Refusal::Sender { .. } | Refusal::Forged { .. } => 1008,
        // Message Too Big: what the peer sent would be, once inflated.
        Refusal::Inflation { .. } => 1009,
        _ => 1002,
    };
    CloseReason::new(code, refusal.to_string())
}
