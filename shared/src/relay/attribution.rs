//! Attribution the relay enforces. Every Automerge change names its actor, and Quorum says whose
//! a change is from that actor (the root lists each member's devices, and an app actor is its
//! device id followed by a tab's suffix). So that no member can write changes that claim to be
//! someone else's, the relay binds actor ids to members, within a scope (the workspace):
//!
//! - a **device** (16 bytes) a member registers ahead of any change (the app does, with its
//!   signing key) covers every longer actor it begins; no other member may register it once
//!   another member's actor begins with it;
//! - an **actor** no device covers is bound by the first change by it that a writer brings,
//!   to that writer's member. Changes stamped before the workspace came to this relay (a
//!   restored backup: everyone's history, uploaded by one owner) bind no one; unstamped ones
//!   (time 0, Automerge's default in Rust, as samod peers leave it) bind as new.
//!
//! From then on a new change by a bound actor from any other member is refused; a change the
//! relay already has passes as before, whoever sends it again. Stock automerge-repo peers, whose
//! actors are fresh, are bound on their first change and keep working.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use automerge::{ActorId, Automerge, Bundle, Change, ChangeHash, sync};

use super::chunks::{BUNDLE, CHANGE, COMPRESSED, DOCUMENT, chunk_length};
use super::output::Refusal;

/// The length of a device id, as the app makes them and the API registers them: a device covers
/// the actors that begin with it and are longer. Fixed, so that finding whose an actor is costs
/// two lookups, and so that a short "device" cannot cover a great many actors.
pub const DEVICE_BYTES: usize = 16;

/// The longest actor id a writer's change may have: stock peers use 16 bytes, the app 24. Longer
/// ones are refused rather than bound, each one being a row kept for good.
pub const MAX_ACTOR_BYTES: usize = 64;

/// The most actors one sync message may bind: an honest message brings changes by a handful of
/// actors (a tab's, a stock peer's); a hostile one could bring one per change.
pub const MAX_NEW_ACTORS: usize = 256;

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
    /// Every actor that begins with the id ([`DEVICE_BYTES`] long).
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
    #[error("a device id has exactly {DEVICE_BYTES} bytes")]
    Length,
    #[error("this device is another member's")]
    Taken,
}

/// Why a writer's changes are not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Unattributable {
    /// A new change by an actor bound to another member.
    Forged(ActorId),
    /// An actor id past [`MAX_ACTOR_BYTES`].
    LongActor(usize),
    /// More new actors than [`MAX_NEW_ACTORS`].
    ManyActors,
    /// A chunk that does not read as changes (the inflation walk let it through, Automerge would not).
    Unreadable,
}

/// The bindings of every scope.
#[derive(Debug, Default)]
pub(super) struct Bindings {
    scopes: HashMap<String, BTreeMap<Vec<u8>, (Bound, String)>>,
    count: usize,
}

impl Bindings {
    /// Records a binding. The first binding of an id stays, except that its own member may make
    /// an actor id of theirs a device (the rule `actor_bindings` keeps in the database too).
    pub fn insert(&mut self, binding: Binding) {
        let scope = self.scopes.entry(binding.scope).or_default();
        match scope.get_mut(&binding.id) {
            Some((kind, member)) => {
                if *member == binding.member && binding.kind == Bound::Device {
                    *kind = Bound::Device;
                }
            }
            None => {
                scope.insert(binding.id, (binding.kind, binding.member));
                self.count += 1;
            }
        }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    /// The member `actor` belongs to: the device it begins with, else its own binding.
    fn owner<'a>(scope: &'a BTreeMap<Vec<u8>, (Bound, String)>, actor: &[u8]) -> Option<&'a str> {
        let device = actor
            .get(..DEVICE_BYTES)
            .filter(|_| actor.len() > DEVICE_BYTES)
            .and_then(|device| scope.get(device))
            .filter(|(kind, _)| *kind == Bound::Device);
        device.or_else(|| scope.get(actor)).map(|(_, member)| member.as_str())
    }

    /// Checks the new changes a writer brings, as (actor, timestamp): the bindings they make, or
    /// why they are not taken. Each actor is looked at once.
    pub fn check(&self, author: &Author, changes: &[(ActorId, i64)]) -> Result<Vec<Binding>, Unattributable> {
        let empty = BTreeMap::new();
        let scope = self.scopes.get(&author.scope).unwrap_or(&empty);
        let mut seen = BTreeSet::new();
        let mut made: Vec<Binding> = Vec::new();
        for (actor, timestamp) in changes {
            let bytes = actor.to_bytes();
            if bytes.len() > MAX_ACTOR_BYTES {
                return Err(Unattributable::LongActor(bytes.len()));
            }
            // Stamped before the workspace came here (and stamped at all): binds no one.
            let predates = *timestamp != 0 && *timestamp < author.binds_from_s;
            if !seen.insert((bytes, predates)) {
                continue;
            }
            match Self::owner(scope, bytes) {
                Some(member) if member != author.member => return Err(Unattributable::Forged(actor.clone())),
                Some(_) => {}
                None if predates || made.iter().any(|b| b.id == bytes) => {}
                None if made.len() == MAX_NEW_ACTORS => return Err(Unattributable::ManyActors),
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

    /// The bindings a writer's sync message for `document_id` makes, checked against `doc` (what
    /// the relay has of it), or why the message is refused.
    pub fn attribute(
        &self,
        doc: &Automerge,
        author: &Author,
        document_id: &str,
        message: &sync::Message,
    ) -> Result<Vec<Binding>, Refusal> {
        let document_id = document_id.to_owned();
        let new = new_changes(doc, message);
        new.and_then(|new| self.check(author, &new)).map_err(|why| match why {
            Unattributable::Forged(actor) => Refusal::Forged { document_id, actor: actor.to_hex_string() },
            Unattributable::LongActor(length) => {
                Refusal::LongActor { document_id, length, max: MAX_ACTOR_BYTES }
            }
            Unattributable::ManyActors => Refusal::ManyActors { document_id, max: MAX_NEW_ACTORS },
            Unattributable::Unreadable => Refusal::SyncMessage { document_id },
        })
    }

    /// Whether `member` may register `device`: it is not another member's, nor does it begin an
    /// actor of another member's. The binding to store (and then to [`Bindings::insert`]); the
    /// same answer each time, so a registration that failed to store is stored when retried.
    pub fn device(&self, scope: &str, device: &[u8], member: &str) -> Result<Binding, DeviceRefused> {
        if device.len() != DEVICE_BYTES {
            return Err(DeviceRefused::Length);
        }
        if let Some(bound) = self.scopes.get(scope)
            && bound
                .range(device.to_vec()..)
                .take_while(|(id, _)| id.starts_with(device))
                .any(|(_, (_, owner))| owner != member)
        {
            return Err(DeviceRefused::Taken);
        }
        Ok(Binding {
            scope: scope.to_owned(),
            id: device.to_vec(),
            kind: Bound::Device,
            member: member.to_owned(),
        })
    }
}

/// The actor and time of every change in a sync message that `doc` does not have yet. A whole
/// document (what a peer sends when it gives most of what it has) is read and walked from its
/// heads down to what `doc` has, so only the changes new to `doc` are named.
pub(super) fn new_changes(
    doc: &Automerge,
    message: &sync::Message,
) -> Result<Vec<(ActorId, i64)>, Unattributable> {
    let unreadable = |_| Unattributable::Unreadable;
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
                for change in bundle.to_changes().map_err(unreadable)? {
                    take(&change, &mut found);
                }
            }
            DOCUMENT => {
                let theirs = Automerge::load(chunk).map_err(|_| Unattributable::Unreadable)?;
                let mut below: Vec<ChangeHash> = theirs.get_heads();
                let mut seen = BTreeSet::new();
                while let Some(hash) = below.pop() {
                    if !seen.insert(hash) || doc.get_change_meta_by_hash(&hash).is_some() {
                        continue;
                    }
                    let meta = theirs.get_change_meta_by_hash(&hash).ok_or(Unattributable::Unreadable)?;
                    found.push((meta.actor.into_owned(), meta.timestamp));
                    below.extend(meta.deps);
                }
            }
            _ => return Err(Unattributable::Unreadable),
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests;
