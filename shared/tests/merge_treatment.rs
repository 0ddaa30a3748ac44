//! Treatment approvals made on forked replicas, merged both ways: approvals of different risks
//! both survive, an approval concurrent with an edit of its risk shows that edit as changed
//! since approval, and two approvals of one risk end as one whole approval, never a mix.

use automerge::{ActorId, AutoCommit, ROOT, ReadDoc};
use quorum_shared::model::{
    self, ApprovalState, ApprovalSummary, MemberId, PlanField, Position, Risk, RiskField, RiskId,
    RiskRegister, Treatment, risk_violations,
};

fn replicas(base: &mut AutoCommit, n: u8) -> Vec<AutoCommit> {
    (0..n).map(|i| base.fork().with_actor(ActorId::from([i + 10; 16]))).collect()
}

/// Merges the replicas front to back and back to front; both must give the same content.
fn merge_both_ways(mut replicas: Vec<AutoCommit>) -> AutoCommit {
    let mut forward = replicas[0].fork();
    let last = replicas.len() - 1;
    let mut backward = replicas[last].fork();
    for replica in replicas.iter_mut() {
        forward.merge(replica).unwrap();
    }
    for replica in replicas.iter_mut().rev() {
        backward.merge(replica).unwrap();
    }
    let content = |doc: &AutoCommit| doc.hydrate(ROOT, None).unwrap();
    assert_eq!(content(&forward), content(&backward), "same content both ways");
    forward
}

fn id<T: model::RecordKey>(n: u8) -> T {
    T::from_bytes([n; 16])
}

/// A retained risk owned by `owner`, ready to approve.
fn retained(title: &str, owner: MemberId) -> Risk {
    Risk {
        title: title.into(),
        likelihood: Some(2),
        consequence: Some(2),
        owner: Some(owner),
        treatment: Treatment::Retain,
        ..Risk::default()
    }
}

/// Ada owns the first risk, Bo the second.
fn two_risks() -> (AutoCommit, RiskId, RiskId, MemberId, MemberId) {
    let mut base = model::new_document();
    model::create_risk_register(&mut base, 0).unwrap();
    let (ada, bo) = (id::<MemberId>(1), id::<MemberId>(2));
    let (drift, leak) = (id::<RiskId>(3), id::<RiskId>(4));
    model::add_with_id(&mut base, 0, drift, retained("Drift", ada), Position::Last).unwrap();
    model::add_with_id(&mut base, 0, leak, retained("Leak", bo), Position::Last).unwrap();
    (base, drift, leak, ada, bo)
}

#[test]
fn two_owners_approving_two_risks_at_once_both_count() {
    let (mut base, drift, leak, ada, bo) = two_risks();
    let mut r = replicas(&mut base, 2);
    model::approve_treatment(&mut r[0], 1_000, ada, drift, "Ada accepts", None).unwrap();
    model::approve_treatment(&mut r[1], 2_000, bo, leak, "Bo accepts", None).unwrap();
    let merged = merge_both_ways(r);

    let register = RiskRegister::load(&merged).unwrap();
    assert_eq!(register.approval_summary(), ApprovalSummary { approved: 2, changed: 0, awaiting: 0 });
    let ApprovalState::Approved(first) = register.approval_state(drift) else { panic!("drift approved") };
    let ApprovalState::Approved(second) = register.approval_state(leak) else { panic!("leak approved") };
    assert_eq!((first.member, first.sign_off.note.as_str()), (ada, "Ada accepts"));
    assert_eq!((second.member, second.sign_off.note.as_str()), (bo, "Bo accepts"));
    assert!(risk_violations(&register).is_empty());
}

#[test]
fn an_approval_concurrent_with_an_edit_shows_the_edit_as_changed_since() {
    let (mut base, drift, _, ada, _) = two_risks();
    let mut r = replicas(&mut base, 2);
    model::approve_treatment(&mut r[0], 1_000, ada, drift, "", None).unwrap();
    model::edit(&mut r[1], 1_000, drift, RiskField::Likelihood(Some(5))).unwrap();
    let mut merged = merge_both_ways(r);

    let register = RiskRegister::load(&merged).unwrap();
    let ApprovalState::Changed { approval, changes } = register.approval_state(drift) else {
        panic!("expected changed since approval, got {:?}", register.approval_state(drift));
    };
    assert_eq!(changes, [PlanField::Likelihood]);
    assert_eq!(approval.plan.likelihood, Some(2), "what was approved");
    assert_eq!(register.risks[&drift].likelihood, Some(5));
    // The copy in the approval is the risk at the approval's heads.
    assert_eq!(model::plan_at_heads(&mut merged, drift).unwrap(), Some(approval.plan.clone()));
    assert_eq!(register.approval_summary(), ApprovalSummary { approved: 0, changed: 1, awaiting: 1 });

    // Approving again after the merge covers the edit.
    model::approve_treatment(&mut merged, 2_000, ada, drift, "", None).unwrap();
    let register = RiskRegister::load(&merged).unwrap();
    assert!(register.approval_state(drift).is_approved());
}

#[test]
fn two_approvals_of_one_risk_at_once_keep_one_whole() {
    let (mut base, drift, _, ada, _) = two_risks();
    model::approve_treatment(&mut base, 500, ada, drift, "first", None).unwrap();
    let mut r = replicas(&mut base, 2);
    model::approve_treatment(&mut r[0], 1_000, ada, drift, "from the laptop", None).unwrap();
    model::approve_treatment(&mut r[1], 2_000, ada, drift, "from the phone", None).unwrap();
    let merged = merge_both_ways(r);

    let register = RiskRegister::load(&merged).unwrap();
    let ApprovalState::Approved(approval) = register.approval_state(drift) else { panic!("approved") };
    let whole = [(1_000, "from the laptop"), (2_000, "from the phone")];
    assert!(
        whole.contains(&(approval.sign_off.at_ms, approval.sign_off.note.as_str())),
        "one approval whole, not a mix: {approval:?}"
    );
}
