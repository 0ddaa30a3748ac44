//! What the share policy asks on every message, kept in memory: which workspace each document
//! belongs to; and which grant stands behind each connected peer id, so that one peer id is never
//! used by two different grants at once.

use quorum_shared::model::DocumentId;
use rusqlite::OptionalExtension;

use super::{Access, Grant, PeerBinding, Tables};
use crate::records::AccessError;

impl Access {
    /// The workspace a document belongs to, if any has claimed it.
    pub fn document_workspace(&self, doc: &DocumentId) -> Option<String> {
        self.inner.documents.read().unwrap_or_else(|p| p.into_inner()).get(doc).cloned()
    }

    /// Gives an unclaimed document to `workspace`, if it holds fewer than `quota`; returns the
    /// workspace that owns it afterwards, `None` if it is unclaimed because of the quota.
    pub async fn claim_document(
        &self,
        doc: &DocumentId,
        workspace: &str,
        quota: usize,
    ) -> Result<Option<String>, AccessError> {
        if let Some(owner) = self.document_workspace(doc) {
            return Ok(Some(owner));
        }
        let (d, w) = (doc.to_string(), workspace.to_owned());
        let quota = i64::try_from(quota).unwrap_or(i64::MAX);
        let owner: Option<String> = match &self.db {
            Tables::Sqlite(db) => {
                db.call(move |conn| {
                    conn.execute(
                        "INSERT INTO documents (id, workspace_id) SELECT ?1, ?2 \
                     WHERE (SELECT count(*) FROM documents WHERE workspace_id = ?2) < ?3 \
                     ON CONFLICT(id) DO NOTHING",
                        rusqlite::params![d, w, quota],
                    )?;
                    conn.query_row("SELECT workspace_id FROM documents WHERE id = ?1", [&d], |row| row.get(0))
                        .optional()
                })
                .await?
            }
            Tables::Postgres { pg, .. } => pg.claim_document(&d, &w, quota).await?,
        };
        if let Some(owner) = &owner {
            self.inner.documents.write().unwrap_or_else(|p| p.into_inner()).insert(*doc, owner.clone());
        }
        Ok(owner)
    }

    /// Reads a document's workspace from the database, for documents another process assigned.
    pub async fn lookup_document(&self, doc: &DocumentId) -> Result<Option<String>, AccessError> {
        let d = doc.to_string();
        let owner: Option<String> = match &self.db {
            Tables::Sqlite(db) => {
                db.call(move |conn| {
                    conn.query_row("SELECT workspace_id FROM documents WHERE id = ?1", [&d], |row| row.get(0))
                        .optional()
                })
                .await?
            }
            Tables::Postgres { pg, .. } => pg.lookup_document(&d).await?,
        };
        if let Some(owner) = &owner {
            self.inner.documents.write().unwrap_or_else(|p| p.into_inner()).insert(*doc, owner.clone());
        }
        Ok(owner)
    }

    /// Binds a connected peer id to its grant.
    pub fn bind_peer(&self, peer: &str, grant: &Grant) -> PeerBinding {
        let mut peers = self.inner.peers.lock().unwrap_or_else(|p| p.into_inner());
        match peers.get_mut(peer) {
            Some((existing, count)) if existing == grant => {
                *count += 1;
                PeerBinding::Bound
            }
            Some(_) => PeerBinding::Taken,
            None => {
                peers.insert(peer.to_owned(), (grant.clone(), 1));
                PeerBinding::Bound
            }
        }
    }

    pub fn unbind_peer(&self, peer: &str) {
        let mut peers = self.inner.peers.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, count)) = peers.get_mut(peer) {
            *count -= 1;
            if *count == 0 {
                peers.remove(peer);
            }
        }
    }

    /// How many documents the server has assigned to workspaces.
    pub fn document_count(&self) -> usize {
        self.inner.documents.read().unwrap_or_else(|p| p.into_inner()).len()
    }
}
