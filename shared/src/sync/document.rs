//! One document as the client syncs it: the Automerge document, the sync state with the relay,
//! and what this connection has learnt about whether the relay has the document.

use automerge::AutoCommit;
use automerge::sync::{self, SyncDoc};

/// What the relay said about a document on the current connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Remote {
    /// Nothing yet.
    Unknown,
    /// It sent heads, or we sent ours, so it has or will have the document.
    Has,
    /// It answered `doc-unavailable`.
    Unavailable,
}

pub(super) struct Document {
    pub(super) doc: AutoCommit,
    state: sync::State,
    pub(super) remote: Remote,
}

/// What to wrap a generated sync message in.
pub(super) enum Outgoing {
    /// Ask for a document we do not have.
    Request(Vec<u8>),
    Sync(Vec<u8>),
}

impl Document {
    pub(super) fn new(doc: AutoCommit) -> Document {
        Document { doc, state: sync::State::new(), remote: Remote::Unknown }
    }

    /// Forgets what belonged to the last connection but keeps the heads both sides are known to
    /// share, so that the next connection resumes from there instead of starting over. This is
    /// the part of the sync state that automerge persists.
    pub(super) fn reset_connection(&mut self) {
        // A state read back from our own encoding cannot fail to decode; were it to, a fresh
        // state is still correct, only slower.
        self.state = sync::State::decode(&self.state.encode()).unwrap_or_default();
        self.remote = Remote::Unknown;
    }

    pub(super) fn is_empty(&mut self) -> bool {
        self.doc.get_heads().is_empty()
    }

    /// The next message for the relay, if there is anything to say. Like automerge-repo, a
    /// document we have nothing of is asked for with `request` until the relay has answered,
    /// so that the relay can tell us it does not have it either.
    pub(super) fn generate(&mut self) -> Option<Outgoing> {
        let message = self.doc.sync().generate_sync_message(&mut self.state)?;
        let empty = self.is_empty();
        let data = message.encode();
        if empty && self.state.shared_heads.is_empty() && self.remote == Remote::Unknown {
            Some(Outgoing::Request(data))
        } else {
            if !empty {
                self.remote = Remote::Has;
            }
            Some(Outgoing::Sync(data))
        }
    }

    /// Applies a sync message from the relay; says whether the document changed.
    pub(super) fn receive(&mut self, message: sync::Message) -> Result<bool, automerge::AutomergeError> {
        if !message.heads.is_empty() {
            self.remote = Remote::Has;
        }
        let before = self.doc.get_heads();
        self.doc.sync().receive_sync_message(&mut self.state, message)?;
        Ok(self.doc.get_heads() != before)
    }

    /// Whether the relay is known to hold exactly what we hold.
    pub(super) fn is_synced(&mut self) -> bool {
        let heads = self.doc.get_heads();
        match self.remote {
            Remote::Unavailable if heads.is_empty() => true,
            _ => self.state.their_heads.as_ref() == Some(&heads),
        }
    }
}

#[cfg(test)]
mod tests {
    use automerge::ROOT;
    use automerge::transaction::Transactable;

    use super::*;

    #[test]
    fn asks_for_a_document_it_lacks_and_offers_one_it_has() {
        let mut lacking = Document::new(AutoCommit::new());
        assert!(matches!(lacking.generate(), Some(Outgoing::Request(_))));
        assert_eq!(lacking.remote, Remote::Unknown);

        let mut doc = AutoCommit::new();
        doc.put(ROOT, "title", "AI policy").unwrap();
        let mut having = Document::new(doc);
        assert!(matches!(having.generate(), Some(Outgoing::Sync(_))));
        assert_eq!(having.remote, Remote::Has, "the relay will have what we sent");
        assert!(having.generate().is_none(), "nothing new until the relay answers");

        // A new connection starts the conversation again but keeps what both sides share.
        having.reset_connection();
        assert_eq!(having.remote, Remote::Unknown);
        assert!(having.generate().is_some());
    }
}
