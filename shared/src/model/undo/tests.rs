//! Undo on real domain operations (a field set, prose, records added and deleted) and on raw
//! lists, each also with another replica's edits made after the change, which must survive.

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, ChangeHash, ObjType, ROOT, ReadDoc};

use super::*;
use crate::model::testing::{commits, id, last_message};
use crate::model::{
    ChangeId, ControlId, ImplementationStatus, PlannedChange, PlannedChangeField, Position,
    StatementOfApplicability, TextEdit, add_with_id, create_planned_changes, create_soa, delete, edit,
    edit_justification, get, new_document, set_implementation_status,
};

const CONTROL: &str = "A.5.2";

fn control() -> ControlId {
    CONTROL.parse().unwrap()
}

/// Runs `operation` and returns the heads just before and just after it.
fn recorded(
    doc: &mut AutoCommit,
    operation: impl FnOnce(&mut AutoCommit),
) -> (Vec<ChangeHash>, Vec<ChangeHash>) {
    let before = doc.get_heads();
    operation(doc);
    (before, doc.get_heads())
}

/// A second replica of `doc` under its own actor, as another browser would hold it.
fn other_replica(doc: &mut AutoCommit) -> AutoCommit {
    let mut other = doc.fork();
    other.set_actor(ActorId::from([9u8; 16]));
    other
}

fn soa() -> AutoCommit {
    let mut doc = new_document();
    create_soa(&mut doc, 0).unwrap();
    doc
}

fn status(doc: &AutoCommit) -> ImplementationStatus {
    StatementOfApplicability::load(doc).unwrap().rows[&control()].status
}

fn justification(doc: &AutoCommit) -> String {
    StatementOfApplicability::load(doc).unwrap().rows[&control()].justification.as_str().to_owned()
}

fn planned_changes(titles: &[&str]) -> AutoCommit {
    let mut doc = new_document();
    create_planned_changes(&mut doc, 0).unwrap();
    for (n, title) in titles.iter().enumerate() {
        let change = PlannedChange { title: title.to_string(), ..Default::default() };
        add_with_id(&mut doc, 0, id::<ChangeId>(n as u8 + 1), change, Position::Last).unwrap();
    }
    doc
}

#[test]
fn a_field_set_is_put_back_as_one_new_commit() {
    let mut doc = soa();
    set_implementation_status(&mut doc, 0, control(), ImplementationStatus::Planned).unwrap();
    let (before, after) = recorded(&mut doc, |doc| {
        set_implementation_status(doc, 1_000, control(), ImplementationStatus::Implemented).unwrap();
    });
    let commits_before = commits(&mut doc);

    let undone = undo_change(&mut doc, 2_000, &before, &after).unwrap();

    assert_eq!(undone, Undone { reverted: 1, kept: 0, unsupported: 0 });
    assert_eq!(status(&doc), ImplementationStatus::Planned);
    assert_eq!(commits(&mut doc), commits_before + 1);
    assert_eq!(last_message(&mut doc), "Undo: set A.5.2 to implemented");
}

#[test]
fn a_field_the_change_created_is_deleted_again() {
    let mut doc = soa();
    let (before, after) = recorded(&mut doc, |doc| {
        doc.put(ROOT, "note", "new").unwrap();
        doc.commit();
    });
    undo_change(&mut doc, 0, &before, &after).unwrap();
    assert!(doc.get(ROOT, "note").unwrap().is_none());
}

#[test]
fn a_field_someone_set_since_keeps_their_value_and_nothing_is_committed() {
    let mut doc = soa();
    let (before, after) = recorded(&mut doc, |doc| {
        set_implementation_status(doc, 0, control(), ImplementationStatus::Planned).unwrap();
    });
    let mut other = other_replica(&mut doc);
    set_implementation_status(&mut other, 0, control(), ImplementationStatus::InProgress).unwrap();
    doc.merge(&mut other).unwrap();
    let heads = doc.get_heads();

    let undone = undo_change(&mut doc, 0, &before, &after).unwrap();

    assert_eq!(undone, Undone { reverted: 0, kept: 1, unsupported: 0 });
    assert_eq!(status(&doc), ImplementationStatus::InProgress);
    assert_eq!(doc.get_heads(), heads, "nothing committed");
}

#[test]
fn typed_text_is_removed_and_deleted_text_put_back_around_others_typing() {
    let mut doc = soa();
    edit_justification(&mut doc, 0, control(), "We train no models here.".into()).unwrap();
    let (before, after) = recorded(&mut doc, |doc| {
        // Replaces "train" by "build" and adds a sentence.
        let edit = TextEdit::Replace("We build no models here. Ever.".into());
        edit_justification(doc, 1_000, control(), edit).unwrap();
    });
    // Meanwhile someone else adds a word at the start and one at the end.
    let mut other = other_replica(&mut doc);
    edit_justification(&mut other, 0, control(), "Today we build no models here. Ever. Done.".into())
        .unwrap();
    doc.merge(&mut other).unwrap();

    let undone = undo_change(&mut doc, 2_000, &before, &after).unwrap();

    assert_eq!(undone.reverted, 1);
    assert_eq!(justification(&doc), "Today we train no models here. Done.");
}

#[test]
fn text_with_characters_outside_the_basic_plane_is_put_back_whole() {
    let mut doc = soa();
    edit_justification(&mut doc, 0, control(), "a😀b".into()).unwrap();
    let (before, after) = recorded(&mut doc, |doc| {
        edit_justification(doc, 0, control(), "a😀x😀b".into()).unwrap();
    });
    undo_change(&mut doc, 0, &before, &after).unwrap();
    assert_eq!(justification(&doc), "a😀b");
}

#[test]
fn a_record_added_is_deleted() {
    let mut doc = planned_changes(&["a"]);
    let (before, after) = recorded(&mut doc, |doc| {
        let change = PlannedChange { title: "b".into(), ..Default::default() };
        add_with_id(doc, 0, id::<ChangeId>(2), change, Position::Last).unwrap();
    });
    undo_change(&mut doc, 0, &before, &after).unwrap();
    let titles: Vec<String> =
        crate::model::list::<PlannedChange>(&doc).unwrap().into_iter().map(|(_, c)| c.title).collect();
    assert_eq!(titles, ["a"]);
}

#[test]
fn a_record_deleted_is_put_back_with_every_field() {
    let mut doc = planned_changes(&["a", "b"]);
    let record = id::<ChangeId>(2);
    edit(&mut doc, 0, record, PlannedChangeField::Purpose("Because we must.".into())).unwrap();
    let kept = get(&doc, record).unwrap();
    let (before, after) = recorded(&mut doc, |doc| delete(doc, 0, record).unwrap());

    let undone = undo_change(&mut doc, 0, &before, &after).unwrap();

    assert_eq!(undone.reverted, 1);
    assert_eq!(get(&doc, record).unwrap(), kept);
    // The record put back is prose again, so it merges by character as before.
    let register = match doc.get(ROOT, "changes").unwrap() {
        Some((_, id)) => id,
        None => panic!("no register"),
    };
    let (_, obj) = doc.get(&register, record.to_string()).unwrap().unwrap();
    let (_, purpose) = doc.get(&obj, "purpose").unwrap().unwrap();
    assert_eq!(doc.object_type(&purpose).unwrap(), ObjType::Text);
}

#[test]
fn a_record_deleted_again_by_someone_else_stays_deleted() {
    let mut doc = planned_changes(&["a"]);
    let record = id::<ChangeId>(1);
    let (before, after) = recorded(&mut doc, |doc| {
        edit(doc, 0, record, PlannedChangeField::Title("renamed".into())).unwrap();
    });
    let mut other = other_replica(&mut doc);
    delete(&mut other, 0, record).unwrap();
    doc.merge(&mut other).unwrap();

    let undone = undo_change(&mut doc, 0, &before, &after).unwrap();

    assert_eq!(undone.reverted, 0);
    assert!(get(&doc, record).is_err());
}

#[test]
fn list_inserts_and_deletes_are_reverted_by_element() {
    let mut doc = new_document();
    let list = doc.put_object(ROOT, "links", ObjType::List).unwrap();
    for (i, value) in ["a", "b", "c"].into_iter().enumerate() {
        doc.insert(&list, i, value).unwrap();
    }
    doc.commit();
    let (before, after) = recorded(&mut doc, |doc| {
        doc.delete(&list, 1).unwrap();
        doc.insert(&list, 2, "d").unwrap();
        doc.commit();
    });
    let mut other = other_replica(&mut doc);
    other.insert(&list, 0, "first").unwrap();
    other.commit();
    doc.merge(&mut other).unwrap();

    undo_change(&mut doc, 0, &before, &after).unwrap();

    let values: Vec<String> =
        (0..doc.length(&list)).map(|i| doc.get(&list, i).unwrap().unwrap().0.to_string()).collect();
    assert_eq!(values, ["\"first\"", "\"a\"", "\"b\"", "\"c\""]);
}

#[test]
fn the_undo_merges_like_any_change() {
    let mut doc = soa();
    let (before, after) = recorded(&mut doc, |doc| {
        set_implementation_status(doc, 0, control(), ImplementationStatus::Implemented).unwrap();
    });
    let mut other = other_replica(&mut doc);
    undo_change(&mut doc, 0, &before, &after).unwrap();
    other.merge(&mut doc).unwrap();
    assert_eq!(status(&other), ImplementationStatus::NotStarted);
}

#[test]
fn unknown_heads_are_refused() {
    let mut doc = soa();
    let stranger = ChangeHash([7; 32]);
    let error = undo_change(&mut doc, 0, &[], &[stranger]).unwrap_err();
    assert!(matches!(error, ModelError::NotFound { what: "change", .. }));
}
