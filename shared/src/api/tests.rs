use serde::{Serialize, de::DeserializeOwned};

use super::*;

/// Writes `value`, checks the JSON is exactly `json` (what the relay's tests and older clients
/// expect), and reads it back.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: T, json: &str) {
    assert_eq!(serde_json::to_string(&value).unwrap(), json);
    assert_eq!(serde_json::from_str::<T>(json).unwrap(), value);
}

#[test]
fn requests_read_and_write_as_the_relay_expects() {
    round_trip(
        CreateWorkspace { name: "Acme AIMS".into(), owner_name: "Olga".into() },
        r#"{"name":"Acme AIMS","owner_name":"Olga"}"#,
    );
    round_trip(CreateInvite { role: Role::Editor }, r#"{"role":"editor"}"#);
    round_trip(AcceptInvite { invite: "i".into(), name: "Bo".into() }, r#"{"invite":"i","name":"Bo"}"#);
}

#[test]
fn a_workspace_request_without_an_owner_name_names_the_owner_owner() {
    let request: CreateWorkspace = serde_json::from_str(r#"{"name":"Acme"}"#).unwrap();
    assert_eq!(request.owner_name, "Owner");
}

#[test]
fn responses_read_and_write_as_the_app_expects() {
    let membership = Membership {
        workspace_id: "w".into(),
        workspace_name: "Acme".into(),
        root_document_url: "automerge:abc".into(),
        member_id: "m".into(),
        role: Role::Owner,
        token: "t".into(),
        expires_at: 7,
    };
    assert_eq!(membership.root_id(), "abc");
    round_trip(
        membership,
        r#"{"workspace_id":"w","workspace_name":"Acme","root_document_url":"automerge:abc","member_id":"m","role":"owner","token":"t","expires_at":7}"#,
    );
    round_trip(
        Invite { id: "n".into(), invite: "i".into(), role: Role::Viewer, expires_at: 9 },
        r#"{"id":"n","invite":"i","role":"viewer","expires_at":9}"#,
    );
    round_trip(
        PendingInvites {
            invites: vec![PendingInvite {
                id: "n".into(),
                role: Role::Editor,
                expires_at: 9,
                issued_by: Some("m".into()),
                issued_by_name: Some("Olga".into()),
            }],
        },
        r#"{"invites":[{"id":"n","role":"editor","expires_at":9,"issued_by":"m","issued_by_name":"Olga"}]}"#,
    );
    round_trip(InviteWithdrawn { withdrawn: "n".into() }, r#"{"withdrawn":"n"}"#);
    round_trip(
        Session { workspace_id: "w".into(), member_id: "m".into(), role: Role::Editor, expires_at: 1 },
        r#"{"workspace_id":"w","member_id":"m","role":"editor","expires_at":1}"#,
    );
    round_trip(
        Members {
            members: vec![Member { id: "m".into(), name: "Bo".into(), role: Role::Viewer, revoked: true }],
        },
        r#"{"members":[{"id":"m","name":"Bo","role":"viewer","revoked":true}]}"#,
    );
    round_trip(Revoked { revoked: "m".into() }, r#"{"revoked":"m"}"#);
    round_trip(ErrorBody { error: "no".into() }, r#"{"error":"no"}"#);
}

#[test]
fn a_body_with_an_unknown_role_is_refused() {
    assert!(serde_json::from_str::<CreateInvite>(r#"{"role":"admin"}"#).is_err());
}
