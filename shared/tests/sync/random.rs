//! Seeded random schedules of edits, deliveries, dropped connections, client and relay restarts,
//! slow and failing storage, unloading, and presence, against the relay core: whatever the order,
//! everyone converges, and no frame ever advertised a change before storage committed it (the
//! harness checks every frame the relay hands out). `QUORUM_RELAY_SCHEDULES` sets how many
//! schedules run (2,000 by default).

use std::collections::BTreeSet;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT, ReadDoc};
use quorum_shared::sync::Client;

use quorum_shared::relay::Config;

use crate::support::net::Net;
use crate::support::relay::Relay;
use crate::support::{Rng, doc_id, put};

/// Edits, deliveries, dropped connections, client and relay restarts, storage commits, failures
/// and loads, time passing and presence, in an order drawn from `seed`. Frames on one connection
/// stay in order, as on a WebSocket; everything else interleaves freely. At the end everyone
/// reconnects and every edit must be everywhere, storage included.
/// The actor of `peer`'s run `run` on document `doc`: fixed, so that a seed replays exactly.
fn actor(peer: usize, run: usize, doc: usize) -> automerge::ActorId {
    automerge::ActorId::from(vec![peer as u8 + 1, (run >> 8) as u8, run as u8, doc as u8])
}

fn random_schedule(seed: u64) {
    let mut rng = Rng(seed);
    let names = ["alice", "bob", "carol"];
    let mut net = Net::new(&names);
    // A short grace, so that documents leave memory and come back within a schedule.
    let config = Config { unload_after_ms: 40, compact_after: 4, ..Config::default() };
    net.relay = Relay::with_config("relay-0", config);
    net.relay.auto_storage = false;
    let docs = [doc_id(30), doc_id(31)];
    net.client(0).open_with(&docs[0], AutoCommit::new()).unwrap();
    net.change(0, &docs[0], put("title", "start"));
    for peer in 0..names.len() {
        for (d, doc) in docs.iter().enumerate() {
            net.client(peer).open(doc).unwrap();
            net.client(peer).doc_mut(doc).unwrap().set_actor(actor(peer, 0, d));
        }
    }
    let mut edits: BTreeSet<(usize, String)> = BTreeSet::new();
    let mut relay_restarts = 0;
    for step in 0..200 {
        let peer = rng.below(names.len());
        match rng.below(100) {
            0..35 => {
                if rng.below(8) == 0 {
                    net.deliver_all_up_at_once();
                } else if rng.below(2) == 0 {
                    net.deliver_up(peer);
                } else {
                    net.deliver_down(peer);
                }
            }
            35..52 => {
                let doc = rng.below(docs.len());
                let key = format!("{}-{step}", names[peer]);
                edits.insert((doc, key.clone()));
                net.change(peer, &docs[doc], move |d| {
                    d.put(ROOT, key, step as i64).unwrap();
                });
            }
            52..57 => net.disconnect(peer),
            57..67 => {
                if net.peers[peer].link.is_none() {
                    net.connect(peer);
                }
            }
            67..70 => {
                net.disconnect(peer);
                // The step names the new run: distinct, and the same on every replay of a seed.
                let run = (step as u64).to_be_bytes();
                let mut fresh = Client::new(names[peer], Some(format!("{}-storage", names[peer])), run);
                for (d, doc) in docs.iter().enumerate() {
                    let old = net.client(peer).doc_mut(doc).unwrap();
                    if old.get_heads().is_empty() {
                        fresh.open(doc).unwrap();
                    } else {
                        let saved = old.save();
                        fresh.open_with(doc, AutoCommit::load(&saved).unwrap()).unwrap();
                    }
                    fresh.doc_mut(doc).unwrap().set_actor(actor(peer, step + 1, d));
                }
                net.peers[peer].client = fresh;
            }
            70..72 => {
                for p in 0..names.len() {
                    net.disconnect(p);
                }
                relay_restarts += 1;
                net.relay.restart(&format!("relay-{relay_restarts}"));
            }
            72..84 => {
                net.relay_step(Relay::commit_one);
            }
            84..87 => {
                net.relay_step(Relay::fail_one);
            }
            87..93 => {
                net.relay_step(Relay::answer_load);
            }
            93..96 => {
                let ms = 5 + rng.below(40) as u64;
                net.relay_step(|relay| {
                    relay.tick(ms);
                    true
                });
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
    loop {
        net.run_until_quiescent();
        let stats = net.relay.stats();
        if stats.pending_writes == 0 && stats.held_frames == 0 {
            break;
        }
        // Failed writes are retried after their backoff.
        net.relay_step(|relay| {
            relay.tick(10_000);
            true
        });
    }
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
fn random_schedules_always_converge_and_acknowledge_only_what_is_stored() {
    let schedules =
        std::env::var("QUORUM_RELAY_SCHEDULES").ok().and_then(|n| n.parse().ok()).unwrap_or(2_000);
    for seed in 0..schedules {
        random_schedule(seed);
    }
}
