use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, ObjId, ObjType, ROOT, ReadDoc};

use crate::model::{
    self, Damage, Damaged, MemberId, ModelError, Position, Risk, RiskRegister, Role, Workspace, damaged,
};

/// A workspace of Ada (owner) and Bea (editor), and a copy of it held by Mallory, another actor,
/// who writes what no build of Quorum would.
fn workspace_and_mallory() -> (AutoCommit, AutoCommit, MemberId, MemberId) {
    let mut doc = model::new_document();
    let device = doc.get_actor().clone();
    let ada = model::create_workspace(&mut doc, 0, [1; 16], "Acme", "Ada", &device).unwrap();
    let bea = model::add_member(&mut doc, 1_000, [2; 16], "Bea", Role::Editor).unwrap();
    let mut mallory = doc.fork();
    mallory.set_actor(ActorId::from(b"mallory".as_slice()));
    (doc, mallory, ada, bea)
}

fn members(doc: &AutoCommit) -> ObjId {
    doc.get(ROOT, "members").unwrap().unwrap().1
}

fn member(doc: &AutoCommit, id: MemberId) -> ObjId {
    doc.get(members(doc), id.to_string()).unwrap().unwrap().1
}

/// Mallory's write, committed at `at_s` seconds and merged into `doc`.
fn mallory_writes(
    doc: &mut AutoCommit,
    mallory: &mut AutoCommit,
    at_s: i64,
    write: impl FnOnce(&mut AutoCommit),
) {
    write(mallory);
    mallory.commit_with(automerge::transaction::CommitOptions::default().with_time(at_s));
    doc.merge(mallory).unwrap();
}

#[test]
fn a_root_with_an_unknown_role_a_bad_key_and_a_wrong_type_still_reads_and_names_each() {
    let (mut doc, mut mallory, ada, bea) = workspace_and_mallory();
    let carl = model::add_member(&mut doc, 2_000, [3; 16], "Carl", Role::Viewer).unwrap();
    mallory.merge(&mut doc).unwrap();
    mallory_writes(&mut doc, &mut mallory, 50, |m| {
        let bea = member(m, bea);
        m.put(&bea, "role", "auditor").unwrap();
        let carl = member(m, carl);
        m.put(&carl, "name", 42).unwrap();
        let members = members(m);
        m.put_object(&members, "not-an-id", ObjType::Map).unwrap();
    });

    let workspace = Workspace::load(&doc).unwrap();
    assert_eq!(workspace.members.keys().copied().collect::<Vec<_>>(), [ada], "the sound record reads");

    let found = damaged(&doc);
    let by_key =
        |key: &str| found.iter().find(|d| d.path == ["members", key]).unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(by_key("not-an-id").damage, Damage::Key);
    assert!(
        matches!(&by_key(&bea.to_string()).damage, Damage::Unknown { found, .. } if found == "auditor"),
        "{found:?}"
    );
    assert!(matches!(by_key(&carl.to_string()).damage, Damage::Unreadable(_)), "{found:?}");

    // Who broke them: Mallory, at 50 s.
    let mallory_actor = ActorId::from(b"mallory".as_slice());
    for damaged in &found {
        let write = damaged.last_write.as_ref().unwrap();
        assert_eq!(write.0, mallory_actor);
        let change = model::written_by(doc.document(), write).unwrap();
        assert_eq!((change.actor.as_str(), change.time_ms), (mallory_actor.to_string().as_str(), 50_000));
    }
}

#[test]
fn a_damaged_record_is_repaired_as_it_was_before_the_write_that_broke_it() {
    let (mut doc, mut mallory, _, bea) = workspace_and_mallory();
    mallory_writes(&mut doc, &mut mallory, 50, |m| {
        let bea = member(m, bea);
        m.put(&bea, "role", "auditor").unwrap();
    });
    let [broken] = damaged(&doc).try_into().unwrap();

    model::repair(&mut doc, 60_000, &broken).unwrap();

    assert_eq!(damaged(&doc), []);
    assert_eq!(Workspace::load(&doc).unwrap().members[&bea].role, Role::Editor);
    let last = model::history(&mut doc).pop().unwrap();
    assert_eq!(last.message.as_deref(), Some("restore damaged record"));
}

#[test]
fn a_record_that_never_read_is_not_repaired_but_can_be_removed() {
    let (mut doc, mut mallory, _, _) = workspace_and_mallory();
    mallory_writes(&mut doc, &mut mallory, 50, |m| {
        let members = members(m);
        let bad = m.put_object(&members, "not-an-id", ObjType::Map).unwrap();
        m.put(&bad, "name", "Eve").unwrap();
    });
    let [broken] = damaged(&doc).try_into().unwrap();
    let heads = doc.get_heads();

    let refused = model::repair(&mut doc, 60_000, &broken);
    assert!(matches!(refused, Err(ModelError::Unrepairable(_))), "{refused:?}");
    assert_eq!(doc.get_heads(), heads, "a refused repair writes nothing");

    model::remove_damaged(&mut doc, 61_000, &broken).unwrap();
    assert_eq!(damaged(&doc), []);
    assert!(doc.get(members(&doc), "not-an-id").unwrap().is_none());
    let last = model::history(&mut doc).pop().unwrap();
    assert_eq!(last.message.as_deref(), Some("remove damaged record not-an-id"));
}

#[test]
fn one_bad_risk_leaves_the_others_listed() {
    let mut doc = model::new_document();
    model::create_risk_register(&mut doc, 0).unwrap();
    let good = model::add(
        &mut doc,
        1_000,
        [1; 16],
        Risk { title: "Good".into(), ..Risk::default() },
        Position::Last,
    )
    .unwrap();
    let bad =
        model::add(&mut doc, 2_000, [2; 16], Risk { title: "Bad".into(), ..Risk::default() }, Position::Last)
            .unwrap();
    let risks = doc.get(ROOT, "risks").unwrap().unwrap().1;
    let bad_obj = doc.get(&risks, bad.to_string()).unwrap().unwrap().1;
    doc.put(&bad_obj, "title", 7).unwrap();
    doc.commit();

    let listed = model::list::<Risk>(&doc).unwrap();
    assert_eq!(listed.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [good]);
    assert_eq!(RiskRegister::load(&doc).unwrap().risks.len(), 1);
    assert_eq!(
        damaged(&doc).iter().map(|d| d.path.clone()).collect::<Vec<_>>(),
        [vec!["risks".to_owned(), bad.to_string()]]
    );
}

#[test]
fn a_register_that_is_not_a_map_reads_as_empty_and_is_named() {
    let mut doc = model::new_document();
    model::create_risk_register(&mut doc, 0).unwrap();
    doc.put(ROOT, "risks", "boom").unwrap();
    doc.commit();

    assert!(RiskRegister::load(&doc).unwrap().risks.is_empty());
    let [whole]: [Damaged; 1] = damaged(&doc).try_into().unwrap();
    assert_eq!(whole.path, ["risks"]);
}

#[test]
fn a_document_whose_own_fields_do_not_read_is_named_as_a_whole() {
    let (mut doc, _, _, _) = workspace_and_mallory();
    doc.put(ROOT, "name", 3).unwrap();
    doc.commit();

    let [whole]: [Damaged; 1] = damaged(&doc).try_into().unwrap();
    assert!(whole.path.is_empty());
    assert!(matches!(whole.damage, Damage::Unreadable(_)), "{whole:?}");
}

#[test]
fn a_sound_or_empty_document_has_no_damage() {
    let (doc, _, _, _) = workspace_and_mallory();
    assert_eq!(damaged(&doc), []);
    assert_eq!(damaged(&model::new_document()), []);
}

#[test]
fn criteria_of_a_hundred_thousand_levels_read_as_the_defaults_and_are_named() {
    let mut doc = model::new_document();
    model::create_risk_register(&mut doc, 0).unwrap();
    let criteria = doc.get(ROOT, "criteria").unwrap().unwrap().1;
    let levels = doc.put_object(&criteria, "likelihood", ObjType::List).unwrap();
    doc.splice(&levels, 0, 0, (0..100_000).map(|_| automerge::ScalarValue::from("level"))).unwrap();
    doc.commit();

    // The lengths are checked before any level is read (0.7 ms here, debug build).
    let register = RiskRegister::load(&doc).unwrap();
    assert_eq!(register.criteria, model::RiskCriteria::default());
    let found = damaged(&doc);
    assert_eq!(found.iter().map(|d| d.path.clone()).collect::<Vec<_>>(), [vec!["criteria".to_owned()]]);
}

#[test]
fn criteria_of_the_wrong_type_are_named_and_the_risks_still_read() {
    let mut doc = model::new_document();
    model::create_risk_register(&mut doc, 0).unwrap();
    model::add(&mut doc, 1_000, [1; 16], Risk { title: "Kept".into(), ..Risk::default() }, Position::Last)
        .unwrap();
    let criteria = doc.get(ROOT, "criteria").unwrap().unwrap().1;
    doc.put(&criteria, "likelihood", "boom").unwrap();
    doc.commit();

    let register = RiskRegister::load(&doc).unwrap();
    assert_eq!(register.criteria, model::RiskCriteria::default());
    assert_eq!(register.risks.len(), 1);
    assert_eq!(damaged(&doc)[0].path, ["criteria"]);
}

#[test]
fn criteria_a_merge_left_invalid_are_kept_as_they_read_not_reset() {
    let mut doc = model::new_document();
    model::create_risk_register(&mut doc, 0).unwrap();
    let criteria = doc.get(ROOT, "criteria").unwrap().unwrap().1;
    doc.put(&criteria, "acceptance_max_score", 999_u64).unwrap();
    doc.commit();

    let register = RiskRegister::load(&doc).unwrap();
    assert_eq!(register.criteria.acceptance_max_score, 999, "every rating keeps its place");
    assert!(register.criteria.validate().is_err(), "the criteria page asks for a fix on save");
    assert_eq!(damaged(&doc), []);
}
