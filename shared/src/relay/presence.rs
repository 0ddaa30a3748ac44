//! Presence: ephemeral messages forwarded to a document's other peers, within the sender's rate.

use super::document::Slot;
use super::{ConnectionId, Message, Output, Relay};

impl Relay {
    /// Forwards a presence message to the document's other peers, within the sender's rate.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn ephemeral(
        &mut self,
        now: u64,
        connection: ConnectionId,
        sender_id: String,
        document_id: String,
        session_id: String,
        count: u64,
        data: Vec<u8>,
    ) {
        let Some(sender) = self.connections.get_mut(&connection) else { return };
        let Some(Slot::Ready(open)) = self.documents.get(&document_id) else {
            self.stats.ephemeral_dropped += 1;
            return;
        };
        if !open.peers.contains_key(&connection)
            || data.len() > self.config.max_ephemeral_bytes
            || !sender.ephemeral.take(now)
        {
            self.stats.ephemeral_dropped += 1;
            return;
        }
        for &other in open.peers.keys().filter(|&&other| other != connection) {
            let Some(target) = self.connections.get(&other) else { continue };
            let message = Message::Ephemeral {
                sender_id: sender_id.clone(),
                target_id: target.peer_id.clone(),
                document_id: document_id.clone(),
                session_id: session_id.clone(),
                count,
                data: data.clone(),
            };
            self.outputs.push(Output::Send { connection: other, frame: message.encode() });
            self.stats.ephemeral_forwarded += 1;
        }
    }
}
