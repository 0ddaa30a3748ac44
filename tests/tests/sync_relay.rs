//! `shared`'s sync client against the real relay over real WebSockets: members of one workspace
//! (tokens issued through the JSON API) converge after concurrent edits, a member joining later
//! receives the document, a client whose connection drops mid-sync resumes without resending
//! the document, ephemeral messages reach the other client, and a document asked for before it
//! reaches the relay arrives when it does (and only at those who asked). Every wait is on a
//! condition, bounded by a timeout; nothing sleeps.

// The model's operations return its (large) error by value, as the app calls them.
#![allow(clippy::result_large_err)]

use automerge::AutoCommit;
use quorum_shared::model::{
    self, ControlId, DocumentId, ImplementationStatus, StatementOfApplicability, TextEdit,
};
use quorum_shared::sync::Event;
use quorum_tests::sync_peer::{SyncPeer, converged, fresh_bytes, run_until, share};
use quorum_tests::{Server, http};
use serde_json::json;

/// A workspace's members: the owner's token, and one more editor's per name in `editors`.
async fn workspace(server: &Server, editors: &[&str]) -> anyhow::Result<(String, Vec<String>)> {
    let (status, owner) = http::post_json(
        server.addr,
        "/api/workspaces",
        None,
        &json!({ "name": "Acme AIMS", "owner_name": "Ada" }),
    )
    .await?;
    anyhow::ensure!(status == 201, "workspace not created: {status} {owner}");
    let owner_token = owner["token"].as_str().unwrap_or_default().to_owned();
    let invites = format!("/api/workspaces/{}/invites", owner["workspace_id"].as_str().unwrap_or_default());
    let mut tokens = Vec::new();
    for name in editors {
        let (status, invite) =
            http::post_json(server.addr, &invites, Some(&owner_token), &json!({ "role": "editor" })).await?;
        anyhow::ensure!(status == 201, "invite not created: {status} {invite}");
        let accept = json!({ "invite": invite["invite"], "name": name });
        let (status, member) = http::post_json(server.addr, "/api/invites/accept", None, &accept).await?;
        anyhow::ensure!(status == 201, "invite not accepted: {status} {member}");
        tokens.push(member["token"].as_str().unwrap_or_default().to_owned());
    }
    Ok((owner_token, tokens))
}

/// A new Statement of Applicability, as the app makes one.
fn new_soa() -> (String, AutoCommit) {
    let mut doc = model::new_document();
    model::create_soa(&mut doc, 1_000).unwrap();
    (DocumentId::from_bytes(fresh_bytes()).to_string(), doc)
}

fn control(id: &str) -> ControlId {
    id.parse().unwrap()
}

/// Runs one domain operation on a peer's open document through its client, which queues the
/// change for the relay.
fn edit(
    peer: &mut SyncPeer,
    doc: &str,
    operation: impl FnOnce(&mut AutoCommit) -> Result<(), model::ModelError>,
) -> anyhow::Result<()> {
    peer.client.change(doc, |d| operation(d).map_err(Box::new))??;
    Ok(())
}

fn soa(peer: &SyncPeer, doc: &str) -> StatementOfApplicability {
    StatementOfApplicability::load(peer.client.doc(doc).expect("the document is open")).unwrap()
}

#[tokio::test]
async fn two_clients_converge_after_concurrent_edits() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let (owner, editors) = workspace(&server, &["Bea"]).await?;
    let mut a = SyncPeer::connect(server.addr, &owner, "peer-ada").await?;
    let mut b = SyncPeer::connect(server.addr, &editors[0], "peer-bea").await?;
    let (id, doc) = new_soa();
    share(&mut a, &mut [&mut b], &id, doc).await?;

    // Neither reads the other's edits before making its own: the same justification typed into
    // at once, and different fields of different controls.
    let justification = control("A.10.4");
    edit(&mut a, &id, |d| {
        model::edit_justification(d, 2_000, justification, "We buy no AI services".into())
    })?;
    edit(&mut a, &id, |d| {
        model::set_implementation_status(d, 2_001, control("A.2.2"), ImplementationStatus::Planned)
    })?;
    edit(&mut b, &id, |d| model::edit_justification(d, 2_000, justification, "Out of scope".into()))?;
    edit(&mut b, &id, |d| model::exclude_control(d, 2_002, control("A.6.2.4"), "No such systems"))?;
    a.flush().await?;
    b.flush().await?;
    run_until(&mut [&mut a, &mut b], "both clients to converge", |p| converged(p, &id)).await?;

    let (at_a, at_b) = (soa(&a, &id), soa(&b, &id));
    assert_eq!(at_a, at_b, "both clients hold the same Statement of Applicability");
    let text = at_a.rows[&justification].justification.as_str();
    assert_eq!(
        text.len(),
        "We buy no AI services".len() + "Out of scope".len(),
        "both typings merged: {text:?}"
    );
    assert_eq!(at_a.rows[&control("A.2.2")].status, ImplementationStatus::Planned);
    assert_eq!(at_a.rows[&control("A.6.2.4")].justification.as_str(), "No such systems");
    Ok(())
}

#[tokio::test]
async fn a_client_joining_later_receives_the_document() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let (owner, editors) = workspace(&server, &["Bea", "Cem"]).await?;
    let mut a = SyncPeer::connect(server.addr, &owner, "peer-ada").await?;
    let mut b = SyncPeer::connect(server.addr, &editors[0], "peer-bea").await?;
    let (id, doc) = new_soa();
    share(&mut a, &mut [&mut b], &id, doc).await?;
    for (i, c) in ["A.2.2", "A.2.3", "A.2.4"].into_iter().enumerate() {
        edit(&mut a, &id, |d| {
            model::set_implementation_status(
                d,
                3_000 + i as i64,
                control(c),
                ImplementationStatus::InProgress,
            )
        })?;
    }
    edit(&mut b, &id, |d| model::include_control(d, 3_100, control("A.10.4")))?;
    a.flush().await?;
    b.flush().await?;
    run_until(&mut [&mut a, &mut b], "the first two clients to converge", |p| converged(p, &id)).await?;

    // The third member connects only now, with nothing of the document.
    let mut c = SyncPeer::connect(server.addr, &editors[1], "peer-cem").await?;
    c.client.open(&id)?;
    c.flush().await?;
    run_until(&mut [&mut a, &mut b, &mut c], "the late client to receive the document", |p| {
        converged(p, &id)
    })
    .await?;
    assert_eq!(soa(&c, &id), soa(&a, &id));
    assert!(c.take_events().contains(&Event::DocumentChanged { document_id: id.clone() }));
    Ok(())
}

#[tokio::test]
async fn a_client_that_reconnects_mid_sync_sends_only_what_changed() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let (owner, editors) = workspace(&server, &["Bea"]).await?;
    let mut a = SyncPeer::connect(server.addr, &owner, "peer-ada").await?;
    let mut b = SyncPeer::connect(server.addr, &editors[0], "peer-bea").await?;

    // A policy with a long history: every sentence typed as its own edit.
    let id = DocumentId::from_bytes(fresh_bytes()).to_string();
    let mut doc = model::new_document();
    model::create_policy(&mut doc, 1_000, "AI policy", "")?;
    let mut text = String::new();
    for i in 0..300 {
        text.push_str(&format!("Sentence {i} of the policy says what the organization commits to. "));
        model::edit_policy_text(&mut doc, 1_001 + i, TextEdit::Replace(text.clone()))?;
    }
    // What resending everything would cost: every change as the sync protocol carries it (a
    // saved document is compressed far below that, so it is not the yardstick).
    let document_size: usize = doc.get_changes(&[]).iter().map(|c| c.raw_bytes().len()).sum();
    share(&mut a, &mut [&mut b], &id, doc).await?;

    // A edits and sends, and its connection drops before it reads the relay's answer.
    for i in 0..5 {
        text.push_str(&format!("Amendment {i}. "));
        edit(&mut a, &id, |d| model::edit_policy_text(d, 5_000 + i, TextEdit::Replace(text.clone())))?;
    }
    a.flush().await?;
    a.drop_connection();
    // Meanwhile B edits too, and A keeps editing offline.
    edit(&mut b, &id, |d| model::set_policy_title(d, 5_100, "AI policy of Acme"))?;
    b.flush().await?;
    edit(&mut a, &id, |d| model::edit_policy_text(d, 5_200, TextEdit::Replace(format!("{text}Offline."))))?;

    a.reconnect().await?;
    run_until(&mut [&mut a, &mut b], "both clients to converge after the reconnect", |p| converged(p, &id))
        .await?;
    let policy = model::AiPolicy::load(a.client.doc(&id).unwrap())?;
    assert_eq!(policy.title, "AI policy of Acme");
    assert!(policy.text.as_str().ends_with("Amendment 4. Offline."), "the offline edit is kept");
    assert_eq!(policy, model::AiPolicy::load(b.client.doc(&id).unwrap())?);
    // The join, a sync message with heads and a Bloom filter, and the few changes the relay
    // lacks: a small fraction of the document.
    assert!(
        a.bytes_sent * 10 < document_size,
        "after reconnecting A sent {} bytes; its changes are {document_size} bytes",
        a.bytes_sent
    );
    Ok(())
}

#[tokio::test]
async fn ephemeral_messages_reach_the_other_client() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let (owner, editors) = workspace(&server, &["Bea"]).await?;
    let mut a = SyncPeer::connect(server.addr, &owner, "peer-ada").await?;
    let mut b = SyncPeer::connect(server.addr, &editors[0], "peer-bea").await?;
    let (id, doc) = new_soa();
    share(&mut a, &mut [&mut b], &id, doc).await?;

    a.client.broadcast(&id, b"cursor A.10.4 justification 7".to_vec())?;
    a.flush().await?;
    let from_a = Event::Ephemeral {
        document_id: id.clone(),
        sender_id: "peer-ada".into(),
        data: b"cursor A.10.4 justification 7".to_vec(),
    };
    run_until(&mut [&mut a, &mut b], "A's presence to reach B", |p| p[1].events.contains(&from_a)).await?;

    // And back: B's reply reaches A, and A never hears its own message.
    b.client.broadcast(&id, b"cursor A.2.2".to_vec())?;
    b.flush().await?;
    let from_b = Event::Ephemeral {
        document_id: id.clone(),
        sender_id: "peer-bea".into(),
        data: b"cursor A.2.2".to_vec(),
    };
    run_until(&mut [&mut a, &mut b], "B's presence to reach A", |p| p[0].events.contains(&from_b)).await?;
    assert!(
        !a.events.iter().any(|e| matches!(e, Event::Ephemeral { sender_id, .. } if sender_id == "peer-ada"))
    );
    Ok(())
}

/// The relay sends a document only to the peers that open it (it announces nothing), so the app
/// must find every document by asking: a member who opens a document the relay does not have
/// yet (another member made it offline, say) is told it is unavailable, keeps waiting, and
/// receives it as soon as it arrives; a member who never opened it never receives it.
#[tokio::test]
async fn a_document_asked_for_before_it_reaches_the_relay_arrives_when_it_does() -> anyhow::Result<()> {
    let server = Server::start().await?;
    let (owner, editors) = workspace(&server, &["Bea", "Cem"]).await?;
    let mut a = SyncPeer::connect(server.addr, &owner, "peer-ada").await?;
    let mut b = SyncPeer::connect(server.addr, &editors[0], "peer-bea").await?;
    let mut c = SyncPeer::connect(server.addr, &editors[1], "peer-cem").await?;
    let (id, doc) = new_soa();

    b.client.open(&id)?;
    b.flush().await?;
    let unavailable = Event::DocumentUnavailable { document_id: id.clone() };
    run_until(&mut [&mut b], "the relay to say it lacks the document", |p| {
        p[0].events.contains(&unavailable)
    })
    .await?;

    a.client.open_with(&id, doc)?;
    a.flush().await?;
    run_until(&mut [&mut a, &mut b], "the waiting member to receive the document", |p| converged(p, &id))
        .await?;
    assert_eq!(soa(&b, &id), soa(&a, &id));

    // C, who never opened it, then shares another document with A: by the time that one has
    // arrived, anything the relay had sent C about the first would have arrived before it.
    let (other, other_doc) = new_soa();
    share(&mut a, &mut [&mut c], &other, other_doc).await?;
    assert!(c.client.doc(&id).is_none(), "a member who did not open the document was sent it");
    assert!(
        !c.events.iter().any(|e| matches!(e, Event::DocumentChanged { document_id } if *document_id == id))
    );
    Ok(())
}
