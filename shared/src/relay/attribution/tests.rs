use automerge::{ActorId, AutoCommit, ROOT, sync::SyncDoc, transaction::Transactable};

use super::{Author, Binding, Bindings, Bound, DeviceRefused, new_changes};

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
        Err(mallory_made.clone())
    );
    // Another workspace binds its own.
    let elsewhere = Author { scope: "globex".into(), ..author("mallory") };
    assert_eq!(bindings.check(&elsewhere, &[(mallory_made, 3_000)]).unwrap().len(), 1);
}

#[test]
fn a_registered_device_covers_every_tab_and_cannot_be_taken() {
    let mut bindings = Bindings::default();
    let device = [7; 16];
    let stored = bindings.register_device("acme", &device, "ada").unwrap().expect("a new binding");
    assert_eq!(stored.kind, Bound::Device);
    assert_eq!(bindings.register_device("acme", &device, "ada"), Ok(None), "registering again is harmless");

    assert_eq!(
        bindings.check(&author("ada"), &[(tab_of(&device, 1), 2_000)]),
        Ok(vec![]),
        "covered: nothing to bind"
    );
    let forged = tab_of(&device, 2);
    assert_eq!(bindings.check(&author("mallory"), &[(forged.clone(), 2_000)]), Err(forged));

    assert_eq!(bindings.register_device("acme", &device, "mallory"), Err(DeviceRefused::Taken));
    let longer = [device.as_slice(), &[1]].concat();
    assert_eq!(bindings.register_device("acme", &longer, "mallory"), Err(DeviceRefused::Taken));
    assert_eq!(bindings.register_device("acme", &[7; 8], "mallory"), Err(DeviceRefused::TooShort));
    assert_eq!(bindings.register_device("globex", &device, "mallory").map(|b| b.is_some()), Ok(true));
}

#[test]
fn a_device_whose_actors_another_member_wrote_with_is_not_theirs_to_register() {
    let mut bindings = Bindings::default();
    let device = [9; 16];
    for binding in bindings.check(&author("ada"), &[(tab_of(&device, 1), 2_000)]).unwrap() {
        bindings.insert(binding);
    }
    assert_eq!(bindings.register_device("acme", &device, "mallory"), Err(DeviceRefused::Taken));
    assert!(bindings.register_device("acme", &device, "ada").unwrap().is_some());
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

    let message = message_between(&mut relay, &peer);
    let named = new_changes(relay.document(), &message).unwrap();
    assert_eq!(named, [(actor(b"bea-device-tab-1"), 20), (actor(b"bea-device-tab-1"), 30)]);

    // To a relay with nothing, a peer sends its whole document: every change is new.
    let mut empty = AutoCommit::new();
    let whole = message_between(&mut empty, &peer);
    let named = new_changes(empty.document(), &whole).unwrap();
    assert_eq!(named.len(), 3, "{named:?}");

    // The same whole document to the relay that has Ada's change names Bea's only.
    let mut whole_again = whole.clone();
    whole_again.changes = vec![peer.save()].into();
    let named = new_changes(relay.document(), &whole_again).unwrap();
    assert!(named.iter().all(|(a, _)| *a == actor(b"bea-device-tab-1")) && named.len() == 2, "{named:?}");
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
    assert_eq!(new_changes(relay.document(), &message), Err(super::Unattributable::Unreadable));
}
