//! Seeded random schedules of edits, deliveries, dropped connections, client and relay restarts
//! and presence: whatever the order, everyone converges.

use std::collections::BTreeSet;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT, ReadDoc};
use quorum_shared::sync::Client;

use crate::support::net::Net;
use crate::support::relay::Relay;
use crate::support::{Rng, doc_id, put};

/// Edits, deliveries, dropped connections, client and relay restarts and presence, in an order
/// drawn from `seed`. Frames on one connection stay in order, as on a WebSocket; everything else
/// interleaves freely. At the end everyone reconnects and every edit must be everywhere.
fn random_schedule(seed: u64) {
    let mut rng = Rng(seed);
    let names = ["alice", "bob", "carol"];
    let mut net = Net::new(&names);
    let docs = [doc_id(30), doc_id(31)];
    net.client(0).open_with(&docs[0], AutoCommit::new()).unwrap();
    net.change(0, &docs[0], put("title", "start"));
    for peer in 0..names.len() {
        for doc in &docs {
            net.client(peer).open(doc).unwrap();
        }
    }
    let mut edits: BTreeSet<(usize, String)> = BTreeSet::new();
    let mut relay_restarts = 0;
    for step in 0..400 {
        let peer = rng.below(names.len());
        match rng.below(100) {
            0..45 => {
                if rng.below(2) == 0 {
                    net.deliver_up(peer);
                } else {
                    net.deliver_down(peer);
                }
            }
            45..65 => {
                let doc = rng.below(docs.len());
                let key = format!("{}-{step}", names[peer]);
                edits.insert((doc, key.clone()));
                net.change(peer, &docs[doc], move |d| {
                    d.put(ROOT, key, step as i64).unwrap();
                });
            }
            65..72 => net.disconnect(peer),
            72..84 => {
                if net.peers[peer].link.is_none() {
                    net.connect(peer);
                }
            }
            84..88 => {
                net.disconnect(peer);
                // The step names the new run: distinct, and the same on every replay of a seed.
                let run = (step as u64).to_be_bytes();
                let mut fresh = Client::new(names[peer], Some(format!("{}-storage", names[peer])), run);
                for doc in &docs {
                    let old = net.client(peer).doc_mut(doc).unwrap();
                    if old.get_heads().is_empty() {
                        fresh.open(doc).unwrap();
                    } else {
                        let saved = old.save();
                        fresh.open_with(doc, AutoCommit::load(&saved).unwrap()).unwrap();
                    }
                }
                net.peers[peer].client = fresh;
            }
            88..90 => {
                for p in 0..names.len() {
                    net.disconnect(p);
                }
                relay_restarts += 1;
                let saved = net.relay.save();
                net.relay = Relay::restore(&format!("relay-{relay_restarts}"), &saved);
            }
            _ => {
                let doc = &docs[rng.below(docs.len())];
                if net.client(peer).broadcast(doc, vec![step as u8]).is_ok() {
                    net.pump(peer);
                }
            }
        }
    }

    net.connect_all();
    net.run_until_quiescent();
    for (index, doc) in docs.iter().enumerate() {
        if edits.iter().any(|(d, _)| *d == index) || index == 0 {
            net.assert_converged(doc);
        }
        for peer in 0..names.len() {
            assert!(net.client(peer).is_synced(doc), "seed {seed}: peer {peer} on {doc}");
            let have = net.client(peer).doc(doc).unwrap();
            for (_, key) in edits.iter().filter(|(d, _)| *d == index) {
                assert!(
                    have.get(ROOT, key.as_str()).unwrap().is_some(),
                    "seed {seed}: peer {peer} lacks {key} on {doc}"
                );
            }
        }
    }
}

#[test]
fn random_schedules_always_converge() {
    for seed in 0..60 {
        random_schedule(seed);
    }
}
