//! Bringing a part of a document back as it was at past heads, as one new change: history is
//! never rewritten, and the restore syncs and can be undone like any edit.
//!
//! Only what differs is written. A record is restored field by field, so a field that is already
//! as it was keeps its history; prose is restored with Automerge's `update_text`, which keeps the
//! characters both versions share, so someone typing elsewhere in the text keeps their words.
//!
//! ```
//! use quorum_shared::model::{self, AiPolicy};
//!
//! let mut doc = model::new_document();
//! model::create_policy(&mut doc, 0, "AI policy", "First words").unwrap();
//! let then = doc.get_heads();
//! model::edit_policy_text(&mut doc, 1_000, "Second words".into()).unwrap();
//! model::restore(&mut doc, 2_000, &then, &["text".to_owned()], "the policy text").unwrap();
//! assert_eq!(AiPolicy::load(&doc).unwrap().text.as_str(), "First words");
//! ```

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ChangeHash, ObjId, ObjType, ReadDoc, Value};

use super::part::value_at;
use crate::model::ModelError;
use crate::model::document::change;

/// Writes the part at `path` back as it was at `past`, as one commit stamped `now_ms` with the
/// message "restore <what>". A part that was not there then is removed. Refused, writing
/// nothing, when the heads are not this document's, when what holds the part is gone (restore
/// the record first), or when the part is already as it was.
pub fn restore(
    doc: &mut AutoCommit,
    now_ms: i64,
    past: &[ChangeHash],
    path: &[String],
    what: &str,
) -> Result<(), ModelError> {
    for hash in past {
        if doc.get_change_by_hash(hash).is_none() {
            return Err(ModelError::NotFound { what: "change", id: hash.to_string() });
        }
    }
    let Some((key, holder)) = path.split_last() else { return Err(ModelError::Empty("the part to restore")) };
    let heads = doc.get_heads();
    let parent = match value_at(doc, &heads, holder) {
        Some((Value::Object(ObjType::Map | ObjType::Table), id)) => id,
        _ => return Err(ModelError::HolderGone(what.to_owned())),
    };
    let then = value_at(doc, past, path);
    change(doc, now_ms, format!("restore {what}"), |doc| {
        if restore_key(doc, past, &parent, key, then)? {
            Ok(())
        } else {
            Err(ModelError::AlreadyAsThen(what.to_owned()))
        }
    })
}

/// Makes `key` of the map `obj` what it was at `past` (`then`); whether anything was written.
fn restore_key(
    doc: &mut AutoCommit,
    past: &[ChangeHash],
    obj: &ObjId,
    key: &str,
    then: Option<(Value<'static>, ObjId)>,
) -> Result<bool, ModelError> {
    let now = doc.get(obj, key)?.map(|(value, id)| (value.into_owned(), id));
    match (then, now) {
        (None, None) => Ok(false),
        (None, Some(_)) => {
            doc.delete(obj, key)?;
            Ok(true)
        }
        (Some((Value::Scalar(then), _)), now) => {
            if matches!(&now, Some((Value::Scalar(now), _)) if now == &then) {
                return Ok(false);
            }
            doc.put(obj, key, then.into_owned())?;
            Ok(true)
        }
        (Some((Value::Object(ObjType::Text), old)), Some((Value::Object(ObjType::Text), text))) => {
            let then = doc.text_at(&old, past)?;
            if doc.text(&text)? == then {
                return Ok(false);
            }
            doc.update_text(&text, &then)?;
            Ok(true)
        }
        (Some((Value::Object(ObjType::Map), old)), Some((Value::Object(ObjType::Map), map))) => {
            restore_map(doc, past, &old, &map)
        }
        (Some((Value::Object(ObjType::List), old)), Some((Value::Object(ObjType::List), list)))
            if same_list(doc, past, &old, &list)? =>
        {
            Ok(false)
        }
        (Some((Value::Object(kind), old)), _) => {
            let new = doc.put_object(obj, key, kind)?;
            copy(doc, past, &old, &new, kind)?;
            Ok(true)
        }
    }
}

/// Every key of the map as it was at `past`, and none that was not there.
fn restore_map(
    doc: &mut AutoCommit,
    past: &[ChangeHash],
    old: &ObjId,
    map: &ObjId,
) -> Result<bool, ModelError> {
    let mut keys: Vec<String> = doc.keys_at(old, past).chain(doc.keys(map)).collect();
    crate::order::sort(&mut keys);
    keys.dedup();
    let mut wrote = false;
    for key in keys {
        let then = doc.get_at(old, key.as_str(), past)?.map(|(value, id)| (value.into_owned(), id));
        wrote |= restore_key(doc, past, map, &key, then)?;
    }
    Ok(wrote)
}

/// Fills the new object `new` with the contents of `old` at `past`.
fn copy(
    doc: &mut AutoCommit,
    past: &[ChangeHash],
    old: &ObjId,
    new: &ObjId,
    kind: ObjType,
) -> Result<(), ModelError> {
    match kind {
        ObjType::Text => {
            let text = doc.text_at(old, past)?;
            doc.splice_text(new, 0, 0, &text)?;
        }
        ObjType::Map | ObjType::Table => {
            restore_map(doc, past, old, new)?;
        }
        ObjType::List => {
            let items: Vec<_> = doc
                .list_range_at(old, .., past)
                .map(|item| (item.value.clone().into_value(), item.id()))
                .collect();
            for (index, (value, id)) in items.into_iter().enumerate() {
                match value {
                    Value::Scalar(scalar) => doc.insert(new, index, scalar.into_owned())?,
                    Value::Object(kind) => {
                        let made = doc.insert_object(new, index, kind)?;
                        copy(doc, past, &id, &made, kind)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Whether the list `list` now holds the scalars `old` held at `past`; a list of objects is
/// always written again, as comparing them would cost more than the write.
fn same_list(doc: &AutoCommit, past: &[ChangeHash], old: &ObjId, list: &ObjId) -> Result<bool, ModelError> {
    let then: Vec<_> = doc.list_range_at(old, .., past).map(|item| item.value.into_value()).collect();
    let now: Vec<_> = doc.list_range(list, ..).map(|item| item.value.into_value()).collect();
    Ok(then == now && then.iter().all(|value| matches!(value, Value::Scalar(_))))
}
