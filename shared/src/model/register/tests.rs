//! The register operations, shown on the simplest register (planned changes).

use automerge::transaction::Transactable;

use super::*;
use crate::model::testing::{id, one_commit, refused};
use crate::model::{ChangeId, PlannedChange, PlannedChangeField, create_planned_changes, new_document};

fn doc_with(titles: &[&str]) -> (AutoCommit, Vec<ChangeId>) {
    let mut doc = new_document();
    create_planned_changes(&mut doc, 0).unwrap();
    let ids: Vec<ChangeId> = (1..=titles.len() as u8).map(id).collect();
    for (id, title) in ids.iter().zip(titles) {
        let change = PlannedChange { title: title.to_string(), ..Default::default() };
        add_with_id(&mut doc, 0, *id, change, Position::Last).unwrap();
    }
    (doc, ids)
}

fn titles(doc: &AutoCommit) -> Vec<String> {
    list::<PlannedChange>(doc).unwrap().into_iter().map(|(_, c)| c.title).collect()
}

#[test]
fn positions() {
    let (mut doc, ids) = doc_with(&["a", "b", "c"]);
    for (at, expected) in [
        (Position::First, ["c", "a", "b"]),
        (Position::Last, ["a", "b", "c"]),
        (Position::After(ids[0]), ["a", "c", "b"]),
        (Position::Before(ids[0]), ["c", "a", "b"]),
        (Position::After(ids[2]), ["c", "a", "b"]),
    ] {
        move_to(&mut doc, 0, ids[2], at).unwrap();
        assert_eq!(titles(&doc), expected, "{at:?}");
    }
    let error = refused(&mut doc, |doc| move_to(doc, 0, ids[0], Position::After(id(9))));
    assert!(matches!(error, ModelError::NotFound { what: "planned change", .. }));
}

#[test]
fn equal_ranks_sort_by_id_and_foreign_keys_are_skipped() {
    let (mut doc, ids) = doc_with(&["a", "b"]);
    let register = object(&doc, &ROOT, "changes").unwrap();
    for id in &ids {
        let obj = record_object::<PlannedChange>(&doc, &register, *id).unwrap();
        autosurgeon::reconcile_prop(&mut doc, &obj, "rank", Rank::default()).unwrap();
    }
    doc.put(&register, "not-an-id!", "junk").unwrap();
    doc.commit();
    assert_eq!(titles(&doc), ["a", "b"]);
    // Placing between two tied records still lands after the first.
    add(
        &mut doc,
        0,
        crate::model::testing::random(),
        PlannedChange { title: "c".into(), ..Default::default() },
        Position::After(ids[0]),
    )
    .unwrap();
    assert_eq!(titles(&doc)[2], "c");
}

#[test]
fn duplicates_and_missing_records_are_errors() {
    let (mut doc, ids) = doc_with(&["a"]);
    let duplicate =
        refused(&mut doc, |doc| add_with_id(doc, 0, ids[0], PlannedChange::default(), Position::Last));
    assert_eq!(duplicate.to_string(), format!("there is already a planned change {}", ids[0]));
    let missing = refused(&mut doc, |doc| delete(doc, 0, id::<ChangeId>(7)));
    assert!(matches!(missing, ModelError::NotFound { .. }));
    one_commit(&mut doc, "edit planned change \"a\": purpose", |doc| {
        edit(doc, 0, ids[0], PlannedChangeField::Purpose("why".into())).unwrap()
    });
}
