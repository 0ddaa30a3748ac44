//! The relay's JSON API: create a workspace, accept an invite. Errors are worded for the person
//! at the form, with the relay's own message where it gave one.

use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

use super::Membership;

/// Asks the relay for a new workspace with this browser's person as its owner.
pub async fn create_workspace(name: &str, owner_name: &str) -> Result<Membership, String> {
    let body = serde_json::json!({ "name": name, "owner_name": owner_name });
    let membership = post("/api/workspaces", &body).await?;
    membership.remember_name(owner_name);
    Ok(membership)
}

/// Trades an invite for a membership.
pub async fn accept_invite(invite: &str, name: &str) -> Result<Membership, String> {
    let body = serde_json::json!({ "invite": invite, "name": name });
    let membership = post("/api/invites/accept", &body).await?;
    membership.remember_name(name);
    Ok(membership)
}

#[derive(Deserialize)]
struct ApiError {
    error: String,
}

const UNREACHABLE: &str = "the Quorum server cannot be reached; check the connection and try again";

async fn post(path: &str, body: &serde_json::Value) -> Result<Membership, String> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(&body.to_string()));
    let request = Request::new_with_str_and_init(path, &init).map_err(|_| UNREACHABLE.to_owned())?;
    request.headers().set("content-type", "application/json").map_err(|_| UNREACHABLE.to_owned())?;
    let window = web_sys::window().ok_or(UNREACHABLE)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .map_err(|_| UNREACHABLE.to_owned())?
        .unchecked_into();
    let text = JsFuture::from(response.text().map_err(|_| UNREACHABLE.to_owned())?)
        .await
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default();
    if !response.ok() {
        let reason = serde_json::from_str::<ApiError>(&text)
            .map(|e| e.error)
            .unwrap_or_else(|_| format!("the server answered {}", response.status()));
        return Err(reason);
    }
    serde_json::from_str(&text)
        .map_err(|_| "the server's answer could not be read; reload and try again".to_owned())
}
