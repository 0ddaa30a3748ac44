//! Which changes of each document are on disk, so that a sync connection can hold back a message
//! telling a peer the server has a change until the server truly has it.
//!
//! Why not only wait for the writes storage was asked for: samod's document actor generates a
//! step's sync messages before it asks to save the step's changes, and its IO loop, which both
//! forwards messages to connections and starts storage writes, may forward the message first. A
//! barrier over the writes already asked for can then miss the one write the message depends on,
//! and a crash in between would lose a change the peer saw acknowledged. The message's heads say
//! exactly what it depends on, and the committed chunks say what is durable: an incremental's key
//! names its change, a snapshot's header lists the heads it holds (with all their history).
//!
//! Heads are kept as 64-bit prefixes of their hashes: eight bytes per change instead of 32, and
//! two different changes of one document sharing a prefix is a chance of one in 2^64.

use std::{
    collections::{HashMap, HashSet},
    sync::Mutex,
};

use automerge::ChangeHash;
use tokio::sync::watch;

/// The durable changes of every document this server has written or loaded.
#[derive(Debug)]
pub struct Durable {
    by_document: Mutex<HashMap<String, HashSet<u64>>>,
    /// Bumped after every batch of records, to wake the waiters.
    recorded: watch::Sender<u64>,
}

impl Default for Durable {
    fn default() -> Self {
        Self { by_document: Mutex::default(), recorded: watch::channel(0).0 }
    }
}

impl Durable {
    /// Records committed or loaded chunks, given as (storage key, bytes).
    pub fn record<'a>(&self, chunks: impl IntoIterator<Item = (&'a str, &'a [u8])>) {
        let mut by_document = self.by_document.lock().unwrap_or_else(|p| p.into_inner());
        for (key, data) in chunks {
            let mut parts = key.split('/');
            let (Some(document), Some(kind), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
                continue;
            };
            let heads = match kind {
                "incremental" => name.parse::<ChangeHash>().ok().into_iter().collect(),
                "snapshot" => match snapshot_heads(data) {
                    Some(heads) => heads,
                    None => {
                        tracing::warn!(key, "a stored snapshot's heads could not be read");
                        continue;
                    }
                },
                _ => continue,
            };
            by_document.entry(document.to_owned()).or_default().extend(heads.iter().map(prefix));
        }
        drop(by_document);
        self.recorded.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Waits until every one of `heads` of `document` is durable.
    pub async fn wait(&self, document: &str, heads: &[ChangeHash]) {
        let mut recorded = self.recorded.subscribe();
        while !self.holds(document, heads) {
            if recorded.changed().await.is_err() {
                return;
            }
        }
    }

    fn holds(&self, document: &str, heads: &[ChangeHash]) -> bool {
        if heads.is_empty() {
            return true;
        }
        let by_document = self.by_document.lock().unwrap_or_else(|p| p.into_inner());
        by_document.get(document).is_some_and(|durable| heads.iter().all(|h| durable.contains(&prefix(h))))
    }
}

fn prefix(hash: &ChangeHash) -> u64 {
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.0[..8]);
    u64::from_le_bytes(first)
}

/// The heads an automerge sync message advertises: its first field, after the version byte.
pub fn sync_message_heads(data: &[u8]) -> Option<Vec<ChangeHash>> {
    let (&version, rest) = data.split_first()?;
    // 0x42 and 0x43: sync messages of version 1 and 2.
    if version != 0x42 && version != 0x43 {
        return None;
    }
    hashes(&mut Reader(rest))
}

/// The heads in the header of a saved document: magic bytes, checksum, chunk type 0 (a whole
/// document), length, then the actors and the heads.
fn snapshot_heads(data: &[u8]) -> Option<Vec<ChangeHash>> {
    const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
    let mut reader = Reader(data);
    if reader.take(4)? != MAGIC {
        return None;
    }
    reader.take(4)?; // checksum
    if reader.take(1)? != [0] {
        return None;
    }
    reader.leb128()?; // chunk length
    for _ in 0..reader.leb128()? {
        let len = reader.leb128()?;
        reader.take(usize::try_from(len).ok()?)?;
    }
    hashes(&mut reader)
}

fn hashes(reader: &mut Reader<'_>) -> Option<Vec<ChangeHash>> {
    let count = reader.leb128()?;
    // Bounded by what the input can hold, so a corrupt count cannot ask for a huge allocation.
    let mut heads = Vec::with_capacity(usize::try_from(count).ok()?.min(reader.0.len() / 32));
    for _ in 0..count {
        heads.push(ChangeHash::try_from(reader.take(32)?).ok()?);
    }
    Some(heads)
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(taken)
    }

    fn leb128(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.take(1)?[0];
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use automerge::{ActorId, AutoCommit, ROOT, sync::SyncDoc, transaction::Transactable};
    use futures::FutureExt;

    use super::*;

    /// A document with concurrent changes by two actors, so that it has two heads.
    fn forked() -> AutoCommit {
        let mut a = AutoCommit::new().with_actor(ActorId::from(vec![1; 16]));
        a.put(ROOT, "policy", "draft").unwrap();
        let mut b = a.fork().with_actor(ActorId::from(vec![2; 16]));
        a.put(ROOT, "scope", "hiring").unwrap();
        b.put(ROOT, "owner", "Ada").unwrap();
        a.merge(&mut b).unwrap();
        a
    }

    #[test]
    fn reads_the_heads_of_a_saved_document_and_of_a_sync_message() {
        let mut doc = forked();
        let heads = doc.get_heads();
        assert_eq!(heads.len(), 2);
        assert_eq!(snapshot_heads(&doc.save()), Some(heads.clone()));
        assert_eq!(snapshot_heads(&AutoCommit::new().save()), Some(vec![]));

        let mut state = automerge::sync::State::new();
        let message = doc.sync().generate_sync_message(&mut state).expect("a first message");
        assert_eq!(sync_message_heads(&message.encode()), Some(heads));

        for bad in [&[][..], &[0x42, 0x05, 1, 2], &[0x99, 0x00], &[0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 1]] {
            assert_eq!(sync_message_heads(bad).or_else(|| snapshot_heads(bad)), None, "{bad:02x?}");
        }
    }

    #[test]
    fn a_wait_ends_once_every_head_is_in_a_recorded_chunk() {
        let mut doc = forked();
        let heads = doc.get_heads();
        let durable = Durable::default();
        let mut wait = Box::pin(durable.wait("doc", &heads));
        assert!(wait.as_mut().now_or_never().is_none(), "nothing is durable yet");

        // One head as an incremental, of another document first: still waiting.
        let first = format!("other/incremental/{}", heads[0]);
        durable.record([(first.as_str(), &[][..])]);
        let first = format!("doc/incremental/{}", heads[0]);
        durable.record([(first.as_str(), &[][..])]);
        assert!(wait.as_mut().now_or_never().is_none(), "one head of two is durable");

        // A snapshot holds both.
        let saved = doc.save();
        durable.record([("doc/snapshot/abc", saved.as_slice())]);
        assert!(wait.as_mut().now_or_never().is_some());
        assert!(durable.wait("doc", &[]).now_or_never().is_some(), "no heads: nothing to wait for");
    }
}
