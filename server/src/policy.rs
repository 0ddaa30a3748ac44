//! The share policy samod asks before it sends a document to a peer or takes changes from one.
//!
//! A connection's peer id is bound to its token's grant at the upgrade; a document belongs to the
//! workspace that first announced it (or created it through the API). A peer reaches only its own
//! workspace's documents, and a viewer's changes are ignored: they reach neither storage nor
//! other peers.
//!
//! The relay announces nothing: it syncs a document with the peers that open it (the app opens
//! every document its workspace's root lists, and keeps waiting for one the relay lacks) and
//! never pushes the others. Announcing sent every document of a workspace to every member's
//! connection, so each edit of one member's document was relayed to all of them, acknowledged by
//! all of them, and each acknowledgement made samod generate a sync message for every peer
//! again: under load it was about half the relay's work.

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
                let config =
                    if grant.role.can_write() { ShareConfig::read_write() } else { ShareConfig::read_only() };
                config.with_announce(false)
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

#[cfg(test)]
mod tests {
    use samod::ShareAccess;

    use super::*;
    use crate::{
        access::{Grant, PeerBinding, Role},
        db::Database,
    };

    fn doc(byte: u8) -> DocumentId {
        DocumentId::try_from(vec![byte; 16]).unwrap()
    }

    #[tokio::test]
    async fn peers_reach_only_their_workspace_and_viewers_only_read() {
        let dir = tempfile::tempdir().unwrap();
        let access = Access::load(Database::open(dir.path()).unwrap()).unwrap();
        let (a, _) = access.create_workspace("wa".into(), "A".into(), "Olga".into(), doc(1)).await.unwrap();
        let (b, _) = access.create_workspace("wb".into(), "B".into(), "Bea".into(), doc(2)).await.unwrap();
        assert_eq!(access.claim_document(&doc(3), &a.id).await.unwrap(), a.id);
        // A later claim by another workspace does not move the document.
        assert_eq!(access.claim_document(&doc(3), &b.id).await.unwrap(), a.id);

        let grant =
            |workspace: &str, role| Grant { workspace: workspace.to_owned(), member: "m".into(), role };
        for (peer, grant) in [
            ("a-owner", grant(&a.id, Role::Owner)),
            ("a-editor", grant(&a.id, Role::Editor)),
            ("a-viewer", grant(&a.id, Role::Viewer)),
            ("b-editor", grant(&b.id, Role::Editor)),
        ] {
            assert_eq!(access.bind_peer(&PeerId::from(peer), &grant), PeerBinding::Bound);
        }
        assert_eq!(
            access.bind_peer(&PeerId::from("a-owner"), &grant(&b.id, Role::Owner)),
            PeerBinding::Taken
        );

        let policy = WorkspacePolicy::new(access.clone());
        let check = |peer: &str, document: DocumentId, expected: ShareAccess| {
            let decided = policy.decide(&document, &PeerId::from(peer)).access;
            assert_eq!(decided, expected, "{peer} on {document}");
        };
        check("a-owner", doc(1), ShareAccess::ReadWrite);
        check("a-editor", doc(3), ShareAccess::ReadWrite);
        check("a-viewer", doc(3), ShareAccess::ReadOnly);
        check("b-editor", doc(1), ShareAccess::None);
        check("b-editor", doc(3), ShareAccess::None);
        check("b-editor", doc(2), ShareAccess::ReadWrite);
        check("a-editor", doc(9), ShareAccess::None);
        check("stranger", doc(1), ShareAccess::None);

        access.unbind_peer(&PeerId::from("a-owner"));
        check("a-owner", doc(1), ShareAccess::None);
    }
}
