//! Signed tokens: an access token lets a member sync and call the API, an invite lets a new
//! member join. A token is `q1.<claims>.<signature>`, both parts base64url, the signature an
//! HMAC-SHA256 over the claims with a key generated once into the data directory.
//!
//! ```
//! use quorum_server::{Role, token::{Claims, TokenKeys, TokenKind}};
//! let data_dir = tempfile::tempdir()?;
//! let keys = TokenKeys::load_or_create(data_dir.path())?;
//! let claims = Claims {
//!     kind: TokenKind::Access,
//!     workspace: "w".into(),
//!     role: Role::Editor,
//!     subject: "m".into(),
//!     expires_at: 2_000_000_000,
//! };
//! let token = keys.sign(&claims);
//! assert_eq!(keys.verify(&token, 1_900_000_000), Ok(claims));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::{io::Write, path::Path};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use quorum_shared::model::Role;

const PREFIX: &str = "q1";
const KEY_FILE: &str = "token-key";
const KEY_LEN: usize = 32;

/// What a token lets its holder do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    /// Sync and use the API as a member.
    Access,
    /// Exchange once for an access token as a new member.
    Invite,
    /// Create workspaces through the API where signup is closed; the operator makes it with
    /// `quorum token signup` and hands it to whoever may.
    Signup,
}

/// What a token says; the server checks its own tables for what may have changed since.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub kind: TokenKind,
    pub workspace: String,
    pub role: Role,
    /// The member an access token belongs to, or the invite's own id.
    pub subject: String,
    /// Seconds since the Unix epoch after which the token is refused.
    pub expires_at: u64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    #[error("the token is not in Quorum's format")]
    Malformed,
    #[error("the token's signature does not match; it was not issued by this server")]
    BadSignature,
    #[error("the token has expired")]
    Expired,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read or write the token key {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("the token key {path} is damaged: expected {KEY_LEN} bytes")]
    Damaged { path: String },
    #[error("cannot get random bytes from the operating system: {0}")]
    Random(getrandom::Error),
}

/// The server's signing key.
#[derive(Clone)]
pub struct TokenKeys {
    key: [u8; KEY_LEN],
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKeys(..)")
    }
}

impl TokenKeys {
    /// A fresh random key.
    pub fn random_key() -> Result<[u8; KEY_LEN], KeyError> {
        let mut key = [0u8; KEY_LEN];
        getrandom::fill(&mut key).map_err(KeyError::Random)?;
        Ok(key)
    }

    /// The key a shared database holds (see `Pg::token_key`).
    pub fn from_stored(bytes: Vec<u8>) -> Result<Self, KeyError> {
        let key = bytes
            .try_into()
            .map_err(|_| KeyError::Damaged { path: "the database's relay_secrets".into() })?;
        Ok(Self { key })
    }

    /// Reads the key from `data_dir`, generating it on first start.
    pub fn load_or_create(data_dir: &Path) -> Result<Self, KeyError> {
        let path = data_dir.join(KEY_FILE);
        let io = |source| KeyError::Io { path: path.display().to_string(), source };
        match std::fs::read(&path) {
            Ok(bytes) => {
                let key =
                    bytes.try_into().map_err(|_| KeyError::Damaged { path: path.display().to_string() })?;
                return Ok(Self { key });
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(io(error)),
        }
        let mut key = [0u8; KEY_LEN];
        getrandom::fill(&mut key).map_err(KeyError::Random)?;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(mut file) => {
                file.write_all(&key).and_then(|()| file.sync_all()).map_err(io)?;
                Ok(Self { key })
            }
            // Another process created it first: use theirs.
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Self::load_or_create(data_dir),
            Err(error) => Err(io(error)),
        }
    }

    fn mac(&self) -> Hmac<Sha256> {
        Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC accepts keys of any length")
    }

    pub fn sign(&self, claims: &Claims) -> String {
        let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("claims serialize"));
        let mut mac = self.mac();
        mac.update(PREFIX.as_bytes());
        mac.update(b".");
        mac.update(body.as_bytes());
        let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{PREFIX}.{body}.{signature}")
    }

    /// Checks the signature and the expiry against `now` (seconds since the Unix epoch).
    pub fn verify(&self, token: &str, now: u64) -> Result<Claims, TokenError> {
        let mut parts = token.split('.');
        let (Some(PREFIX), Some(body), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| TokenError::Malformed)?;
        let mut mac = self.mac();
        mac.update(PREFIX.as_bytes());
        mac.update(b".");
        mac.update(body.as_bytes());
        mac.verify_slice(&signature).map_err(|_| TokenError::BadSignature)?;
        let json = URL_SAFE_NO_PAD.decode(body).map_err(|_| TokenError::Malformed)?;
        let claims: Claims = serde_json::from_slice(&json).map_err(|_| TokenError::Malformed)?;
        if claims.expires_at <= now {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    fn cases() -> u32 {
        std::env::var("QUORUM_PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2_000)
    }

    fn keys() -> TokenKeys {
        TokenKeys { key: [9; KEY_LEN] }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases()))]

        #[test]
        fn anything_but_a_token_this_server_signed_is_refused(text in ".{0,300}") {
            prop_assert!(keys().verify(&text, 0).is_err());
        }

        #[test]
        fn a_token_changed_anywhere_is_refused(at in any::<usize>(), byte in 33u8..127) {
            let keys = keys();
            let claims = Claims {
                kind: TokenKind::Access,
                workspace: "w".into(),
                role: Role::Editor,
                subject: "m".into(),
                expires_at: 2_000_000_000,
            };
            let token = keys.sign(&claims);
            let mut bytes = token.clone().into_bytes();
            let at = at % bytes.len();
            // Another printable character than the one there.
            bytes[at] = if bytes[at] == byte { 33 + (byte - 32) % 94 } else { byte };
            let changed = String::from_utf8(bytes).unwrap();
            // base64 without padding has bits a decoder ignores in its last character, so a
            // change there can decode to the same bytes: then it is the same token.
            if let Ok(read) = keys.verify(&changed, 0) {
                prop_assert_eq!(read, claims);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(expires_at: u64) -> Claims {
        Claims {
            kind: TokenKind::Access,
            workspace: "w".into(),
            role: Role::Editor,
            subject: "m".into(),
            expires_at,
        }
    }

    #[test]
    fn a_signed_token_verifies_until_it_expires() {
        let dir = tempfile::tempdir().unwrap();
        let keys = TokenKeys::load_or_create(dir.path()).unwrap();
        let token = keys.sign(&claims(100));
        assert_eq!(keys.verify(&token, 99), Ok(claims(100)));
        assert_eq!(keys.verify(&token, 100), Err(TokenError::Expired));
    }

    #[test]
    fn the_key_is_kept_across_restarts_and_differs_between_data_dirs() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let token = TokenKeys::load_or_create(a.path()).unwrap().sign(&claims(100));
        assert!(TokenKeys::load_or_create(a.path()).unwrap().verify(&token, 0).is_ok());
        let other = TokenKeys::load_or_create(b.path()).unwrap();
        assert_eq!(other.verify(&token, 0), Err(TokenError::BadSignature));
    }

    #[test]
    fn tampered_and_malformed_tokens_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let keys = TokenKeys::load_or_create(dir.path()).unwrap();
        let token = keys.sign(&claims(100));
        let (head, signature) = token.rsplit_once('.').unwrap();
        let forged_body =
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&Claims { role: Role::Owner, ..claims(100) }).unwrap());
        let cases = [
            (String::new(), TokenError::Malformed),
            ("q1.only-two".to_string(), TokenError::Malformed),
            (format!("{token}.extra"), TokenError::Malformed),
            (format!("q2{}", &token[2..]), TokenError::Malformed),
            (format!("{head}.!!!"), TokenError::Malformed),
            (format!("q1.{forged_body}.{signature}"), TokenError::BadSignature),
            (format!("{head}.{}", URL_SAFE_NO_PAD.encode([0u8; 32])), TokenError::BadSignature),
        ];
        for (token, expected) in cases {
            assert_eq!(keys.verify(&token, 0), Err(expected), "token {token:?}");
        }
    }
}
