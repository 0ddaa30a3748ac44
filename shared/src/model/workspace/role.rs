//! A member's role: the one definition the workspace document, the relay's tables and tokens,
//! its API, its command line and the app's stored memberships all use.

use std::{fmt, str::FromStr};

use autosurgeon::{Hydrate, HydrateError, Reconcile, Reconciler, reconcile::NoKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// What a member may do. The relay enforces it from its own tables; the copy in the workspace
/// document is what the app shows and what the owners edit. Documents, JSON and the relay's
/// tables all hold it as [`Role::as_token`], the only place the tokens are spelled.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Role {
    Owner,
    Editor,
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

impl Reconcile for Role {
    type Key<'a> = NoKey;

    fn reconcile<R: Reconciler>(&self, mut reconciler: R) -> Result<(), R::Error> {
        reconciler.str(self.as_token())
    }
}

impl Hydrate for Role {
    fn hydrate_string(s: &str) -> Result<Self, HydrateError> {
        s.parse().map_err(|_| HydrateError::unexpected("a role", s.to_owned()))
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_token())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let token = String::deserialize(deserializer)?;
        token.parse().map_err(de::Error::custom)
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
    fn a_role_is_stored_in_a_document_as_its_token() {
        use automerge::{AutoCommit, ROOT, ReadDoc};
        let mut doc = AutoCommit::new();
        autosurgeon::reconcile_prop(&mut doc, ROOT, "role", Role::Viewer).unwrap();
        let stored = doc.get(ROOT, "role").unwrap().unwrap().0.into_string().unwrap();
        assert_eq!(stored, "viewer");
        assert_eq!(autosurgeon::hydrate_prop::<_, Role, _, _>(&doc, ROOT, "role").unwrap(), Role::Viewer);
    }

    #[test]
    fn labels_are_for_people_and_tokens_for_storage() {
        assert_eq!(Role::Editor.label(), "Editor");
        assert_eq!(Role::Editor.as_token(), "editor");
        assert!(Role::Editor.can_write() && Role::Owner.can_write() && !Role::Viewer.can_write());
    }
}
