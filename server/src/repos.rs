//! One samod [`Repo`](samod::Repo) per workspace, started when the workspace is first used, all
//! writing through the one [`SqliteStorage`] under one server peer id.
//!
//! Why not one repo for the whole server: samod 0.16's hub, after every event it handles (each
//! incoming message, each 100 ms tick), walks every established connection against every open
//! document (`ensure_connections`), and subscribes every connection to every document, each
//! document actor then keeping a sync state and asking the share policy for every peer. With
//! 500 peers and 550 documents that is 275,000 steps per message and as many per-document peer
//! states, nearly all for pairs the share policy then refuses. A peer only ever reaches its own
//! workspace's documents (the policy and the connection's checks see to it), so a repo per
//! workspace gives the same answers while each step only sees one workspace's peers and
//! documents. A document lives in exactly one workspace, so no two repos ever hold the same one,
//! and storage keys (prefixed by the document id) never collide.

use std::{collections::HashMap, sync::Arc};

use samod::{AcceptorHandle, DocHandle, DocumentId, PeerId, Repo};

use crate::{access::Access, metrics, policy::WorkspacePolicy, storage::SqliteStorage};

/// The server is stopping: no repo can be had any more.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the server is shutting down")]
pub(crate) struct Stopping;

/// A workspace's repo and the acceptor its sync connections join through.
#[derive(Clone)]
pub(crate) struct WorkspaceRepo {
    pub repo: Repo,
    pub acceptor: AcceptorHandle,
}

pub(crate) struct Repos {
    peer_id: PeerId,
    storage: SqliteStorage,
    access: Access,
    metrics: Arc<metrics::Metrics>,
    /// `None` once the server has begun to stop. An async lock, held while a repo starts, so
    /// that one workspace never gets two.
    open: tokio::sync::Mutex<Option<HashMap<String, WorkspaceRepo>>>,
}

impl Repos {
    /// Readies the storage for the repos to come: samod keeps a storage id in it, made by the
    /// first repo that finds none, so one repo is started and stopped here rather than letting
    /// the first two workspaces race to make it.
    pub async fn new(storage: SqliteStorage, access: Access, metrics: Arc<metrics::Metrics>) -> Self {
        let peer_id = PeerId::from(format!("quorum-relay-{}", crate::access::random_id()));
        Repo::build_tokio()
            .with_storage(storage.clone())
            .with_peer_id(peer_id.clone())
            .load()
            .await
            .stop()
            .await;
        Self { peer_id, storage, access, metrics, open: tokio::sync::Mutex::new(Some(HashMap::new())) }
    }

    /// The server's peer id, the same in every workspace's repo.
    pub fn peer_id(&self) -> &PeerId {
        &self.peer_id
    }

    /// The repo of `workspace`, started if it is not running yet.
    pub async fn get(&self, workspace: &str) -> Result<WorkspaceRepo, Stopping> {
        let mut open = self.open.lock().await;
        let open = open.as_mut().ok_or(Stopping)?;
        if let Some(found) = open.get(workspace) {
            return Ok(found.clone());
        }
        let repo = Repo::build_tokio()
            .with_storage(self.storage.clone())
            .with_peer_id(self.peer_id.clone())
            .with_share_policy(WorkspacePolicy::new(self.access.clone()))
            .with_observer(metrics::MetricsObserver(self.metrics.clone()))
            .load()
            .await;
        let url = samod::Url::parse("ws://quorum.invalid/sync").expect("a constant URL parses");
        let acceptor = repo.make_acceptor(url).map_err(|_| Stopping)?;
        let started = WorkspaceRepo { repo, acceptor };
        open.insert(workspace.to_owned(), started.clone());
        tracing::debug!(workspace, repos = open.len(), "started a workspace's repo");
        Ok(started)
    }

    /// A stored document, from its workspace's repo; `None` if no workspace has it or it has
    /// nothing stored.
    pub async fn find(&self, doc: &DocumentId) -> Option<DocHandle> {
        let workspace = match self.access.document_workspace(doc) {
            Some(workspace) => workspace,
            None => self.access.lookup_document(doc).await.ok().flatten()?,
        };
        self.get(&workspace).await.ok()?.repo.find(doc.clone()).await.ok().flatten()
    }

    /// Stops taking connections and stops every repo once storage has written what it was given.
    pub async fn stop(&self) {
        let Some(open) = self.open.lock().await.take() else { return };
        for workspace in open.values() {
            workspace.acceptor.close();
        }
        futures::future::join_all(open.values().map(|w| w.repo.stop())).await;
    }
}
