//! Two people edit the same management review and the same nonconformity at once; after the
//! merge, in both directions, every record and every word survives, and what the merge can break
//! (minutes changed since their approval, a nonconformity closed while its review was cleared) is
//! reported, never hidden.

use automerge::{ActorId, AutoCommit, ROOT, ReadDoc};
use quorum_shared::model::{
    self, CorrectiveAction, CorrectiveActionField, Decision, EffectivenessField, Improvement,
    ImprovementViolation, ManagementReview, MemberId, MinutesState, Nonconformity, NonconformityField,
    NonconformityId, NonconformityStatus, Position, ReviewAction, ReviewActionField, ReviewActionId,
    ReviewField, ReviewTopic,
};

fn replicas(base: &mut AutoCommit) -> (AutoCommit, AutoCommit) {
    (base.fork().with_actor(ActorId::from([10; 16])), base.fork().with_actor(ActorId::from([11; 16])))
}

/// Merges both ways, checks both results are the same document, and returns it.
fn merged(a: &mut AutoCommit, b: &mut AutoCommit) -> AutoCommit {
    let mut forward = a.fork();
    forward.merge(b).unwrap();
    let mut backward = b.fork();
    backward.merge(a).unwrap();
    let content = |doc: &AutoCommit| doc.hydrate(ROOT, None).unwrap();
    assert_eq!(content(&forward), content(&backward), "same content both ways");
    forward
}

fn id<T: model::RecordKey>(n: u8) -> T {
    T::from_bytes([n; 16])
}

#[test]
fn two_people_write_the_same_minutes_at_once() {
    let mut base = model::new_document();
    model::create_management_review(&mut base, 0, "2025 review").unwrap();
    model::edit_review(&mut base, 0, ReviewField::HeldOn(Some("2025-06-30".parse().unwrap()))).unwrap();
    model::edit_review_input(&mut base, 0, ReviewTopic::Audits, "Two findings.".into()).unwrap();
    let shared_action = id::<ReviewActionId>(1);
    let action = ReviewAction { title: "Hire".into(), ..Default::default() };
    model::add_with_id(&mut base, 0, shared_action, action, Position::Last).unwrap();
    let (ada, bo) = (id::<MemberId>(1), id::<MemberId>(2));
    model::approve_minutes(&mut base, 1, ada, "", None).unwrap();
    let (mut a, mut b) = replicas(&mut base);

    // Both type into the same input's notes, and each adds a record; one re-approves.
    model::edit_review_input(&mut a, 2, ReviewTopic::Audits, "Two findings. Both closed.".into()).unwrap();
    model::edit_review_input(&mut b, 2, ReviewTopic::Audits, "Two minor findings.".into()).unwrap();
    model::edit_review(&mut a, 2, ReviewField::Attendees("Board".into())).unwrap();
    model::add_with_id(
        &mut a,
        2,
        id(2),
        Decision { summary: "Fund audits".into(), ..Default::default() },
        Position::Last,
    )
    .unwrap();
    model::add_with_id(
        &mut b,
        2,
        id::<ReviewActionId>(3),
        ReviewAction { title: "Train".into(), ..Default::default() },
        Position::Last,
    )
    .unwrap();
    model::edit(&mut b, 2, shared_action, ReviewActionField::Done(true)).unwrap();
    model::edit(&mut a, 2, shared_action, ReviewActionField::Owner(Some(ada))).unwrap();
    model::approve_minutes(&mut a, 3, ada, "as amended", None).unwrap();
    model::approve_minutes(&mut b, 3, bo, "", None).unwrap();

    let merged = merged(&mut a, &mut b);
    let review = ManagementReview::load(&merged).unwrap();
    assert_eq!(review.notes(ReviewTopic::Audits), "Two minor findings. Both closed.");
    assert_eq!(review.attendees, "Board");
    assert_eq!(review.decisions.len(), 1);
    assert_eq!(review.actions.len(), 2);
    let action = &review.actions[&shared_action];
    assert!(action.done && action.owner == Some(ada), "both fields of the action kept");
    assert_eq!(review.inputs.len(), ReviewTopic::ALL.len(), "one input per topic, no duplicates");
    assert_eq!(review.approvals.len(), 2, "both approvals kept");
    // Each approved only what they saw, so the merged minutes are changed since approval.
    assert!(matches!(review.approval_state(), MinutesState::ChangedSince { .. }));
    let mut again = merged;
    model::approve_minutes(&mut again, 4, ada, "", None).unwrap();
    assert!(ManagementReview::load(&again).unwrap().approval_state().is_current());
}

fn nonconformity_ready_to_close() -> (AutoCommit, NonconformityId) {
    let mut base = model::new_document();
    model::create_improvement(&mut base, 0).unwrap();
    let nc = id::<NonconformityId>(1);
    let record = Nonconformity { title: "Risk without owner".into(), ..Default::default() };
    model::add_with_id(&mut base, 0, nc, record, Position::Last).unwrap();
    model::edit(&mut base, 0, nc, NonconformityField::RootCause("No process.".into())).unwrap();
    model::add_with_id(&mut base, 0, id(1), CorrectiveAction::new(nc, "Write it"), Position::Last).unwrap();
    for field in [
        EffectivenessField::Checked("Sampled risks".into()),
        EffectivenessField::By(Some(id(1))),
        EffectivenessField::On(Some("2025-05-01".parse().unwrap())),
        EffectivenessField::Effective(Some(true)),
    ] {
        model::edit_effectiveness(&mut base, 0, nc, field).unwrap();
    }
    (base, nc)
}

#[test]
fn two_people_edit_the_same_nonconformity_at_once() {
    let (mut base, nc) = nonconformity_ready_to_close();
    let (mut a, mut b) = replicas(&mut base);
    model::edit(&mut a, 1, nc, NonconformityField::RootCause("No process for owners.".into())).unwrap();
    model::edit(&mut b, 1, nc, NonconformityField::RootCause("No written process.".into())).unwrap();
    model::edit(&mut a, 1, nc, NonconformityField::Reaction("Owners assigned.".into())).unwrap();
    model::add_with_id(&mut b, 1, id(2), CorrectiveAction::new(nc, "Train owners"), Position::Last).unwrap();
    model::edit(&mut a, 1, id(1), CorrectiveActionField::Done(true)).unwrap();
    model::close_nonconformity(&mut b, 1, nc, "2025-05-02".parse().unwrap()).unwrap();

    let merged = merged(&mut a, &mut b);
    let improvement = Improvement::load(&merged).unwrap();
    let record = &improvement.nonconformities[&nc];
    assert_eq!(record.root_cause.as_str(), "No written process for owners.");
    assert_eq!(record.reaction.as_str(), "Owners assigned.");
    assert_eq!(record.status, NonconformityStatus::Closed);
    assert_eq!(improvement.actions_of(nc).len(), 2);
    assert!(improvement.corrective_actions[&id(1)].done);
    assert!(model::improvement_violations(&merged).unwrap().is_empty());
}

#[test]
fn closing_while_someone_clears_the_review_is_reported() {
    let (mut base, nc) = nonconformity_ready_to_close();
    let (mut a, mut b) = replicas(&mut base);
    model::close_nonconformity(&mut a, 1, nc, "2025-05-02".parse().unwrap()).unwrap();
    model::edit_effectiveness(&mut b, 1, nc, EffectivenessField::Effective(None)).unwrap();
    let mut merged = merged(&mut a, &mut b);
    assert_eq!(
        model::improvement_violations(&merged).unwrap(),
        [ImprovementViolation::ClosedWithoutEffectiveReview(nc)]
    );
    // Reopening is the way out, and leaves nothing broken.
    model::reopen_nonconformity(&mut merged, 2, nc).unwrap();
    assert!(model::improvement_violations(&merged).unwrap().is_empty());
}

#[test]
fn a_corrective_action_added_while_its_nonconformity_is_deleted_is_reported() {
    let (mut base, nc) = nonconformity_ready_to_close();
    let (mut a, mut b) = replicas(&mut base);
    model::delete(&mut a, 1, nc).unwrap();
    model::add_with_id(&mut b, 1, id(5), CorrectiveAction::new(nc, "Late idea"), Position::Last).unwrap();
    let merged = merged(&mut a, &mut b);
    assert_eq!(
        model::improvement_violations(&merged).unwrap(),
        [ImprovementViolation::OrphanCorrectiveAction(id(5))]
    );
}
