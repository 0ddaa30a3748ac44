//! The WebSocket to the relay (`/sync?token=...`), driving the session's sans-IO sync client:
//! frames in become events for the session, frames out go to the socket. A dropped socket is
//! retried with exponential backoff and jitter (so that a relay coming back is not hit by every
//! browser at once), at once when the browser says it is online again, and not at all while it
//! says it is offline. [`SyncStatus`] is what the header shows.
//!
//! A browser cannot read why a WebSocket upgrade failed, so after a connect that never opened
//! the relay's API is asked about the same token: a relay that refuses it (the member was
//! revoked, the token expired) ends the retries with a message saying whom to ask, and the
//! workspace stays readable here. On open, a token within a month of its expiry is traded for a
//! fresh one first.
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

use crate::session::{Inner, KeptMembership};

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
    /// Whether the socket now open (or last closed) completed its upgrade.
    opened: bool,
    /// The relay refused this member's token: no more attempts in this session.
    refused: bool,
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
    let now = (js_sys::Date::now() / 1000.0) as u64;
    if inner.current_membership().needs_refresh(now) && browser_online() {
        let inner = inner.clone();
        leptos::task::spawn_local(async move {
            refresh_token(&inner).await;
            connect(&inner);
        });
    } else {
        connect(inner);
    }
}

/// Trades the token for a fresh one and keeps that for the next visit. A relay that cannot be
/// reached leaves the old token in use (it still works until it expires) and the next open tries
/// again; one that refuses it ends the session's sync as [`refuse`] says.
async fn refresh_token(inner: &Rc<Inner>) {
    let membership = inner.current_membership();
    match crate::session::refresh_access(&membership).await {
        Ok(fresh) if fresh.workspace_id == membership.workspace_id && !inner.is_stopped() => {
            if let Err(error) = fresh.save() {
                leptos::logging::warn!("the refreshed access token is used but not kept: {error}");
            }
            *inner.refreshed.borrow_mut() = Some(fresh);
        }
        Ok(_) => {}
        Err(failure) if failure.refused() => refuse(inner, &failure.message),
        Err(failure) => leptos::logging::warn!("the access token was not refreshed: {}", failure.message),
    }
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
    let connection = inner.connection.borrow();
    if inner.is_stopped() || connection.refused || connection.socket.is_some() {
        return;
    }
    drop(connection);
    if !browser_online() {
        inner.status.set(SyncStatus::Offline);
        return;
    }
    let Ok(socket) = WebSocket::new(&sync_url(&inner.current_membership().token)) else {
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
            inner.connection.borrow_mut().opened = true;
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
            let policy = event.dyn_ref::<CloseEvent>().filter(|event| event.code() == POLICY_VIOLATION);
            if let Some(event) = policy {
                inner.status.set(SyncStatus::Error(ended_by_relay(&event.reason())));
            }
            closed(&inner, policy.is_some())
        })
    };
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let mut connection = inner.connection.borrow_mut();
    connection.socket = Some(socket);
    connection.opened = false;
    connection.handlers = vec![on_open, on_message, on_close];
}

fn received(inner: &Rc<Inner>, frame: &[u8]) {
    crate::timings::mark(crate::timings::FRAME_RECEIVED);
    let result =
        crate::timings::measure(crate::timings::SYNC_RECEIVE, || inner.client.borrow_mut().receive(frame));
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

/// What the header says when the relay refuses this member's token, worded for the person from
/// the relay's `reason`: retrying cannot help, the data here stays, and an owner can let them in
/// again.
fn refused_message(reason: &str) -> String {
    let what = if reason.contains("revoked") {
        "An owner has removed your access to this workspace"
    } else if reason.contains("expired") {
        "Your access to this workspace has expired"
    } else {
        "The Quorum server no longer accepts this device's access to the workspace"
    };
    format!(
        "{what}. Everything here stays readable on this device, but changes no longer reach anyone          else; ask an owner for a new invite to take part again."
    )
}

/// Ends the session's attempts to connect: the relay refused the token.
fn refuse(inner: &Rc<Inner>, reason: &str) {
    inner.connection.borrow_mut().refused = true;
    inner.status.set(SyncStatus::Error(refused_message(reason)));
}

/// The socket closed; `policy` when the relay closed it saying it will not serve this member.
fn closed(inner: &Rc<Inner>, policy: bool) {
    let opened = {
        let mut connection = inner.connection.borrow_mut();
        connection.socket = None;
        connection.attempts += 1;
        std::mem::take(&mut connection.opened)
    };
    inner.client.borrow_mut().disconnected();
    if inner.is_stopped() {
        return;
    }
    if !browser_online() {
        inner.status.set(SyncStatus::Offline);
        retry_later(inner);
        return;
    }
    if opened && !policy {
        failed(inner);
        return;
    }
    // Refused at the upgrade (or told so): ask the API why, with the same token.
    let inner = inner.clone();
    leptos::task::spawn_local(async move {
        let token = inner.current_membership().token;
        match crate::session::check_access(&token).await {
            Err(failure) if failure.refused() => refuse(&inner, &failure.message),
            _ if inner.is_stopped() => {}
            _ => failed(&inner),
        }
    });
}

/// A connection that failed for a reason retrying may cure: retried, and after a few attempts
/// the person is told.
fn failed(inner: &Rc<Inner>) {
    let attempts = inner.connection.borrow().attempts;
    if attempts >= 3 && !matches!(inner.status.get_untracked(), SyncStatus::Error(_)) {
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
            // A refused member's message outlasts the network coming and going.
            if inner.connection.borrow().refused {
                return;
            }
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
