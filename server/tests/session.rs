//! A member's own access through the API: `GET /api/session` says whether a token still works
//! (and why not), `POST /api/session/refresh` trades a working one for a fresh one.

use axum::{
    body::Body,
    http::{Method, Request, StatusCode, header},
};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use quorum_server::{AppState, Claims, Role, TokenKind, token};

/// One API call: the status and the JSON body.
async fn call(state: &AppState, method: Method, path: &str, token: Option<&str>) -> (StatusCode, Value) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let response =
        quorum_server::app(state.clone()).oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| panic!("{status}: not JSON: {}", String::from_utf8_lossy(&bytes)));
    (status, value)
}

fn assert_refused((status, body): (StatusCode, Value), words: &str) {
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let message = body["error"].as_str().unwrap_or_else(|| panic!("no error message in {body}"));
    assert!(message.contains(words), "{message:?} should say {words:?}");
}

async fn check(state: &AppState, token: &str) -> (StatusCode, Value) {
    call(state, Method::GET, "/api/session", Some(token)).await
}

async fn refresh(state: &AppState, token: &str) -> (StatusCode, Value) {
    call(state, Method::POST, "/api/session/refresh", Some(token)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_working_token_is_described_and_traded_for_one_that_lasts_longer() {
    let state = AppState::ephemeral("no-static-files").await.unwrap();
    let owner = state.create_workspace("Acme AIMS", "Olga").await.unwrap();
    let editor = state.add_member(&owner.workspace_id, Role::Editor, "Ed").await.unwrap();

    let (status, session) = check(&state, &editor.token).await;
    assert_eq!(status, StatusCode::OK, "{session}");
    assert_eq!(session["workspace_id"], editor.workspace_id.as_str());
    assert_eq!(session["member_id"], editor.member_id.as_str());
    assert_eq!(session["role"], "editor");
    assert_eq!(session["expires_at"], editor.expires_at);

    // A token of the editor's that ends in an hour, as one near its end would.
    let soon = token::now() + 3600;
    let ending = state.sign(&Claims {
        kind: TokenKind::Access,
        workspace: editor.workspace_id.clone(),
        role: Role::Editor,
        subject: editor.member_id.clone(),
        expires_at: soon,
    });
    let (status, fresh) = refresh(&state, &ending).await;
    assert_eq!(status, StatusCode::OK, "{fresh}");
    assert_eq!(fresh["workspace_id"], editor.workspace_id.as_str());
    assert_eq!(fresh["workspace_name"], "Acme AIMS");
    assert_eq!(fresh["root_document_url"], editor.root_document_url.as_str());
    assert_eq!(fresh["member_id"], editor.member_id.as_str());
    assert_eq!(fresh["role"], "editor");
    let expires_at = fresh["expires_at"].as_u64().unwrap();
    assert!(expires_at > soon + 80 * 24 * 3600, "{expires_at} should be about 90 days away");
    let token = fresh["token"].as_str().unwrap();
    assert_ne!(token, ending);

    let (status, session) = check(&state, token).await;
    assert_eq!(status, StatusCode::OK, "{session}");
    assert_eq!(session["member_id"], editor.member_id.as_str());
    assert_eq!(session["expires_at"], expires_at);
    state.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_expired_and_foreign_tokens_are_refused_with_the_reason() {
    let state = AppState::ephemeral("no-static-files").await.unwrap();
    let owner = state.create_workspace("Acme AIMS", "Olga").await.unwrap();
    let viewer = state.add_member(&owner.workspace_id, Role::Viewer, "Vera").await.unwrap();
    state.revoke(&owner.workspace_id, &viewer.member_id).await.unwrap();
    assert_refused(check(&state, &viewer.token).await, "revoked");
    assert_refused(refresh(&state, &viewer.token).await, "revoked");

    let expired = state.sign(&Claims {
        kind: TokenKind::Access,
        workspace: owner.workspace_id.clone(),
        role: Role::Owner,
        subject: owner.member_id.clone(),
        expires_at: token::now() - 10,
    });
    assert_refused(check(&state, &expired).await, "expired");
    assert_refused(refresh(&state, &expired).await, "expired");

    let invite = state.sign(&Claims {
        kind: TokenKind::Invite,
        workspace: owner.workspace_id.clone(),
        role: Role::Editor,
        subject: "an-invite".into(),
        expires_at: token::now() + 3600,
    });
    assert_refused(refresh(&state, &invite).await, "invite");
    // Well formed, but signed by another server's key.
    let elsewhere = AppState::ephemeral("no-static-files").await.unwrap();
    let foreign = elsewhere.create_workspace("Elsewhere", "Eve").await.unwrap();
    assert_refused(refresh(&state, &foreign.token).await, "not issued by this server");
    assert_refused(refresh(&state, "forged").await, "format");
    elsewhere.shutdown().await;
    assert_refused(call(&state, Method::POST, "/api/session/refresh", None).await, "access token");
    assert_refused(call(&state, Method::GET, "/api/session", None).await, "access token");

    // The owner's own token still works after all that.
    let (status, _) = check(&state, &owner.token).await;
    assert_eq!(status, StatusCode::OK);
    state.shutdown().await;
}
