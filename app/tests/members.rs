//! Runs in headless Chromium: a person who joins a workspace is listed in its root document,
//! with their role and this browser's device, once the root is here; and only once.
#![cfg(target_arch = "wasm32")]

use automerge::ActorId;
use leptos::prelude::*;
use quorum_app::session::{SaveState, Sessions};
use quorum_shared::model::{self, DocumentId, Role, Workspace};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

// Not every test uses every helper.
#[allow(dead_code)]
#[path = "support/page.rs"]
mod page;

use page::tick;

/// The root document of a workspace that Ada created on another device.
fn root_made_elsewhere() -> automerge::AutoCommit {
    let mut root = model::new_document();
    root.set_actor(ActorId::random());
    model::create_workspace(&mut root, 0, "Acme AIMS", "Ada", &ActorId::random()).unwrap();
    root
}

#[wasm_bindgen_test]
async fn a_member_who_joins_is_listed_with_this_device_once() {
    let root_id = DocumentId::new_random();
    let membership = page::membership("members-test", root_id.url().to_string(), "m2", "editor");
    membership.remember_name("Bea");
    // Mounting sets up the executor the session spawns its storage and network tasks on.
    leptos::mount::mount_to_body(|| ());
    let owner = Owner::new();
    let sessions = owner.with(Sessions::new);
    sessions.open(membership.clone(), vec![(root_id.to_string(), root_made_elsewhere())]);

    // The root as the open session holds it, once it is open.
    let workspace = || {
        let session = sessions.current.get_untracked()?;
        untrack(|| session.read(&root_id.to_string(), |doc| Workspace::load(doc).ok()))?
    };
    let mut listed = None;
    for _ in 0..200 {
        tick().await;
        if let Some(bea) = workspace().and_then(|w| w.members.values().find(|m| m.name == "Bea").cloned()) {
            listed = Some(bea);
            break;
        }
    }
    let bea = listed.expect("the joining member is listed in the root document");
    assert_eq!(bea.role, Role::Editor);
    assert_eq!(bea.devices.len(), 1, "with this browser as its device");
    let device: ActorId = bea.devices.keys().next().unwrap().parse().unwrap();
    let listed = workspace().unwrap();
    assert_eq!(
        listed.member_for_actor(&device).map(|id| listed.members[&id].name.clone()).as_deref(),
        Some("Bea")
    );
    assert!(model::workspace_violations(&listed).is_empty());

    // Opening the workspace again (a reload, from IndexedDB) lists no one twice.
    for _ in 0..200 {
        if sessions.current.get_untracked().unwrap().save_state.get_untracked() == SaveState::Saved {
            break;
        }
        tick().await;
    }
    sessions.open(membership, Vec::new());
    for _ in 0..200 {
        if workspace().is_some() {
            break;
        }
        tick().await;
    }
    for _ in 0..20 {
        tick().await;
    }
    let again = workspace().expect("the root reopens from IndexedDB");
    assert_eq!(again.members.len(), 2, "Ada and Bea, once each: {:?}", again.members);
}
