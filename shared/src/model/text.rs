//! Editing prose. Long text (policy text, justifications, narratives) is Automerge text, so two
//! people typing in one field merge character by character instead of one overwriting the
//! other. Offsets count UTF-16 code units in documents from [`new_document`](super::new_document),
//! as the browser's do.
//!
//! ```
//! use quorum_shared::model::{self, AiPolicy, TextEdit};
//!
//! let mut doc = model::new_document();
//! model::create_policy(&mut doc, 0, "AI policy", "We use AI.").unwrap();
//! let at_cursor = TextEdit::Splice { pos: 9, delete: 0, insert: " with care".into() };
//! model::edit_policy_text(&mut doc, 1_000, at_cursor).unwrap();
//! assert_eq!(AiPolicy::load(&doc).unwrap().text.as_str(), "We use AI with care.");
//! ```

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc};

use super::ModelError;

/// A change to a prose field: its whole new value, which is diffed into character edits, or a
/// splice at the person's cursor (offsets in the document's text encoding, UTF-16 for documents
/// from [`new_document`](super::new_document)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextEdit {
    Replace(String),
    Splice { pos: usize, delete: usize, insert: String },
}

impl From<&str> for TextEdit {
    fn from(value: &str) -> Self {
        Self::Replace(value.to_string())
    }
}

impl From<String> for TextEdit {
    fn from(value: String) -> Self {
        Self::Replace(value)
    }
}

impl TextEdit {
    /// Applies the edit to the text at `obj[prop]`.
    pub(crate) fn apply(&self, doc: &mut AutoCommit, obj: &ObjId, prop: &str) -> Result<(), ModelError> {
        match self {
            Self::Replace(value) => write_text(doc, obj, prop, value),
            Self::Splice { pos, delete, insert } => splice_text(doc, obj, prop, *pos, *delete, insert),
        }
    }
}

/// The prose at `obj[prop]`, empty if there is none.
pub(crate) fn read_text(doc: &AutoCommit, obj: &ObjId, prop: &str) -> Result<String, ModelError> {
    match doc.get(obj, prop)? {
        Some((automerge::Value::Object(ObjType::Text), id)) => Ok(doc.text(&id)?),
        _ => Ok(String::new()),
    }
}

/// Replaces the prose at `obj[prop]` with `value`, as a character diff of the text already
/// there, so that someone typing elsewhere in the same field keeps their words on merge.
pub(crate) fn write_text(
    doc: &mut AutoCommit,
    obj: &ObjId,
    prop: &str,
    value: &str,
) -> Result<(), ModelError> {
    let text = match doc.get(obj, prop)? {
        Some((automerge::Value::Object(ObjType::Text), id)) => id,
        // A field written by an older version as a plain string becomes text now.
        _ => doc.put_object(obj, prop, ObjType::Text)?,
    };
    super::limits::check_prose(prop, value.encode_utf16().count())?;
    doc.update_text(&text, value)?;
    Ok(())
}

/// Splices the prose at `obj[prop]`: at `pos` (in the document's text encoding, UTF-16 for
/// documents from [`new_document`](super::new_document)), delete `delete` characters and insert `insert`.
pub(crate) fn splice_text(
    doc: &mut AutoCommit,
    obj: &ObjId,
    prop: &str,
    pos: usize,
    delete: usize,
    insert: &str,
) -> Result<(), ModelError> {
    let text = match doc.get(obj, prop)? {
        Some((automerge::Value::Object(ObjType::Text), id)) => id,
        _ => doc.put_object(obj, prop, ObjType::Text)?,
    };
    let len = doc.length(&text);
    let pos = pos.min(len);
    let grown = len - delete.min(len - pos) + insert.encode_utf16().count();
    super::limits::check_prose(prop, grown)?;
    let delete = delete.min(len - pos) as isize;
    doc.splice_text(&text, pos, delete, insert)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use automerge::ROOT;

    use super::*;
    use crate::model::new_document;

    #[test]
    fn text_is_edited_by_diff_and_splice_in_utf16() {
        let mut doc = new_document();
        write_text(&mut doc, &ROOT, "t", "a 😀 b").unwrap();
        // The emoji is two UTF-16 code units, so "b" is at 5.
        splice_text(&mut doc, &ROOT, "t", 5, 1, "c").unwrap();
        splice_text(&mut doc, &ROOT, "t", 99, 9, "!").unwrap();
        assert_eq!(read_text(&doc, &ROOT, "t").unwrap(), "a 😀 c!");
        let text: autosurgeon::Text = autosurgeon::hydrate_prop(&doc, ROOT, "t").unwrap();
        assert_eq!(text.as_str(), "a 😀 c!");
    }
}
