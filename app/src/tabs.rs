//! Other tabs of this browser with the same workspace open, reached over a `BroadcastChannel`
//! named after the workspace, so that they see each other's edits at once, with or without the
//! relay:
//!
//! ```ignore
//! let tabs = tabs::Tabs::open(&inner)?;  // listens; what arrives is merged into the session
//! tabs.post_changes(&doc_id, &delta);     // after every local edit
//! tabs.hello(&inner);                     // once the documents are open: "send what I lack"
//! ```
//!
//! Three messages, each a plain object `{ from, kind, ... }`:
//! - `changes { doc, bytes }`: Automerge changes (`save_after` bytes) of one document;
//! - `hello { heads }`: a tab that just opened says what it holds (the heads of each open
//!   document, as JSON); the others answer with the changes it lacks and their own `heads`;
//! - `heads { heads }`: the same without asking for an answer, so the exchange ends there;
//! - `presence { bytes }`: an announcement of `session::presence`, as the relay carries it.
//!
//! IndexedDB is the durable copy; the channel only saves a tab from waiting for a reload.

use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

use automerge::ChangeHash;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use web_sys::{BroadcastChannel, MessageEvent};

use crate::session::Inner;

/// The heads of each document a tab holds, by document id, as hex change hashes.
type Heads = BTreeMap<String, Vec<String>>;

/// This tab's end of the workspace's channel.
pub(crate) struct Tabs {
    channel: BroadcastChannel,
    /// Tells this tab's messages from others' (a second session in this tab, after switching
    /// workspaces, would otherwise hear the first).
    tab_id: String,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl Tabs {
    /// Joins the workspace's channel; `None` where the browser has no `BroadcastChannel`.
    pub(crate) fn open(inner: &Rc<Inner>) -> Option<Self> {
        let name = format!("quorum-tabs-{}", inner.membership.workspace_id);
        let channel = BroadcastChannel::new(&name).ok()?;
        let tab_id = crate::session::random_hex();
        let on_message = {
            let inner: Weak<Inner> = Rc::downgrade(inner);
            let tab_id = tab_id.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let Some(inner) = inner.upgrade() else { return };
                received(&inner, &tab_id, &event.data());
            })
        };
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(Self { channel, tab_id, _on_message: on_message })
    }

    /// Tells the other tabs about a local edit.
    pub(crate) fn post_changes(&self, doc_id: &str, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let message = self.message("changes");
        set(&message, "doc", &doc_id.into());
        set(&message, "bytes", &js_sys::Uint8Array::from(bytes).into());
        self.post(&message);
    }

    /// Tells the other tabs where this one is (see `session::presence`).
    pub(crate) fn post_presence(&self, bytes: &[u8]) {
        let message = self.message("presence");
        set(&message, "bytes", &js_sys::Uint8Array::from(bytes).into());
        self.post(&message);
    }

    /// Asks the tabs open already for whatever this one lacks.
    pub(crate) fn hello(&self, inner: &Inner) {
        self.post_heads(inner, "hello");
    }

    pub(crate) fn close(&self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }

    fn post_heads(&self, inner: &Inner, kind: &str) {
        let message = self.message(kind);
        let heads = serde_json::to_string(&heads_of(inner)).unwrap_or_default();
        set(&message, "heads", &heads.into());
        self.post(&message);
    }

    fn message(&self, kind: &str) -> js_sys::Object {
        let message = js_sys::Object::new();
        set(&message, "from", &self.tab_id.as_str().into());
        set(&message, "kind", &kind.into());
        message
    }

    fn post(&self, message: &js_sys::Object) {
        // A message that cannot be posted (the channel is closed) is only lost to the other
        // tabs' screens: IndexedDB and the relay still carry the edit.
        let _ = self.channel.post_message(message);
    }
}

fn received(inner: &Rc<Inner>, tab_id: &str, data: &JsValue) {
    let text = |key: &str| js_sys::Reflect::get(data, &key.into()).ok().and_then(|v| v.as_string());
    if text("from").is_none_or(|from| from == tab_id) {
        return;
    }
    match text("kind").as_deref() {
        Some("changes") => {
            crate::timings::mark(crate::timings::CHANGES_ARRIVED);
            let Some(doc_id) = text("doc") else { return };
            let Ok(bytes) = js_sys::Reflect::get(data, &"bytes".into()) else { return };
            let Some(bytes) = bytes.dyn_ref::<js_sys::Uint8Array>() else { return };
            if inner.merge_from_tab(&doc_id, &bytes.to_vec()) {
                // Some changes depend on ones this tab never heard of: ask for them.
                let tabs = inner.tabs.borrow();
                if let Some(tabs) = tabs.as_ref() {
                    tabs.hello(inner);
                }
            }
        }
        Some("presence") => {
            let Ok(bytes) = js_sys::Reflect::get(data, &"bytes".into()) else { return };
            let Some(bytes) = bytes.dyn_ref::<js_sys::Uint8Array>() else { return };
            crate::session::presence::received(inner, &inner.root_id, &bytes.to_vec());
        }
        Some(kind @ ("hello" | "heads")) => {
            let theirs: Heads = text("heads").and_then(|h| serde_json::from_str(&h).ok()).unwrap_or_default();
            let tabs = inner.tabs.borrow();
            let Some(tabs) = tabs.as_ref() else { return };
            for (doc_id, bytes) in missing_from(inner, &theirs) {
                tabs.post_changes(&doc_id, &bytes);
            }
            if kind == "hello" {
                tabs.post_heads(inner, "heads");
            }
        }
        _ => {}
    }
}

fn heads_of(inner: &Inner) -> Heads {
    let mut client = inner.client.borrow_mut();
    let ids: Vec<String> = client.document_ids().map(str::to_owned).collect();
    ids.into_iter()
        .filter_map(|id| {
            let heads = client.doc_mut(&id)?.get_heads().iter().map(ToString::to_string).collect();
            Some((id, heads))
        })
        .collect()
}

/// For each document open here, the changes a tab holding `theirs` lacks. A document they did
/// not list is not sent: they open it from IndexedDB, and changes with nothing under them
/// would only wait there.
fn missing_from(inner: &Inner, theirs: &Heads) -> Vec<(String, Vec<u8>)> {
    let mut client = inner.client.borrow_mut();
    let mut missing = Vec::new();
    for (doc_id, their_heads) in theirs {
        let Some(doc) = client.doc_mut(doc_id) else { continue };
        // Heads this tab does not know are left out: everything after the rest is sent.
        let known: Vec<ChangeHash> = their_heads
            .iter()
            .filter_map(|h| h.parse::<ChangeHash>().ok())
            .filter(|h| doc.get_change_by_hash(h).is_some())
            .collect();
        let mut mine = doc.get_heads();
        let mut sorted = known.clone();
        quorum_shared::order::sort(&mut mine);
        quorum_shared::order::sort(&mut sorted);
        if mine == sorted {
            continue;
        }
        let bytes = doc.save_after(&known);
        if !bytes.is_empty() {
            missing.push((doc_id.clone(), bytes));
        }
    }
    missing
}

fn set(object: &js_sys::Object, key: &str, value: &JsValue) {
    // Setting a property of a plain object made here cannot fail.
    let _ = js_sys::Reflect::set(object, &key.into(), value);
}
