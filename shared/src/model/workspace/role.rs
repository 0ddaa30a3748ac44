//! A member's role: the one definition the workspace document, the relay's tables and tokens,
//! its API, its command line and the app's stored memberships all use.

use std::{fmt, str::FromStr};

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

/// What a member may do. The relay enforces it from its own tables; the copy in the workspace
/// document is what the app shows and what the owners edit.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Reconcile, Hydrate, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    #[autosurgeon(rename = "owner")]
    Owner,
    #[autosurgeon(rename = "editor")]
    Editor,
    #[autosurgeon(rename = "viewer")]
    Viewer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Owner, Role::Editor, Role::Viewer];

    /// The token stored in documents, the relay's database, tokens and localStorage, and sent
    /// over the API. It never changes, or what older versions stored could not be read.
    pub fn as_token(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        }
    }

    /// The role as people read it.
    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Editor => "Editor",
            Role::Viewer => "Viewer",
        }
    }

    /// Whether this role's changes are kept and relayed.
    pub fn can_write(self) -> bool {
        matches!(self, Role::Owner | Role::Editor)
    }
}

/// Logs and command-line output show the token, as it is typed on the command line.
impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_token())
    }
}

/// Why a string is not a [`Role`] token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role {0:?}: expected owner, editor or viewer")]
pub struct ParseRoleError(pub String);

impl FromStr for Role {
    type Err = ParseRoleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL.into_iter().find(|role| role.as_token() == s).ok_or_else(|| ParseRoleError(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_reads_back_from_its_token() {
        for role in Role::ALL {
            assert_eq!(role.as_token().parse::<Role>(), Ok(role));
            assert_eq!(serde_json::to_string(&role).unwrap(), format!("\"{}\"", role.as_token()));
            assert_eq!(serde_json::from_str::<Role>(&format!("\"{role}\"")).unwrap(), role);
        }
    }

    #[test]
    fn a_bad_token_is_a_typed_error_naming_it() {
        for bad in ["", "Owner", "admin", " editor", "viewer "] {
            assert_eq!(bad.parse::<Role>(), Err(ParseRoleError(bad.to_owned())), "{bad:?}");
        }
        assert!(serde_json::from_str::<Role>("\"admin\"").is_err());
    }

    #[test]
    fn labels_are_for_people_and_tokens_for_storage() {
        assert_eq!(Role::Editor.label(), "Editor");
        assert_eq!(Role::Editor.as_token(), "editor");
        assert!(Role::Editor.can_write() && Role::Owner.can_write() && !Role::Viewer.can_write());
    }
}
