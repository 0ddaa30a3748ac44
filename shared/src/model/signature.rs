//! Approvals a third party can verify: each device holds an Ed25519 key pair (the browser's
//! WebCrypto, the private key never leaving it), the relay certifies which member each public
//! key belongs to, and every approval carries the signature of what it approves: the document,
//! the part of it (a policy version, a risk's treatment), its heads, the approving member, their
//! role and the time. Anyone holding the document and the keys can check an approval offline.
//!
//! ```
//! use ed25519_dalek::{Signer, SigningKey};
//! use quorum_shared::model::{self, Role};
//! use quorum_shared::model::signature::{ApprovalClaim, ApprovalSignature, DeviceKey, verify};
//!
//! let mut doc = model::new_document();
//! model::create_policy(&mut doc, 0, "AI policy", "We review every model.").unwrap();
//! let device = SigningKey::from_bytes(&[7; 32]);
//! let member = model::MemberId::from_bytes([1; 16]);
//! let key = DeviceKey::new(member, device.verifying_key().as_bytes());
//! let claim = ApprovalClaim {
//!     document: "4NMNnkrrmEdZqKEPPG7KWoG4Rq8M".into(),
//!     subject: "policy version 1".into(),
//!     heads: model::heads_hex(&mut doc),
//!     member,
//!     role: Role::Owner,
//!     at_ms: 1_000,
//! };
//! let signature = ApprovalSignature::new(&key.key_id, &claim, &device.sign(&claim.payload()).to_bytes());
//! assert_eq!(verify(doc.document(), &claim, &signature, &[key]), Ok(()));
//! ```

use automerge::{Automerge, ChangeHash};
use autosurgeon::{Hydrate, Reconcile};
use ed25519_dalek::{Signature, VerifyingKey};

use crate::model::{MemberId, Role};

/// What an approval says, and what its signature covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApprovalClaim {
    /// The document's id (bs58check, as in its `automerge:` URL).
    pub document: String,
    /// What in the document is approved, in words that name it: "policy version 3", "treatment
    /// of risk 0f3a…", "impact assessment", "review minutes".
    pub subject: String,
    /// The document's heads approved, as hex change hashes.
    pub heads: Vec<String>,
    pub member: MemberId,
    /// The approver's role when they approved.
    pub role: Role,
    pub at_ms: i64,
}

impl ApprovalClaim {
    /// The bytes signed: one field per line after a version tag, heads sorted, so that the same
    /// claim always reads the same and no field can run into the next.
    pub fn payload(&self) -> Vec<u8> {
        let mut heads = self.heads.clone();
        crate::order::sort(&mut heads);
        let lines = [
            "quorum-approval-v1",
            &self.document,
            &self.subject.replace('\n', " "),
            &heads.join(","),
            &self.member.to_string(),
            self.role.as_token(),
            &self.at_ms.to_string(),
        ];
        lines.join("\n").into_bytes()
    }
}

/// The signature an approval stores beside what it approves.
#[derive(Clone, Debug, PartialEq, Eq, Reconcile, Hydrate)]
pub struct ApprovalSignature {
    /// The signing device's key ([`DeviceKey::key_id`]).
    pub key_id: String,
    /// The approver's role when they signed, which the claim covers.
    pub role: Role,
    /// The Ed25519 signature of [`ApprovalClaim::payload`], hex.
    pub signature: String,
}

impl ApprovalSignature {
    /// The stored form of the 64 bytes of a signature of `claim` by the key `key_id`.
    pub fn new(key_id: &str, claim: &ApprovalClaim, signature: &[u8]) -> Self {
        Self { key_id: key_id.to_owned(), role: claim.role, signature: hex(signature) }
    }
}

/// A device's public key as the relay certifies it: whose it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceKey {
    pub key_id: String,
    pub member: MemberId,
    /// The raw 32-byte Ed25519 public key, hex.
    pub public_key: String,
}

impl DeviceKey {
    /// The key of `member`'s device with the raw public key `public_key`.
    pub fn new(member: MemberId, public_key: &[u8]) -> Self {
        let public_key = hex(public_key);
        Self { key_id: key_id(&public_key), member, public_key }
    }
}

/// A key's id: the first 16 hex digits of its public key, short enough to show beside a name.
pub fn key_id(public_key_hex: &str) -> String {
    public_key_hex.chars().take(16).collect()
}

/// Why an approval does not verify.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    #[error("the approval carries no signature")]
    Unsigned,
    #[error("no certified key {0} is known")]
    UnknownKey(String),
    #[error("the key {key} belongs to another member than the approver, or the roles differ")]
    NotTheApprover { key: String },
    #[error("the signature does not match what the approval says")]
    BadSignature,
    #[error("the document's history has no change {0}, which the approval names")]
    HeadsMissing(String),
    #[error("the approval's {0} is not well formed")]
    Malformed(&'static str),
}

/// Checks an approval: the key is certified and is the approver's, the signature covers the
/// claim, and the document's history holds every change the claim names. Pure: the document,
/// the claim as the approval states it, its signature and the certified keys in, a verdict out.
pub fn verify(
    doc: &Automerge,
    claim: &ApprovalClaim,
    signature: &ApprovalSignature,
    keys: &[DeviceKey],
) -> Result<(), VerifyError> {
    if signature.signature.is_empty() {
        return Err(VerifyError::Unsigned);
    }
    let key = keys
        .iter()
        .find(|key| key.key_id == signature.key_id)
        .ok_or_else(|| VerifyError::UnknownKey(signature.key_id.clone()))?;
    if key.member != claim.member || signature.role != claim.role {
        return Err(VerifyError::NotTheApprover { key: key.key_id.clone() });
    }
    let public: [u8; 32] = unhex(&key.public_key)
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(VerifyError::Malformed("public key"))?;
    let public = VerifyingKey::from_bytes(&public).map_err(|_| VerifyError::Malformed("public key"))?;
    let bytes: [u8; 64] = unhex(&signature.signature)
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(VerifyError::Malformed("signature"))?;
    public
        .verify_strict(&claim.payload(), &Signature::from_bytes(&bytes))
        .map_err(|_| VerifyError::BadSignature)?;
    for head in &claim.heads {
        let hash: ChangeHash = head.parse().map_err(|_| VerifyError::Malformed("heads"))?;
        if doc.get_change_meta_by_hash(&hash).is_none() {
            return Err(VerifyError::HeadsMissing(head.clone()));
        }
    }
    Ok(())
}

/// Checks a public key as a device registers it (64 hex digits of a valid Ed25519 point) and
/// gives its id.
pub fn check_public_key(public_key_hex: &str) -> Result<String, VerifyError> {
    let bytes: [u8; 32] = unhex(public_key_hex)
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(VerifyError::Malformed("public key"))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| VerifyError::Malformed("public key"))?;
    Ok(key_id(&public_key_hex.to_ascii_lowercase()))
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of a hex string, or `None` if it is not one.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len() / 2).map(|i| u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests;
