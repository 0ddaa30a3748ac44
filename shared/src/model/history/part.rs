//! Parts of a document named by their path from the root, read as they are now or as they were
//! at any heads, and shown in words: what compare lists and what restore brings back.
//!
//! A part's path holds map keys only. A list or a text is one part as a whole: indices shift
//! as people edit, so a path never goes into one.

use automerge::{ChangeHash, ObjId, ObjType, Prop, ROOT, ReadDoc, ScalarValue, Value};

/// Where a part of a document is: the map keys from the root, such as
/// `["controls", "A.6.2.4", "status"]`.
pub type PartPath = Vec<String>;

/// The value at `path` as it was at `heads`, with its object id (meaningful for objects only).
pub(crate) fn value_at<R: ReadDoc>(
    doc: &R,
    heads: &[ChangeHash],
    path: &[String],
) -> Option<(Value<'static>, ObjId)> {
    let mut found = (Value::Object(ObjType::Map), ROOT);
    for key in path {
        let (Value::Object(ObjType::Map | ObjType::Table), obj) = &found else { return None };
        let (value, id) = doc.get_at(obj, key.as_str(), heads).ok()??;
        found = (value.into_owned(), id);
    }
    Some(found)
}

/// The records of a document as they are at `heads`: each map held in a map of the root (a
/// register's records, such as the SoA's controls or the risks), by its title, name or key, in
/// the order of their paths. The history view filters by them.
pub fn records<R: ReadDoc>(doc: &R, heads: &[ChangeHash]) -> Vec<(PartPath, String)> {
    let mut records = Vec::new();
    for register in doc.map_range_at(ROOT, .., heads) {
        if !matches!(register.value, automerge::ValueRef::Object(ObjType::Map | ObjType::Table)) {
            continue;
        }
        let register_id = register.id();
        for record in doc.map_range_at(&register_id, .., heads) {
            if matches!(record.value, automerge::ValueRef::Object(ObjType::Map | ObjType::Table)) {
                let label = title_at(doc, heads, &record.id()).unwrap_or_else(|| record.key.to_string());
                records.push((vec![register.key.to_string(), record.key.to_string()], label));
            }
        }
    }
    records
}

/// The record a part belongs to: the first two keys when they name a map inside a map (a
/// register's record, such as a control of the SoA or one risk), or none for the document's own
/// fields (the policy's text, the risk criteria).
pub(crate) fn record_of<R: ReadDoc>(doc: &R, sides: [&[ChangeHash]; 2], part: &[String]) -> PartPath {
    if part.len() < 2 {
        return PartPath::new();
    }
    let is_map = |path: &[String]| {
        sides.iter().any(|heads| {
            matches!(value_at(doc, heads, path), Some((Value::Object(ObjType::Map | ObjType::Table), _)))
        })
    };
    if is_map(&part[..1]) && is_map(&part[..2]) { part[..2].to_vec() } else { PartPath::new() }
}

/// The part a patch touches: the path of the object it changes and, in a map, the key; cut at
/// the first list or text on the way, which is one part as a whole.
pub(crate) fn part_of(path: &[(ObjId, Prop)], key: Option<&Prop>) -> PartPath {
    let mut part = PartPath::new();
    for prop in path.iter().map(|(_, prop)| prop).chain(key) {
        match prop {
            Prop::Map(key) => part.push(key.clone()),
            Prop::Seq(_) => return part,
        }
    }
    part
}

/// How a value reads for a person: text as itself, a yes or no, a number, a list of its items, a
/// record by its title or name.
pub(crate) fn render<R: ReadDoc>(
    doc: &R,
    heads: &[ChangeHash],
    (value, id): &(Value<'static>, ObjId),
) -> String {
    match value {
        Value::Scalar(scalar) => scalar_words(scalar),
        Value::Object(ObjType::Text) => doc.text_at(id, heads).unwrap_or_default(),
        Value::Object(ObjType::List) => {
            let items: Vec<String> = doc
                .list_range_at(id, .., heads)
                .map(|item| render(doc, heads, &(item.value.clone().into_value(), item.id())))
                .collect();
            if items.is_empty() { "none".to_owned() } else { items.join(", ") }
        }
        Value::Object(ObjType::Map | ObjType::Table) => title_at(doc, heads, id).unwrap_or_else(|| {
            let fields = doc.keys_at(id, heads).count();
            format!("{fields} field{}", if fields == 1 { "" } else { "s" })
        }),
    }
}

/// A record's title or name at `heads`, if it has one.
pub(crate) fn title_at<R: ReadDoc>(doc: &R, heads: &[ChangeHash], obj: &ObjId) -> Option<String> {
    ["title", "name"].iter().find_map(|key| match doc.get_at(obj, *key, heads).ok()?? {
        (Value::Scalar(scalar), _) => match scalar.as_ref() {
            ScalarValue::Str(title) if !title.trim().is_empty() => Some(title.to_string()),
            _ => None,
        },
        (Value::Object(ObjType::Text), id) => doc.text_at(&id, heads).ok().filter(|t| !t.trim().is_empty()),
        _ => None,
    })
}

/// A stored key in words: `implementation_status` reads "implementation status".
pub(crate) fn key_words(key: &str) -> String {
    key.replace('_', " ")
}

fn scalar_words(scalar: &ScalarValue) -> String {
    match scalar {
        ScalarValue::Str(text) => text.to_string(),
        ScalarValue::Boolean(true) => "yes".to_owned(),
        ScalarValue::Boolean(false) => "no".to_owned(),
        ScalarValue::Null => "none".to_owned(),
        ScalarValue::Int(n) | ScalarValue::Timestamp(n) => n.to_string(),
        ScalarValue::Uint(n) => n.to_string(),
        ScalarValue::F64(n) => n.to_string(),
        ScalarValue::Counter(counter) => i64::from(counter).to_string(),
        ScalarValue::Bytes(bytes) => format!("{} bytes", bytes.len()),
        ScalarValue::Unknown { .. } => "an unknown value".to_owned(),
    }
}
