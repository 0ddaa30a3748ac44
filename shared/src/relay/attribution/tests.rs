use automerge::{ActorId, AutoCommit, ROOT, sync::SyncDoc, transaction::Transactable};

use super::{
    Author, Binding, Bindings, Bound, DeviceRefused, MAX_ACTOR_BYTES, MAX_NEW_ACTORS, Unattributable,
    new_changes,
};

fn author(member: &str) -> Author {
    Author { scope: "acme".into(), member: member.into(), binds_from_s: 1_000 }
}

fn actor(bytes: &[u8]) -> ActorId {
    ActorId::from(bytes)
}

/// An app actor: the device's 16 bytes and a tab's 8.
fn tab_of(device: &[u8], tab: u8) -> ActorId {
    actor(&[device, &[tab; 8]].concat())
}

#[test]
fn an_actor_is_its_first_writers_and_no_one_elses() {
    let mut bindings = Bindings::default();
    let mallory_made = actor(b"stock-peer-actor");
    let made = bindings.check(&author("ada"), &[(mallory_made.clone(), 2_000)]).unwrap();
    assert_eq!(
        made,
        [Binding {
            scope: "acme".into(),
            id: mallory_made.to_bytes().to_vec(),
            kind: Bound::Actor,
            member: "ada".into()
        }]
    );
    bindings.insert(made[0].clone());

    assert_eq!(bindings.check(&author("ada"), &[(mallory_made.clone(), 3_000)]), Ok(vec![]));
    assert_eq!(
        bindings.check(&author("mallory"), &[(mallory_made.clone(), 3_000)]),
        Err(Unattributable::Forged(mallory_made.clone()))
    );
    // Another workspace binds its own.
    let elsewhere = Author { scope: "globex".into(), ..author("mallory") };
    assert_eq!(bindings.check(&elsewhere, &[(mallory_made, 3_000)]).unwrap().len(), 1);
}

#[test]
fn a_registered_device_covers_every_tab_and_cannot_be_taken() {
    let mut bindings = Bindings::default();
    let device = [7; 16];
    let stored = bindings.device("acme", &device, "ada").unwrap();
    assert_eq!(stored.kind, Bound::Device);
    // Nothing covered until the driver has stored it and bound it.
    assert_eq!(bindings.check(&author("mallory"), &[(tab_of(&device, 2), 2_000)]).map(|b| b.len()), Ok(1));
    bindings.insert(stored.clone());
    assert_eq!(bindings.device("acme", &device, "ada"), Ok(stored), "the same answer again, to store again");

    assert_eq!(
        bindings.check(&author("ada"), &[(tab_of(&device, 1), 2_000)]),
        Ok(vec![]),
        "covered: nothing to bind"
    );
    let forged = tab_of(&device, 2);
    assert_eq!(
        bindings.check(&author("mallory"), &[(forged.clone(), 2_000)]),
        Err(Unattributable::Forged(forged))
    );

    assert_eq!(bindings.device("acme", &device, "mallory"), Err(DeviceRefused::Taken));
    assert_eq!(bindings.device("acme", &[7; 8], "mallory"), Err(DeviceRefused::Length));
    assert_eq!(bindings.device("acme", &[7; 17], "mallory"), Err(DeviceRefused::Length));
    assert!(bindings.device("globex", &device, "mallory").is_ok(), "another workspace");
    assert_eq!(bindings.len(), 1);
}

#[test]
fn a_device_whose_actors_another_member_wrote_with_is_not_theirs_to_register() {
    let mut bindings = Bindings::default();
    let device = [9; 16];
    for binding in bindings.check(&author("ada"), &[(tab_of(&device, 1), 2_000)]).unwrap() {
        bindings.insert(binding);
    }
    assert_eq!(bindings.device("acme", &device, "mallory"), Err(DeviceRefused::Taken));
    assert!(bindings.device("acme", &device, "ada").is_ok());
}

#[test]
fn an_actor_id_of_a_members_own_becomes_their_device_and_no_one_elses() {
    let mut bindings = Bindings::default();
    let id = [5; 16];
    bindings.insert(Binding {
        scope: "acme".into(),
        id: id.to_vec(),
        kind: Bound::Actor,
        member: "ada".into(),
    });
    bindings.insert(Binding {
        scope: "acme".into(),
        id: id.to_vec(),
        kind: Bound::Device,
        member: "mallory".into(),
    });
    assert_eq!(
        bindings.check(&author("ada"), &[(tab_of(&id, 1), 2_000)]).unwrap().len(),
        1,
        "still an actor"
    );
    bindings.insert(Binding {
        scope: "acme".into(),
        id: id.to_vec(),
        kind: Bound::Device,
        member: "ada".into(),
    });
    assert_eq!(bindings.check(&author("ada"), &[(tab_of(&id, 1), 2_000)]), Ok(vec![]), "now a device");
    assert_eq!(bindings.len(), 1);
}

#[test]
fn long_actor_ids_and_too_many_new_actors_are_refused_each_actor_looked_at_once() {
    let bindings = Bindings::default();
    let long = actor(&[1; MAX_ACTOR_BYTES + 1]);
    assert_eq!(
        bindings.check(&author("ada"), &[(long, 2_000)]),
        Err(Unattributable::LongActor(MAX_ACTOR_BYTES + 1))
    );

    let many: Vec<(ActorId, i64)> =
        (0..=MAX_NEW_ACTORS as u32).map(|i| (actor(&i.to_be_bytes()), 2_000)).collect();
    assert_eq!(bindings.check(&author("ada"), &many), Err(Unattributable::ManyActors));
    let repeated: Vec<(ActorId, i64)> = (0..10_000).map(|_| (actor(b"one-tab"), 2_000)).collect();
    assert_eq!(bindings.check(&author("ada"), &repeated).unwrap().len(), 1);
}

#[test]
fn changes_older_than_the_workspace_here_bind_no_one() {
    let bindings = Bindings::default();
    let restored = actor(b"bea-last-year");
    assert_eq!(bindings.check(&author("ada"), &[(restored.clone(), 999)]), Ok(vec![]));
    let made = bindings.check(&author("ada"), &[(restored.clone(), 999), (restored, 1_000)]).unwrap();
    assert_eq!(made.len(), 1, "a new change binds it once");
    let unstamped = actor(b"samod-peer");
    assert_eq!(
        bindings.check(&author("ada"), &[(unstamped, 0)]).unwrap().len(),
        1,
        "time 0 is no time: it binds"
    );
}

fn committed(doc: &mut AutoCommit, key: &str, at_s: i64) {
    doc.put(ROOT, key, key).unwrap();
    doc.commit_with(automerge::transaction::CommitOptions::default().with_time(at_s));
}

/// The sync message `theirs` sends `ours` after hearing what `ours` has.
fn message_between(ours: &mut AutoCommit, theirs: &AutoCommit) -> automerge::sync::Message {
    let (mut our_state, mut their_state) = (automerge::sync::State::new(), automerge::sync::State::new());
    let hello = ours.sync().generate_sync_message(&mut our_state).unwrap();
    let mut theirs = theirs.clone();
    theirs.sync().receive_sync_message(&mut their_state, hello).unwrap();
    theirs.sync().generate_sync_message(&mut their_state).unwrap()
}

#[test]
fn only_the_changes_the_relay_lacks_are_named_whole_documents_included() {
    let mut relay = AutoCommit::new().with_actor(actor(b"ada-device-tab-1"));
    committed(&mut relay, "a", 10);
    let mut peer = relay.fork().with_actor(actor(b"bea-device-tab-1"));
    committed(&mut peer, "b", 20);
    committed(&mut peer, "c", 30);

    // Two of three changes: more than a third, so the peer sends its whole document.
    let message = message_between(&mut relay, &peer);
    let mut named = new_changes(relay.document(), &message).unwrap();
    crate::order::sort_by_key(&mut named, |(_, time)| *time);
    assert_eq!(named, [(actor(b"bea-device-tab-1"), 20), (actor(b"bea-device-tab-1"), 30)]);

    // One change at a time, as a tab sends what it types: the change chunk itself.
    committed(&mut peer, "d", 40);
    let mut caught_up = relay.clone();
    caught_up.merge(&mut peer.clone()).unwrap();
    committed(&mut peer, "e", 50);
    let one = message_between(&mut caught_up, &peer);
    assert_eq!(new_changes(caught_up.document(), &one).unwrap(), [(actor(b"bea-device-tab-1"), 50)]);

    // To a relay with nothing, a peer sends its whole document: every change is new.
    let mut empty = AutoCommit::new();
    let whole = message_between(&mut empty, &peer);
    let named = new_changes(empty.document(), &whole).unwrap();
    assert_eq!(named.len(), 5, "Ada's and Bea's four: {named:?}");

    // The same whole document to the relay that has Ada's change names Bea's only.
    let mut whole_again = whole.clone();
    whole_again.changes = vec![peer.save()].into();
    let named = new_changes(relay.document(), &whole_again).unwrap();
    assert!(named.iter().all(|(a, _)| *a == actor(b"bea-device-tab-1")) && named.len() == 4, "{named:?}");
}

#[test]
fn bytes_that_are_not_changes_are_unreadable() {
    let mut relay = AutoCommit::new();
    let mut message = message_between(&mut relay, &AutoCommit::new());
    let mut chunk = AutoCommit::new();
    committed(&mut chunk, "x", 1);
    let mut bytes = chunk.save();
    bytes[8] = 9;
    message.changes = vec![bytes].into();
    assert_eq!(new_changes(relay.document(), &message), Err(Unattributable::Unreadable));
}
