//! The share policy samod asks before it sends a document to a peer or takes changes from one.
//!
//! A connection's peer id is bound to its token's grant at the upgrade; a document belongs to the
//! workspace that first announced it (or created it through the API). A peer reaches only its own
//! workspace's documents, and a viewer's changes are ignored: they reach neither storage nor
//! other peers.

use samod::{DocumentId, PeerId, ShareConfig};

use crate::access::Access;

#[derive(Clone, Debug)]
pub struct WorkspacePolicy {
    access: Access,
}

impl WorkspacePolicy {
    pub fn new(access: Access) -> Self {
        Self { access }
    }

    pub fn decide(&self, doc: &DocumentId, peer: &PeerId) -> ShareConfig {
        let Some(grant) = self.access.peer_grant(peer) else { return ShareConfig::none() };
        match self.access.document_workspace(doc) {
            Some(workspace) if workspace == grant.workspace => {
                if grant.role.can_write() {
                    ShareConfig::read_write()
                } else {
                    ShareConfig::read_only()
                }
            }
            _ => ShareConfig::none(),
        }
    }
}

impl samod::SharePolicy for WorkspacePolicy {
    fn share(
        &self,
        doc_id: DocumentId,
        peer_id: PeerId,
    ) -> impl futures::Stream<Item = ShareConfig> + Send + 'static {
        futures::stream::iter([self.decide(&doc_id, &peer_id)])
    }
}
