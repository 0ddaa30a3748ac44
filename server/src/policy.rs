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

/// What the policy says of a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    Admitted,
    /// Another workspace's document, or one this peer may not bring into being.
    Refused,
    /// A new document that its workspace has no room for (`documents_per_workspace`).
    OverQuota,
}

/// Whether a message about `doc` may reach the core: the document must be of the peer's
/// workspace, or new and announced by a writer, which makes it its workspace's while the
/// workspace holds fewer than `quota`.
pub async fn admit(
    access: &Access,
    grant: &Grant,
    asking: Asking,
    doc: &DocumentId,
    quota: usize,
) -> Admission {
    match access.document_workspace(doc) {
        Some(owner) => decide(owner == grant.workspace),
        // Boxed: a document the tables do not know yet is rare, and its lookup's future inline
        // would widen every connection's task.
        None => Box::pin(admit_unknown(access, grant, asking, doc, quota)).await,
    }
}

fn decide(ours: bool) -> Admission {
    if ours { Admission::Admitted } else { Admission::Refused }
}

async fn admit_unknown(
    access: &Access,
    grant: &Grant,
    asking: Asking,
    doc: &DocumentId,
    quota: usize,
) -> Admission {
    let claims = grant.role.can_write() && asking == Asking::Sync;
    // Another process (the command line) may have created it since this one loaded its tables,
    // so both look in the database; only a writer's request or sync claims it.
    let owner = if claims {
        access.claim_document(doc, &grant.workspace, quota).await
    } else {
        access.lookup_document(doc).await
    };
    match owner {
        Ok(Some(owner)) => decide(owner == grant.workspace),
        // Unclaimed after a claim: its workspace has no room.
        Ok(None) if claims => Admission::OverQuota,
        Ok(None) => Admission::Refused,
        Err(error) => {
            tracing::error!(%error, %doc, claims, "cannot look up or record a new document");
            Admission::Refused
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        access::{Role, Tables},
        db::Database,
    };

    fn doc(byte: u8) -> DocumentId {
        DocumentId::from_bytes([byte; 16])
    }

    #[tokio::test]
    async fn peers_reach_only_their_workspace_and_only_writers_bring_new_documents() {
        let dir = tempfile::tempdir().unwrap();
        let access = Access::load(Tables::Sqlite(Database::open(dir.path()).unwrap())).await.unwrap();
        let (a, _) = access.create_workspace("wa".into(), "A".into(), "Olga".into(), doc(1)).await.unwrap();
        let (b, _) = access.create_workspace("wb".into(), "B".into(), "Bea".into(), doc(2)).await.unwrap();
        let grant =
            |workspace: &str, role| Grant { workspace: workspace.to_owned(), member: "m".into(), role };
        let (owner, editor, viewer) =
            (grant(&a.id, Role::Owner), grant(&a.id, Role::Editor), grant(&a.id, Role::Viewer));
        let other = grant(&b.id, Role::Editor);

        // In order: each step may claim a document for a later one.
        let steps = [
            (&owner, Asking::Sync, 1, Admission::Admitted, "the workspace's root"),
            (&other, Asking::Sync, 1, Admission::Refused, "another workspace's document"),
            (&viewer, Asking::Sync, 3, Admission::Refused, "a viewer brings nothing new"),
            (&editor, Asking::Other, 3, Admission::Refused, "presence brings nothing new"),
            (&editor, Asking::Sync, 3, Admission::Admitted, "an editor's new document"),
            (&viewer, Asking::Other, 3, Admission::Admitted, "now the workspace's"),
            (&other, Asking::Sync, 3, Admission::Refused, "a later claim does not move it"),
        ];
        for (grant, asking, byte, expected, why) in steps {
            assert_eq!(admit(&access, grant, asking, &doc(byte), 100).await, expected, "{why}");
        }
        assert_eq!(access.document_workspace(&doc(3)), Some(a.id.clone()));

        // Workspace A holds two documents now: a quota of two lets no third in, and a refused
        // document is left unclaimed, so it is not A's either.
        assert_eq!(admit(&access, &editor, Asking::Sync, &doc(4), 2).await, Admission::OverQuota);
        assert_eq!(access.document_workspace(&doc(4)), None);
        assert_eq!(admit(&access, &editor, Asking::Sync, &doc(4), 3).await, Admission::Admitted);
    }
}
