//! The JSON API, driven without a port.

use axum::{
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use quorum_server::AppState;

/// One API call: the status and the JSON body.
pub(super) async fn call(
    state: &AppState,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    if body.is_some() {
        request = request.header(header::CONTENT_TYPE, "application/json");
    }
    let request = request.body(Body::from(body.unwrap_or_default().to_owned())).unwrap();
    let response = quorum_server::app(state.clone()).oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| panic!("{status}: not JSON: {}", String::from_utf8_lossy(&bytes)));
    (status, value)
}

/// Asserts an error's status and that its message says `words`.
pub(super) fn assert_error((status, body): (StatusCode, Value), expected: StatusCode, words: &str) {
    assert_eq!(status, expected, "{body}");
    let message = body["error"].as_str().unwrap_or_else(|| panic!("no error message in {body}"));
    assert!(message.contains(words), "{message:?} should say {words:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspaces_invites_members_and_revocation_through_the_api() {
    let state = AppState::ephemeral("no-static-files").await.unwrap();
    let post = Method::POST;

    let (status, created) = call(
        &state,
        post.clone(),
        "/api/workspaces",
        None,
        Some(r#"{"name":"Acme AIMS","owner_name":"Olga"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["role"], "owner");
    assert!(created["root_document_url"].as_str().unwrap().starts_with("automerge:"));
    let workspace = created["workspace_id"].as_str().unwrap().to_owned();
    let owner = created["token"].as_str().unwrap().to_owned();
    let owner_id = created["member_id"].as_str().unwrap().to_owned();
    let invites = format!("/api/workspaces/{workspace}/invites");
    let members = format!("/api/workspaces/{workspace}/members");

    let (status, invite) =
        call(&state, post.clone(), &invites, Some(&owner), Some(r#"{"role":"viewer"}"#)).await;
    assert_eq!(status, StatusCode::CREATED, "{invite}");
    let invite = invite["invite"].as_str().unwrap().to_owned();
    let accept = json!({ "invite": invite, "name": "Vera" }).to_string();
    let (status, viewer) = call(&state, post.clone(), "/api/invites/accept", None, Some(&accept)).await;
    assert_eq!(status, StatusCode::CREATED, "{viewer}");
    assert_eq!(viewer["role"], "viewer");
    assert_eq!(viewer["workspace_id"], workspace.as_str());
    let viewer_token = viewer["token"].as_str().unwrap().to_owned();
    let viewer_id = viewer["member_id"].as_str().unwrap().to_owned();

    let (status, listed) = call(&state, Method::GET, &members, Some(&viewer_token), None).await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> =
        listed["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Olga", "Vera"]);

    let other = state.create_workspace("Elsewhere", "Eve").await.unwrap();
    let revoke_viewer = format!("{members}/{viewer_id}");
    let revoke_owner = format!("{members}/{owner_id}");
    let errors = [
        (
            call(&state, post.clone(), "/api/workspaces", None, Some(r#"{"name":"  "}"#)).await,
            StatusCode::BAD_REQUEST,
            "must not be empty",
        ),
        (
            call(&state, post.clone(), "/api/workspaces", None, Some("{")).await,
            StatusCode::BAD_REQUEST,
            "JSON",
        ),
        (
            call(&state, post.clone(), &invites, None, Some(r#"{"role":"editor"}"#)).await,
            StatusCode::UNAUTHORIZED,
            "access token",
        ),
        (
            call(&state, post.clone(), &invites, Some("forged"), Some(r#"{"role":"editor"}"#)).await,
            StatusCode::UNAUTHORIZED,
            "format",
        ),
        (
            call(&state, post.clone(), &invites, Some(&owner), Some(r#"{"role":"admin"}"#)).await,
            StatusCode::BAD_REQUEST,
            "admin",
        ),
        (
            call(&state, post.clone(), &invites, Some(&viewer_token), Some(r#"{"role":"editor"}"#)).await,
            StatusCode::FORBIDDEN,
            "only an owner",
        ),
        (
            call(&state, post.clone(), &invites, Some(&other.token), Some(r#"{"role":"editor"}"#)).await,
            StatusCode::FORBIDDEN,
            "another workspace",
        ),
        (
            call(&state, post.clone(), "/api/invites/accept", None, Some(&accept)).await,
            StatusCode::CONFLICT,
            "already been used",
        ),
        (
            call(
                &state,
                post.clone(),
                "/api/invites/accept",
                None,
                Some(&json!({ "invite": owner, "name": "X" }).to_string()),
            )
            .await,
            StatusCode::BAD_REQUEST,
            "not an invite",
        ),
        (
            call(&state, Method::GET, &members, Some(&other.token), None).await,
            StatusCode::FORBIDDEN,
            "another workspace",
        ),
        (
            call(&state, Method::DELETE, &revoke_owner, Some(&owner), None).await,
            StatusCode::CONFLICT,
            "at least one owner",
        ),
        (
            call(&state, Method::DELETE, &format!("{members}/nobody"), Some(&owner), None).await,
            StatusCode::NOT_FOUND,
            "no member",
        ),
        (
            call(&state, Method::GET, "/api/no-such-thing", None, None).await,
            StatusCode::NOT_FOUND,
            "no such API endpoint",
        ),
    ];
    for (response, status, words) in errors {
        assert_error(response, status, words);
    }

    let (status, _) = call(&state, Method::DELETE, &revoke_viewer, Some(&owner), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_error(
        call(&state, Method::GET, &members, Some(&viewer_token), None).await,
        StatusCode::UNAUTHORIZED,
        "revoked",
    );
    let (_, listed) = call(&state, Method::GET, &members, Some(&owner), None).await;
    assert_eq!(listed["members"][1]["revoked"], true);
    state.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invites_are_listed_withdrawn_and_void_once_their_maker_is_revoked() {
    let state = AppState::ephemeral("no-static-files").await.unwrap();
    let olga = state.create_workspace("Acme AIMS", "Olga").await.unwrap();
    let workspace = olga.workspace_id.clone();
    let invites = format!("/api/workspaces/{workspace}/invites");
    let invite = async |token: &str, role: &str| {
        let (status, made) =
            call(&state, Method::POST, &invites, Some(token), Some(&format!(r#"{{"role":"{role}"}}"#))).await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        made
    };
    let accept = async |invite: &Value, name: &str| {
        let body = json!({ "invite": invite["invite"], "name": name }).to_string();
        call(&state, Method::POST, "/api/invites/accept", None, Some(&body)).await
    };

    // A second owner, Mallory, makes two invites; Olga makes one.
    let (_, mallory) = accept(&invite(&olga.token, "owner").await, "Mallory").await;
    let mallory_token = mallory["token"].as_str().unwrap().to_owned();
    let kept_back_door = invite(&mallory_token, "owner").await;
    let withdrawn = invite(&mallory_token, "editor").await;
    let olgas = invite(&olga.token, "viewer").await;

    let (status, listed) = call(&state, Method::GET, &invites, Some(&olga.token), None).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let listed = listed["invites"].as_array().unwrap();
    assert_eq!(listed.len(), 3, "{listed:?}");
    assert!(listed.iter().any(|i| i["id"] == withdrawn["id"] && i["issued_by_name"] == "Mallory"));
    assert!(listed.iter().all(|i| i.get("invite").is_none()), "the signed invite is never listed again");

    // An owner withdraws one: it can no longer be accepted, and is not listed.
    let path = format!("{invites}/{}", withdrawn["id"].as_str().unwrap());
    let (status, _) = call(&state, Method::DELETE, &path, Some(&olga.token), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_error(accept(&withdrawn, "Eve").await, StatusCode::GONE, "withdrawn");
    assert_error(
        call(&state, Method::DELETE, &path, Some(&olga.token), None).await,
        StatusCode::NOT_FOUND,
        "not known",
    );

    // Mallory is revoked: the invite she kept as a way back in is void with her.
    let member = format!("/api/workspaces/{workspace}/members/{}", mallory["member_id"].as_str().unwrap());
    assert_eq!(call(&state, Method::DELETE, &member, Some(&olga.token), None).await.0, StatusCode::OK);
    assert_error(accept(&kept_back_door, "Mallory again").await, StatusCode::GONE, "no longer a member");
    let (_, listed) = call(&state, Method::GET, &invites, Some(&olga.token), None).await;
    assert_eq!(listed["invites"].as_array().unwrap().len(), 1, "only Olga's is left: {listed}");

    // Olga's own invite still works; members cannot list invites.
    let (status, viewer) = accept(&olgas, "Vic").await;
    assert_eq!(status, StatusCode::CREATED, "{viewer}");
    let viewer_token = viewer["token"].as_str().unwrap();
    assert_error(
        call(&state, Method::GET, &invites, Some(viewer_token), None).await,
        StatusCode::FORBIDDEN,
        "owner",
    );
    state.shutdown().await;
}
