//! The device keys the relay certifies: a member registers each device's public signing key
//! with their own token, and the relay records whose it is. Approvals signed with a key verify
//! against this record (`quorum_shared::model::signature`), so it lives in the relay's own tables,
//! never in a document any member can edit.

use quorum_shared::api::CertifiedKey;
use quorum_shared::relay::Binding;
use rusqlite::{OptionalExtension, params};

use super::{Access, Tables};
use crate::records::AccessError;
use crate::token;

impl Access {
    /// Records `public_key` as the key of `member`'s `device` (both already checked), with the
    /// device's binding to the member (see `RelayHandle::device_binding`).
    /// Registering the same key again for the same member and device answers the record as it
    /// stands; the same key for anyone or anything else in the workspace is refused (in another
    /// workspace, the same browser certifies it again).
    pub async fn register_key(
        &self,
        workspace: &str,
        member: &str,
        key_id: String,
        device: String,
        public_key: String,
        binding: Binding,
    ) -> Result<CertifiedKey, AccessError> {
        let (workspace, member) = (workspace.to_owned(), member.to_owned());
        let db = match &self.db {
            Tables::Sqlite(db) => db,
            Tables::Postgres { pg, relay } => {
                let key = CertifiedKey {
                    key_id,
                    member_id: member.clone(),
                    device,
                    public_key,
                    registered_at: token::now(),
                };
                return pg.register_key(&workspace, &member, key, &binding, relay).await?;
            }
        };
        db.call(move |conn| {
                let tx = conn.transaction()?;
                // Another registration of the device may have been stored since the relay said yes.
                let b = &binding;
                tx.execute(crate::storage::BIND, params![b.scope, b.id, b.kind.as_str(), b.member])?;
                let holder: String = tx.query_row(
                    "SELECT member_id FROM actor_bindings WHERE workspace_id = ?1 AND id = ?2",
                    params![b.scope, b.id],
                    |row| row.get(0),
                )?;
                if holder != member {
                    return Ok(Err(AccessError::DeviceTaken));
                }
                let existing: Option<CertifiedKey> = tx
                    .query_row(
                        "SELECT key_id, member_id, device, public_key, registered_at FROM device_keys \
                         WHERE key_id = ?1 AND workspace_id = ?2",
                        [&key_id, &workspace],
                        read_key,
                    )
                    .optional()?;
                if let Some(existing) = existing {
                    let same = existing.member_id == member && existing.device == device && existing.public_key == public_key;
                    if !same {
                        return Ok(Err(AccessError::KeyTaken));
                    }
                    tx.commit()?;
                    return Ok(Ok(existing));
                }
                let registered_at = token::now();
                tx.execute(
                    "INSERT INTO device_keys (key_id, workspace_id, member_id, device, public_key, registered_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![key_id, workspace, member, device, public_key, registered_at],
                )?;
                tx.commit()?;
                Ok(Ok(CertifiedKey { key_id, member_id: member, device, public_key, registered_at }))
            })
            .await?
    }

    /// Every key certified for the workspace, oldest first.
    pub async fn keys(&self, workspace: &str) -> Result<Vec<CertifiedKey>, AccessError> {
        let workspace = workspace.to_owned();
        let db = match &self.db {
            Tables::Sqlite(db) => db,
            Tables::Postgres { pg, .. } => return Ok(pg.keys(&workspace).await?),
        };
        Ok(db
            .call(move |conn| {
                conn.prepare(
                    "SELECT key_id, member_id, device, public_key, registered_at FROM device_keys \
                     WHERE workspace_id = ?1 ORDER BY rowid",
                )?
                .query_map([workspace], read_key)?
                .collect()
            })
            .await?)
    }
}

fn read_key(row: &rusqlite::Row<'_>) -> rusqlite::Result<CertifiedKey> {
    Ok(CertifiedKey {
        key_id: row.get(0)?,
        member_id: row.get(1)?,
        device: row.get(2)?,
        public_key: row.get(3)?,
        registered_at: row.get(4)?,
    })
}
