//! The WebSocket to the relay (`/sync?token=...`), driving the session's sans-IO sync client:
//! frames in become events for the session, frames out go to the socket. A dropped socket is
//! retried with exponential backoff and jitter (so that a relay coming back is not hit by every
//! browser at once), at once when the browser says it is online again, and not at all while it
//! says it is offline. [`SyncStatus`] is what the header shows.
//!
//! ```ignore
//! net::start(&inner);  // once the session's documents are open
//! net::flush(&inner);  // after every local change
//! ```

use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

use crate::session::Inner;

/// How this browser stands with the relay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncStatus {
    /// The browser reports no network; edits are kept here and sent later.
    Offline,
    Connecting,
    /// Connected, with this many documents not yet in step with the relay.
    Syncing(usize),
    Synced,
    /// Something the person can act on, worded for them.
    Error(String),
}

impl SyncStatus {
    /// A stable name for styling and tests.
    pub fn state(&self) -> &'static str {
        match self {
            Self::Offline => "offline",
            Self::Connecting => "connecting",
            Self::Syncing(_) => "syncing",
            Self::Synced => "synced",
            Self::Error(_) => "error",
        }
    }

    pub fn label(&self) -> String {
        match self {
            Self::Offline => "Offline: changes are kept on this device".to_owned(),
            Self::Connecting => "Connecting…".to_owned(),
            Self::Syncing(1) => "Syncing 1 document…".to_owned(),
            Self::Syncing(n) => format!("Syncing {n} documents…"),
            Self::Synced => "Synced".to_owned(),
            Self::Error(message) => message.clone(),
        }
    }
}

/// The socket of a session and what keeps its handlers alive.
#[derive(Default)]
pub(crate) struct Connection {
    socket: Option<WebSocket>,
    handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
    /// Failed attempts since the last handshake, for the backoff.
    attempts: u32,
    retry_pending: bool,
    listening: bool,
}

/// Starts connecting, and follows the browser's online and offline events from then on.
pub(crate) fn start(inner: &Rc<Inner>) {
    let mut connection = inner.connection.borrow_mut();
    if !connection.listening {
        connection.listening = true;
        drop(connection);
        listen_online(inner);
    } else {
        drop(connection);
    }
    connect(inner);
}

/// Sends whatever the client has queued; while the socket is not open the client keeps its
/// sync states instead and catches up after the next handshake.
pub(crate) fn flush(inner: &Rc<Inner>) {
    let frames = inner.client.borrow_mut().drain_outgoing();
    if let Some(socket) = inner.connection.borrow().socket.as_ref()
        && socket.ready_state() == WebSocket::OPEN
    {
        for frame in frames {
            // A failed send closes the socket, and the close handler reconnects.
            let _ = socket.send_with_u8_array(&frame);
        }
    }
    refresh_status(inner);
}

/// Closes the socket for good (the session is being replaced).
pub(crate) fn close(inner: &Rc<Inner>) {
    let socket = inner.connection.borrow_mut().socket.take();
    if let Some(socket) = socket {
        let _ = socket.close();
    }
    inner.client.borrow_mut().disconnected();
}

fn connect(inner: &Rc<Inner>) {
    inner.connection.borrow_mut().retry_pending = false;
    if inner.stopped.get() || inner.connection.borrow().socket.is_some() {
        return;
    }
    if !browser_online() {
        inner.status.set(SyncStatus::Offline);
        return;
    }
    let Ok(socket) = WebSocket::new(&sync_url(&inner.membership.token)) else {
        retry_later(inner);
        return;
    };
    socket.set_binary_type(BinaryType::Arraybuffer);
    if !matches!(inner.status.get_untracked(), SyncStatus::Error(_)) {
        inner.status.set(SyncStatus::Connecting);
    }

    let on_open = {
        let inner = inner.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let frames = inner.client.borrow_mut().connect();
            if let Some(socket) = inner.connection.borrow().socket.as_ref() {
                for frame in frames {
                    let _ = socket.send_with_u8_array(&frame);
                }
            }
        })
    };
    let on_message = {
        let inner = inner.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            let Some(event) = event.dyn_ref::<MessageEvent>() else { return };
            // The protocol is binary; a text frame is not ours to read.
            if !event.data().is_instance_of::<js_sys::ArrayBuffer>() {
                return;
            }
            received(&inner, &js_sys::Uint8Array::new(&event.data()).to_vec());
        })
    };
    let on_close = {
        let inner = inner.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |event: web_sys::Event| {
            // A policy close (1008) says why in its reason; other closes are retried quietly.
            if let Some(event) = event.dyn_ref::<CloseEvent>()
                && event.code() == POLICY_VIOLATION
            {
                inner.status.set(SyncStatus::Error(ended_by_relay(&event.reason())));
            }
            closed(&inner)
        })
    };
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let mut connection = inner.connection.borrow_mut();
    connection.socket = Some(socket);
    connection.handlers = vec![on_open, on_message, on_close];
}

fn received(inner: &Rc<Inner>, frame: &[u8]) {
    let result = inner.client.borrow_mut().receive(frame);
    match result {
        Ok(events) => {
            let mut closed_with = None;
            for event in &events {
                match event {
                    quorum_shared::sync::Event::Connected { .. } => {
                        inner.connection.borrow_mut().attempts = 0;
                        inner.status.set(SyncStatus::Connecting);
                    }
                    quorum_shared::sync::Event::Closed { error } => closed_with = Some(error.clone()),
                    _ => {}
                }
            }
            inner.handle(events);
            if let Some(error) = closed_with {
                if let Some(message) = error {
                    inner.status.set(SyncStatus::Error(ended_by_relay(&message)));
                }
                let socket = inner.connection.borrow().socket.clone();
                if let Some(socket) = socket {
                    let _ = socket.close();
                }
                return;
            }
        }
        // One frame that cannot be read is dropped; the sync states recover what it carried.
        Err(error) => leptos::logging::warn!("dropped a frame from the relay: {error}"),
    }
    flush(inner);
}

/// The close code the relay gives a connection it will not serve: a revoked member, or a peer
/// id already bound to another member.
const POLICY_VIOLATION: u16 = 1008;

/// What the header says when the relay ended the connection with `reason`, worded for the
/// person: a revoked member learns that retrying will not help and whom to ask.
fn ended_by_relay(reason: &str) -> String {
    if reason.contains("revoked") {
        return "An owner has removed your access to this workspace. What you changed here stays on \
                this device but no longer reaches anyone else; ask an owner for a new invite to take \
                part again."
            .to_owned();
    }
    format!(
        "The server ended the connection ({reason}). Quorum keeps your edits here and retries; if \
         this goes on, ask a workspace owner for a new invite."
    )
}

fn closed(inner: &Rc<Inner>) {
    {
        let mut connection = inner.connection.borrow_mut();
        connection.socket = None;
        connection.attempts += 1;
    }
    inner.client.borrow_mut().disconnected();
    if inner.stopped.get() {
        return;
    }
    let attempts = inner.connection.borrow().attempts;
    if !browser_online() {
        inner.status.set(SyncStatus::Offline);
    } else if attempts >= 3 && !matches!(inner.status.get_untracked(), SyncStatus::Error(_)) {
        inner.status.set(SyncStatus::Error(
            "The Quorum server cannot be reached. Your edits are saved on this device and will sync \
             when it answers; check the network if this goes on."
                .to_owned(),
        ));
    }
    retry_later(inner);
}

fn retry_later(inner: &Rc<Inner>) {
    let attempts = {
        let mut connection = inner.connection.borrow_mut();
        if connection.retry_pending {
            return;
        }
        connection.retry_pending = true;
        connection.attempts
    };
    // 0.5 s doubling up to 30 s, each wait drawn from its upper half.
    let ceiling = (500.0 * 2f64.powi(attempts.min(6) as i32)).min(30_000.0);
    let wait = ceiling * (0.5 + 0.5 * js_sys::Math::random());
    let inner = inner.clone();
    set_timeout(move || connect(&inner), Duration::from_millis(wait as u64));
}

/// Sets the status from the client: after the handshake, how many documents still differ.
fn refresh_status(inner: &Rc<Inner>) {
    let mut client = inner.client.borrow_mut();
    if !client.is_connected() {
        return;
    }
    let ids: Vec<String> = client.document_ids().map(str::to_owned).collect();
    let behind = ids.iter().filter(|id| !client.is_synced(id)).count();
    drop(client);
    let status = if behind == 0 { SyncStatus::Synced } else { SyncStatus::Syncing(behind) };
    if inner.status.get_untracked() != status {
        inner.status.set(status);
    }
}

fn listen_online(inner: &Rc<Inner>) {
    let Some(window) = web_sys::window() else { return };
    let online = {
        let inner = inner.clone();
        Closure::<dyn FnMut()>::new(move || {
            inner.connection.borrow_mut().attempts = 0;
            connect(&inner);
        })
    };
    let offline = {
        let inner = inner.clone();
        Closure::<dyn FnMut()>::new(move || {
            inner.status.set(SyncStatus::Offline);
            let socket = inner.connection.borrow().socket.clone();
            if let Some(socket) = socket {
                let _ = socket.close();
            }
        })
    };
    let _ = window.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
    let _ = window.add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
    // The listeners live as long as the page: a session is replaced only by another one, and
    // a stopped session's listeners find it stopped and do nothing.
    online.forget();
    offline.forget();
}

fn browser_online() -> bool {
    web_sys::window().is_none_or(|window| window.navigator().on_line())
}

fn sync_url(token: &str) -> String {
    let location = web_sys::window().map(|window| window.location());
    let (protocol, host) = location
        .map(|l| (l.protocol().unwrap_or_default(), l.host().unwrap_or_default()))
        .unwrap_or_default();
    let scheme = if protocol == "https:" { "wss" } else { "ws" };
    let token: String = js_sys::encode_uri_component(token).into();
    format!("{scheme}://{host}/sync?token={token}")
}
