//! Undoing a change's edits to one text or list that exists now. The diff's patches count
//! indices in the document as the change left it, each patch after the ones before it; others
//! may have typed since, so indices alone would land in the wrong place. Instead the patches are
//! replayed on a model of the sequence as the change left it, which says which of its elements
//! go and where each new run goes (after which surviving element). Those elements are found in
//! the document as it is now by their cursors.

use automerge::{
    AutoCommit, ChangeHash, Cursor, ObjId, ObjType, Patch, PatchAction, Prop, ReadDoc, TextEncoding, Value,
};

use super::{Objects, Undone, Write, insert_write};
use crate::model::ModelError;

/// One element of the sequence while the patches are replayed.
enum Item {
    /// An element of the sequence as the change left it, at `start` (in the document's text
    /// units), `width` units wide.
    Old { start: usize, width: usize },
    /// An element the undo puts back.
    New(New),
}

enum New {
    Char(char),
    Value(Value<'static>, ObjId),
}

/// Where an edit lands now, and what it does there.
struct Edit {
    pos: usize,
    /// Order in the sequence, so that runs landing at one place keep their order.
    order: usize,
    kind: EditKind,
}

enum EditKind {
    Delete { width: usize },
    Replace(Value<'static>, ObjId),
    Insert(Vec<New>),
}

impl EditKind {
    /// At one position, the element there is removed or replaced before anything is put in
    /// front of it.
    fn rank(&self) -> u8 {
        match self {
            Self::Insert(_) => 0,
            Self::Delete { .. } | Self::Replace(..) => 1,
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn plan<'a>(
    doc: &AutoCommit,
    obj: &ObjId,
    kind: ObjType,
    patches: impl Iterator<Item = &'a Patch>,
    after: &[ChangeHash],
    objects: &mut Objects,
    writes: &mut Vec<Write>,
    undone: &mut Undone,
) -> Result<(), ModelError> {
    let text = kind == ObjType::Text;
    let encoding = doc.text_encoding();
    let width = |c: char| match encoding {
        TextEncoding::Utf16CodeUnit => c.len_utf16(),
        TextEncoding::Utf8CodeUnit => c.len_utf8(),
        _ => 1,
    };
    if text && encoding == TextEncoding::GraphemeCluster {
        // A grapheme's width depends on its neighbours; no document of ours counts that way.
        undone.unsupported += 1;
        return Ok(());
    }
    let mut items: Vec<Item> = if text {
        let mut start = 0;
        doc.text_at(obj, after)?
            .chars()
            .map(|c| {
                let item = Item::Old { start, width: width(c) };
                start += width(c);
                item
            })
            .collect()
    } else {
        (0..doc.length_at(obj, after)).map(|start| Item::Old { start, width: 1 }).collect()
    };
    let item_width = |item: &Item| match item {
        Item::Old { width, .. } => *width,
        Item::New(New::Char(c)) => width(*c),
        Item::New(New::Value(..)) => 1,
    };
    let mut removed: Vec<(usize, usize)> = Vec::new();
    let mut replaced: Vec<(usize, Value<'static>, ObjId)> = Vec::new();
    for patch in patches {
        let replayed = match &patch.action {
            PatchAction::SpliceText { index, value, .. } => slot(&items, *index, &item_width).map(|at| {
                let chars = value.make_string().chars().map(|c| Item::New(New::Char(c))).collect::<Vec<_>>();
                items.splice(at..at, chars);
            }),
            PatchAction::Insert { index, values } => slot(&items, *index, &item_width).map(|at| {
                let values = values
                    .iter()
                    .map(|(v, id, _)| Item::New(New::Value(v.clone(), id.clone())))
                    .collect::<Vec<_>>();
                items.splice(at..at, values);
            }),
            PatchAction::DeleteSeq { index, length } => slot(&items, *index, &item_width).and_then(|at| {
                let mut gone = 0;
                let mut end = at;
                while gone < *length && end < items.len() {
                    gone += item_width(&items[end]);
                    end += 1;
                }
                (gone == *length).then(|| {
                    for item in items.drain(at..end) {
                        if let Item::Old { start, width } = item {
                            removed.push((start, width));
                        }
                    }
                })
            }),
            PatchAction::PutSeq { index, value: (value, id), .. } => slot(&items, *index, &item_width)
                .and_then(|at| match items.get_mut(at)? {
                    Item::Old { start, .. } => {
                        replaced.push((*start, value.clone(), id.clone()));
                        Some(())
                    }
                    Item::New(new) => {
                        *new = New::Value(value.clone(), id.clone());
                        Some(())
                    }
                }),
            PatchAction::Conflict { .. } => Some(()),
            _ => None,
        };
        if replayed.is_none() {
            // A patch this model cannot follow: leave the whole sequence as it is, rather than
            // guess.
            undone.unsupported += 1;
            return Ok(());
        }
    }

    let locate = Locator { doc, obj, after, length: doc.length(obj) };
    let mut edits = Vec::new();
    let mut kept = false;
    for (start, width) in removed {
        match locate.now(start)? {
            (pos, true) => edits.push(Edit { pos, order: 0, kind: EditKind::Delete { width } }),
            _ => kept = true,
        }
    }
    for (start, value, id) in replaced {
        let (pos, visible) = locate.now(start)?;
        let same =
            visible && doc.get(obj, pos)?.map(|(_, v)| v) == doc.get_at(obj, start, after)?.map(|(_, v)| v);
        if same {
            edits.push(Edit { pos, order: 0, kind: EditKind::Replace(value, id) });
        } else {
            kept = true;
        }
    }
    // Each run of new elements goes after the surviving element before it.
    let mut anchor: Option<(usize, usize)> = None;
    let mut run: Vec<New> = Vec::new();
    let mut order = 0;
    for item in items.into_iter().chain(std::iter::once(Item::Old { start: usize::MAX, width: 0 })) {
        match item {
            Item::New(new) => run.push(new),
            Item::Old { start, width } => {
                if !run.is_empty() {
                    let pos = match anchor {
                        None => 0,
                        Some((start, width)) => match locate.now(start)? {
                            (pos, true) => pos + width,
                            // Its element was deleted since: the place is where it was.
                            (pos, false) => pos,
                        },
                    };
                    order += 1;
                    edits.push(Edit { pos, order, kind: EditKind::Insert(std::mem::take(&mut run)) });
                }
                anchor = Some((start, width));
            }
        }
    }

    if kept {
        undone.kept += 1;
    }
    if edits.is_empty() {
        return Ok(());
    }
    undone.reverted += 1;
    // From the end backwards, so that each edit leaves the positions of the ones still to come.
    crate::order::sort_by_key(&mut edits, |b| std::cmp::Reverse((b.pos, b.kind.rank(), b.order)));
    for edit in edits {
        let pos = edit.pos;
        match edit.kind {
            EditKind::Delete { width } if text => {
                writes.push(Write::SpliceText { obj: obj.clone(), pos, del: width, text: String::new() });
            }
            EditKind::Delete { .. } => writes.push(Write::Delete { obj: obj.clone(), prop: Prop::Seq(pos) }),
            EditKind::Replace(Value::Scalar(value), _) => {
                writes.push(Write::Put { obj: obj.clone(), prop: Prop::Seq(pos), value: value.into_owned() });
            }
            EditKind::Replace(Value::Object(kind), old) => {
                objects.fresh.insert(old.clone());
                writes.push(Write::PutObject { obj: obj.clone(), prop: Prop::Seq(pos), kind, old });
            }
            EditKind::Insert(run) => {
                if text {
                    let text: String = run
                        .iter()
                        .filter_map(|n| if let New::Char(c) = n { Some(*c) } else { None })
                        .collect();
                    writes.push(Write::SpliceText { obj: obj.clone(), pos, del: 0, text });
                } else {
                    for (offset, new) in run.into_iter().enumerate() {
                        if let New::Value(value, id) = new {
                            writes.push(insert_write(obj, pos + offset, &value, &id, objects));
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// The index in `items` at which `index` (in units) falls, or `None` when it falls inside an
/// element or past the end.
fn slot(items: &[Item], index: usize, width: &impl Fn(&Item) -> usize) -> Option<usize> {
    let mut units = 0;
    for (at, item) in items.iter().enumerate() {
        if units == index {
            return Some(at);
        }
        if units > index {
            return None;
        }
        units += width(item);
    }
    (units == index).then_some(items.len())
}

/// Finds an element of the sequence as the change left it in the sequence as it is now.
struct Locator<'a> {
    doc: &'a AutoCommit,
    obj: &'a ObjId,
    after: &'a [ChangeHash],
    length: usize,
}

impl Locator<'_> {
    /// The element's position now, and whether it is still there (if not, the position is that
    /// of the next element that is).
    fn now(&self, start: usize) -> Result<(usize, bool), ModelError> {
        let cursor = self.doc.get_cursor(self.obj, start, Some(self.after))?;
        let pos = self.doc.get_cursor_position(self.obj, &cursor, None)?;
        let visible = pos < self.length
            && matches!(cursor, Cursor::Op(_))
            && self.doc.get_cursor(self.obj, pos, None)? == cursor;
        Ok((pos, visible))
    }
}
