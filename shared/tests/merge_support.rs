//! Concurrent edits of the support document on forked replicas, merged both ways: two people
//! editing the same training record, the same role's competences and holders, and
//! acknowledging the policy at once all keep what each did. No sockets, no sleeps.

use automerge::{ActorId, AutoCommit, ROOT, ReadDoc};
use quorum_shared::model::{
    self, AimsRole, AimsRoleField, AimsRoleId, Competence, CompetenceId, Date, MemberId, PolicyVersionId,
    Position, Support, TrainingField, TrainingId, TrainingRecord,
};

fn id<T: model::RecordKey>(n: u8) -> T {
    T::from_bytes([n; 16])
}

fn date(s: &str) -> Date {
    s.parse().unwrap()
}

/// Forks two replicas of `base`, each with its own actor.
fn replicas(base: &mut AutoCommit) -> (AutoCommit, AutoCommit) {
    (base.fork().with_actor(ActorId::from([10; 16])), base.fork().with_actor(ActorId::from([11; 16])))
}

/// Merges both ways and checks both give the same content; returns the merged document.
fn merge(a: &mut AutoCommit, b: &mut AutoCommit) -> AutoCommit {
    let mut forward = a.fork();
    forward.merge(b).unwrap();
    let mut backward = b.fork();
    backward.merge(a).unwrap();
    let content = |doc: &AutoCommit| doc.hydrate(ROOT, None).unwrap();
    assert_eq!(content(&forward), content(&backward), "same content both ways");
    forward
}

/// A support document with competences 1 and 2, role 1 and a training record 1 of member 1.
fn base() -> AutoCommit {
    let mut doc = model::new_document();
    model::create_support(&mut doc, 0).unwrap();
    for (n, name) in [(1, "AI risk"), (2, "Data quality")] {
        let competence = Competence { name: name.into(), ..Default::default() };
        model::add_with_id(&mut doc, 0, id::<CompetenceId>(n), competence, Position::Last).unwrap();
    }
    let role = AimsRole { name: "Model reviewer".into(), ..Default::default() };
    model::add_with_id(&mut doc, 0, id::<AimsRoleId>(1), role, Position::Last).unwrap();
    let record = TrainingRecord { person: "Ada".into(), member: Some(id(1)), ..Default::default() };
    model::add_with_id(&mut doc, 0, id::<TrainingId>(1), record, Position::Last).unwrap();
    doc
}

#[test]
fn two_people_editing_the_same_training_record_keep_both_fields() {
    let mut doc = base();
    let (mut a, mut b) = replicas(&mut doc);
    let t = id::<TrainingId>(1);
    model::edit(&mut a, 1_000, t, TrainingField::Competence(Some(id(1)))).unwrap();
    model::edit(&mut a, 1_000, t, TrainingField::Course("AI risk workshop".into())).unwrap();
    model::edit(&mut b, 1_000, t, TrainingField::ExpiresOn(Some(date("2030-01-01")))).unwrap();
    model::edit(&mut b, 1_000, t, TrainingField::Evidence("https://lms.example/cert/1".into())).unwrap();
    // Both add a record of their own as well.
    let extra = |person: &str| TrainingRecord { person: person.into(), ..Default::default() };
    model::add_with_id(&mut a, 1_000, id::<TrainingId>(2), extra("Bea"), Position::Last).unwrap();
    model::add_with_id(&mut b, 1_000, id::<TrainingId>(3), extra("Cy"), Position::Last).unwrap();

    let merged = Support::load(&merge(&mut a, &mut b)).unwrap();
    let record = &merged.training[&t];
    assert_eq!(record.competence, Some(id(1)));
    assert_eq!(record.course, "AI risk workshop");
    assert_eq!(record.expires_on, Some(date("2030-01-01")));
    assert_eq!(record.evidence, "https://lms.example/cert/1");
    assert_eq!(merged.training.len(), 3);
}

#[test]
fn two_people_editing_the_same_role_keep_every_competence_and_holder() {
    let mut doc = base();
    let (mut a, mut b) = replicas(&mut doc);
    let role = id::<AimsRoleId>(1);
    model::set_role_requirement(&mut a, 1_000, role, id(1), true).unwrap();
    model::set_role_holder(&mut a, 1_000, role, id(1), true).unwrap();
    model::edit(&mut a, 1_000, role, AimsRoleField::Name("Model review lead".into())).unwrap();
    model::set_role_requirement(&mut b, 1_000, role, id(2), true).unwrap();
    model::set_role_holder(&mut b, 1_000, role, id(2), true).unwrap();

    let merged = Support::load(&merge(&mut a, &mut b)).unwrap();
    let r = &merged.roles[&role];
    assert_eq!(r.name, "Model review lead");
    assert_eq!(r.required.keys().copied().collect::<Vec<CompetenceId>>(), [id(1), id(2)]);
    assert_eq!(r.holders.keys().copied().collect::<Vec<MemberId>>(), [id(1), id(2)]);
    // Both holders lack both competences: four gaps, none lost in the merge.
    assert_eq!(model::competence_gaps(&merged, date("2026-01-01")).len(), 4);
}

#[test]
fn a_holder_removed_while_another_is_added_leaves_only_the_added_one() {
    let mut doc = base();
    let role = id::<AimsRoleId>(1);
    model::set_role_holder(&mut doc, 0, role, id(1), true).unwrap();
    let (mut a, mut b) = replicas(&mut doc);
    model::set_role_holder(&mut a, 1_000, role, id(1), false).unwrap();
    model::set_role_holder(&mut b, 1_000, role, id(2), true).unwrap();
    let merged = Support::load(&merge(&mut a, &mut b)).unwrap();
    assert_eq!(merged.roles[&role].holders.keys().copied().collect::<Vec<MemberId>>(), [id(2)]);
}

#[test]
fn two_members_acknowledging_at_once_both_count() {
    let mut doc = base();
    let (mut a, mut b) = replicas(&mut doc);
    let version = id::<PolicyVersionId>(7);
    model::acknowledge_policy(&mut a, 1_000, id(1), version, 1, vec!["aa".into()]).unwrap();
    model::acknowledge_policy(&mut b, 1_000, id(2), version, 1, vec!["aa".into()]).unwrap();
    let merged = Support::load(&merge(&mut a, &mut b)).unwrap();
    assert_eq!(merged.acknowledgements.keys().copied().collect::<Vec<MemberId>>(), [id(1), id(2)]);
}
