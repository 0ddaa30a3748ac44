//! The share policy: which connection may hand the relay core a message about which document.
//!
//! A connection's grant comes from its token at the upgrade; a document belongs to the workspace
//! that first announced it (or created it through the API). A peer reaches only its own
//! workspace's documents. Whether it may change them is the core's to enforce, told at connect:
//! a viewer's changes are neither applied, stored nor forwarded.
//!
//! The relay announces nothing: it syncs a document with the peers that open it (the app opens
//! every document its workspace's root lists, and keeps waiting for one the relay lacks).

use quorum_shared::model::DocumentId;

use crate::access::{Access, Grant};

/// What kind of message asks: only a request or a sync can bring a new document into being.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Asking {
    Sync,
    Other,
}

/// Whether a message about `doc` may reach the core: the document must be of the peer's
/// workspace, or new and announced by a writer, which makes it its workspace's.
pub async fn admit(access: &Access, grant: &Grant, asking: Asking, doc: &DocumentId) -> bool {
    let owner = match access.document_workspace(doc) {
        Some(owner) => Some(owner),
        // Another process (the command line) may have created it since this one loaded its
        // tables, so look before claiming.
        None if grant.role.can_write() && asking == Asking::Sync => {
            match access.claim_document(doc, &grant.workspace).await {
                Ok(owner) => Some(owner),
                Err(error) => {
                    tracing::error!(%error, %doc, "cannot record a new document");
                    None
                }
            }
        }
        None => access.lookup_document(doc).await.unwrap_or_else(|error| {
            tracing::error!(%error, %doc, "cannot look a document up");
            None
        }),
    };
    owner.as_deref() == Some(grant.workspace.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{access::Role, db::Database};

    fn doc(byte: u8) -> DocumentId {
        DocumentId::from_bytes([byte; 16])
    }

    #[tokio::test]
    async fn peers_reach_only_their_workspace_and_only_writers_bring_new_documents() {
        let dir = tempfile::tempdir().unwrap();
        let access = Access::load(Database::open(dir.path()).unwrap()).unwrap();
        let (a, _) = access.create_workspace("wa".into(), "A".into(), "Olga".into(), doc(1)).await.unwrap();
        let (b, _) = access.create_workspace("wb".into(), "B".into(), "Bea".into(), doc(2)).await.unwrap();
        let grant =
            |workspace: &str, role| Grant { workspace: workspace.to_owned(), member: "m".into(), role };
        let (owner, editor, viewer) =
            (grant(&a.id, Role::Owner), grant(&a.id, Role::Editor), grant(&a.id, Role::Viewer));
        let other = grant(&b.id, Role::Editor);

        assert!(admit(&access, &owner, Asking::Sync, &doc(1)).await);
        assert!(!admit(&access, &other, Asking::Sync, &doc(1)).await, "another workspace's document");
        assert!(!admit(&access, &viewer, Asking::Sync, &doc(3)).await, "a viewer brings nothing new");
        assert!(!admit(&access, &editor, Asking::Other, &doc(3)).await, "presence brings nothing new");
        assert!(admit(&access, &editor, Asking::Sync, &doc(3)).await, "an editor's new document");
        assert!(admit(&access, &viewer, Asking::Other, &doc(3)).await, "now the workspace's");
        // A later claim by another workspace does not move it.
        assert!(!admit(&access, &other, Asking::Sync, &doc(3)).await);
        assert_eq!(access.document_workspace(&doc(3)), Some(a.id.clone()));
    }
}
