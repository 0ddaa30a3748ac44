//! Other tabs of this browser with the same workspace open, reached over a `BroadcastChannel`
//! named after the workspace, so that they see each other's edits at once, with or without the
//! relay:
//!
//! The session drives it and acts on what it hands back; this module knows nothing of the
//! session:
//!
//! ```ignore
//! let tabs = tabs::Tabs::open(workspace_id, tab_id, move |event| session.from_tab(event))?;
//! tabs.post_changes(&doc_id, &delta);           // after every local edit
//! tabs.hello(&tabs::heads_of(&mut client));     // once the documents are open: "send what I lack"
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

use automerge::ChangeHash;
use quorum_shared::sync::Client;
use wasm_bindgen::{JsCast, JsValue, closure::Closure};
use web_sys::{BroadcastChannel, MessageEvent};

/// The heads of each document a tab holds, by document id, as hex change hashes.
pub(crate) type Heads = BTreeMap<String, Vec<String>>;

/// What another tab said, handed to the session to act on.
pub(crate) enum TabEvent {
    /// Automerge changes (`save_after` bytes) of one document.
    Changes { doc_id: String, bytes: Vec<u8> },
    /// A presence announcement, as the relay carries it.
    Presence(Vec<u8>),
    /// What another tab holds; `answer` when it asks for the changes it lacks and for this
    /// tab's heads in return (a `hello`), not when it is itself answering (`heads`).
    Heads { heads: Heads, answer: bool },
}

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
    /// `tab_id` tells this tab's messages from others' (a second session in this tab, after
    /// switching workspaces, would otherwise hear the first); `on_event` gets what other tabs say.
    pub(crate) fn open(
        workspace_id: &str,
        tab_id: String,
        on_event: impl Fn(TabEvent) + 'static,
    ) -> Option<Self> {
        let channel = BroadcastChannel::new(&format!("quorum-tabs-{workspace_id}")).ok()?;
        let on_message = {
            let tab_id = tab_id.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                if let Some(event) = decode(&tab_id, &event.data()) {
                    on_event(event);
                }
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

    /// Asks the tabs open already for whatever this one, holding `heads`, lacks.
    pub(crate) fn hello(&self, heads: &Heads) {
        self.post_heads(heads, "hello");
    }

    /// Answers a `hello` with what this tab holds, asking for nothing back.
    pub(crate) fn heads(&self, heads: &Heads) {
        self.post_heads(heads, "heads");
    }

    pub(crate) fn close(&self) {
        self.channel.set_onmessage(None);
        self.channel.close();
    }

    fn post_heads(&self, heads: &Heads, kind: &str) {
        let message = self.message(kind);
        let heads = serde_json::to_string(heads).unwrap_or_default();
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

/// What another tab's message says; nothing for this tab's own messages and for what it cannot
/// read.
fn decode(tab_id: &str, data: &JsValue) -> Option<TabEvent> {
    let text = |key: &str| js_sys::Reflect::get(data, &key.into()).ok().and_then(|v| v.as_string());
    let bytes = || {
        let bytes = js_sys::Reflect::get(data, &"bytes".into()).ok()?;
        Some(bytes.dyn_ref::<js_sys::Uint8Array>()?.to_vec())
    };
    if text("from").is_none_or(|from| from == tab_id) {
        return None;
    }
    match text("kind").as_deref()? {
        "changes" => Some(TabEvent::Changes { doc_id: text("doc")?, bytes: bytes()? }),
        "presence" => Some(TabEvent::Presence(bytes()?)),
        kind @ ("hello" | "heads") => {
            let heads = text("heads").and_then(|h| serde_json::from_str(&h).ok()).unwrap_or_default();
            Some(TabEvent::Heads { heads, answer: kind == "hello" })
        }
        _ => None,
    }
}

/// The heads of every document open in `client`, to tell other tabs what this one holds.
pub(crate) fn heads_of(client: &mut Client) -> Heads {
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
pub(crate) fn missing_from(client: &mut Client, theirs: &Heads) -> Vec<(String, Vec<u8>)> {
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
