//! Every approval in a document, with what it approves and whether its signature holds.

use automerge::Automerge;

use super::names::Names;
use crate::api::CertifiedKey;
use crate::model::signature::{ApprovalSignature, DeviceKey, verify};
use crate::model::{
    ASSESSMENT_SUBJECT, Approval, MINUTES_SUBJECT, MemberId, Workspace, claim, policy_version_subject,
    treatment_subject,
};
use crate::readiness::Piece;

/// One approval as a pack lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApprovalRecord {
    /// What is approved, in the words its signature covers ("policy version 2").
    pub subject: String,
    pub member: MemberId,
    pub member_name: String,
    pub at_ms: i64,
    pub heads: Vec<String>,
    pub signature: Option<ApprovalSignature>,
    /// `Ok` when the signature holds, else why not, in words ("not signed" included).
    pub verdict: Result<(), String>,
}

/// The relay's certified keys as verification takes them: the relay certifies a key for a
/// device; the workspace says whose the device is. A key whose device no member lists is left
/// out, so an approval signed with it does not verify.
pub fn certified_device_keys(certified: &[CertifiedKey], workspace: &Workspace) -> Vec<DeviceKey> {
    certified
        .iter()
        .filter_map(|key| {
            let member = workspace.member_for_actor_hex(&key.device)?;
            Some(DeviceKey { key_id: key.key_id.clone(), member, public_key: key.public_key.clone() })
        })
        .collect()
}

/// Every approval in `piece`, the document `document` read as its kind, checked against `doc`'s
/// history and the certified `keys`.
pub(crate) fn approvals_in(
    document: &str,
    piece: &Piece,
    doc: &Automerge,
    keys: &[DeviceKey],
    names: &Names,
) -> Vec<ApprovalRecord> {
    // Each approval as what it approves, who approved, and the approval (minutes' approvals in
    // the same form).
    let mut found: Vec<(String, MemberId, Approval)> = Vec::new();
    match piece {
        Piece::Policy(policy) => {
            for (_, id, version) in policy.versions_in_order() {
                for (member, approval) in &version.approvals {
                    found.push((policy_version_subject(id), *member, approval.clone()));
                }
            }
        }
        Piece::Assessment(assessment) => {
            for (member, approval) in &assessment.approvals {
                found.push((ASSESSMENT_SUBJECT.to_owned(), *member, approval.clone()));
            }
        }
        Piece::Risks(register) => {
            for (id, risk) in register.risks_in_order() {
                if let Some(approval) = &risk.approval {
                    found.push((treatment_subject(id), approval.member, approval.sign_off.clone()));
                }
            }
        }
        Piece::Review(review) => {
            for (member, approval) in &review.approvals {
                let approval = Approval {
                    at_ms: approval.at_ms,
                    heads: approval.heads.clone(),
                    note: approval.note.clone(),
                    signature: approval.signature.clone(),
                };
                found.push((MINUTES_SUBJECT.to_owned(), *member, approval));
            }
        }
        _ => {}
    }
    found
        .into_iter()
        .map(|(subject, member, Approval { at_ms, heads, signature, .. })| {
            let verdict = match &signature {
                None => Err("not signed".to_owned()),
                Some(signature) => {
                    let claim =
                        claim(document, subject.clone(), member, signature.role, at_ms, heads.clone());
                    verify(doc, &claim, signature, keys).map_err(|why| why.to_string())
                }
            };
            ApprovalRecord {
                member_name: names.member(member),
                subject,
                member,
                at_ms,
                heads,
                signature,
                verdict,
            }
        })
        .collect()
}
