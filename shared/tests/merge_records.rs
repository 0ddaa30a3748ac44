//! Two people edit the documented information register and the planned changes at once, then
//! their replicas merge: every record and every field each of them wrote survives, including
//! the first annotations of the same workspace artifact, written by both at the same moment.

use automerge::{ActorId, AutoCommit, ROOT, ReadDoc};
use quorum_shared::model::{
    self, ArtifactControlField, ChangeId, ChangeStatus, DocumentId, DocumentedInformation,
    DocumentedInformationField, DocumentedInformationRegister, InformationId, MemberId, PlannedChange,
    PlannedChangeField, PlannedChanges, Position, TextEdit,
};

fn replicas(base: &mut AutoCommit) -> (AutoCommit, AutoCommit) {
    (base.fork().with_actor(ActorId::from([10; 16])), base.fork().with_actor(ActorId::from([11; 16])))
}

/// Merges both ways and checks both ends hold the same document.
fn merge(mut a: AutoCommit, mut b: AutoCommit) -> AutoCommit {
    let mut forward = a.fork();
    forward.merge(&mut b).unwrap();
    let mut backward = b.fork();
    backward.merge(&mut a).unwrap();
    assert_eq!(forward.hydrate(ROOT, None).unwrap(), backward.hydrate(ROOT, None).unwrap());
    forward
}

fn id<T: model::RecordKey>(n: u8) -> T {
    T::from_bytes([n; 16])
}

fn date(text: &str) -> model::Date {
    text.parse().unwrap()
}

#[test]
fn the_same_external_document_and_artifact_edited_at_once_keep_every_field() {
    let (ada, ben) = (id::<MemberId>(1), id::<MemberId>(2));
    let policy = DocumentId::from_bytes([5; 16]);
    let contract = id::<InformationId>(1);
    let mut base = model::new_document();
    model::create_documented_information(&mut base, 0).unwrap();
    let entry = DocumentedInformation { title: "Supplier contract".into(), ..Default::default() };
    model::add_with_id(&mut base, 0, contract, entry, Position::Last).unwrap();
    let (mut a, mut b) = replicas(&mut base);

    // Each writes other fields of the same entry, adds an entry, and annotates the policy for
    // the first time: neither has seen the other's annotation maps.
    for field in [
        DocumentedInformationField::Owner(Some(ada)),
        DocumentedInformationField::Location("Legal share".into()),
        DocumentedInformationField::ReviewOn(Some(date("2027-09-01"))),
    ] {
        model::edit(&mut a, 1_000, contract, field).unwrap();
    }
    for field in [
        DocumentedInformationField::ApprovedBy(Some(ben)),
        DocumentedInformationField::Retention("Seven years".into()),
        DocumentedInformationField::Reference("https://legal.example/c-12".into()),
    ] {
        model::edit(&mut b, 1_000, contract, field).unwrap();
    }
    let a_entry = model::add(
        &mut a,
        1_000,
        [101; 16],
        DocumentedInformation { title: "Model card".into(), ..Default::default() },
        Position::Last,
    )
    .unwrap();
    let b_entry = model::add(
        &mut b,
        1_000,
        [102; 16],
        DocumentedInformation { title: "DPA".into(), ..Default::default() },
        Position::Last,
    )
    .unwrap();
    model::set_artifact_control(&mut a, 1_000, policy, "AI policy", ArtifactControlField::Owner(Some(ada)))
        .unwrap();
    model::set_artifact_control(
        &mut a,
        1_000,
        policy,
        "AI policy",
        ArtifactControlField::Location("Quorum".into()),
    )
    .unwrap();
    model::set_artifact_control(
        &mut b,
        1_000,
        policy,
        "AI policy",
        ArtifactControlField::Retention("Ten years".into()),
    )
    .unwrap();
    model::set_artifact_control(
        &mut b,
        1_000,
        policy,
        "AI policy",
        ArtifactControlField::ReviewOn(Some(date("2027-12-01"))),
    )
    .unwrap();

    let merged = DocumentedInformationRegister::load(&merge(a, b)).unwrap();
    let c = &merged.entries[&contract];
    assert_eq!((c.owner, c.approved_by), (Some(ada), Some(ben)));
    assert_eq!((c.location.as_str(), c.retention.as_str()), ("Legal share", "Seven years"));
    assert_eq!(c.reference, "https://legal.example/c-12");
    assert_eq!(c.review_on, Some(date("2027-09-01")));
    assert!(merged.entries.contains_key(&a_entry) && merged.entries.contains_key(&b_entry));
    assert_eq!(merged.entries.len(), 3);
    let p = merged.artifacts.of(policy);
    assert_eq!(p.owner, Some(ada));
    assert_eq!(p.location, "Quorum");
    assert_eq!(p.retention, "Ten years");
    assert_eq!(p.review_on, Some(date("2027-12-01")));
}

#[test]
fn the_same_planned_change_edited_at_once_keeps_every_field_and_both_texts() {
    let ada = id::<MemberId>(1);
    let change = id::<ChangeId>(1);
    let mut base = model::new_document();
    model::create_planned_changes(&mut base, 0).unwrap();
    let planned = PlannedChange { title: "Second reviewer".into(), ..Default::default() };
    model::add_with_id(&mut base, 0, change, planned, Position::Last).unwrap();
    model::edit(&mut base, 0, change, PlannedChangeField::Purpose(TextEdit::Replace("Fewer errors.".into())))
        .unwrap();
    let (mut a, mut b) = replicas(&mut base);

    model::edit(&mut a, 1_000, change, PlannedChangeField::Owner(Some(ada))).unwrap();
    model::edit(&mut a, 1_000, change, PlannedChangeField::Due(Some(date("2027-04-01")))).unwrap();
    model::edit(
        &mut a,
        1_000,
        change,
        PlannedChangeField::Purpose(TextEdit::Replace("Fewer errors. Audit asked.".into())),
    )
    .unwrap();
    model::edit(&mut b, 1_000, change, PlannedChangeField::Status(ChangeStatus::Approved)).unwrap();
    model::edit(&mut b, 1_000, change, PlannedChangeField::Resources("Two days a month".into())).unwrap();
    model::edit(
        &mut b,
        1_000,
        change,
        PlannedChangeField::Purpose(TextEdit::Replace("Far fewer errors.".into())),
    )
    .unwrap();
    model::edit(
        &mut b,
        1_000,
        change,
        PlannedChangeField::Consequences(TextEdit::Replace("Slower hiring.".into())),
    )
    .unwrap();
    let other = model::add(
        &mut b,
        1_000,
        [103; 16],
        PlannedChange { title: "New supplier".into(), ..Default::default() },
        Position::Last,
    )
    .unwrap();

    let merged = PlannedChanges::load(&merge(a, b)).unwrap();
    let c = &merged.changes[&change];
    assert_eq!(c.owner, Some(ada));
    assert_eq!(c.due, Some(date("2027-04-01")));
    assert_eq!(c.status, ChangeStatus::Approved);
    assert_eq!(c.resources, "Two days a month");
    assert_eq!(c.consequences.as_str(), "Slower hiring.");
    assert_eq!(c.purpose.as_str(), "Far fewer errors. Audit asked.", "both insertions merge by character");
    assert!(merged.changes.contains_key(&other));
}
