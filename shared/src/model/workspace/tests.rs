use super::*;
use crate::model::new_document;
use crate::model::testing::{one_commit, refused};

fn workspace() -> (AutoCommit, MemberId) {
    let mut doc = new_document().with_actor(ActorId::from([1u8; 16]));
    let device = doc.get_actor().clone();
    let owner =
        create_workspace(&mut doc, 0, crate::model::testing::random(), "Acme", "Ada", &device).unwrap();
    (doc, owner)
}

#[test]
fn members_roles_and_devices() {
    let (mut doc, ada) = workspace();
    let bo = one_commit(&mut doc, "add member \"Bo\" as editor", |doc| {
        add_member(doc, 0, crate::model::testing::random(), "Bo", Role::Editor).unwrap()
    });
    let laptop = ActorId::from([2u8; 16]);
    one_commit(&mut doc, "add device \"laptop\" for \"Bo\"", |doc| {
        add_device(doc, 0, bo, &laptop, "laptop").unwrap()
    });
    let ada_device = ActorId::from([1u8; 16]);
    let claimed = refused(&mut doc, |doc| add_device(doc, 0, bo, &ada_device, "stolen"));
    assert!(matches!(claimed, ModelError::DeviceClaimed(_)));
    let ws = Workspace::load(&doc).unwrap();
    assert_eq!(ws.member_for_actor(&laptop), Some(bo));
    assert_eq!(ws.member_for_actor(&ada_device), Some(ada));
    // Each tab of a browser commits under the device id plus a suffix of its own.
    let laptop_tab = ActorId::from([[2u8; 16].as_slice(), &[9, 9, 9, 9]].concat());
    assert_eq!(ws.member_for_actor(&laptop_tab), Some(bo));
    let stranger = ActorId::from([[3u8; 16].as_slice(), &[2u8; 16]].concat());
    assert_eq!(ws.member_for_actor(&stranger), None, "only a prefix counts");

    assert!(matches!(
        refused(&mut doc, |doc| set_member_role(doc, 0, ada, Role::Viewer)),
        ModelError::LastOwner
    ));
    assert!(matches!(refused(&mut doc, |doc| remove_member(doc, 0, ada)), ModelError::LastOwner));
    one_commit(&mut doc, "make \"Bo\" owner", |doc| set_member_role(doc, 0, bo, Role::Owner).unwrap());
    set_member_role(&mut doc, 0, ada, Role::Viewer).unwrap();
    rename_member(&mut doc, 0, ada, "Ada L.").unwrap();
    remove_device(&mut doc, 0, bo, &laptop).unwrap();
    remove_member(&mut doc, 0, ada).unwrap();
    let ws = Workspace::load(&doc).unwrap();
    assert_eq!(ws.members.len(), 1);
    assert!(ws.members[&bo].devices.is_empty());
    assert!(
        refused(&mut doc, |doc| add_member(doc, 0, crate::model::testing::random(), " ", Role::Viewer))
            .to_string()
            .contains("empty")
    );
}

#[test]
fn documents_and_settings() {
    let (mut doc, _) = workspace();
    let soa = DocumentId::from_bytes([3; 16]);
    one_commit(&mut doc, "add soa document \"SoA\"", |doc| {
        register_document(doc, 5, soa, DocumentKind::StatementOfApplicability, "SoA").unwrap()
    });
    rename_document(&mut doc, 0, soa, "Statement of Applicability").unwrap();
    let settings = Settings { organization: "Acme Ltd".into(), review_interval_months: 6 };
    set_settings(&mut doc, 0, &settings).unwrap();
    rename_workspace(&mut doc, 0, "Acme AIMS").unwrap();
    let ws = Workspace::load(&doc).unwrap();
    assert_eq!(ws.name, "Acme AIMS");
    assert_eq!(ws.settings, settings);
    let (_, entry) = ws.documents_of(DocumentKind::StatementOfApplicability).next().unwrap();
    assert_eq!((entry.title.as_str(), entry.created_at_ms), ("Statement of Applicability", 5));
    remove_document(&mut doc, 0, soa).unwrap();
    assert!(Workspace::load(&doc).unwrap().documents.is_empty());
    assert!(matches!(refused(&mut doc, |doc| remove_document(doc, 0, soa)), ModelError::NotFound { .. }));
}

#[test]
fn concurrent_demotions_can_leave_no_owner_and_it_is_reported() {
    let (mut doc, ada) = workspace();
    let bo = add_member(&mut doc, 0, crate::model::testing::random(), "Bo", Role::Owner).unwrap();
    let mut other = doc.fork().with_actor(ActorId::from([9u8; 16]));
    set_member_role(&mut doc, 0, ada, Role::Editor).unwrap();
    set_member_role(&mut other, 0, bo, Role::Editor).unwrap();
    doc.merge(&mut other).unwrap();
    let ws = Workspace::load(&doc).unwrap();
    assert_eq!(workspace_violations(&ws), [WorkspaceViolation::NoOwner]);
}
