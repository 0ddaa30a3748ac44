//! The history benchmark (`scripts/bench-client` runs it): one Statement of Applicability with
//! 20,000 changes by two people (statuses, owners and justifications typed a few words at a
//! time), in the browser:
//!
//! - **first screen**: the history panel's first screen from the document alone, as the panel
//!   reads it (`components::history::page::read_page`: the walk back from the heads, and what
//!   each listed change did, in words), with nothing cached;
//! - **past**: the document as it was halfway through its history, read as the SoA page reads it
//!   (`SoaRead`), from the fork of the live document at that change;
//! - **compare**: that point against now, field by field.
//!
//! Built with `QUORUM_BENCH` set (read at build time) it runs the full workload several times
//! and prints one `bench history ...` line per run; without it, as in the normal suite, it runs
//! once on 300 changes and checks what it read, so that it cannot rot unnoticed.
#![cfg(target_arch = "wasm32")]

use std::collections::HashMap;

use automerge::{ActorId, AutoCommit};
use quorum_app::components::history::page::{Filter, SCREEN, read_page};
use quorum_shared::model::{self, ControlId, ImplementationStatus, SoaRead, TextEdit};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

// Not every test uses every helper.
#[allow(dead_code)]
#[path = "../tests/support/page.rs"]
mod page;

/// `QUORUM_BENCH` at build time: 20,000 changes, run that many times (5 if it is no number).
fn workload() -> (usize, usize) {
    match option_env!("QUORUM_BENCH") {
        Some(runs) => (20_000, runs.parse().unwrap_or(5)),
        None => (300, 1),
    }
}

#[wasm_bindgen_test]
fn the_history_of_a_long_document_opens_and_its_past_reads() {
    let (changes, runs) = workload();
    let started = page::now();
    let mut soa = build(changes);
    console_log!(
        "bench history setup changes={} built_in_ms={:.0}",
        soa.get_changes(&[]).len(),
        page::now() - started
    );
    let all = soa.get_changes(&[]);
    let middle = all[all.len() / 2].hash();
    for run in 1..=runs {
        let t0 = page::now();
        let page = read_page(soa.document(), &Filter::default(), 1, None, 0, &mut HashMap::new());
        let first_screen_ms = page::now() - t0;
        assert_eq!(page.lines.len(), SCREEN);
        assert!(page.more);

        let t1 = page::now();
        let past = soa.fork_at(&[middle]).unwrap();
        let read = SoaRead::read(&past, vec![middle]).unwrap();
        let past_ms = page::now() - t1;
        assert_eq!(read.heads, vec![middle]);

        let t2 = page::now();
        let heads = soa.get_heads();
        let differences = model::compare(soa.document(), &[middle], &heads);
        let compare_ms = page::now() - t2;
        assert!(!differences.is_empty());

        console_log!(
            "bench history run={run} first_screen_ms={first_screen_ms:.1} past_ms={past_ms:.1} compare_ms={compare_ms:.1} differences={}",
            differences.len()
        );
    }
}

/// An SoA edited `changes` times in all, by two actors taking turns a second apart: a status, an
/// owner-less justification typed in a few words, an exclusion and back, round the controls.
fn build(changes: usize) -> AutoCommit {
    let (ada, bea) = (ActorId::from(vec![0xaa; 16]), ActorId::from(vec![0xbb; 16]));
    let mut soa = model::new_document();
    soa.set_actor(ada.clone());
    let mut clock = 1_700_000_000_000_i64;
    model::create_soa(&mut soa, clock).unwrap();
    let controls: Vec<ControlId> =
        quorum_shared::catalog::controls().iter().map(|c| c.id.parse().unwrap()).collect();
    let statuses =
        [ImplementationStatus::Planned, ImplementationStatus::InProgress, ImplementationStatus::Implemented];
    let mut typed: HashMap<ControlId, String> = HashMap::new();
    for n in 1..changes {
        clock += 1_000;
        soa.set_actor(if n % 2 == 0 { bea.clone() } else { ada.clone() });
        let control = controls[n % controls.len()];
        if n % 3 == 0 {
            let text = typed.entry(control).or_default();
            text.push_str(&format!("word {n} "));
            model::edit_justification(&mut soa, clock, control, TextEdit::Replace(text.clone())).unwrap();
        } else {
            model::set_implementation_status(&mut soa, clock, control, statuses[n % statuses.len()]).unwrap();
        }
    }
    soa
}
