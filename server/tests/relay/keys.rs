//! Device keys through the API: a member certifies their device's key with their own token,
//! every member of the workspace can list the keys, and each kind of bad registration (another
//! member's device or key among them) is refused with a clear error and records nothing.

use axum::http::{Method, StatusCode};
use ed25519_dalek::SigningKey;
use quorum_server::AppState;
use quorum_shared::model::signature::hex;
use serde_json::json;

use super::api::{assert_error, call};

fn public_key(seed: u8) -> String {
    hex(SigningKey::from_bytes(&[seed; 32]).verifying_key().as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_certifies_a_device_key_and_every_member_lists_it() {
    let state = AppState::ephemeral("no-static-files").await.unwrap();
    let owner = state.create_workspace("Acme AIMS", "Olga").await.unwrap();
    let viewer = state.add_member(&owner.workspace_id, quorum_server::Role::Viewer, "Vera").await.unwrap();
    let other = state.create_workspace("Elsewhere", "Eve").await.unwrap();
    let keys = format!("/api/workspaces/{}/keys", owner.workspace_id);
    let device = "0123456789abcdef0123456789abcdef";
    let viewers_device = "fedcba9876543210fedcba9876543210";
    let register =
        |seed: u8, device: &str| json!({ "device": device, "public_key": public_key(seed) }).to_string();

    let (status, certified) =
        call(&state, Method::POST, &keys, Some(&owner.token), Some(&register(1, device))).await;
    assert_eq!(status, StatusCode::CREATED, "{certified}");
    assert_eq!(certified["member_id"], owner.member_id.as_str());
    assert_eq!(certified["key_id"], public_key(1)[..16]);
    // The same registration again answers the same record.
    let (status, again) =
        call(&state, Method::POST, &keys, Some(&owner.token), Some(&register(1, device))).await;
    assert_eq!((status, &again), (StatusCode::CREATED, &certified));

    let bad = [
        (
            call(&state, Method::POST, &keys, None, Some(&register(2, device))).await,
            StatusCode::UNAUTHORIZED,
            "sign in",
        ),
        (
            call(&state, Method::POST, &keys, Some(&other.token), Some(&register(2, device))).await,
            StatusCode::FORBIDDEN,
            "another workspace",
        ),
        (
            call(&state, Method::POST, &keys, Some(&viewer.token), Some(&register(2, device))).await,
            StatusCode::CONFLICT,
            "another member's",
        ),
        (
            call(&state, Method::POST, &keys, Some(&viewer.token), Some(&register(1, viewers_device))).await,
            StatusCode::CONFLICT,
            "already registered",
        ),
        (
            call(&state, Method::POST, &keys, Some(&viewer.token), Some(&register(2, "xyz"))).await,
            StatusCode::BAD_REQUEST,
            "32 hexadecimal digits",
        ),
        (
            call(
                &state,
                Method::POST,
                &keys,
                Some(&viewer.token),
                Some(&json!({ "device": device, "public_key": "00".repeat(31) }).to_string()),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "Ed25519 public key",
        ),
        (
            call(&state, Method::POST, &keys, Some(&viewer.token), Some("{")).await,
            StatusCode::BAD_REQUEST,
            "JSON",
        ),
        (
            call(&state, Method::GET, &keys, Some(&other.token), None).await,
            StatusCode::FORBIDDEN,
            "another workspace",
        ),
    ];
    for (answer, status, words) in bad {
        assert_error(answer, status, words);
    }

    // The same browser, a member of another workspace too, certifies its key there as well.
    let elsewhere = format!("/api/workspaces/{}/keys", other.workspace_id);
    let (status, answer) =
        call(&state, Method::POST, &elsewhere, Some(&other.token), Some(&register(1, device))).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");

    // A viewer registers a key of their own for their own device; both are listed, to any
    // member, and nothing else.
    let (status, _) =
        call(&state, Method::POST, &keys, Some(&viewer.token), Some(&register(2, viewers_device))).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, listed) = call(&state, Method::GET, &keys, Some(&viewer.token), None).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let owners: Vec<&str> =
        listed["keys"].as_array().unwrap().iter().map(|k| k["member_id"].as_str().unwrap()).collect();
    assert_eq!(owners, [owner.member_id.as_str(), viewer.member_id.as_str()]);
}
