//! Verification of signed approvals: a valid one, and each way one can fail.

use automerge::AutoCommit;
use ed25519_dalek::{Signer, SigningKey};

use super::*;
use crate::model::{self, testing::id};

struct Approved {
    doc: AutoCommit,
    claim: ApprovalClaim,
    signature: ApprovalSignature,
    keys: Vec<DeviceKey>,
}

/// A policy, approved by member 1 with their device's key; member 2 has a key too.
fn approved() -> Approved {
    let mut doc = model::new_document();
    model::create_policy(&mut doc, 0, "AI policy", "We review every model.").unwrap();
    let (ada, bea) = (SigningKey::from_bytes(&[1; 32]), SigningKey::from_bytes(&[2; 32]));
    let keys = vec![
        DeviceKey::new(id(1), ada.verifying_key().as_bytes()),
        DeviceKey::new(id(2), bea.verifying_key().as_bytes()),
    ];
    let claim = ApprovalClaim {
        document: "4NMNnkrrmEdZqKEPPG7KWoG4Rq8M".into(),
        subject: "policy version 1".into(),
        heads: model::heads_hex(&mut doc),
        member: id(1),
        role: Role::Owner,
        at_ms: 1_000,
    };
    let signature = ApprovalSignature::new(&keys[0].key_id, &claim, &ada.sign(&claim.payload()).to_bytes());
    Approved { doc, claim, signature, keys }
}

fn check(approved: &mut Approved) -> Result<(), VerifyError> {
    verify(approved.doc.document(), &approved.claim, &approved.signature, &approved.keys)
}

fn resign(approved: &mut Approved, key: usize, seed: u8) {
    let claim = approved.claim.clone();
    let device = SigningKey::from_bytes(&[seed; 32]);
    approved.signature =
        ApprovalSignature::new(&approved.keys[key].key_id, &claim, &device.sign(&claim.payload()).to_bytes());
}

#[test]
fn a_valid_approval_verifies() {
    assert_eq!(check(&mut approved()), Ok(()));
}

#[test]
fn a_signature_by_an_unknown_or_another_members_key_fails() {
    let mut unknown = approved();
    unknown.keys.remove(0);
    assert!(matches!(check(&mut unknown), Err(VerifyError::UnknownKey(_))));

    // Bea's key, and a valid signature by it, for a claim that says Ada approved.
    let mut borrowed = approved();
    resign(&mut borrowed, 1, 2);
    assert!(matches!(check(&mut borrowed), Err(VerifyError::NotTheApprover { .. })));

    // Ada's key id with a signature by a key nobody certified.
    let mut forged = approved();
    resign(&mut forged, 0, 3);
    assert_eq!(check(&mut forged), Err(VerifyError::BadSignature));
}

#[test]
fn any_change_to_what_was_claimed_breaks_the_signature() {
    let tamper: [fn(&mut ApprovalClaim); 5] = [
        |c| c.subject = "policy version 2".into(),
        |c| c.at_ms += 1,
        |c| c.role = Role::Editor,
        |c| c.document = "3pUSPCZJfBJqbMsEnV8hwxzJDVfx".into(),
        |c| c.heads.clear(),
    ];
    for change in tamper {
        let mut approved = approved();
        change(&mut approved.claim);
        let verdict = check(&mut approved);
        assert!(
            matches!(verdict, Err(VerifyError::BadSignature | VerifyError::NotTheApprover { .. })),
            "{verdict:?}"
        );
    }
}

#[test]
fn heads_the_document_does_not_have_fail_even_with_a_good_signature() {
    // The approval was made on a copy with a change this document never received.
    let mut approved = approved();
    let mut elsewhere = approved.doc.fork();
    model::edit_policy_text(&mut elsewhere, 2_000, "We review no model.".into()).unwrap();
    approved.claim.heads = model::heads_hex(&mut elsewhere);
    resign(&mut approved, 0, 1);
    assert!(matches!(check(&mut approved), Err(VerifyError::HeadsMissing(_))));
    // Once the document has that change, the approval holds.
    approved.doc.merge(&mut elsewhere).unwrap();
    assert_eq!(check(&mut approved), Ok(()));
}

#[test]
fn malformed_and_missing_signatures_are_refused_not_panicked_on() {
    let mut approved = approved();
    approved.signature.signature = String::new();
    assert_eq!(check(&mut approved), Err(VerifyError::Unsigned));
    approved.signature.signature = "zz".into();
    assert_eq!(check(&mut approved), Err(VerifyError::Malformed("signature")));
    let mut bad_key = self::approved();
    bad_key.keys[0].public_key = "00".into();
    assert_eq!(check(&mut bad_key), Err(VerifyError::Malformed("public key")));
    assert_eq!(unhex("0a0B"), Some(vec![10, 11]));
    assert_eq!(unhex("abc"), None);
}
