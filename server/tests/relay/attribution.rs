//! Attribution the relay enforces, on the real relay. A hand-made peer with an editor's token
//! sends a change under the owner's actor: it gets an `error`, the change is neither stored nor
//! forwarded, and the refusal holds after a restart. A device its member registered with a key
//! covers every actor it begins: a change by one of them from anyone else is refused, and no one
//! else may register it. The editor's own changes, from a stock samod peer, pass throughout.

use std::time::Duration;

use automerge::{ActorId, Automerge, ROOT, sync, sync::SyncDoc, transaction::Transactable};
use futures::{SinkExt, StreamExt};
use quorum_server::{Membership, Role};
use quorum_shared::wire;
use samod::DocHandle;
use tokio_tungstenite::tungstenite::{Message, protocol::frame::coding::CloseCode};

use super::bad_input::{Raw, connect, join, next_frame};
use super::metrics::metric;
use crate::support::{Client, TestServer, get, put, stored, wait_for, within};

/// A hand-made peer: joins, and sends `base` plus one change under `actor` to the relay as
/// automerge's sync protocol would, until the relay has it or closes the connection. Answers the
/// error the relay sent and its close code (both `None` once the relay has the change).
pub(super) async fn write_as(
    server: &TestServer,
    token: &str,
    document: &str,
    base: &Automerge,
    actor: ActorId,
) -> (Option<String>, Option<CloseCode>) {
    let mut raw: Raw = connect(server, token, None).await;
    raw.send(Message::Binary(join("mallory").into())).await.unwrap();
    let reply = next_frame(&mut raw).await.expect("the relay answers the join");
    let Ok(wire::Message::Peer { sender_id: relay, .. }) = wire::Message::decode(&reply) else {
        panic!("a peer message")
    };
    let mut ours = base.fork().with_actor(actor.clone());
    ours.transact::<_, _, automerge::AutomergeError>(|tx| {
        // Named by its actor: a put of the value already there would make no change at all.
        tx.put(ROOT, "title", format!("Ada resigns ({actor})"))?;
        Ok(())
    })
    .unwrap();
    let mut state = sync::State::new();
    let sync_frame = |data: Vec<u8>, request: bool| {
        let (sender_id, target_id, document_id) = ("mallory".to_owned(), relay.clone(), document.to_owned());
        match request {
            true => wire::Message::Request { sender_id, target_id, document_id, data },
            false => wire::Message::Sync { sender_id, target_id, document_id, data },
        }
        .encode()
    };
    let first = ours.generate_sync_message(&mut state).expect("a first message").encode();
    raw.send(Message::Binary(sync_frame(first, true).into())).await.unwrap();
    within("the relay answers the forgery", async {
        let mut error = None;
        while let Some(message) = raw.next().await {
            match message {
                Ok(Message::Binary(frame)) => match wire::Message::decode(&frame) {
                    Ok(wire::Message::Sync { data, .. }) => {
                        ours.receive_sync_message(&mut state, sync::Message::decode(&data).unwrap()).unwrap();
                        // The relay names our heads only once it has committed them.
                        if state.their_heads.as_ref() == Some(&ours.get_heads()) {
                            return (None, None);
                        }
                        if let Some(next) = ours.generate_sync_message(&mut state) {
                            raw.send(Message::Binary(sync_frame(next.encode(), false).into())).await.unwrap();
                        }
                    }
                    Ok(wire::Message::Error { message, .. }) => error = Some(message),
                    _ => {}
                },
                Ok(Message::Close(frame)) => return (error, frame.map(|f| f.code)),
                Ok(_) => {}
                Err(_) => return (error, None),
            }
        }
        (error, None)
    })
    .await
}

pub(super) fn refused_as_forged((error, code): (Option<String>, Option<CloseCode>), actor: &ActorId) {
    let error = error.expect("the relay says why");
    assert!(error.contains("another member's") && error.contains(&actor.to_hex_string()), "{error}");
    assert_eq!(code, Some(CloseCode::Policy));
}

/// A relay in `dir` with Ada, its owner, her samod peer and her document ("AI policy",
/// acknowledged), and an editor's membership for Mallory.
async fn ada_and_an_editor(dir: &std::path::Path) -> (TestServer, Membership, Membership, Client, DocHandle) {
    let server = TestServer::start(dir).await;
    let owner = server.workspace("Acme AIMS").await;
    let editor = server.member(&owner, Role::Editor).await;
    let ada = Client::connect(&server, &owner.token).await;
    let doc = ada.create("title", "AI policy").await;
    ada.acknowledged(&doc).await;
    (server, owner, editor, ada, doc)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_under_another_members_actor_is_refused_neither_stored_nor_forwarded() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _, editor, ada, doc) = ada_and_an_editor(dir.path()).await;
    let adas_actor = doc.with_document(|d| d.get_actor().clone());

    // Mallory's stock peer edits as herself: her actor is hers.
    let mallory = Client::connect(&server, &editor.token).await;
    let hers = mallory.find(doc.document_id()).await.expect("the editor finds it");
    put(&hers, "scope", "hiring");
    mallory.acknowledged(&hers).await;
    wait_for(&doc, "scope", "hiring").await;

    refused_and_not_stored(&server, &editor.token, doc.document_id(), &adas_actor).await;
    // Nor forwarded: Ada's next edit arrives, the forged title never does.
    put(&doc, "owner", "Ada");
    ada.acknowledged(&doc).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(get(&doc, "title").as_deref(), Some("AI policy"));

    mallory.stop().await;
    ada.stop().await;
    server.stop().await;
    let server = TestServer::start(dir.path()).await;
    bindings_came_back(&server);
    refused_and_not_stored(&server, &editor.token, doc.document_id(), &adas_actor).await;
    server.stop().await;
}

/// Mallory writes as `actor` and is refused, and the relay keeps the title it had.
async fn refused_and_not_stored(server: &TestServer, token: &str, id: &samod::DocumentId, actor: &ActorId) {
    let base = stored(&server.state, id).await.expect("stored");
    refused_as_forged(write_as(server, token, &id.to_string(), &base, actor.clone()).await, actor);
    let kept = stored(&server.state, id).await.expect("stored");
    assert_eq!(get(&kept, "title").as_deref(), Some("AI policy"), "the forged change is not stored");
    // Counted since this start (the counters are published once the relay's round is over).
    within("the refusal is counted", async {
        while metric(server, "forged_refused_total") != 1 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
}

/// The bindings came back from the database with the relay: Ada's actor and Mallory's.
fn bindings_came_back(server: &TestServer) {
    assert!(metric(server, "actor_bindings") >= 2, "{}", server.state.render_metrics());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registered_device_is_its_members_for_every_actor_it_begins() {
    let dir = tempfile::tempdir().unwrap();
    let (server, owner, editor, ada, doc) = ada_and_an_editor(dir.path()).await;
    let document = doc.document_id().to_string();

    // Ada's device, as the app registers it with her signing key.
    let device = [0xad; 16];
    let register = |token: &str, seed: u8| {
        let key = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
        let body = serde_json::json!({
            "device": quorum_shared::model::signature::hex(&device),
            "public_key": quorum_shared::model::signature::hex(key.verifying_key().as_bytes()),
        });
        let path = format!("/api/workspaces/{}/keys", owner.workspace_id);
        let (state, token, body) = (server.state.clone(), token.to_owned(), body.to_string());
        async move { super::api::call(&state, axum::http::Method::POST, &path, Some(&token), Some(&body)).await }
    };
    let (status, answer) = register(&owner.token, 1).await;
    assert_eq!(status, axum::http::StatusCode::CREATED, "{answer}");
    let (status, answer) = register(&editor.token, 2).await;
    assert_eq!(status, axum::http::StatusCode::CONFLICT, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("another member's"), "{answer}");

    // A tab of Ada's device that has never written: Mallory cannot write as it.
    let tab = ActorId::from([device.as_slice(), &[7; 8]].concat());
    let base = stored(&server.state, doc.document_id()).await.expect("stored");
    refused_as_forged(write_as(&server, &editor.token, &document, &base, tab.clone()).await, &tab);
    // Ada can.
    assert_eq!(
        write_as(&server, &owner.token, &document, &base, tab.clone()).await,
        (None, None),
        "Ada's own device"
    );
    let kept = stored(&server.state, doc.document_id()).await.expect("stored");
    assert_eq!(get(&kept, "title"), Some(format!("Ada resigns ({tab})")));

    // The device stays Ada's after a restart: another of its tabs is still not Mallory's.
    ada.stop().await;
    server.stop().await;
    let server = TestServer::start(dir.path()).await;
    let other_tab = ActorId::from([device.as_slice(), &[8; 8]].concat());
    refused_as_forged(
        write_as(&server, &editor.token, &document, &kept, other_tab.clone()).await,
        &other_tab,
    );
    server.stop().await;
}
