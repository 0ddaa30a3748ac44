//! What the session does with what other tabs of this browser say (see `tabs`): it merges their
//! changes, shows their presence, and answers a tab that says what it holds with what it lacks.

use std::rc::Rc;

use super::Inner;
use crate::tabs::{self, TabEvent, Tabs};
use crate::timings;

impl Inner {
    /// Joins the other tabs with this workspace open; what they say comes back to this session
    /// for as long as it lives.
    pub(super) fn join_tabs(self: &Rc<Self>) {
        let session = Rc::downgrade(self);
        let tabs = Tabs::open(&self.membership.workspace_id, super::random_hex(), move |event| {
            if let Some(inner) = session.upgrade() {
                inner.from_tab(event);
            }
        });
        *self.tabs.borrow_mut() = tabs;
    }

    /// Asks the other tabs for whatever this one lacks.
    pub(super) fn hello_tabs(&self) {
        let heads = tabs::heads_of(&mut self.client.borrow_mut());
        if let Some(tabs) = self.tabs.borrow().as_ref() {
            tabs.hello(&heads);
        }
    }

    fn from_tab(self: &Rc<Self>, event: TabEvent) {
        match event {
            TabEvent::Changes { doc_id, bytes } => {
                timings::mark(timings::CHANGES_ARRIVED);
                if self.merge_from_tab(&doc_id, &bytes) {
                    // Some changes depend on ones this tab never heard of: ask for them.
                    self.hello_tabs();
                }
            }
            TabEvent::Presence(bytes) => super::presence::received(self, &self.root_id, &bytes),
            TabEvent::Heads { heads, answer } => {
                let missing = tabs::missing_from(&mut self.client.borrow_mut(), &heads);
                let ours = answer.then(|| tabs::heads_of(&mut self.client.borrow_mut()));
                let tabs = self.tabs.borrow();
                let Some(tabs) = tabs.as_ref() else { return };
                for (doc_id, bytes) in missing {
                    tabs.post_changes(&doc_id, &bytes);
                }
                if let Some(ours) = ours {
                    tabs.heads(&ours);
                }
            }
        }
    }
}
