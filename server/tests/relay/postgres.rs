//! The relay on PostgreSQL, in-process: two relays (two `AppState`s) on one private database
//! (`quorum_tests::postgres`) keep the tables' rules between them, and what one relay learns (a
//! revocation, whose an actor is) every other relay enforces.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use quorum_server::{Config, Role};
use quorum_tests::postgres::Postgres;
use serde_json::json;

use super::api::{assert_error, call};
use super::attribution::{refused_as_forged, write_as};
use crate::support::{Client, TestServer, get, put, stored, wait_for, within};

async fn relay(postgres: &Postgres, dir: &tempfile::TempDir, name: &str) -> TestServer {
    let data = dir.path().join(name);
    let mut config = Config::new(&data, data.join("no-static-files"));
    config.database_url = Some(postgres.url());
    TestServer::start_config(config).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_relays_on_one_database_keep_the_tables_rules_between_them() {
    let postgres = Postgres::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    // Migrations taken once by whichever relay starts first; `migrate` again finds nothing to do.
    let (one, two) = tokio::join!(relay(&postgres, &dir, "one"), relay(&postgres, &dir, "two"));
    let mut config = Config::new(dir.path().join("cli"), "");
    config.database_url = Some(postgres.url());
    assert_eq!(quorum_server::migrate(&config).await.unwrap(), "postgresql is at schema version 2");
    let (a, b) = (&one.state, &two.state);

    // A token signed by one relay works on the other: the key is the database's.
    let owner = a.create_workspace("Acme AIMS", "Olga").await.unwrap();
    let (status, session) = call(b, Method::GET, "/api/session", Some(&owner.token), None).await;
    assert_eq!(status, StatusCode::OK, "{session}");

    // An invite made on one relay is accepted once, on either.
    let invites = format!("/api/workspaces/{}/invites", owner.workspace_id);
    let (status, invite) =
        call(a, Method::POST, &invites, Some(&owner.token), Some(&json!({ "role": "editor" }).to_string()))
            .await;
    assert_eq!(status, StatusCode::CREATED, "{invite}");
    let accept = json!({ "invite": invite["invite"], "name": "Eddie" }).to_string();
    let (status, editor) = call(b, Method::POST, "/api/invites/accept", None, Some(&accept)).await;
    assert_eq!(status, StatusCode::CREATED, "{editor}");
    assert_error(
        call(a, Method::POST, "/api/invites/accept", None, Some(&accept)).await,
        StatusCode::CONFLICT,
        "already been used",
    );

    // The members as both relays list them, in the order they joined; the last owner stays.
    let members = format!("/api/workspaces/{}/members", owner.workspace_id);
    let (_, listed_a) = call(a, Method::GET, &members, Some(&owner.token), None).await;
    let (_, listed_b) = call(b, Method::GET, &members, Some(&owner.token), None).await;
    assert_eq!(listed_a, listed_b);
    let names: Vec<&str> =
        listed_a["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Olga", "Eddie"]);
    let last_owner = format!("{members}/{}", owner.member_id);
    assert_error(
        call(b, Method::DELETE, &last_owner, Some(&owner.token), None).await,
        StatusCode::CONFLICT,
        "owner",
    );

    // A device's key registered on one relay: the same device for another member, on the other
    // relay, is refused; both relays list the one key.
    let device = "0123456789abcdef0123456789abcdef";
    let key = |seed: u8| {
        let key = ed25519_dalek::SigningKey::from_bytes(&[seed; 32]);
        json!({ "device": device, "public_key": quorum_shared::model::signature::hex(key.verifying_key().as_bytes()) })
            .to_string()
    };
    let keys = format!("/api/workspaces/{}/keys", owner.workspace_id);
    let (status, certified) = call(a, Method::POST, &keys, Some(&owner.token), Some(&key(1))).await;
    assert_eq!(status, StatusCode::CREATED, "{certified}");
    let editor_token = editor["token"].as_str().unwrap();
    assert_error(
        call(b, Method::POST, &keys, Some(editor_token), Some(&key(2))).await,
        StatusCode::CONFLICT,
        "another member's",
    );
    let (_, listed) = call(b, Method::GET, &keys, Some(editor_token), None).await;
    assert_eq!(listed["keys"].as_array().map(Vec::len), Some(1), "{listed}");

    one.stop().await;
    two.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_one_relay_learns_every_relay_enforces() {
    let postgres = Postgres::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let one = relay(&postgres, &dir, "one").await;
    let two = relay(&postgres, &dir, "two").await;
    let owner = one.workspace("Acme AIMS").await;
    let editor = one.member(&owner, Role::Editor).await;

    // Ada writes on relay one, Mallory reads it on relay two and writes as herself.
    let ada = Client::connect(&one, &owner.token).await;
    let doc = ada.create("title", "AI policy").await;
    ada.acknowledged(&doc).await;
    let mallory = Client::connect(&two, &editor.token).await;
    let hers = within("the editor finds the document on the other relay", async {
        loop {
            if let Some(found) = mallory.find(doc.document_id()).await {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    put(&hers, "scope", "hiring");
    mallory.acknowledged(&hers).await;
    wait_for(&doc, "scope", "hiring").await;

    // Whose Ada's actor is was learnt on relay one; relay two refuses a change under it.
    let adas_actor = doc.with_document(|d| d.get_actor().clone());
    let base = stored(&two.state, doc.document_id()).await.expect("stored");
    refused_as_forged(
        write_as(&two, &editor.token, &doc.document_id().to_string(), &base, adas_actor.clone()).await,
        &adas_actor,
    );
    let kept = stored(&one.state, doc.document_id()).await.expect("stored");
    assert_eq!(get(&kept, "title").as_deref(), Some("AI policy"), "the forged change is not stored");

    // Revoked on relay one: cut off on relay two as well, and her next edit goes nowhere.
    one.state.revoke(&owner.workspace_id, &editor.member_id).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    put(&hers, "scope", "everything");
    tokio::time::sleep(Duration::from_millis(500)).await;
    let kept = stored(&one.state, doc.document_id()).await.expect("stored");
    assert_eq!(get(&kept, "scope").as_deref(), Some("hiring"), "a revoked member's edit is not stored");
    assert_eq!(get(&doc, "scope").as_deref(), Some("hiring"), "nor forwarded");

    mallory.stop().await;
    ada.stop().await;
    one.stop().await;
    two.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn presence_reaches_the_peers_of_the_other_relay() {
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    let postgres = Postgres::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let one = relay(&postgres, &dir, "one").await;
    let two = relay(&postgres, &dir, "two").await;
    let owner = one.workspace("Acme AIMS").await;
    let ada = Client::connect(&one, &owner.token).await;
    let doc = ada.create("title", "watched").await;
    ada.acknowledged(&doc).await;
    let document = doc.document_id().to_string();
    let (mut listener, _) = super::presence::peer_of(&two, &owner.token, "listener", &document).await;
    let (mut speaker, relay_one) = super::presence::peer_of(&one, &owner.token, "speaker", &document).await;

    let announcement = quorum_shared::wire::Message::Ephemeral {
        sender_id: "speaker".into(),
        target_id: relay_one,
        document_id: document.clone(),
        session_id: "session".into(),
        count: 1,
        data: b"in the scope field".to_vec(),
    };
    speaker.send(Message::Binary(announcement.encode().into())).await.unwrap();
    within("the listener on the other relay hears the speaker", async {
        while let Some(Ok(frame)) = listener.next().await {
            if let Message::Binary(frame) = frame
                && let Ok(quorum_shared::wire::Message::Ephemeral { sender_id, data, .. }) =
                    quorum_shared::wire::Message::decode(&frame)
            {
                assert_eq!(
                    (sender_id.as_str(), data.as_slice()),
                    ("speaker", b"in the scope field".as_slice())
                );
                return;
            }
        }
        panic!("the listener's connection ended");
    })
    .await;
    ada.stop().await;
    one.stop().await;
    two.stop().await;
}
