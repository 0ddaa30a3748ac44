//! Two clients of one device (two tabs of a browser) that pass each other their changes directly
//! as well as through the relay: a change crosses the network once, from the tab that made it.

use automerge::AutoCommit;
use quorum_shared::sync::Client;

use crate::support::net::Net;
use crate::support::{doc_id, put, text};

/// Alice edits; her tab hands the change to Bob's tab at once, before the relay has it. `merge`
/// is how Bob's tab takes it in. Returns the bytes of changes Bob's tab sent up to the relay.
fn change_bytes_bob_uploads(merge: impl Fn(&mut Client, &str, &[u8])) -> usize {
    let mut net = Net::new(&["alice", "bob"]);
    let id = doc_id(40);
    net.client(0).open_with(&id, AutoCommit::new()).unwrap();
    net.change(0, &id, put("title", "AI policy"));
    net.connect_all();
    net.client(1).open(&id).unwrap();
    net.pump(1);
    net.run_until_quiescent();
    net.assert_converged(&id);
    let before = net.uploaded_change_bytes[1];

    let heads = net.heads(0, &id);
    net.change(0, &id, put("owner", "Ada, who wrote a long paragraph about why the policy matters"));
    let changes = net.client(0).doc_mut(&id).unwrap().save_after(&heads);
    merge(net.client(1), &id, &changes);
    net.pump(1);
    net.deliver_all_up(1);
    net.run_until_quiescent();

    net.assert_converged(&id);
    let owner = text(net.client(1).doc(&id).unwrap(), "owner").unwrap();
    assert!(owner.starts_with("Ada"), "{owner:?}");
    net.uploaded_change_bytes[1] - before
}

#[test]
fn changes_from_another_tab_are_not_uploaded_again() {
    let uploaded = change_bytes_bob_uploads(|client, id, changes| {
        assert!(client.merge_sent_elsewhere(id, changes).unwrap(), "the document changed");
    });
    assert_eq!(uploaded, 0, "Alice's tab sends her change; Bob's does not send it again");

    // The way Bob's tab took them in before, as if they were its own edit, sent them again.
    let as_an_edit = change_bytes_bob_uploads(|client, id, changes| {
        client.doc_mut(id).unwrap().load_incremental(changes).unwrap();
        client.local_change(id).unwrap();
    });
    assert!(as_an_edit > 0, "taken in as an edit, the change was uploaded again");
}

#[test]
fn changes_from_another_tab_reach_the_relay_if_that_tab_never_sends_them() {
    let mut net = Net::new(&["alice", "bob"]);
    let id = doc_id(41);
    net.client(0).open_with(&id, AutoCommit::new()).unwrap();
    net.change(0, &id, put("title", "AI policy"));
    net.connect_all();
    net.client(1).open(&id).unwrap();
    net.pump(1);
    net.run_until_quiescent();

    // Alice's tab goes offline, edits, passes the change to Bob's tab and closes.
    net.disconnect(0);
    let heads = net.heads(0, &id);
    net.change(0, &id, put("owner", "Ada"));
    let changes = net.client(0).doc_mut(&id).unwrap().save_after(&heads);
    net.client(1).merge_sent_elsewhere(&id, &changes).unwrap();
    net.peers.remove(0);
    net.uploaded_change_bytes.remove(0);

    // Bob's next edit carries it to the relay with his own.
    net.change(0, &id, put("status", "draft"));
    net.run_until_quiescent();
    net.assert_converged(&id);
    assert_eq!(text(&net.relay.doc(&id), "owner").as_deref(), Some("Ada"));
}
