//! What the server's own tables hold and what their rules refuse, whichever database keeps them:
//! the SQLite queries (`access.rs`) and PostgreSQL's (`postgres/tables.rs`) both answer in these.

use serde::Serialize;

use crate::db::DbError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Workspace {
    pub id: String,
    pub name: String,
    pub root_document: DocumentIdText,
}

/// A document id as stored and shown: bs58check, as in `automerge:<id>`.
pub type DocumentIdText = String;

#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("there is no workspace {0}")]
    WorkspaceNotFound(String),
    #[error("there is no member {0} in this workspace")]
    MemberNotFound(String),
    #[error("this invite has already been used")]
    InviteUsed,
    #[error("this invite is not known to the server")]
    InviteNotFound,
    #[error("this invite was withdrawn, or whoever made it is no longer a member; ask for a new one")]
    InviteVoid,
    #[error("a workspace must keep at least one owner")]
    LastOwner,
    #[error("this key is already registered for another member or device")]
    KeyTaken,
    #[error("this device is another member's")]
    DeviceTaken,
    #[error(transparent)]
    Db(#[from] DbError),
}
