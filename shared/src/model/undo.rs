//! Undoing one change of one's own, as a new change: it syncs like any edit, and whatever other
//! people changed since stays as they left it.
//!
//! The change is named by the heads just before and just after it. Automerge's diff from the
//! after-heads back to the before-heads says what the change did, in reverse; each part is
//! written again on the document as it is now, but only where the value the change wrote is
//! still there (a field someone set again since keeps their value, a record someone deleted
//! since stays deleted). Text and lists are put back by element identity, through cursors, so
//! characters typed by others since stay where they are.
//!
//! ```
//! use quorum_shared::model::{self, ControlId, ImplementationStatus, StatementOfApplicability};
//!
//! let mut doc = model::new_document();
//! model::create_soa(&mut doc, 0).unwrap();
//! let control: ControlId = "A.5.2".parse().unwrap();
//! let before = doc.get_heads();
//! model::set_implementation_status(&mut doc, 1_000, control, ImplementationStatus::Planned).unwrap();
//! let after = doc.get_heads();
//!
//! let undone = model::undo_change(&mut doc, 2_000, &before, &after).unwrap();
//! assert_eq!(undone.reverted, 1);
//! let soa = StatementOfApplicability::load(&doc).unwrap();
//! assert_eq!(soa.rows[&control].status, ImplementationStatus::NotStarted);
//! ```

mod sequence;
#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};

use automerge::transaction::Transactable;
use automerge::{
    AutoCommit, ChangeHash, ObjId, ObjType, Patch, PatchAction, Prop, ReadDoc, ScalarValue, Value,
};

use super::ModelError;
use super::document::change;

/// What undoing a change did, part by part (a part is one field, one record, or one text or
/// list).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Undone {
    /// Parts put back as they were before the change.
    pub reverted: usize,
    /// Parts someone changed again since: their later edit is kept.
    pub kept: usize,
    /// Parts of a kind this undo cannot put back (text formatting): left as they are.
    pub unsupported: usize,
}

/// Reverts the change between `before` and `after` (heads of this document) as one new commit
/// stamped `now_ms` with the message "Undo: <the change's message>". Nothing is committed when
/// no part could be put back (`reverted == 0`): the caller tells the person it cannot be undone.
pub fn undo_change(
    doc: &mut AutoCommit,
    now_ms: i64,
    before: &[ChangeHash],
    after: &[ChangeHash],
) -> Result<Undone, ModelError> {
    for hash in before.iter().chain(after) {
        if doc.get_change_by_hash(hash).is_none() {
            return Err(ModelError::NotFound { what: "change", id: hash.to_string() });
        }
    }
    let message = change_message(doc, before, after).unwrap_or_else(|| "a change".to_owned());
    let mut undone = Undone::default();
    let writes = plan(doc, before, after, &mut undone)?;
    if writes.is_empty() || undone.reverted == 0 {
        return Ok(Undone { reverted: 0, ..undone });
    }
    change(doc, now_ms, format!("Undo: {message}"), |doc| apply(doc, writes))?;
    Ok(undone)
}

/// The message of the change between `before` and `after`, as history shows it.
pub fn change_message(doc: &AutoCommit, before: &[ChangeHash], after: &[ChangeHash]) -> Option<String> {
    after
        .iter()
        .filter(|hash| !before.contains(hash))
        .filter_map(|hash| doc.get_change_by_hash(hash))
        .find_map(|change| change.message().map(str::to_owned))
}

/// One write of the undo. Objects the undo makes again (a deleted record put back) are named by
/// their old id until [`apply`] has made them.
#[derive(Debug)]
enum Write {
    Put { obj: ObjId, prop: Prop, value: ScalarValue },
    PutObject { obj: ObjId, prop: Prop, kind: ObjType, old: ObjId },
    Insert { obj: ObjId, index: usize, value: ScalarValue },
    InsertObject { obj: ObjId, index: usize, kind: ObjType, old: ObjId },
    Delete { obj: ObjId, prop: Prop },
    Increment { obj: ObjId, prop: Prop, by: i64 },
    SpliceText { obj: ObjId, pos: usize, del: usize, text: String },
}

/// What the undo knows of each object the diff names.
#[derive(Default)]
struct Objects {
    /// Made again by this undo: their patches are written as they are.
    fresh: HashSet<ObjId>,
    /// Under a part that is kept as others left it: their patches are skipped.
    dropped: HashSet<ObjId>,
    /// Sequences already planned as a whole.
    planned: HashSet<ObjId>,
}

fn plan(
    doc: &mut AutoCommit,
    before: &[ChangeHash],
    after: &[ChangeHash],
    undone: &mut Undone,
) -> Result<Vec<Write>, ModelError> {
    let patches = doc.diff(after, before);
    let doc: &AutoCommit = doc;
    let mut objects = Objects::default();
    let mut writes = Vec::new();
    for patch in &patches {
        let obj = &patch.obj;
        if objects.dropped.contains(obj) {
            drop_values(&patch.action, &mut objects);
            continue;
        }
        if objects.fresh.contains(obj) {
            verbatim(patch, &mut objects, &mut writes, undone);
            continue;
        }
        if objects.planned.contains(obj) {
            continue;
        }
        if !visible(doc, obj) {
            undone.kept += 1;
            objects.dropped.insert(obj.clone());
            drop_values(&patch.action, &mut objects);
            continue;
        }
        match doc.object_type(obj)? {
            ObjType::Map | ObjType::Table => map_patch(doc, patch, after, &mut objects, &mut writes, undone)?,
            kind @ (ObjType::List | ObjType::Text) => {
                objects.planned.insert(obj.clone());
                let of_obj = patches.iter().filter(|p| &p.obj == obj);
                sequence::plan(doc, obj, kind, of_obj, after, &mut objects, &mut writes, undone)?;
            }
        }
    }
    Ok(writes)
}

/// A patch on a map that exists now: written back where the value the change left is still
/// the one there.
fn map_patch(
    doc: &AutoCommit,
    patch: &Patch,
    after: &[ChangeHash],
    objects: &mut Objects,
    writes: &mut Vec<Write>,
    undone: &mut Undone,
) -> Result<(), ModelError> {
    let obj = patch.obj.clone();
    let key = match &patch.action {
        PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } => key.clone(),
        PatchAction::Increment { prop: Prop::Map(key), .. } => key.clone(),
        // Says only that a conflict exists; the values themselves come as `PutMap`.
        PatchAction::Conflict { .. } => return Ok(()),
        _ => {
            undone.unsupported += 1;
            return Ok(());
        }
    };
    let now = doc.get(&obj, key.as_str())?.map(|(_, id)| id);
    let then = doc.get_at(&obj, key.as_str(), after)?.map(|(_, id)| id);
    if now != then {
        undone.kept += 1;
        drop_values(&patch.action, objects);
        return Ok(());
    }
    let prop = Prop::Map(key);
    match &patch.action {
        PatchAction::PutMap { value: (Value::Scalar(value), _), .. } => {
            writes.push(Write::Put { obj, prop, value: value.clone().into_owned() });
        }
        PatchAction::PutMap { value: (Value::Object(kind), old), .. } => {
            objects.fresh.insert(old.clone());
            writes.push(Write::PutObject { obj, prop, kind: *kind, old: old.clone() });
        }
        PatchAction::DeleteMap { .. } => writes.push(Write::Delete { obj, prop }),
        PatchAction::Increment { value, .. } => writes.push(Write::Increment { obj, prop, by: *value }),
        _ => return Ok(()),
    }
    undone.reverted += 1;
    Ok(())
}

/// A patch on an object this undo makes again, written as it is: nobody else has seen the
/// object, so its indices need no mapping.
fn verbatim(patch: &Patch, objects: &mut Objects, writes: &mut Vec<Write>, undone: &mut Undone) {
    let obj = patch.obj.clone();
    let value_write = |prop: Prop, value: &Value<'static>, id: &ObjId, objects: &mut Objects| match value {
        Value::Scalar(value) => Write::Put { obj: obj.clone(), prop, value: value.clone().into_owned() },
        Value::Object(kind) => {
            objects.fresh.insert(id.clone());
            Write::PutObject { obj: obj.clone(), prop, kind: *kind, old: id.clone() }
        }
    };
    match &patch.action {
        PatchAction::PutMap { key, value: (value, id), .. } => {
            writes.push(value_write(Prop::Map(key.clone()), value, id, objects));
        }
        PatchAction::PutSeq { index, value: (value, id), .. } => {
            writes.push(value_write(Prop::Seq(*index), value, id, objects));
        }
        PatchAction::Insert { index, values } => {
            for (offset, (value, id, _)) in values.iter().enumerate() {
                writes.push(insert_write(&obj, index + offset, value, id, objects));
            }
        }
        PatchAction::SpliceText { index, value, .. } => {
            writes.push(Write::SpliceText { obj, pos: *index, del: 0, text: value.make_string() });
        }
        PatchAction::Increment { prop, value } => {
            writes.push(Write::Increment { obj, prop: prop.clone(), by: *value });
        }
        PatchAction::DeleteMap { key } => writes.push(Write::Delete { obj, prop: Prop::Map(key.clone()) }),
        PatchAction::DeleteSeq { index, length } => {
            for _ in 0..*length {
                writes.push(Write::Delete { obj: obj.clone(), prop: Prop::Seq(*index) });
            }
        }
        PatchAction::Conflict { .. } => {}
        PatchAction::Mark { .. } => undone.unsupported += 1,
    }
}

fn insert_write(
    obj: &ObjId,
    index: usize,
    value: &Value<'static>,
    id: &ObjId,
    objects: &mut Objects,
) -> Write {
    match value {
        Value::Scalar(value) => Write::Insert { obj: obj.clone(), index, value: value.clone().into_owned() },
        Value::Object(kind) => {
            objects.fresh.insert(id.clone());
            Write::InsertObject { obj: obj.clone(), index, kind: *kind, old: id.clone() }
        }
    }
}

/// Marks the objects a skipped patch would have made, so that their contents are skipped too.
fn drop_values(action: &PatchAction, objects: &mut Objects) {
    match action {
        PatchAction::PutMap { value: (Value::Object(_), id), .. }
        | PatchAction::PutSeq { value: (Value::Object(_), id), .. } => {
            objects.dropped.insert(id.clone());
        }
        PatchAction::Insert { values, .. } => {
            for (value, id, _) in values.iter() {
                if matches!(value, Value::Object(_)) {
                    objects.dropped.insert(id.clone());
                }
            }
        }
        _ => {}
    }
}

/// Whether the object is in the document now (not under a deleted record).
fn visible(doc: &AutoCommit, obj: &ObjId) -> bool {
    doc.parents(obj).ok().and_then(|parents| parents.visible_path()).is_some()
}

fn apply(doc: &mut AutoCommit, writes: Vec<Write>) -> Result<(), ModelError> {
    // Old ids of objects made again, to the ids they have now.
    let mut made: HashMap<ObjId, ObjId> = HashMap::new();
    let at = |made: &HashMap<ObjId, ObjId>, obj: ObjId| made.get(&obj).cloned().unwrap_or(obj);
    for write in writes {
        match write {
            Write::Put { obj, prop, value } => doc.put(at(&made, obj), prop, value)?,
            Write::PutObject { obj, prop, kind, old } => {
                let new = doc.put_object(at(&made, obj), prop, kind)?;
                made.insert(old, new);
            }
            Write::Insert { obj, index, value } => doc.insert(at(&made, obj), index, value)?,
            Write::InsertObject { obj, index, kind, old } => {
                let new = doc.insert_object(at(&made, obj), index, kind)?;
                made.insert(old, new);
            }
            Write::Delete { obj, prop } => doc.delete(at(&made, obj), prop)?,
            Write::Increment { obj, prop, by } => doc.increment(at(&made, obj), prop, by)?,
            Write::SpliceText { obj, pos, del, text } => {
                doc.splice_text(at(&made, obj), pos, del as isize, &text)?;
            }
        }
    }
    Ok(())
}
