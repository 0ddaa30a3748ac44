//! The relay's own tables on PostgreSQL: the same queries as `access.rs` and `access/keys.rs` make
//! on SQLite, in PostgreSQL's dialect, with the same rules (an invite once, the last owner kept, a
//! key for one member and device). A revocation is logged too, so that every relay closes the
//! member's connections, not only the one that was asked.

use quorum_shared::api::{CertifiedKey, Member, PendingInvite};
use quorum_shared::model::Role;
use quorum_shared::relay::Binding;

use super::storage::{BIND, LOG_BINDING};
use super::{LOG_LOCK, Pg, announce};
use crate::db::DbError;
use crate::records::{AccessError, Workspace};
use crate::token;

fn role(value: &str) -> Result<Role, DbError> {
    value.parse::<Role>().map_err(|e| DbError::Corrupt(format!("a stored role: {e}")))
}

/// Seconds as the tables store them.
fn secs(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

impl Pg {
    pub async fn documents(&self) -> Result<Vec<(String, String)>, DbError> {
        let rows = self.client().await?.query("SELECT id, workspace_id FROM documents", &[]).await?;
        Ok(rows.into_iter().map(|row| (row.get(0), row.get(1))).collect())
    }

    pub async fn create_workspace(&self, w: &Workspace, o: &Member) -> Result<(), DbError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let now = secs(token::now());
        tx.execute(
            "INSERT INTO workspaces (id, name, root_document, created_at) VALUES ($1, $2, $3, $4)",
            &[&w.id, &w.name, &w.root_document, &now],
        )
        .await?;
        tx.execute(
            "INSERT INTO members (id, workspace_id, name, role, created_at) VALUES ($1, $2, $3, $4, $5)",
            &[&o.id, &w.id, &o.name, &o.role.as_token(), &now],
        )
        .await?;
        tx.execute(
            "INSERT INTO documents (id, workspace_id) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
            &[&w.root_document, &w.id],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn workspace(&self, id: &str) -> Result<Option<Workspace>, DbError> {
        let row = self
            .client()
            .await?
            .query_opt("SELECT id, name, root_document FROM workspaces WHERE id = $1", &[&id])
            .await?;
        Ok(row.map(|row| Workspace { id: row.get(0), name: row.get(1), root_document: row.get(2) }))
    }

    pub async fn create_invite(
        &self,
        id: &str,
        workspace: &str,
        role: Role,
        expires_at: u64,
        issued_by: Option<&str>,
    ) -> Result<(), DbError> {
        self.client()
            .await?
            .execute(
                "INSERT INTO invites (id, workspace_id, role, expires_at, issued_by) VALUES ($1, $2, $3, $4, $5)",
                &[&id, &workspace, &role.as_token(), &secs(expires_at), &issued_by],
            )
            .await?;
        Ok(())
    }

    pub async fn pending_invites(&self, workspace: &str) -> Result<Vec<PendingInvite>, DbError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT i.id, i.role, i.expires_at, i.issued_by, m.name FROM invites i \
                 LEFT JOIN members m ON m.id = i.issued_by \
                 WHERE i.workspace_id = $1 AND i.accepted_by IS NULL AND i.revoked_at IS NULL \
                   AND i.expires_at > $2 AND (i.issued_by IS NULL OR m.revoked_at IS NULL) \
                 ORDER BY i.expires_at, i.id",
                &[&workspace, &secs(token::now())],
            )
            .await?;
        rows.into_iter()
            .map(|row| {
                Ok(PendingInvite {
                    id: row.get(0),
                    role: role(row.get(1))?,
                    expires_at: u64::try_from(row.get::<_, i64>(2)).unwrap_or(0),
                    issued_by: row.get(3),
                    issued_by_name: row.get(4),
                })
            })
            .collect()
    }

    /// Whether an invite of `workspace` that had not been accepted was withdrawn.
    pub async fn revoke_invite(&self, workspace: &str, invite: &str) -> Result<bool, DbError> {
        let changed = self
            .client()
            .await?
            .execute(
                "UPDATE invites SET revoked_at = $1 WHERE id = $2 AND workspace_id = $3 \
                 AND accepted_by IS NULL AND revoked_at IS NULL",
                &[&secs(token::now()), &invite, &workspace],
            )
            .await?;
        Ok(changed > 0)
    }

    /// Turns an invite into the member `member_id` named `name`, once; gives the workspace id.
    pub async fn accept_invite(
        &self,
        invite: &str,
        member_id: &str,
        name: &str,
    ) -> Result<Result<(String, Role), AccessError>, DbError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // FOR UPDATE: two relays accepting the same invite at once take turns.
        let row = tx
            .query_opt(
                "SELECT i.workspace_id, i.role, i.accepted_by, \
                   i.revoked_at IS NOT NULL OR (i.issued_by IS NOT NULL AND \
                     NOT EXISTS (SELECT 1 FROM members m WHERE m.id = i.issued_by AND m.revoked_at IS NULL)) \
                 FROM invites i WHERE i.id = $1 FOR UPDATE",
                &[&invite],
            )
            .await?;
        let Some(row) = row else { return Ok(Err(AccessError::InviteNotFound)) };
        let (workspace, role_token, accepted_by, void): (String, String, Option<String>, bool) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        if accepted_by.is_some() {
            return Ok(Err(AccessError::InviteUsed));
        }
        if void {
            return Ok(Err(AccessError::InviteVoid));
        }
        let role = role(&role_token)?;
        tx.execute(
            "INSERT INTO members (id, workspace_id, name, role, created_at) VALUES ($1, $2, $3, $4, $5)",
            &[&member_id, &workspace, &name, &role.as_token(), &secs(token::now())],
        )
        .await?;
        tx.execute("UPDATE invites SET accepted_by = $1 WHERE id = $2", &[&member_id, &invite]).await?;
        tx.commit().await?;
        Ok(Ok((workspace, role)))
    }

    pub async fn members(&self, workspace: &str) -> Result<Vec<Member>, DbError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT id, name, role, revoked_at IS NOT NULL FROM members WHERE workspace_id = $1 ORDER BY seq",
                &[&workspace],
            )
            .await?;
        rows.into_iter()
            .map(|row| {
                Ok(Member { id: row.get(0), name: row.get(1), role: role(row.get(2))?, revoked: row.get(3) })
            })
            .collect()
    }

    pub async fn workspace_since(&self, workspace: &str) -> Result<Option<i64>, DbError> {
        let row = self
            .client()
            .await?
            .query_opt("SELECT created_at FROM workspaces WHERE id = $1", &[&workspace])
            .await?;
        Ok(row.map(|row| row.get(0)))
    }

    pub async fn active_role(&self, workspace: &str, member: &str) -> Result<Option<Role>, DbError> {
        let row = self
            .client()
            .await?
            .query_opt(
                "SELECT role FROM members WHERE id = $1 AND workspace_id = $2 AND revoked_at IS NULL",
                &[&member, &workspace],
            )
            .await?;
        row.map(|row| role(row.get(0))).transpose()
    }

    /// Every member whose membership was revoked, in any workspace.
    pub async fn revoked_members(&self) -> Result<Vec<String>, DbError> {
        let rows =
            self.client().await?.query("SELECT id FROM members WHERE revoked_at IS NOT NULL", &[]).await?;
        Ok(rows.iter().map(|row| row.get(0)).collect())
    }

    /// Revokes a member unless they are the last active owner, and logs it for the other relays.
    pub async fn revoke(
        &self,
        workspace: &str,
        member: &str,
        relay: &str,
    ) -> Result<Result<(), AccessError>, DbError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // The log's lock before any row, as every transaction that appends to the log takes it
        // (see `storage.rs`).
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOG_LOCK]).await?;
        // The workspace's members are locked, so that two owners revoking each other on two
        // relays cannot leave none.
        let rows = tx
            .query(
                "SELECT id, role FROM members WHERE workspace_id = $1 AND revoked_at IS NULL FOR UPDATE",
                &[&workspace],
            )
            .await?;
        let Some(target) = rows.iter().find(|row| row.get::<_, &str>(0) == member) else {
            return Ok(Err(AccessError::MemberNotFound(member.to_owned())));
        };
        if role(target.get(1))? == Role::Owner {
            let owners = rows.iter().filter(|row| row.get::<_, &str>(1) == Role::Owner.as_token()).count();
            if owners <= 1 {
                return Ok(Err(AccessError::LastOwner));
            }
        }
        tx.execute("UPDATE members SET revoked_at = $1 WHERE id = $2", &[&secs(token::now()), &member])
            .await?;
        tx.execute("INSERT INTO change_log (relay, revoked) VALUES ($1, $2)", &[&relay, &member]).await?;
        announce(&tx, relay).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Gives an unclaimed document to `workspace` if it holds fewer than `quota`; the owner after.
    pub async fn claim_document(
        &self,
        doc: &str,
        workspace: &str,
        quota: i64,
    ) -> Result<Option<String>, DbError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // The workspace row is locked so that relays claiming at once count one after another.
        tx.execute("SELECT 1 FROM workspaces WHERE id = $1 FOR UPDATE", &[&workspace]).await?;
        tx.execute(
            "INSERT INTO documents (id, workspace_id) SELECT $1, $2 \
             WHERE (SELECT count(*) FROM documents WHERE workspace_id = $2) < $3 \
             ON CONFLICT (id) DO NOTHING",
            &[&doc, &workspace, &quota],
        )
        .await?;
        let owner = tx.query_opt("SELECT workspace_id FROM documents WHERE id = $1", &[&doc]).await?;
        tx.commit().await?;
        Ok(owner.map(|row| row.get(0)))
    }

    pub async fn lookup_document(&self, doc: &str) -> Result<Option<String>, DbError> {
        let row = self
            .client()
            .await?
            .query_opt("SELECT workspace_id FROM documents WHERE id = $1", &[&doc])
            .await?;
        Ok(row.map(|row| row.get(0)))
    }

    /// Records a device's key with its binding (see `Access::register_key`); the binding is
    /// logged so that every relay enforces it.
    pub async fn register_key(
        &self,
        workspace: &str,
        member: &str,
        key: CertifiedKey,
        binding: &Binding,
        relay: &str,
    ) -> Result<Result<CertifiedKey, AccessError>, DbError> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        // The log's lock before any row, as every transaction that appends to the log takes it.
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOG_LOCK]).await?;
        let b = binding;
        tx.execute(BIND, &[&b.scope, &b.id, &b.kind.as_str(), &b.member]).await?;
        let holder: String = tx
            .query_one(
                "SELECT member_id FROM actor_bindings WHERE workspace_id = $1 AND id = $2",
                &[&b.scope, &b.id],
            )
            .await?
            .get(0);
        if holder != member {
            return Ok(Err(AccessError::DeviceTaken));
        }
        let existing = tx
            .query_opt(
                "SELECT key_id, member_id, device, public_key, registered_at FROM device_keys \
                 WHERE key_id = $1 AND workspace_id = $2",
                &[&key.key_id, &workspace],
            )
            .await?
            .map(|row| read_key(&row));
        if let Some(existing) = existing {
            let same = existing.member_id == member
                && existing.device == key.device
                && existing.public_key == key.public_key;
            if !same {
                return Ok(Err(AccessError::KeyTaken));
            }
            tx.commit().await?;
            return Ok(Ok(existing));
        }
        tx.execute(
            "INSERT INTO device_keys (key_id, workspace_id, member_id, device, public_key, registered_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
            &[&key.key_id, &workspace, &member, &key.device, &key.public_key, &secs(key.registered_at)],
        )
        .await?;
        tx.execute(LOG_BINDING, &[&relay, &b.scope, &b.id, &b.kind.as_str(), &b.member]).await?;
        announce(&tx, relay).await?;
        tx.commit().await?;
        Ok(Ok(key))
    }

    pub async fn keys(&self, workspace: &str) -> Result<Vec<CertifiedKey>, DbError> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT key_id, member_id, device, public_key, registered_at FROM device_keys \
                 WHERE workspace_id = $1 ORDER BY seq",
                &[&workspace],
            )
            .await?;
        Ok(rows.iter().map(read_key).collect())
    }
}

fn read_key(row: &tokio_postgres::Row) -> CertifiedKey {
    CertifiedKey {
        key_id: row.get(0),
        member_id: row.get(1),
        device: row.get(2),
        public_key: row.get(3),
        registered_at: u64::try_from(row.get::<_, i64>(4)).unwrap_or(0),
    }
}
