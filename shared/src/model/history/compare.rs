//! What differs between two versions of a document: records added, removed or changed, each
//! change field by field with the value before and after, and prose character by character.
//!
//! Automerge's diff between the two sets of heads names the parts that differ; each part is then
//! read as it was on both sides, so a field changed and changed back reads as unchanged.
//!
//! ```
//! use quorum_shared::model::{self, Comparison};
//!
//! let mut doc = model::new_document();
//! model::create_policy(&mut doc, 0, "AI policy", "We review every model.").unwrap();
//! let before = doc.get_heads();
//! model::edit_policy_text(&mut doc, 1_000, "We review every model yearly.".into()).unwrap();
//! let after = doc.get_heads();
//! let differences = model::compare(doc.document(), &before, &after);
//! assert_eq!(differences[0].fields[0].label, "text");
//! assert_eq!(differences[0].change, Comparison::Changed);
//! ```

use std::collections::BTreeMap;

use automerge::{Automerge, ChangeHash, ObjType, PatchAction, Prop, Value};
use similar::{ChangeTag, TextDiff};

use super::part::{PartPath, key_words, part_of, record_of, render, title_at, value_at};

/// How a record (or the document's own fields) differs between the two versions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The record's path (its register and key), or empty for the document's own fields.
    pub record: PartPath,
    /// The record as people know it: its title or name, else its key ("A.6.2.4"); empty for the
    /// document's own fields.
    pub label: String,
    pub change: Comparison,
    /// The fields that differ, for a record changed (or the document's own fields).
    pub fields: Vec<FieldDifference>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    Added,
    Removed,
    Changed,
}

/// One field that differs, with its value on each side (`None`: it was not there).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldDifference {
    /// From the document's root, so that restore can bring back exactly this field.
    pub path: PartPath,
    /// The field in words, under its record: "status", "actions › Weekly review › owner".
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// For prose: the characters kept, removed and added, in reading order.
    pub prose: Option<Vec<Segment>>,
}

/// A run of characters of a prose comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Same(String),
    Removed(String),
    Added(String),
}

/// The differences from `before` to `after` (heads of `doc`): the document's own fields first,
/// then each record in the order of its path.
pub fn compare(doc: &Automerge, before: &[ChangeHash], after: &[ChangeHash]) -> Vec<Difference> {
    let sides = [before, after];
    let mut by_record: BTreeMap<PartPath, Vec<PartPath>> = BTreeMap::new();
    for part in parts(doc, before, after) {
        let record = record_of(doc, sides, &part);
        by_record.entry(record).or_default().push(part);
    }
    by_record.into_iter().filter_map(|(record, parts)| difference(doc, sides, record, parts)).collect()
}

/// The parts the diff from `before` to `after` touches, each once, and none under another.
pub(crate) fn parts(doc: &Automerge, before: &[ChangeHash], after: &[ChangeHash]) -> Vec<PartPath> {
    let mut parts: Vec<PartPath> = doc
        .diff(before, after)
        .iter()
        .filter_map(|patch| {
            let key = match &patch.action {
                PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key } => {
                    Some(Prop::Map(key.clone()))
                }
                PatchAction::Increment { prop, .. } => Some(prop.clone()),
                PatchAction::Conflict { .. } => return None,
                // A change inside a list or text: the sequence is the part.
                _ => None,
            };
            Some(part_of(&patch.path, key.as_ref()))
        })
        .collect();
    crate::order::sort(&mut parts);
    parts.dedup();
    // Sorted, a part comes right before the parts under it.
    let mut kept: Vec<PartPath> = Vec::with_capacity(parts.len());
    for part in parts {
        if !kept.last().is_some_and(|outer| part.starts_with(outer)) {
            kept.push(part);
        }
    }
    kept
}

fn difference(
    doc: &Automerge,
    [before, after]: [&[ChangeHash]; 2],
    record: PartPath,
    parts: Vec<PartPath>,
) -> Option<Difference> {
    let then = value_at(doc, before, &record);
    let now = value_at(doc, after, &record);
    let label = match (&now, &then) {
        _ if record.is_empty() => None,
        (Some((_, id)), _) => title_at(doc, after, id),
        (None, Some((_, id))) => title_at(doc, before, id),
        (None, None) => None,
    }
    .unwrap_or_else(|| record.last().cloned().unwrap_or_default());
    let change = match (&then, &now) {
        (None, None) => return None,
        (None, Some(_)) => Comparison::Added,
        (Some(_), None) => Comparison::Removed,
        (Some(_), Some(_)) => Comparison::Changed,
    };
    let fields = if change == Comparison::Changed {
        parts
            .iter()
            .filter(|part| **part != record)
            .filter_map(|part| field(doc, [before, after], &record, part))
            .collect()
    } else {
        Vec::new()
    };
    (change != Comparison::Changed || !fields.is_empty()).then_some(Difference {
        record,
        label,
        change,
        fields,
    })
}

fn field(
    doc: &Automerge,
    [before, after]: [&[ChangeHash]; 2],
    record: &[String],
    part: &[String],
) -> Option<FieldDifference> {
    let then = value_at(doc, before, part);
    let now = value_at(doc, after, part);
    let is_text =
        |side: &Option<(Value<'static>, _)>| matches!(side, Some((Value::Object(ObjType::Text), _)));
    let prose_field = is_text(&then) || is_text(&now);
    let before_words = then.as_ref().map(|value| render(doc, before, value));
    let after_words = now.as_ref().map(|value| render(doc, after, value));
    if before_words == after_words {
        return None;
    }
    let prose = prose_field.then(|| {
        prose_diff(before_words.as_deref().unwrap_or_default(), after_words.as_deref().unwrap_or_default())
    });
    Some(FieldDifference {
        path: part.to_vec(),
        label: field_label(doc, after, before, record, part),
        before: before_words,
        after: after_words,
        prose,
    })
}

/// A field's keys under its record in words; a nested record (an action of a risk) by its
/// title where it has one.
fn field_label(
    doc: &Automerge,
    after: &[ChangeHash],
    before: &[ChangeHash],
    record: &[String],
    part: &[String],
) -> String {
    (record.len()..part.len())
        .map(|end| {
            let nested = end + 1 < part.len();
            let titled = nested.then(|| {
                [after, before].iter().find_map(|heads| {
                    let (_, id) = value_at(doc, heads, &part[..=end])?;
                    title_at(doc, heads, &id)
                })
            });
            titled.flatten().unwrap_or_else(|| key_words(&part[end]))
        })
        .collect::<Vec<_>>()
        .join(" › ")
}

/// Two versions of a text, character by character, as runs of kept, removed and added text.
pub fn prose_diff(before: &str, after: &str) -> Vec<Segment> {
    let mut segments: Vec<Segment> = Vec::new();
    for change in TextDiff::from_chars(before, after).iter_all_changes() {
        let text = change.value();
        match (segments.last_mut(), change.tag()) {
            (Some(Segment::Same(run)), ChangeTag::Equal)
            | (Some(Segment::Removed(run)), ChangeTag::Delete)
            | (Some(Segment::Added(run)), ChangeTag::Insert) => run.push_str(text),
            (_, ChangeTag::Equal) => segments.push(Segment::Same(text.to_owned())),
            (_, ChangeTag::Delete) => segments.push(Segment::Removed(text.to_owned())),
            (_, ChangeTag::Insert) => segments.push(Segment::Added(text.to_owned())),
        }
    }
    segments
}
