//! Workspaces, members, invites and which workspace each document belongs to: the server's own
//! tables, from which every access decision is taken (never from document contents).

mod invites;
mod keys;
mod peers;
mod role;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, RwLock},
};

use quorum_shared::model::DocumentId;
use rusqlite::{OptionalExtension, params};

pub use role::Role;
use role::role_from_sql;

use crate::{
    db::{Database, DbError},
    postgres::Pg,
    records::{AccessError, Workspace},
    token,
};

/// A member as the tables hold them, which is also how the API lists them.
pub use quorum_shared::api::Member;

/// Who is at the other end of an authenticated connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub workspace: String,
    pub member: String,
    pub role: Role,
}

/// A random identifier of 16 bytes in base58, like document ids: unguessable, and safe in URLs
/// and on command lines (base64url could start with `-`, which reads as a flag).
pub fn random_id() -> String {
    bs58::encode(random_bytes()).into_string()
}

/// 16 bytes from the operating system's random source.
pub fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    bytes
}

/// The access tables, with the lookups the share policy needs kept in memory.
#[derive(Clone, Debug)]
pub struct Access {
    db: Tables,
    inner: Arc<Inner>,
}

/// Where the tables are: the embedded SQLite file, or a PostgreSQL that several relays share
/// (its queries in `postgres/tables.rs`). `relay` names this relay in the change log.
#[derive(Clone, Debug)]
pub enum Tables {
    Sqlite(Database),
    Postgres { pg: Pg, relay: String },
}

#[derive(Debug, Default)]
struct Inner {
    /// Which workspace each known document belongs to.
    documents: RwLock<HashMap<DocumentId, String>>,
    /// The grant behind each connected peer id, with how many connections use it.
    peers: Mutex<HashMap<String, (Grant, usize)>>,
}

/// What happened when a connection tried to bind a peer id.
#[derive(Debug, PartialEq, Eq)]
pub enum PeerBinding {
    Bound,
    /// The id is in use by a connection with a different grant.
    Taken,
}

impl Access {
    /// Loads the document ownership table into memory.
    pub async fn load(db: Tables) -> Result<Self, DbError> {
        let rows: Vec<(String, String)> = match &db {
            Tables::Sqlite(db) => db.call_blocking(|conn| {
                conn.prepare("SELECT id, workspace_id FROM documents")?
                    .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect()
            })?,
            Tables::Postgres { pg, .. } => pg.documents().await?,
        };
        let documents = rows
            .into_iter()
            .filter_map(|(doc, workspace)| match doc.parse::<DocumentId>() {
                Ok(doc) => Some((doc, workspace)),
                Err(_) => {
                    tracing::warn!(doc, "ignoring a stored document id that does not parse");
                    None
                }
            })
            .collect();
        Ok(Self { db, inner: Arc::new(Inner { documents: RwLock::new(documents), ..Inner::default() }) })
    }

    pub fn db(&self) -> &Tables {
        &self.db
    }

    pub async fn create_workspace(
        &self,
        id: String,
        name: String,
        owner_name: String,
        root_document: DocumentId,
    ) -> Result<(Workspace, Member), AccessError> {
        let workspace = Workspace { id, name, root_document: root_document.to_string() };
        let owner = Member { id: random_id(), name: owner_name, role: Role::Owner, revoked: false };
        let (w, o) = (workspace.clone(), owner.clone());
        let db = match &self.db {
            Tables::Sqlite(db) => db,
            Tables::Postgres { pg, .. } => {
                pg.create_workspace(&w, &o).await?;
                return Ok(self.created(root_document, workspace, owner));
            }
        };
        db.call(move |conn| {
            let tx = conn.transaction()?;
            let now = token::now();
            tx.execute(
                "INSERT INTO workspaces (id, name, root_document, created_at) VALUES (?1, ?2, ?3, ?4)",
                params![w.id, w.name, w.root_document, now],
            )?;
            tx.execute(
                "INSERT INTO members (id, workspace_id, name, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![o.id, w.id, o.name, o.role.as_token(), now],
            )?;
            tx.execute(
                "INSERT INTO documents (id, workspace_id) VALUES (?1, ?2) ON CONFLICT(id) DO NOTHING",
                params![w.root_document, w.id],
            )?;
            tx.commit()
        })
        .await?;
        Ok(self.created(root_document, workspace, owner))
    }

    fn created(&self, root: DocumentId, workspace: Workspace, owner: Member) -> (Workspace, Member) {
        self.inner.documents.write().unwrap_or_else(|p| p.into_inner()).insert(root, workspace.id.clone());
        (workspace, owner)
    }

    pub async fn workspace(&self, id: &str) -> Result<Workspace, AccessError> {
        let id = id.to_owned();
        let db = match &self.db {
            Tables::Sqlite(db) => db,
            Tables::Postgres { pg, .. } => {
                return pg.workspace(&id).await?.ok_or(AccessError::WorkspaceNotFound(id));
            }
        };
        let found = db
            .call({
                let id = id.clone();
                move |conn| {
                    conn.query_row(
                        "SELECT id, name, root_document FROM workspaces WHERE id = ?1",
                        [id],
                        |row| {
                            Ok(Workspace { id: row.get(0)?, name: row.get(1)?, root_document: row.get(2)? })
                        },
                    )
                    .optional()
                }
            })
            .await?;
        found.ok_or(AccessError::WorkspaceNotFound(id))
    }

    pub async fn members(&self, workspace: &str) -> Result<Vec<Member>, AccessError> {
        let workspace = workspace.to_owned();
        let db = match &self.db {
            Tables::Sqlite(db) => db,
            Tables::Postgres { pg, .. } => return Ok(pg.members(&workspace).await?),
        };
        Ok(db
            .call(move |conn| {
                conn.prepare(
                    "SELECT id, name, role, revoked_at IS NOT NULL FROM members WHERE workspace_id = ?1 \
                     ORDER BY rowid",
                )?
                .query_map([workspace], |row| {
                    Ok(Member {
                        id: row.get(0)?,
                        name: row.get(1)?,
                        role: role_from_sql(row.get(2)?)?,
                        revoked: row.get(3)?,
                    })
                })?
                .collect()
            })
            .await?)
    }

    /// Whether `member` belongs to `workspace` and has not been revoked.
    pub async fn is_active_member(&self, workspace: &str, member: &str) -> Result<bool, AccessError> {
        Ok(self.active_role(workspace, member).await?.is_some())
    }

    /// When the workspace was created here (seconds), if it exists.
    pub async fn workspace_since(&self, workspace: &str) -> Result<Option<i64>, AccessError> {
        let workspace = workspace.to_owned();
        let db = match &self.db {
            Tables::Sqlite(db) => db,
            Tables::Postgres { pg, .. } => return Ok(pg.workspace_since(&workspace).await?),
        };
        Ok(db
            .call(move |conn| {
                conn.query_row("SELECT created_at FROM workspaces WHERE id = ?1", [workspace], |row| {
                    row.get(0)
                })
                .optional()
            })
            .await?)
    }

    /// The role `member` has in `workspace` now, `None` if revoked or never a member: what a
    /// token says of the role is only what it was when the token was issued.
    pub async fn active_role(&self, workspace: &str, member: &str) -> Result<Option<Role>, AccessError> {
        let (workspace, member) = (workspace.to_owned(), member.to_owned());
        let db = match &self.db {
            Tables::Sqlite(db) => db,
            Tables::Postgres { pg, .. } => return Ok(pg.active_role(&workspace, &member).await?),
        };
        Ok(db
            .call(move |conn| {
                conn.query_row(
                    "SELECT role FROM members WHERE id = ?1 AND workspace_id = ?2 AND revoked_at IS NULL",
                    [member, workspace],
                    |row| role_from_sql(row.get(0)?),
                )
                .optional()
            })
            .await?)
    }

    /// Revokes a member; the last active owner cannot be revoked.
    pub async fn revoke(&self, workspace: &str, member: &str) -> Result<(), AccessError> {
        let (w, m) = (workspace.to_owned(), member.to_owned());
        let db = match &self.db {
            Tables::Sqlite(db) => db,
            Tables::Postgres { pg, relay } => return pg.revoke(&w, &m, relay).await?,
        };
        db.call(move |conn| {
                let tx = conn.transaction()?;
                let role: Option<String> = tx
                    .query_row(
                        "SELECT role FROM members WHERE id = ?1 AND workspace_id = ?2 AND revoked_at IS NULL",
                        [&m, &w],
                        |row| row.get(0),
                    )
                    .optional()?;
                let Some(role) = role else { return Ok(Err(AccessError::MemberNotFound(m))) };
                if role_from_sql(role)? == Role::Owner {
                    let owners: i64 = tx.query_row(
                        "SELECT count(*) FROM members WHERE workspace_id = ?1 AND role = 'owner' AND revoked_at IS NULL",
                        [&w],
                        |row| row.get(0),
                    )?;
                    if owners <= 1 {
                        return Ok(Err(AccessError::LastOwner));
                    }
                }
                tx.execute("UPDATE members SET revoked_at = ?1 WHERE id = ?2", params![token::now(), m])?;
                tx.commit()?;
                Ok(Ok(()))
            })
            .await?
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_safe_on_a_command_line_and_in_urls() {
        for _ in 0..1000 {
            let id = super::random_id();
            assert!(id.len() >= 21 && id.chars().all(|c| c.is_ascii_alphanumeric()), "{id:?}");
        }
    }
}
