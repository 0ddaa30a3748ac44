//! Runs in headless Chromium: a person who joins a workspace is listed in its root document,
//! with their role and this browser's device, once the root is here; and only once. This
//! browser's list of workspaces keeps one entry per workspace, survives bad entries, and
//! follows creating, joining and switching.
#![cfg(target_arch = "wasm32")]

use automerge::ActorId;
use leptos::prelude::*;
use quorum_app::session::{KeptMembership, Membership, Memberships, SaveState, Sessions};
use quorum_shared::model::{self, DocumentId, Role, Workspace};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

// Not every test uses every helper.
#[allow(dead_code)]
#[path = "support/page.rs"]
mod page;

use page::{element, tick};
use quorum_app::components::read_only_banner::ReadOnlyBanner;
use quorum_app::pages::{members::MembersPage, soa::SoaPage};
use wasm_bindgen::JsCast;

/// The root document of a workspace that Ada created on another device.
fn root_made_elsewhere() -> automerge::AutoCommit {
    let mut root = model::new_document();
    root.set_actor(ActorId::random());
    model::create_workspace(&mut root, 0, [1; 16], "Acme AIMS", "Ada", &ActorId::random()).unwrap();
    root
}

#[wasm_bindgen_test]
async fn a_member_who_joins_is_listed_with_this_device_once() {
    let root_id = DocumentId::from_bytes(quorum_app::session::random_id());
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

/// A membership of workspace `id` as the relay would issue it.
fn membership_of(id: &str, name: &str, role: &str) -> Membership {
    Membership {
        workspace_id: id.into(),
        workspace_name: name.into(),
        root_document_url: DocumentId::from_bytes(quorum_app::session::random_id()).url().to_string(),
        member_id: format!("member-of-{id}"),
        role: role.parse().expect("a role token"),
        token: format!("token-for-{id}"),
        expires_at: 0,
    }
}

/// The keys the e2e tests and older versions of the app read: renaming them loses memberships.
const KEY: &str = "quorum.membership";
const LIST_KEY: &str = "quorum.memberships";

fn ids(list: &Memberships) -> Vec<String> {
    list.iter().map(|m| m.workspace_id.clone()).collect()
}

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
fn the_list_keeps_one_entry_per_workspace_in_the_order_they_came() {
    let list = Memberships::default().with(membership_of("w1", "Acme AIMS", "owner")).with(membership_of(
        "w2",
        "Beta AIMS",
        "viewer",
    ));
    assert_eq!(ids(&list), ["w1", "w2"]);

    // Joining w1 again (a new invite) replaces its entry in place: new role and token.
    let rejoined = Membership { token: "new-token".into(), ..membership_of("w1", "Acme AIMS", "editor") };
    let list = list.with(rejoined.clone());
    assert_eq!(ids(&list), ["w1", "w2"], "not listed twice, and not moved");
    assert_eq!(list.get("w1"), Some(&rejoined));

    // It round-trips through what localStorage keeps.
    assert_eq!(Memberships::from_json(&list.to_json()), list);
    assert_eq!(ids(&list.clone().without("w1")), ["w2"]);
    assert_eq!(list.len(), 2);
}

#[wasm_bindgen_test]
fn an_unreadable_entry_or_list_costs_only_itself() {
    let good = serde_json::to_value(membership_of("w1", "Acme AIMS", "owner")).unwrap();
    let kept = serde_json::json!([{ "workspace_id": "w0" }, good, 42]).to_string();
    assert_eq!(ids(&Memberships::from_json(&kept)), ["w1"]);
    assert!(Memberships::from_json("not json").is_empty());
    assert!(Memberships::from_json("").is_empty());
    // Two entries for one workspace (two tabs racing) read as one, the later winning.
    let first = membership_of("w1", "Acme AIMS", "viewer");
    let second = membership_of("w1", "Acme AIMS", "editor");
    let twice = serde_json::to_string(&[&first, &second]).unwrap();
    assert_eq!(Memberships::from_json(&twice).get("w1"), Some(&second));
}

// One test for everything that touches localStorage, so no other test changes it meanwhile.
#[wasm_bindgen_test]
fn saving_opens_a_workspace_and_adds_it_to_the_list() {
    let storage = local_storage();
    storage.remove_item(LIST_KEY).unwrap();

    // A browser that joined one workspace before there was a list still lists it.
    let old = membership_of("kept-before-lists", "Acme AIMS", "owner");
    storage.set_item(KEY, &serde_json::to_string(&old).unwrap()).unwrap();
    assert_eq!(ids(&Memberships::load()), ["kept-before-lists"]);

    // Creating a second workspace makes it the open one and lists both.
    let second = membership_of("second", "Beta AIMS", "owner");
    second.save().unwrap();
    assert_eq!(Membership::load(), Some(second.clone()), "the open workspace, where tests read the token");
    assert_eq!(ids(&Memberships::load()), ["kept-before-lists", "second"]);

    // Switching back keeps the list as it was.
    old.save().unwrap();
    assert_eq!(Membership::load(), Some(old.clone()));
    assert_eq!(ids(&Memberships::load()), ["kept-before-lists", "second"]);
    let kept: serde_json::Value =
        serde_json::from_str(&storage.get_item(LIST_KEY).unwrap().unwrap()).unwrap();
    assert_eq!(kept.as_array().map(Vec::len), Some(2), "kept under {}", LIST_KEY);
}

/// Mounts `page` with a workspace made here, opened as `role`; no relay answers.
fn mount_as(test: &str, role: &str, page: fn() -> AnyView) -> web_sys::HtmlElement {
    let membership = page::membership(
        test,
        DocumentId::from_bytes(quorum_app::session::random_id()).url().to_string(),
        "m1",
        role,
    );
    let documents = quorum_app::session::new_workspace_documents(&membership, "Ada").unwrap();
    let host = page::host();
    let mounted = leptos::mount::mount_to(host.clone(), move || {
        let sessions = Sessions::new();
        sessions.open(membership, documents);
        // What the workspace frame hands every page.
        provide_context(sessions.current.get_untracked().expect("a session"));
        provide_context(sessions);
        page()
    });
    // The page stays mounted for the rest of the test run.
    mounted.forget();
    host
}

fn disabled(element: &web_sys::Element) -> bool {
    js_sys::Reflect::get(element, &"disabled".into()).unwrap() == true
}

#[wasm_bindgen_test]
async fn a_viewer_sees_every_soa_field_disabled_under_a_read_only_note() {
    let host = mount_as("viewer-soa", "viewer", || view! { <ReadOnlyBanner/> <SoaPage/> }.into_any());
    element(&host, "li[data-control='A.10.4']").await;
    let banner = element(&host, ".read-only-banner").await;
    assert!(banner.text_content().unwrap_or_default().contains("only owners and editors can change it"));
    let fields = host.query_selector_all("li.soa-row select, li.soa-row textarea").unwrap();
    assert_eq!(fields.length(), 38 * 4, "four fields in each of the 38 rows");
    for i in 0..fields.length() {
        let field: web_sys::Element = fields.item(i).unwrap().dyn_into().unwrap();
        assert!(disabled(&field), "{} is disabled", field.id());
    }
}

#[wasm_bindgen_test]
async fn an_editor_sees_no_read_only_note_and_fields_that_work() {
    let host = mount_as("editor-soa", "editor", || view! { <ReadOnlyBanner/> <SoaPage/> }.into_any());
    let row = element(&host, "li[data-control='A.10.4']").await;
    assert!(host.query_selector(".read-only-banner").unwrap().is_none());
    for field in ["select.applicability", "select.status", "select.owner", "textarea.justification"] {
        assert!(!disabled(&row.query_selector(field).unwrap().unwrap()), "{field} can be changed");
    }
}

#[wasm_bindgen_test]
async fn with_no_relay_the_members_page_shows_this_devices_copy_and_you_in_it() {
    let host = mount_as("members-copy", "owner", || view! { <MembersPage/> }.into_any());
    // The root document lists Ada, who made the workspace on this device.
    let ada = element(&host, "li.member[data-member-name='Ada']").await;
    assert_eq!(ada.get_attribute("data-you").as_deref(), Some("true"));
    assert_eq!(ada.get_attribute("data-role").as_deref(), Some("owner"));
    let note = element(&host, ".members-copy-note").await;
    assert!(note.text_content().unwrap_or_default().contains("as this device last saw it"));
    // No revoke from a copy: the relay is what revokes, and it did not answer.
    assert!(host.query_selector("button.revoke").unwrap().is_none());
    // An owner still sees the invite form; its error says what went wrong if used.
    assert!(host.query_selector("#invite-role").unwrap().is_some());
}

#[wasm_bindgen_test]
async fn a_viewer_reads_the_members_without_the_owners_controls() {
    let host = mount_as("members-viewer", "viewer", || view! { <MembersPage/> }.into_any());
    element(&host, "li.member[data-member-name='Ada']").await;
    assert!(host.query_selector("#invite-role").unwrap().is_none(), "no invite form");
    let note = element(&host, ".members-read-only").await;
    assert!(note.text_content().unwrap_or_default().contains("Only owners can invite"));
}
