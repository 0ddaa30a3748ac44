//! Invites: made by an owner (or the command line) for a role, listed while they can be
//! accepted, withdrawn, and turned into a member once. An invite is void once whoever made it is
//! revoked.

use quorum_shared::api::PendingInvite;
use rusqlite::{OptionalExtension, params};

use super::role::role_from_sql;
use super::{Access, Member, Role, Tables, random_id};
use crate::records::{AccessError, Workspace};
use crate::token;

impl Access {
    /// Records an invite to `workspace` for `role`, made by the owner `issued_by` (`None` for the
    /// command line's): it is void once they are revoked.
    pub async fn create_invite(
        &self,
        workspace: &str,
        role: Role,
        expires_at: u64,
        issued_by: Option<&str>,
    ) -> Result<String, AccessError> {
        let id = random_id();
        let (i, w, by) = (id.clone(), workspace.to_owned(), issued_by.map(str::to_owned));
        let db = match &self.db {
            Tables::Sqlite(db) => db,
            Tables::Postgres { pg, .. } => {
                pg.create_invite(&i, &w, role, expires_at, by.as_deref()).await?;
                return Ok(id);
            }
        };
        db.call(move |conn| {
                conn.execute(
                    "INSERT INTO invites (id, workspace_id, role, expires_at, issued_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![i, w, role.as_token(), expires_at, by],
                )
            })
            .await?;
        Ok(id)
    }

    /// The invites of `workspace` that can still be accepted, soonest to expire first.
    pub async fn pending_invites(&self, workspace: &str) -> Result<Vec<PendingInvite>, AccessError> {
        let (workspace, now) = (workspace.to_owned(), token::now());
        let db = match &self.db {
            Tables::Sqlite(db) => db,
            Tables::Postgres { pg, .. } => return Ok(pg.pending_invites(&workspace).await?),
        };
        Ok(db
            .call(move |conn| {
                conn.prepare(
                    "SELECT i.id, i.role, i.expires_at, i.issued_by, m.name FROM invites i \
                     LEFT JOIN members m ON m.id = i.issued_by \
                     WHERE i.workspace_id = ?1 AND i.accepted_by IS NULL AND i.revoked_at IS NULL \
                       AND i.expires_at > ?2 AND (i.issued_by IS NULL OR m.revoked_at IS NULL) \
                     ORDER BY i.expires_at, i.id",
                )?
                .query_map(params![workspace, now], |row| {
                    Ok(PendingInvite {
                        id: row.get(0)?,
                        role: role_from_sql(row.get(1)?)?,
                        expires_at: row.get(2)?,
                        issued_by: row.get(3)?,
                        issued_by_name: row.get(4)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()
            })
            .await?)
    }

    /// Withdraws an invite of `workspace` that has not been accepted.
    pub async fn revoke_invite(&self, workspace: &str, invite: &str) -> Result<(), AccessError> {
        let (w, i) = (workspace.to_owned(), invite.to_owned());
        let changed = match &self.db {
            Tables::Sqlite(db) => {
                db.call(move |conn| {
                    conn.execute(
                        "UPDATE invites SET revoked_at = ?1 WHERE id = ?2 AND workspace_id = ?3 AND accepted_by IS NULL AND revoked_at IS NULL",
                        params![token::now(), i, w],
                    )
                })
                .await?
                    > 0
            }
            Tables::Postgres { pg, .. } => pg.revoke_invite(&w, &i).await?,
        };
        if !changed {
            return Err(AccessError::InviteNotFound);
        }
        Ok(())
    }

    /// Turns an invite into a member, once.
    pub async fn accept_invite(
        &self,
        invite: &str,
        name: String,
    ) -> Result<(Workspace, Member), AccessError> {
        let invite = invite.to_owned();
        let member_id = random_id();
        let db = match &self.db {
            Tables::Sqlite(db) => db,
            Tables::Postgres { pg, .. } => {
                let (workspace, role) = pg.accept_invite(&invite, &member_id, &name).await??;
                let member = Member { id: member_id, name, role, revoked: false };
                return Ok((self.workspace(&workspace).await?, member));
            }
        };
        let outcome = db
            .call(move |conn| {
                let tx = conn.transaction()?;
                type Row = (String, String, Option<String>, bool);
                let row: Option<Row> = tx
                    .query_row(
                        "SELECT i.workspace_id, i.role, i.accepted_by, \
                           i.revoked_at IS NOT NULL OR (i.issued_by IS NOT NULL AND \
                             NOT EXISTS (SELECT 1 FROM members m WHERE m.id = i.issued_by AND m.revoked_at IS NULL)) \
                         FROM invites i WHERE i.id = ?1",
                        [&invite],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                    )
                    .optional()?;
                let Some((workspace, role, accepted_by, void)) = row else {
                    return Ok(Err(AccessError::InviteNotFound));
                };
                if accepted_by.is_some() {
                    return Ok(Err(AccessError::InviteUsed));
                }
                if void {
                    return Ok(Err(AccessError::InviteVoid));
                }
                let role = role_from_sql(role)?;
                tx.execute(
                    "INSERT INTO members (id, workspace_id, name, role, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![member_id, workspace, name, role.as_token(), token::now()],
                )?;
                tx.execute("UPDATE invites SET accepted_by = ?1 WHERE id = ?2", params![member_id, invite])?;
                tx.commit()?;
                Ok(Ok((workspace, Member { id: member_id, name, role, revoked: false })))
            })
            .await??;
        let (workspace, member) = outcome;
        Ok((self.workspace(&workspace).await?, member))
    }
}
