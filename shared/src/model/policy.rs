//! The AI policy (ISO/IEC 42001 5.2, A.2): its text, its versions and their approvals, and
//! when it is next reviewed.
//!
//! The text is edited in place as Automerge text. A version is the text frozen at the heads it
//! was proposed at; approvals sign those heads, so an approved version reads the same however
//! the draft changes afterwards. Version numbers are not stored but counted in order of
//! proposal, so two versions proposed at once cannot both claim "version 3".
//!
//! ```
//! use quorum_shared::model::{self, AiPolicy, MemberId};
//!
//! let mut doc = model::new_document();
//! model::create_policy(&mut doc, 0, "AI policy", "We use AI responsibly.").unwrap();
//! let ada = MemberId::from_bytes([9; 16]);
//! let v1 = model::propose_policy_version(&mut doc, 1_000, [1; 16], ada, "First issue").unwrap();
//! model::approve_policy_version(&mut doc, 2_000, ada, v1, "", None).unwrap();
//! model::edit_policy_text(&mut doc, 3_000, "We use AI responsibly and lawfully.".into()).unwrap();
//! assert_eq!(model::policy_text_at(&doc, v1).unwrap(), "We use AI responsibly.");
//! let policy = AiPolicy::load(&doc).unwrap();
//! assert_eq!(policy.current_version().map(|(n, id, _)| (n, id)), Some((1, v1)));
//! ```

use std::collections::BTreeMap;

use automerge::{AutoCommit, ROOT, ReadDoc};
use autosurgeon::{Hydrate, Reconcile, Text, reconcile_prop};

use super::document::{artifact, change, check_kind, create, entry, object};
use super::history::{heads_hex, parse_heads};
use super::{Approval, Date, DocumentKind, ID_LEN, MemberId, ModelError, PolicyVersionId, Signed, TextEdit};

/// The AI policy document.
#[derive(Clone, PartialEq, Debug, Reconcile, Hydrate)]
pub struct AiPolicy {
    pub title: String,
    /// The working text; versions freeze it.
    pub text: Text,
    pub review_date: Option<Date>,
    #[autosurgeon(with = "crate::model::records")]
    pub versions: BTreeMap<PolicyVersionId, PolicyVersion>,
}

artifact!(AiPolicy, Policy);

/// The policy text as it stood at `heads`, put forward for approval.
#[derive(Clone, PartialEq, Debug, Reconcile, Hydrate)]
pub struct PolicyVersion {
    pub label: String,
    pub proposed_by: MemberId,
    pub proposed_at_ms: i64,
    /// The document heads whose text this version is, as hex change hashes.
    pub heads: Vec<String>,
    #[autosurgeon(with = "crate::model::records")]
    pub approvals: BTreeMap<MemberId, Approval>,
}

impl AiPolicy {
    /// The versions in the order they were proposed, numbered from 1.
    pub fn versions_in_order(&self) -> Vec<(usize, PolicyVersionId, &PolicyVersion)> {
        let mut versions: Vec<_> = self.versions.iter().collect();
        crate::order::sort_by_key(&mut versions, |(id, version)| (version.proposed_at_ms, **id));
        versions.into_iter().enumerate().map(|(i, (id, version))| (i + 1, *id, version)).collect()
    }

    /// The latest version that has at least one approval: the policy in force.
    pub fn current_version(&self) -> Option<(usize, PolicyVersionId, &PolicyVersion)> {
        self.versions_in_order().into_iter().rev().find(|(_, _, version)| !version.approvals.is_empty())
    }
}

pub fn create_policy(doc: &mut AutoCommit, now_ms: i64, title: &str, text: &str) -> Result<(), ModelError> {
    let policy = AiPolicy {
        title: title.to_string(),
        text: Text::with_value(text),
        review_date: None,
        versions: BTreeMap::new(),
    };
    create(doc, now_ms, &policy, "create AI policy")
}

pub fn edit_policy_text(doc: &mut AutoCommit, now_ms: i64, edit: TextEdit) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::Policy)?;
    change(doc, now_ms, "edit policy text", |doc| edit.apply(doc, &ROOT, "text"))
}

pub fn set_policy_title(doc: &mut AutoCommit, now_ms: i64, title: &str) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::Policy)?;
    change(doc, now_ms, "edit policy title", |doc| Ok(reconcile_prop(doc, ROOT, "title", title)?))
}

pub fn set_policy_review_date(
    doc: &mut AutoCommit,
    now_ms: i64,
    date: Option<Date>,
) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::Policy)?;
    change(doc, now_ms, "set policy review date", |doc| Ok(reconcile_prop(doc, ROOT, "review_date", date)?))
}

/// Freezes the current text as a new version for approval, under an id made of the caller's
/// `random` bytes.
pub fn propose_policy_version(
    doc: &mut AutoCommit,
    now_ms: i64,
    random: [u8; ID_LEN],
    member: MemberId,
    label: &str,
) -> Result<PolicyVersionId, ModelError> {
    check_kind(doc, DocumentKind::Policy)?;
    let versions = object(doc, &ROOT, "versions")?;
    let id = PolicyVersionId::from_bytes(random);
    let version = PolicyVersion {
        label: label.to_string(),
        proposed_by: member,
        proposed_at_ms: now_ms,
        heads: heads_hex(doc),
        approvals: BTreeMap::new(),
    };
    change(doc, now_ms, format!("propose policy version {label:?}"), |doc| {
        Ok(reconcile_prop(doc, &versions, id.to_string().as_str(), &version)?)
    })?;
    Ok(id)
}

/// Records `member`'s approval of a version; the approval signs the version's heads. With
/// `signed`, those are the heads the approver's device signed, and `now_ms` the time it signed.
pub fn approve_policy_version(
    doc: &mut AutoCommit,
    now_ms: i64,
    member: MemberId,
    version: PolicyVersionId,
    note: &str,
    signed: Option<Signed>,
) -> Result<(), ModelError> {
    check_kind(doc, DocumentKind::Policy)?;
    let versions = object(doc, &ROOT, "versions")?;
    let obj = entry(doc, &versions, version.to_string(), "policy version")?;
    let stored: PolicyVersion = autosurgeon::hydrate_prop(&*doc, &versions, version.to_string().as_str())?;
    let approvals = object(doc, &obj, "approvals")?;
    let signature = match signed {
        Some(signed) if signed.heads != stored.heads => {
            return Err(ModelError::BadHeads(signed.heads.join(",")));
        }
        Some(signed) => Some(signed.signature),
        None => None,
    };
    let approval = Approval { at_ms: now_ms, heads: stored.heads, note: note.to_string(), signature };
    let message = format!("approve policy version {:?}", stored.label);
    change(doc, now_ms, message, |doc| {
        Ok(reconcile_prop(doc, &approvals, member.to_string().as_str(), &approval)?)
    })
}

/// The text of a version, as it was when proposed.
pub fn policy_text_at(doc: &AutoCommit, version: PolicyVersionId) -> Result<String, ModelError> {
    check_kind(doc, DocumentKind::Policy)?;
    let versions = object(doc, &ROOT, "versions")?;
    entry(doc, &versions, version.to_string(), "policy version")?;
    let stored: PolicyVersion = autosurgeon::hydrate_prop(doc, &versions, version.to_string().as_str())?;
    let heads = parse_heads(&stored.heads)?;
    match doc.get_at(ROOT, "text", &heads)? {
        Some((automerge::Value::Object(_), text)) => Ok(doc.text_at(&text, &heads)?),
        _ => Ok(String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::new_document;
    use crate::model::testing::{id, one_commit, refused};

    #[test]
    fn versions_are_numbered_by_proposal_and_read_at_their_heads() {
        let mut doc = new_document();
        create_policy(&mut doc, 0, "AI policy", "v1 text").unwrap();
        let (ada, bo) = (id::<MemberId>(1), id::<MemberId>(2));
        let v1 = one_commit(&mut doc, "propose policy version \"Issue 1\"", |doc| {
            propose_policy_version(doc, 1_000, [1; 16], ada, "Issue 1").unwrap()
        });
        assert_eq!(AiPolicy::load(&doc).unwrap().current_version(), None);
        one_commit(&mut doc, "approve policy version \"Issue 1\"", |doc| {
            approve_policy_version(doc, 2_000, bo, v1, "fine", None).unwrap()
        });
        one_commit(&mut doc, "edit policy text", |doc| {
            edit_policy_text(doc, 3_000, "v2 text".into()).unwrap()
        });
        let v2 = propose_policy_version(&mut doc, 4_000, [2; 16], ada, "Issue 2").unwrap();
        set_policy_review_date(&mut doc, 5_000, Some("2026-06-30".parse().unwrap())).unwrap();

        let policy = AiPolicy::load(&doc).unwrap();
        let numbers: Vec<_> = policy.versions_in_order().iter().map(|(n, id, _)| (*n, *id)).collect();
        assert_eq!(numbers, [(1, v1), (2, v2)]);
        assert_eq!(policy.current_version().map(|(n, _, _)| n), Some(1));
        assert_eq!(policy.versions[&v1].approvals[&bo].heads, policy.versions[&v1].heads);
        assert_eq!(policy_text_at(&doc, v1).unwrap(), "v1 text");
        assert_eq!(policy_text_at(&doc, v2).unwrap(), "v2 text");
        assert_eq!(policy.text.as_str(), "v2 text");
        assert!(policy.review_date.is_some());

        let missing = refused(&mut doc, |doc| approve_policy_version(doc, 0, ada, id(9), "", None));
        assert!(matches!(missing, ModelError::NotFound { what: "policy version", .. }));
    }

    #[test]
    fn a_signed_approval_keeps_its_signature_and_must_sign_the_versions_heads() {
        use ed25519_dalek::{Signer, SigningKey};

        use crate::model::signature::{ApprovalSignature, DeviceKey, verify};
        use crate::model::{Role, claim, policy_version_subject};

        let mut doc = new_document();
        create_policy(&mut doc, 0, "AI policy", "v1 text").unwrap();
        let ada = id::<MemberId>(1);
        let v1 = propose_policy_version(&mut doc, 1_000, [1; 16], ada, "Issue 1").unwrap();
        let heads = AiPolicy::load(&doc).unwrap().versions[&v1].heads.clone();
        let device = SigningKey::from_bytes(&[5; 32]);
        let key = DeviceKey::new(ada, device.verifying_key().as_bytes());
        let sign = |heads: Vec<String>| {
            let claim = claim("doc", policy_version_subject(v1), ada, Role::Owner, 2_000, heads.clone());
            let signature =
                ApprovalSignature::new(&key.key_id, &claim, &device.sign(&claim.payload()).to_bytes());
            Signed { heads, signature }
        };
        // Heads other than the version's are refused, and nothing is written.
        let wrong =
            refused(&mut doc, |doc| approve_policy_version(doc, 2_000, ada, v1, "", Some(sign(Vec::new()))));
        assert!(matches!(wrong, ModelError::BadHeads(_)));

        approve_policy_version(&mut doc, 2_000, ada, v1, "", Some(sign(heads))).unwrap();
        let approval = AiPolicy::load(&doc).unwrap().versions[&v1].approvals[&ada].clone();
        let claim = approval.claim("doc", policy_version_subject(v1), ada).unwrap();
        assert_eq!(verify(doc.document(), &claim, approval.signature.as_ref().unwrap(), &[key]), Ok(()));
    }
}
