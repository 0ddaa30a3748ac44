//! Attribution the relay enforces. Every Automerge change names its actor, and Quorum says whose
//! a change is from that actor (the root lists each member's devices, and an app actor is its
//! device id followed by a tab's suffix). So that no member can write changes that claim to be
//! someone else's, the relay binds actor ids to members, within a scope (the workspace):
//!
//! - a **device** a member registers ahead of any change (the app does, with its signing key)
//!   covers every actor it begins; no other member may register it, or one it begins or that
//!   begins it;
//! - an **actor** no device covers is bound by the first change by it that a writer brings,
//!   to that writer's member. Changes stamped before the workspace came to this relay (a
//!   restored backup: everyone's history, uploaded by one owner) bind no one; unstamped ones
//!   (time 0, Automerge's default in Rust, as samod peers leave it) bind as new.
//!
//! From then on a new change by a bound actor from any other member is refused; a change the
//! relay already has passes as before, whoever sends it again. Stock automerge-repo peers, whose
//! actors are fresh, are bound on their first change and keep working.

use std::collections::{BTreeMap, HashMap};

use automerge::{ActorId, Automerge, Bundle, Change, sync};

use super::chunks::{BUNDLE, CHANGE, COMPRESSED, DOCUMENT, chunk_length};

/// The shortest device id that may be registered: the app's are 16 bytes. A shorter one would
/// begin too many actors (one byte begins one actor in 256).
pub const MIN_DEVICE_BYTES: usize = 16;

/// Whom a writer's connection writes as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    /// Where actor ids are bound: the workspace.
    pub scope: String,
    pub member: String,
    /// Changes stamped before this (Automerge's seconds), and stamped at all, bind no actor:
    /// they predate the workspace's life at this relay.
    pub binds_from_s: i64,
}

/// One actor id or device id bound to a member: what the core records and the driver stores, and
/// hands back through [`super::Relay::bind`] when it starts again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub scope: String,
    pub id: Vec<u8>,
    pub kind: Bound,
    pub member: String,
}

/// What a [`Binding`]'s id covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// That actor exactly.
    Actor,
    /// Every actor the id begins.
    Device,
}

impl Bound {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Bound::Actor => "actor",
            Bound::Device => "device",
        }
    }

    pub fn parse(stored: &str) -> Option<Bound> {
        match stored {
            "actor" => Some(Bound::Actor),
            "device" => Some(Bound::Device),
            _ => None,
        }
    }
}

/// Why a device cannot be registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeviceRefused {
    #[error("a device id has at least {MIN_DEVICE_BYTES} bytes")]
    TooShort,
    #[error("this device id, or one overlapping it, is another member's")]
    Taken,
}

/// Why a writer's changes are not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Unattributable {
    /// A new change by an actor bound to another member.
    Forged(ActorId),
    /// A chunk that does not read as changes (the inflation walk let it through, Automerge would not).
    Unreadable,
}

/// The bindings of every scope.
#[derive(Debug, Default)]
pub(super) struct Bindings {
    scopes: HashMap<String, BTreeMap<Vec<u8>, (Bound, String)>>,
}

impl Bindings {
    /// Records a binding; the first binding of an id stays.
    pub fn insert(&mut self, binding: Binding) {
        let scope = self.scopes.entry(binding.scope).or_default();
        scope.entry(binding.id).or_insert((binding.kind, binding.member));
    }

    pub fn len(&self) -> usize {
        self.scopes.values().map(BTreeMap::len).sum()
    }

    /// The member `actor` belongs to: a device that begins it, else its own binding.
    fn owner<'a>(scope: &'a BTreeMap<Vec<u8>, (Bound, String)>, actor: &[u8]) -> Option<&'a str> {
        let device = (MIN_DEVICE_BYTES..actor.len())
            .find_map(|length| scope.get(&actor[..length]).filter(|(kind, _)| *kind == Bound::Device));
        device.or_else(|| scope.get(actor)).map(|(_, member)| member.as_str())
    }

    /// Checks the new changes a writer brings, as (actor, timestamp): the bindings they make, or
    /// the first actor that is another member's.
    pub fn check(&self, author: &Author, changes: &[(ActorId, i64)]) -> Result<Vec<Binding>, ActorId> {
        let empty = BTreeMap::new();
        let scope = self.scopes.get(&author.scope).unwrap_or(&empty);
        let mut made: Vec<Binding> = Vec::new();
        for (actor, timestamp) in changes {
            let bytes = actor.to_bytes();
            match Self::owner(scope, bytes) {
                Some(member) if member != author.member => return Err(actor.clone()),
                Some(_) => {}
                None if (*timestamp != 0 && *timestamp < author.binds_from_s)
                    || made.iter().any(|b| b.id == bytes) => {}
                None => made.push(Binding {
                    scope: author.scope.clone(),
                    id: bytes.to_vec(),
                    kind: Bound::Actor,
                    member: author.member.clone(),
                }),
            }
        }
        Ok(made)
    }

    /// Registers `device` as `member`'s: the binding to store, or `None` if it is theirs already.
    pub fn register_device(
        &mut self,
        scope: &str,
        device: &[u8],
        member: &str,
    ) -> Result<Option<Binding>, DeviceRefused> {
        if device.len() < MIN_DEVICE_BYTES {
            return Err(DeviceRefused::TooShort);
        }
        let bound = self.scopes.entry(scope.to_owned()).or_default();
        // Devices that begin it, and anything it begins (a device, or an actor of it).
        let begun_by = (MIN_DEVICE_BYTES..device.len())
            .filter_map(|length| bound.get(&device[..length]).filter(|(kind, _)| *kind == Bound::Device));
        let begins =
            bound.range(device.to_vec()..).take_while(|(id, _)| id.starts_with(device)).map(|(_, b)| b);
        if begun_by.chain(begins).any(|(_, owner)| owner != member) {
            return Err(DeviceRefused::Taken);
        }
        if bound.get(device).is_some_and(|(kind, _)| *kind == Bound::Device) {
            return Ok(None);
        }
        let binding = Binding {
            scope: scope.to_owned(),
            id: device.to_vec(),
            kind: Bound::Device,
            member: member.to_owned(),
        };
        bound.insert(device.to_vec(), (Bound::Device, member.to_owned()));
        Ok(Some(binding))
    }
}

/// The actor and time of every change in a sync message that `doc` does not have yet. A whole
/// document (what a peer sends when it gives most of what it has) is read and compared with `doc`
/// from the heads down, so only the changes new to `doc` are named.
pub(super) fn new_changes(
    doc: &Automerge,
    message: &sync::Message,
) -> Result<Vec<(ActorId, i64)>, Unattributable> {
    // Automerge joins the list's items before it reads them; so are they here.
    let joined: Vec<u8> = message.changes.iter().flatten().copied().collect();
    let mut rest = joined.as_slice();
    let mut found = Vec::new();
    let take = |change: &Change, found: &mut Vec<(ActorId, i64)>| {
        if doc.get_change_meta_by_hash(&change.hash()).is_none() {
            found.push((change.actor_id().clone(), change.timestamp()));
        }
    };
    while !rest.is_empty() {
        let length = chunk_length(rest).ok_or(Unattributable::Unreadable)?;
        let (chunk, after) = rest.split_at(length);
        rest = after;
        match chunk[8] {
            CHANGE | COMPRESSED => {
                take(&Change::try_from(chunk).map_err(|_| Unattributable::Unreadable)?, &mut found)
            }
            BUNDLE => {
                let bundle = Bundle::try_from(chunk).map_err(|_| Unattributable::Unreadable)?;
                for change in bundle.to_changes().map_err(|_| Unattributable::Unreadable)? {
                    take(&change, &mut found);
                }
            }
            DOCUMENT => {
                let theirs = Automerge::load(chunk).map_err(|_| Unattributable::Unreadable)?;
                let added = doc.get_changes_added(&theirs);
                found.extend(added.iter().map(|change| (change.actor_id().clone(), change.timestamp())));
            }
            _ => return Err(Unattributable::Unreadable),
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests;
