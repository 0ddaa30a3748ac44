//! Undo of this tab's own last change. Every edit made through [`Session::edit`] is kept as the
//! heads of its document just before and just after it; [`Session::undo`] reverts the latest
//! with `shared::model::undo_change`, as a new change that is saved and synced like any other,
//! so the other browsers see the old value come back and keep whatever they changed since.
//!
//! ```ignore
//! session.undo_label()  // Some("set A.5.2 to implemented"), tracked, for the button
//! session.undo()?;      // Ok(()) or what the person should be told
//! ```

use std::cell::{Cell, RefCell};

use automerge::ChangeHash;
use leptos::prelude::*;
use quorum_shared::model;

use super::{Inner, Session, now_ms};

/// How many changes back a tab can undo.
const DEPTH: usize = 50;

/// One change of this tab.
struct Entry {
    doc_id: String,
    before: Vec<ChangeHash>,
    after: Vec<ChangeHash>,
    /// The change's message, which says what it did ("set A.5.2 to implemented").
    label: String,
}

/// This tab's changes, newest last.
pub(crate) struct UndoStack {
    entries: RefCell<Vec<Entry>>,
    /// What [`Session::undo`] would undo, for the button.
    label: RwSignal<Option<String>>,
    /// Off while a change is made that the person did not ask for (listing this device as a
    /// member) or that is itself an undo.
    paused: Cell<bool>,
}

impl UndoStack {
    pub(crate) fn new() -> Self {
        Self { entries: RefCell::default(), label: RwSignal::new(None), paused: Cell::new(false) }
    }

    /// Keeps a change made by [`Inner::edit`].
    pub(crate) fn record(
        &self,
        doc_id: &str,
        before: Vec<ChangeHash>,
        after: Vec<ChangeHash>,
        label: String,
    ) {
        if self.paused.get() || before == after {
            return;
        }
        let mut entries = self.entries.borrow_mut();
        if entries.len() == DEPTH {
            entries.remove(0);
        }
        entries.push(Entry { doc_id: doc_id.to_owned(), before, after, label: label.clone() });
        self.label.set(Some(label));
    }

    /// Runs `edit` without keeping what it changes.
    pub(crate) fn without<R>(&self, edit: impl FnOnce() -> R) -> R {
        let was = self.paused.replace(true);
        let result = edit();
        self.paused.set(was);
        result
    }

    fn pop(&self) -> Option<Entry> {
        let mut entries = self.entries.borrow_mut();
        let entry = entries.pop();
        self.label.set(entries.last().map(|e| e.label.clone()));
        entry
    }
}

impl Session {
    /// What [`Session::undo`] would undo, as history words it; `None` when nothing is left.
    pub fn undo_label(&self) -> Option<String> {
        self.inner.with_value(|inner| inner.undo.label.get())
    }

    /// Reverts this tab's last change as a new change. The error says, in words for the person,
    /// why nothing (or not everything) was undone.
    pub fn undo(&self) -> Result<(), String> {
        if self.as_of.with_untracked(Option::is_some) {
            return Err(crate::explain::explain(&model::ModelError::PastVersion));
        }
        let inner = self.inner.get_value();
        undo(&inner)
    }
}

fn undo(inner: &std::rc::Rc<Inner>) -> Result<(), String> {
    let Some(entry) = inner.undo.pop() else { return Err("There is nothing of yours to undo.".to_owned()) };
    let result = inner.undo.without(|| {
        inner.edit(&entry.doc_id, |doc| model::undo_change(doc, now_ms(), &entry.before, &entry.after))
    });
    let label = &entry.label;
    match result {
        Ok(undone) if undone.reverted == 0 && undone.kept > 0 => Err(format!(
            "\u{201c}{label}\u{201d} was not undone: someone has changed it again since, and their change is kept."
        )),
        Ok(undone) if undone.reverted == 0 => {
            Err(format!("This change cannot be undone: \u{201c}{label}\u{201d}."))
        }
        Ok(undone) if undone.kept > 0 || undone.unsupported > 0 => Err(format!(
            "\u{201c}{label}\u{201d} was undone in part: what others changed since is kept as they left it."
        )),
        Ok(_) => Ok(()),
        Err(error) => {
            leptos::logging::warn!("undo failed: {error}");
            Err(format!("This change cannot be undone: \u{201c}{label}\u{201d}."))
        }
    }
}
