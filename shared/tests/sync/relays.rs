//! Several relays sharing one store, as several relays share PostgreSQL: what one commits, and the
//! presence its peers send, reach the peers of the others.

use automerge::AutoCommit;
use quorum_shared::relay::Config;

use crate::support::net::Net;
use crate::support::relay::Relay;
use crate::support::{doc_id, put, text};

/// Two relays sharing one store, as several relays share PostgreSQL: what a client of one commits
/// reaches a client of the other through the store's log (`Relay::stored_elsewhere`), whether the
/// other relay has the document open or is still reading it.
#[test]
fn a_change_committed_by_another_relay_reaches_this_relays_peers() {
    let id = doc_id(60);
    let mut one = Net::new(&["alice"]);
    one.client(0).open_with(&id, AutoCommit::new()).unwrap();
    one.change(0, &id, put("title", "AI policy"));
    one.connect_all();
    one.run_until_quiescent();
    let mut two = Net::new(&["bob"]);
    two.relay = Relay::new("relay-two");
    let carry = |one: &mut Net, two: &mut Net, from: usize| {
        let writes: Vec<_> = one.relay.store.log[from..].to_vec();
        two.relay_step(|relay| {
            writes.iter().for_each(|write| relay.stored_elsewhere(write));
            true
        });
        one.relay.store.log.len()
    };
    let mut carried = carry(&mut one, &mut two, 0);

    // Open on relay two: the news goes to bob with no write of its own.
    two.connect_all();
    two.client(0).open(&id).unwrap();
    two.pump(0);
    two.run_until_quiescent();
    assert_eq!(two.heads(0, &id), one.heads(0, &id));
    one.change(0, &id, put("scope", "hiring"));
    one.run_until_quiescent();
    let writes_before = two.relay.stats().writes_committed;
    carried = carry(&mut one, &mut two, carried);
    two.run_until_quiescent();
    assert_eq!(text(two.client(0).doc_mut(&id).unwrap(), "scope").as_deref(), Some("hiring"));
    assert_eq!(two.relay.stats().writes_committed, writes_before, "stored already: not written again");
    assert!(two.relay.stats().chunks_from_elsewhere >= 1);

    // Still loading on relay two when the news comes: taken in once the load is answered, though
    // the load read the store before the other relay committed.
    let other = doc_id(61);
    let mut carol = Net::new(&["carol"]);
    carol.relay = Relay::new("relay-three");
    carol.relay.auto_storage = false;
    carol.connect_all();
    carol.client(0).open(&other).unwrap();
    carol.pump(0);
    carol.run_until_quiescent_without_storage();
    assert_eq!(carol.relay.store.loads.len(), 1, "carol's relay is reading the document");
    one.client(0).open_with(&other, AutoCommit::new()).unwrap();
    one.change(0, &other, put("title", "Risk register"));
    one.pump(0);
    one.run_until_quiescent();
    let news: Vec<_> = one.relay.store.log[carried..].to_vec();
    assert_eq!(news.len(), 1, "one write of alice's new document");
    carol.relay_step(|relay| {
        relay.stored_elsewhere_while_loading(&news[0]);
        true
    });
    carol.relay.auto_storage = true;
    carol.run_until_quiescent();
    assert_eq!(text(carol.client(0).doc_mut(&other).unwrap(), "title").as_deref(), Some("Risk register"));
}

/// Relays sharing one store pass presence on to each other: what alice's relay took within her
/// rate is handed out once, and bob's relay gives it to bob, who has the document open there.
#[test]
fn presence_crosses_to_the_peers_of_another_relay() {
    let id = doc_id(62);
    let sharing = Config { share_presence: true, ..Config::default() };
    let mut one = Net::new(&["alice"]);
    one.relay = Relay::with_config("relay-one", sharing.clone());
    one.client(0).open_with(&id, AutoCommit::new()).unwrap();
    one.change(0, &id, put("title", "AI policy"));
    one.connect_all();
    one.run_until_quiescent();
    let mut two = Net::new(&["bob"]);
    two.relay = Relay::with_config("relay-two", sharing);
    let writes = one.relay.store.log.clone();
    two.relay_step(|relay| {
        writes.iter().for_each(|write| relay.stored_elsewhere(write));
        true
    });
    two.connect_all();
    two.client(0).open(&id).unwrap();
    two.pump(0);
    two.run_until_quiescent();
    two.take_events(0);

    one.client(0).broadcast(&id, vec![7]).unwrap();
    one.pump(0);
    one.run_until_quiescent();
    let shared = std::mem::take(&mut one.relay.shared_presence);
    assert_eq!(shared.len(), 1, "handed out once for the other relays");
    assert!(two.relay.shared_presence.is_empty());
    two.relay_step(|relay| {
        relay.presence_elsewhere(&shared[0]);
        true
    });
    two.run_until_quiescent();
    let heard: Vec<_> = two
        .take_events(0)
        .into_iter()
        .filter(|e| matches!(e, quorum_shared::sync::Event::Ephemeral { .. }))
        .collect();
    assert_eq!(heard.len(), 1, "bob hears alice: {heard:?}");
    assert!(two.relay.shared_presence.is_empty(), "what came from elsewhere is not passed on again");
}
