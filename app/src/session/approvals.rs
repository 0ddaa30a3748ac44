//! Approvals signed and checked: this device signs what its member approves with its own key
//! (`crate::keys`), which the relay certifies as the member's; every approval shown is checked
//! against the keys the relay certified (`quorum_shared::model::signature::verify`). The certified keys
//! are kept in localStorage per workspace, so approvals are checked offline too.
//!
//! ```ignore
//! let claim = model::claim(&doc_id, subject, member, role, at_ms, heads.clone());
//! let signature = session.sign(&claim).await?;          // then record the approval with it
//! let verdict = session.verify(&doc_id, approval.claim(&doc_id, subject, member), approval.signature.as_ref());
//! ```

use automerge::AutoCommit;
use leptos::prelude::*;
use leptos::task::spawn_local;
use quorum_shared::model::signature::{self, ApprovalClaim, ApprovalSignature, DeviceKey};
use quorum_shared::model::{self, MemberId, ModelError, Signed, Workspace};

use super::{CertifiedKey, Session, list_keys, now_ms, register_key};
use crate::keys;

/// What checking one approval found, for the page to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Signed by the approver's certified device key, over the approved version.
    Verified { key_id: String },
    /// Recorded without a signature (before approvals were signed, or by a browser that cannot
    /// sign).
    Unsigned,
    /// Signed with a key this browser has not yet heard the relay certify: checked once online.
    KeyUnknown { key_id: String },
    /// The signature does not hold: the reason, for a person.
    Invalid(String),
}

impl Verdict {
    /// The verdict in a few words beside the approval.
    pub fn words(&self) -> String {
        match self {
            Verdict::Verified { key_id } => format!("signature verified (device key {key_id})"),
            Verdict::Unsigned => "not signed".to_owned(),
            Verdict::KeyUnknown { key_id } => {
                format!(
                    "signed by device key {key_id}, not yet certified to this browser: checked once online"
                )
            }
            Verdict::Invalid(why) => format!("signature does not hold: {why}"),
        }
    }

    /// A token for styling and tests.
    pub fn token(&self) -> &'static str {
        match self {
            Verdict::Verified { .. } => "verified",
            Verdict::Unsigned => "unsigned",
            Verdict::KeyUnknown { .. } => "unknown-key",
            Verdict::Invalid(_) => "invalid",
        }
    }
}

impl Session {
    /// Signs an approval by `member` of `subject` in `doc_id`, covering `heads`, then records it
    /// with `record`, which is handed the time the signature covers and the signature. A browser
    /// that cannot sign records the approval unsigned, which every page then shows as such.
    pub async fn approve(
        &self,
        doc_id: &str,
        subject: String,
        member: MemberId,
        heads: Vec<String>,
        record: impl FnOnce(&mut AutoCommit, i64, Option<Signed>) -> Result<(), ModelError>,
    ) -> Result<(), ModelError> {
        let at = now_ms();
        let claim = model::claim(doc_id, subject, member, self.membership().role, at, heads.clone());
        let signed = match self.sign(&claim).await {
            Ok(signature) => Some(Signed { heads, signature }),
            Err(why) => {
                leptos::logging::warn!("{why}");
                None
            }
        };
        self.edit(doc_id, |doc| record(doc, at, signed))
    }

    /// The document's heads as they are now, as an approval of it signs them; untracked.
    pub fn heads_now(&self, doc_id: &str) -> Option<Vec<String>> {
        untrack(|| self.read_log(doc_id, |doc| doc.get_heads().iter().map(ToString::to_string).collect()))
    }

    /// Signs `claim` with this device's key, certifying the key with the relay first when this
    /// session has not yet (an offline approval is signed all the same; the key is certified at
    /// the next session online).
    pub async fn sign(&self, claim: &ApprovalClaim) -> Result<ApprovalSignature, String> {
        let signer = keys::device_signer().await?;
        if !self.certified_keys().iter().any(|key| key.key_id == signer.key_id) {
            self.refresh_keys().await;
        }
        let signature = signer.sign(&claim.payload()).await?;
        Ok(ApprovalSignature::new(&signer.key_id, claim, &signature))
    }

    /// Checks an approval of `doc_id` as the document is now; tracked, so the verdict follows
    /// the document and the keys.
    pub fn verify(
        &self,
        doc_id: &str,
        claim: Option<ApprovalClaim>,
        signature: Option<&ApprovalSignature>,
    ) -> Verdict {
        let (Some(claim), Some(signature)) = (claim, signature) else { return Verdict::Unsigned };
        let root = self.membership().root_id().to_owned();
        let certified = self.keys.get();
        // The relay certifies a key for a device; the workspace says whose the device is.
        let keys: Vec<DeviceKey> = self
            .read(&root, |doc| {
                let workspace = Workspace::load(doc).ok()?;
                Some(
                    certified
                        .iter()
                        // Only the key the approval names can verify it.
                        .filter(|key| key.key_id == signature.key_id)
                        .filter_map(|key| {
                            let member = workspace.member_for_actor_hex(&key.device)?;
                            Some(DeviceKey {
                                key_id: key.key_id.clone(),
                                member,
                                public_key: key.public_key.clone(),
                            })
                        })
                        .collect(),
                )
            })
            .flatten()
            .unwrap_or_default();
        let verdict = self.read_log(doc_id, |doc| signature::verify(doc, &claim, signature, &keys));
        match verdict {
            Some(Ok(())) => Verdict::Verified { key_id: signature.key_id.clone() },
            Some(Err(signature::VerifyError::UnknownKey(key_id))) => {
                // Certified since this browser last heard the list, perhaps: hear it again, once.
                if self.inner.get_value().keys_asked.borrow_mut().insert(key_id.clone()) {
                    self.start_keys();
                }
                Verdict::KeyUnknown { key_id }
            }
            Some(Err(why)) => Verdict::Invalid(why.to_string()),
            None => Verdict::KeyUnknown { key_id: signature.key_id.clone() },
        }
    }

    /// The keys the relay certified for this workspace, as last heard; tracked.
    pub fn certified_keys(&self) -> Vec<CertifiedKey> {
        self.keys.get()
    }

    /// Certifies this device's key with the relay if it is not yet, then hears every certified
    /// key again, keeping them for offline checks. Quiet when the relay cannot be reached.
    pub async fn refresh_keys(&self) {
        let membership = self.membership();
        let device = self.inner.get_value().device.to_hex_string();
        if let Ok(signer) = keys::device_signer().await
            && !self.keys.get_untracked().iter().any(|key| key.key_id == signer.key_id)
            && let Err(error) = register_key(&membership, &device, &signer.public_key).await
        {
            leptos::logging::warn!("this device's key is not certified yet: {error}");
        }
        if let Ok(keys) = list_keys(&membership).await {
            keep(&membership.workspace_id, &keys);
            self.keys.set(keys);
        }
    }

    /// Starts [`Session::refresh_keys`] in the background.
    pub(super) fn start_keys(&self) {
        let session = *self;
        spawn_local(async move { session.refresh_keys().await });
    }
}

/// The keys kept for `workspace`, as the last session online heard them.
pub(super) fn kept(workspace: &str) -> Vec<CertifiedKey> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|storage| storage.get_item(&storage_key(workspace)).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

fn keep(workspace: &str, keys: &[CertifiedKey]) {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    if let (Some(storage), Ok(json)) = (storage, serde_json::to_string(keys)) {
        // A full localStorage only costs the offline check; the keys are heard again online.
        let _ = storage.set_item(&storage_key(workspace), &json);
    }
}

fn storage_key(workspace: &str) -> String {
    format!("quorum.keys.{workspace}")
}
