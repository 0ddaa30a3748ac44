//! The WebSocket to the relay (`/sync`, the token offered as a subprotocol), driving the session's sans-IO sync client:
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
//! The session drives it: it implements [`Host`], through which the socket hands it the
//! relay's events and asks it for the token, and calls these; this module never names the
//! session.
//!
//! ```ignore
//! net::start(&inner);  // once the session's documents are open
//! net::flush(&inner);  // after every local change
//! ```

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use quorum_shared::sync::{Client, Event};
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{BinaryType, CloseEvent, MessageEvent, WebSocket};

mod status;

pub use status::SyncStatus;
use status::{POLICY_VIOLATION, ended_by_relay, refused_message};

/// What the socket needs from its owner, the session: the sync client whose frames it carries,
/// the place for its own state and the header's status, the token, and somewhere to hand the
/// relay's events. The session implements it; the socket asks for nothing else.
pub(crate) trait Host: 'static {
    fn client(&self) -> &RefCell<Client>;
    /// The socket's state, kept with the session so that it lives exactly as long.
    fn connection(&self) -> &RefCell<Connection>;
    /// What the header shows.
    fn status(&self) -> RwSignal<SyncStatus>;
    /// Whether the session is over, so that no timer or handler touches it again.
    fn is_stopped(&self) -> bool;
    /// The access token to connect with, the newest the session has.
    fn token(&self) -> String;
    /// Whether the token is near its expiry and should be traded before connecting.
    fn token_needs_refresh(&self) -> bool;
    /// Trades the token for a fresh one (the session keeps it); the relay's reason when it
    /// refuses the old one, after which retrying cannot help.
    async fn refresh_token(&self) -> Option<String>;
    /// Asks the relay's API whether it refuses `token`, after a connect that never opened; the
    /// relay's reason if so.
    async fn refusal(&self, token: &str) -> Option<String>;
    /// The events of one frame from the relay, for the session to act on.
    fn handle_events(self: &Rc<Self>, events: Vec<Event>);
    /// A peer id no connection has used, for after a policy close.
    fn fresh_peer_id(&self) -> String;
}

/// The socket of a session and what keeps its handlers alive.
#[derive(Default)]
pub(crate) struct Connection {
    socket: Option<WebSocket>,
    handlers: Vec<Closure<dyn FnMut(web_sys::Event)>>,
    /// Failed attempts since the last handshake, for the backoff.
    attempts: u32,
    /// Policy closes since the last time everything synced: a relay that refuses what this
    /// browser sends after each handshake (a change it will not take) is retried ever more
    /// slowly, not every second.
    policy_closes: u32,
    retry_pending: bool,
    listening: bool,
    /// Whether the socket now open (or last closed) completed its upgrade.
    opened: bool,
    /// The relay refused this member's token: no more attempts in this session.
    refused: bool,
}

/// Starts connecting, and follows the browser's online and offline events from then on.
pub(crate) fn start<H: Host>(inner: &Rc<H>) {
    let mut connection = inner.connection().borrow_mut();
    if !connection.listening {
        connection.listening = true;
        drop(connection);
        listen_online(inner);
    } else {
        drop(connection);
    }
    if inner.token_needs_refresh() && browser_online() {
        let inner = inner.clone();
        leptos::task::spawn_local(async move {
            if let Some(reason) = inner.refresh_token().await {
                refuse(&inner, &reason);
            }
            connect(&inner);
        });
    } else {
        connect(inner);
    }
}

/// Sends whatever the client has queued; while the socket is not open the client keeps its
/// sync states instead and catches up after the next handshake.
pub(crate) fn flush<H: Host>(inner: &Rc<H>) {
    let frames = inner.client().borrow_mut().drain_outgoing();
    if let Some(socket) = inner.connection().borrow().socket.as_ref()
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
pub(crate) fn close<H: Host>(inner: &Rc<H>) {
    let socket = inner.connection().borrow_mut().socket.take();
    if let Some(socket) = socket {
        let _ = socket.close();
    }
    inner.client().borrow_mut().disconnected();
}

fn connect<H: Host>(inner: &Rc<H>) {
    inner.connection().borrow_mut().retry_pending = false;
    let connection = inner.connection().borrow();
    if inner.is_stopped() || connection.refused || connection.socket.is_some() {
        return;
    }
    drop(connection);
    if !browser_online() {
        inner.status().set(SyncStatus::Offline);
        return;
    }
    // The token goes as a subprotocol, not in the URL (`shared::api::TOKEN_PROTOCOL_PREFIX`).
    let protocols = js_sys::Array::of2(
        &quorum_shared::api::SYNC_PROTOCOL.into(),
        &format!("{}{}", quorum_shared::api::TOKEN_PROTOCOL_PREFIX, inner.token()).into(),
    );
    let Ok(socket) = WebSocket::new_with_str_sequence(&sync_url(), &protocols) else {
        retry_later(inner);
        return;
    };
    socket.set_binary_type(BinaryType::Arraybuffer);
    if !matches!(inner.status().get_untracked(), SyncStatus::Error(_)) {
        inner.status().set(SyncStatus::Connecting);
    }

    let on_open = {
        let inner = inner.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            inner.connection().borrow_mut().opened = true;
            let frames = inner.client().borrow_mut().connect();
            if let Some(socket) = inner.connection().borrow().socket.as_ref() {
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
                inner.status().set(SyncStatus::Error(ended_by_relay(&event.reason())));
            }
            closed(&inner, policy.is_some())
        })
    };
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    let mut connection = inner.connection().borrow_mut();
    connection.socket = Some(socket);
    connection.opened = false;
    connection.handlers = vec![on_open, on_message, on_close];
}

fn received<H: Host>(inner: &Rc<H>, frame: &[u8]) {
    crate::timings::mark(crate::timings::FRAME_RECEIVED);
    let result =
        crate::timings::measure(crate::timings::SYNC_RECEIVE, || inner.client().borrow_mut().receive(frame));
    match result {
        Ok(events) => {
            let mut closed_with = None;
            for event in &events {
                match event {
                    Event::Connected { .. } => {
                        inner.connection().borrow_mut().attempts = 0;
                        inner.status().set(SyncStatus::Connecting);
                    }
                    Event::Closed { error } => closed_with = Some(error.clone()),
                    _ => {}
                }
            }
            inner.handle_events(events);
            if let Some(error) = closed_with {
                if let Some(message) = error {
                    inner.status().set(SyncStatus::Error(ended_by_relay(&message)));
                }
                let socket = inner.connection().borrow().socket.clone();
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

/// Ends the session's attempts to connect: the relay refused the token.
fn refuse<H: Host>(inner: &Rc<H>, reason: &str) {
    inner.connection().borrow_mut().refused = true;
    inner.status().set(SyncStatus::Error(refused_message(reason)));
}

/// The socket closed; `policy` when the relay closed it saying it will not serve this member.
fn closed<H: Host>(inner: &Rc<H>, policy: bool) {
    let opened = {
        let mut connection = inner.connection().borrow_mut();
        connection.socket = None;
        connection.attempts += 1;
        std::mem::take(&mut connection.opened)
    };
    inner.client().borrow_mut().disconnected();
    if policy {
        inner.connection().borrow_mut().policy_closes += 1;
        // The relay may have refused this peer id as another token's: the next connection
        // comes under a new one rather than wait behind whoever holds it.
        let fresh = inner.fresh_peer_id();
        inner.client().borrow_mut().renew_peer_id(fresh);
    }
    if inner.is_stopped() {
        return;
    }
    if !browser_online() {
        inner.status().set(SyncStatus::Offline);
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
        let token = inner.token();
        match inner.refusal(&token).await {
            Some(reason) => refuse(&inner, &reason),
            None if inner.is_stopped() => {}
            None => failed(&inner),
        }
    });
}

/// A connection that failed for a reason retrying may cure: retried, and after a few attempts
/// the person is told.
fn failed<H: Host>(inner: &Rc<H>) {
    let attempts = inner.connection().borrow().attempts;
    if attempts >= 3 && !matches!(inner.status().get_untracked(), SyncStatus::Error(_)) {
        inner.status().set(SyncStatus::Error(
            "The Quorum server cannot be reached. Your edits are saved on this device and will sync \
             when it answers; check the network if this goes on."
                .to_owned(),
        ));
    }
    retry_later(inner);
}

fn retry_later<H: Host>(inner: &Rc<H>) {
    let attempts = {
        let mut connection = inner.connection().borrow_mut();
        if connection.retry_pending {
            return;
        }
        connection.retry_pending = true;
        connection.attempts.max(connection.policy_closes)
    };
    // 0.5 s doubling up to 30 s, each wait drawn from its upper half.
    let ceiling = (500.0 * 2f64.powi(attempts.min(6) as i32)).min(30_000.0);
    let wait = ceiling * (0.5 + 0.5 * js_sys::Math::random());
    let inner = inner.clone();
    set_timeout(move || connect(&inner), Duration::from_millis(wait as u64));
}

/// Sets the status from the client: after the handshake, how many documents still differ.
fn refresh_status<H: Host>(inner: &Rc<H>) {
    let mut client = inner.client().borrow_mut();
    if !client.is_connected() {
        return;
    }
    let ids: Vec<String> = client.document_ids().map(str::to_owned).collect();
    let behind = ids.iter().filter(|id| !client.is_synced(id)).count();
    drop(client);
    if behind == 0 {
        inner.connection().borrow_mut().policy_closes = 0;
    }
    let status = if behind == 0 { SyncStatus::Synced } else { SyncStatus::Syncing(behind) };
    if inner.status().get_untracked() != status {
        inner.status().set(status);
    }
}

fn listen_online<H: Host>(inner: &Rc<H>) {
    let Some(window) = web_sys::window() else { return };
    let online = {
        let inner = inner.clone();
        Closure::<dyn FnMut()>::new(move || {
            inner.connection().borrow_mut().attempts = 0;
            connect(&inner);
        })
    };
    let offline = {
        let inner = inner.clone();
        Closure::<dyn FnMut()>::new(move || {
            // A refused member's message outlasts the network coming and going.
            if inner.connection().borrow().refused {
                return;
            }
            inner.status().set(SyncStatus::Offline);
            let socket = inner.connection().borrow().socket.clone();
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

fn sync_url() -> String {
    let location = web_sys::window().map(|window| window.location());
    let (protocol, host) = location
        .map(|l| (l.protocol().unwrap_or_default(), l.host().unwrap_or_default()))
        .unwrap_or_default();
    let scheme = if protocol == "https:" { "wss" } else { "ws" };
    format!("{scheme}://{host}/sync")
}
