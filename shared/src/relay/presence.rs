//! Presence: ephemeral messages forwarded to a document's other peers, within the sender's rate.

use super::document::Slot;
use super::{ConnectionId, Message, Output, Presence, Relay};

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
        let presence = Presence { document_id, sender_id, session_id, count, data };
        self.forward(Some(connection), &presence);
        if self.config.share_presence {
            self.outputs.push(Output::Presence(presence));
        }
    }

    /// A presence message a peer of another relay sent (that relay kept it within its sender's
    /// rate): this relay's peers of the document hear it.
    pub fn presence_elsewhere(&mut self, now: u64, presence: &Presence) {
        self.now = self.now.max(now);
        if presence.data.len() <= self.config.max_ephemeral_bytes {
            self.forward(None, presence);
        }
    }

    fn forward(&mut self, from: Option<ConnectionId>, presence: &Presence) {
        let Some(Slot::Ready(open)) = self.documents.get(&presence.document_id) else { return };
        for &other in open.peers.keys().filter(|&&other| Some(other) != from) {
            let Some(target) = self.connections.get(&other) else { continue };
            let message = Message::Ephemeral {
                sender_id: presence.sender_id.clone(),
                target_id: target.peer_id.clone(),
                document_id: presence.document_id.clone(),
                session_id: presence.session_id.clone(),
                count: presence.count,
                data: presence.data.clone(),
            };
            self.outputs.push(Output::Send { connection: other, frame: message.encode() });
            self.stats.ephemeral_forwarded += 1;
        }
    }
}
