//! Who else has the workspace open, on which page and in which field. Each tab announces itself
//! on the workspace's root document as an automerge-repo `ephemeral` message (the relay passes
//! those to every other peer of the document and keeps none of them), and to this browser's
//! other tabs over their `BroadcastChannel`:
//!
//! ```ignore
//! presence::start(&inner);                       // announces now and every 10 s
//! session.set_presence_place(path, field);       // on navigation and focus: announces at once
//! session.others_here()                           // others on this page, for the header
//! ```
//!
//! An announcement is UTF-8 JSON, one object:
//! `{"v":1,"tab":"<random hex, one per session>","member":"<member id>","name":"Bea",
//!   "colour":"hsl(210 55% 40%)","device":"<actor id, hex>","path":"/soa",
//!   "field":"soa-A.5.2-justification"}`
//! where `field` is the id of the focused form field or `null`, and `"gone":true` is added by a
//! tab that closes. Another tab's entry lapses 30 s after its last announcement, so a browser
//! that vanished without a word drops out by itself.
//!
//! A receiver believes only the place: it shows the member's own colour (`colour_of`) and the
//! name the workspace lists for the device or the relay for the member, or else the claimed name
//! marked "(not listed)".

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};
use std::time::Duration;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use quorum_shared::model::Workspace;

use super::{Inner, KeptMembership};
use crate::net;

/// How often a tab says it is still here.
const HEARTBEAT_MS: f64 = 10_000.0;
/// How long another tab's entry stays without a heartbeat.
const EXPIRY_MS: f64 = 30_000.0;
/// The least time between two askings for the relay's roster.
const ROSTER_EVERY_MS: f64 = 10_000.0;

/// One tab's announcement, as it travels.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Announcement {
    /// Format version, so that a later format can be told apart.
    pub v: u32,
    pub tab: String,
    pub member: String,
    pub name: String,
    pub colour: String,
    /// The sending device's actor id (hex), which the workspace lists under its member.
    #[serde(default)]
    pub device: String,
    pub path: String,
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub gone: bool,
}

/// This tab's presence: where it is, and who else is where.
pub(crate) struct Presence {
    tab: String,
    /// The route and the focused field of this tab.
    place: RefCell<(String, Option<String>)>,
    /// Other tabs by their tab id, with when each was last heard (ms since the epoch).
    pub(crate) others: RwSignal<BTreeMap<String, (Announcement, f64)>>,
    /// The relay's members by id with their names, for members the root document cannot list
    /// (a viewer's device is never written there); asked for at each connection.
    roster: RwSignal<BTreeMap<String, String>>,
    /// When the roster was last asked for (ms since the epoch), so a stranger asks at most every
    /// `ROSTER_EVERY_MS`.
    roster_asked: Cell<f64>,
    last_sent: Cell<f64>,
    timer: RefCell<Option<IntervalHandle>>,
}

impl Presence {
    pub(crate) fn new() -> Self {
        let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
        Self {
            tab: super::random_hex(),
            place: RefCell::new((path, None)),
            others: RwSignal::new(BTreeMap::new()),
            roster: RwSignal::new(BTreeMap::new()),
            roster_asked: Cell::new(f64::NEG_INFINITY),
            last_sent: Cell::new(0.0),
            timer: RefCell::new(None),
        }
    }
}

/// Starts the heartbeat, which also lets others' entries lapse.
pub(crate) fn start(inner: &Rc<Inner>) {
    let weak: Weak<Inner> = Rc::downgrade(inner);
    let tick = move || {
        let Some(inner) = weak.upgrade() else { return };
        if inner.is_stopped() {
            stop(&inner);
            return;
        }
        let now = js_sys::Date::now();
        let stale =
            inner.presence.others.with_untracked(|o| o.values().any(|(_, seen)| now - seen > EXPIRY_MS));
        if stale {
            inner.presence.others.update(|o| o.retain(|_, (_, seen)| now - *seen <= EXPIRY_MS));
        }
        if now - inner.presence.last_sent.get() >= HEARTBEAT_MS - 500.0 {
            announce(&inner);
        }
    };
    // A third of the expiry, so that an entry lapses at most ~10 s late.
    if let Ok(handle) = set_interval_with_handle(tick, Duration::from_millis(5_000)) {
        *inner.presence.timer.borrow_mut() = Some(handle);
    }
}

/// Says goodbye to the others and stops the heartbeat (the session is being replaced).
pub(crate) fn stop(inner: &Rc<Inner>) {
    if let Some(handle) = inner.presence.timer.borrow_mut().take() {
        handle.clear();
        send(inner, &Announcement { gone: true, ..announcement(inner) });
    }
}

/// This tab moved to another page or field: tells the others at once.
pub(crate) fn set_place(inner: &Rc<Inner>, path: String, field: Option<String>) {
    let place = (path, field);
    if *inner.presence.place.borrow() == place {
        return;
    }
    *inner.presence.place.borrow_mut() = place;
    announce(inner);
}

/// Announces this tab to the relay and the other tabs.
pub(crate) fn announce(inner: &Rc<Inner>) {
    inner.presence.last_sent.set(js_sys::Date::now());
    send(inner, &announcement(inner));
}

fn send(inner: &Rc<Inner>, announcement: &Announcement) {
    let Ok(bytes) = serde_json::to_vec(announcement) else { return };
    if let Some(tabs) = inner.tabs.borrow().as_ref() {
        tabs.post_presence(&bytes);
    }
    // Not connected: nothing is queued, since presence from the past is noise; the heartbeat
    // after the next handshake says where this tab is then.
    if inner.client.borrow_mut().broadcast(&inner.root_id, bytes).is_ok() {
        net::flush(inner);
    }
}

/// An announcement another tab or browser sent, from the relay (`Event::Ephemeral`) or the
/// tabs' channel. Anything that is not one is ignored: presence is best effort.
pub(super) fn received(inner: &Rc<Inner>, document_id: &str, data: &[u8]) {
    if document_id != inner.root_id {
        return;
    }
    let Ok(mut announcement) = serde_json::from_slice::<Announcement>(data) else { return };
    if announcement.tab == inner.presence.tab {
        return;
    }
    // What this page shows of another tab is worked out here, not taken from its word: the
    // colour is the member's own (a sent one would land in a style, where `url(...)` fetches),
    // and the name is the workspace's listing of its device (`others_present`).
    announcement.colour = colour_of(&announcement.member);
    announcement.name = announcement.name.chars().take(MAX_NAME_CHARS).collect();
    if !inner.presence.roster.with_untracked(|r| r.contains_key(&announcement.member)) {
        // Someone who joined since the roster came: ask again (at most every 10 s).
        ask_roster(inner);
    }
    let tab = announcement.tab.clone();
    if announcement.gone {
        inner.presence.others.update(|o| {
            o.remove(&tab);
        });
        return;
    }
    let known = inner.presence.others.with_untracked(|o| o.contains_key(&tab));
    inner.presence.others.update(|o| {
        o.insert(tab, (announcement, js_sys::Date::now()));
    });
    if !known {
        // A newcomer would otherwise wait up to a heartbeat to see this tab.
        announce(inner);
    }
}

/// The relay's handshake finished: say where this tab is, and learn who the members are.
pub(crate) fn connected(inner: &Rc<Inner>) {
    announce(inner);
    ask_roster(inner);
}

/// Asks the relay for its members' names, unless it was asked lately.
fn ask_roster(inner: &Rc<Inner>) {
    let now = js_sys::Date::now();
    if now - inner.presence.roster_asked.get() < ROSTER_EVERY_MS {
        return;
    }
    inner.presence.roster_asked.set(now);
    let weak = Rc::downgrade(inner);
    let membership = inner.membership.clone();
    leptos::task::spawn_local(async move {
        // Without an answer the names wait for the next connection or stranger: presence is
        // best effort.
        let Ok(members) = super::relay_api::list_members(&membership).await else { return };
        let Some(inner) = weak.upgrade() else { return };
        let names = members.into_iter().filter(|m| !m.revoked).map(|m| (m.id, m.name)).collect();
        inner.presence.roster.set(names);
    });
}

fn announcement(inner: &Inner) -> Announcement {
    let (path, field) = inner.presence.place.borrow().clone();
    let member = inner.membership.member_id.clone();
    Announcement {
        v: 1,
        tab: inner.presence.tab.clone(),
        colour: colour_of(&member),
        device: inner.device.to_string(),
        name: member_name(inner),
        member,
        path,
        field,
        gone: false,
    }
}

/// Names longer than this, from a member the workspace does not list yet, are cut.
const MAX_NAME_CHARS: usize = 80;

/// The name a tab is shown under: the one the workspace lists for its device, else the one the
/// relay has for its member (a viewer's device is never listed in the workspace), so that nobody
/// passes for someone by name alone; a tab neither knows shows the name it claims, marked.
fn shown_name(
    workspace: Option<&Workspace>,
    roster: &BTreeMap<String, String>,
    announcement: &Announcement,
) -> String {
    let listed = workspace
        .filter(|_| !announcement.device.is_empty())
        .and_then(|w| w.members.get(&w.member_for_actor_hex(&announcement.device)?).map(|m| m.name.clone()));
    listed
        .or_else(|| roster.get(&announcement.member).cloned())
        .unwrap_or_else(|| format!("{} (not listed)", announcement.name))
}

/// The name the person gave, or the one the root document lists for this device.
fn member_name(inner: &Inner) -> String {
    if let Some(name) = inner.membership.member_name() {
        return name;
    }
    let client = inner.client.borrow();
    client
        .doc(&inner.root_id)
        .and_then(|doc| Workspace::load(doc).ok())
        .and_then(|w| {
            w.member_for_actor(&inner.device).and_then(|m| w.members.get(&m).map(|m| m.name.clone()))
        })
        .unwrap_or_else(|| "A member".to_owned())
}

/// A colour of a member's own, the same in every browser: a hue from a hash of the member id,
/// at a lightness that white initials read well on.
pub fn colour_of(member_id: &str) -> String {
    // FNV-1a: small, stable across builds and platforms.
    let hash = member_id.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("hsl({} 60% 38%)", hash % 360)
}

/// The initials of a name, for an avatar: "Bea Smith" → "BS", "bea" → "B".
pub fn initials(name: &str) -> String {
    name.split_whitespace().filter_map(|w| w.chars().next()).take(2).flat_map(char::to_uppercase).collect()
}

impl super::Session {
    /// Tells the others which page this tab shows and which field has the focus.
    pub fn set_presence_place(&self, path: String, field: Option<String>) {
        set_place(&self.inner.get_value(), path, field);
    }

    /// Forgets a member's tabs at once, as when this tab has just revoked their access, and says
    /// their goodbyes for them to every other browser: the relay closes their connections, so no
    /// goodbye of theirs will come, and their entries would otherwise linger until they lapse.
    pub fn forget_presence_of(&self, member_id: &str) {
        let inner = self.inner.get_value();
        let theirs: Vec<Announcement> = inner.presence.others.with_untracked(|o| {
            o.values().map(|(a, _)| a).filter(|a| a.member == member_id).cloned().collect()
        });
        for announcement in theirs {
            send(&inner, &Announcement { gone: true, ..announcement });
        }
        inner.presence.others.update(|o| o.retain(|_, (a, _)| a.member != member_id));
    }

    /// The other members' tabs that have this workspace open, wherever they are; tracked.
    pub fn others_present(&self) -> Vec<Announcement> {
        let inner = self.inner.get_value();
        let me = inner.membership.member_id.clone();
        // Tracked, so that a device the workspace lists later is renamed on the page.
        inner.version(&inner.root_id).track();
        let workspace = inner.client.borrow().doc(&inner.root_id).and_then(|doc| Workspace::load(doc).ok());
        let roster = inner.presence.roster.get();
        inner.presence.others.with(|others| {
            others
                .values()
                .map(|(a, _)| a)
                .filter(|a| a.member != me)
                .map(|a| Announcement { name: shown_name(workspace.as_ref(), &roster, a), ..a.clone() })
                .collect()
        })
    }
}
