//! The audit pack benchmark (`scripts/bench-client` runs it): a workspace of 50 documents and
//! 20,000 changes, as the app makes and edits one, packed in the browser as the dashboard packs
//! it (each document saved from memory, then `PackBuilder` a document at a time, then the
//! registers, report, index, history and manifest), and the pack verified again as the "Verify
//! a pack" page does.
//!
//! Built with `QUORUM_BENCH` set (read at build time) it runs the full workload several times
//! and prints one `bench pack ...` line per run; without it, as in the normal suite, it runs once
//! on a small workspace and checks that the pack verifies, so that it cannot rot unnoticed.
#![cfg(target_arch = "wasm32")]

use quorum_shared::model::DocumentId;
use quorum_shared::pack::{PackBuilder, PackMeta, verify_pack};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

// Not every test uses every helper.
#[allow(dead_code)]
#[path = "../tests/support/page.rs"]
mod page;
#[allow(dead_code)]
#[path = "support/workspace.rs"]
mod workspace;

/// `QUORUM_BENCH` at build time: 50 documents and 20,000 changes, run that many times (5 if it
/// is no number).
fn workload() -> (usize, usize, usize) {
    match option_env!("QUORUM_BENCH") {
        Some(runs) => (50, 20_000, runs.parse().unwrap_or(5)),
        None => (16, 400, 1),
    }
}

#[wasm_bindgen_test]
fn a_workspace_of_fifty_documents_packs_and_verifies_in_the_browser() {
    let (documents, changes, runs) = workload();
    let started = page::now();
    let mut workspace = workspace::build_workspace(documents, changes, 10);
    console_log!(
        "bench pack setup documents={} changes={} built_in_ms={:.0}",
        workspace.docs.len(),
        workspace.total_changes(),
        page::now() - started
    );
    let (root_id, _) = workspace.docs[0].clone();
    for run in 1..=runs {
        let t0 = page::now();
        let meta = PackMeta {
            workspace_id: "bench".into(),
            generated_at_ms: 1_800_000_000_000,
            as_of_ms: None,
            keys: vec![],
        };
        let root = workspace.docs[0].1.save();
        let mut builder = PackBuilder::new(meta, &root_id, &root).unwrap();
        for (id, doc) in workspace.docs.iter_mut().skip(1) {
            let id: DocumentId = id.parse().unwrap();
            builder.add_document(&id, &doc.save()).unwrap();
        }
        let documents_ms = page::now() - t0;
        let zip = builder.finish().unwrap();
        let make_ms = page::now() - t0;

        let t1 = page::now();
        let report = verify_pack(&zip).unwrap();
        let verify_ms = page::now() - t1;
        assert!(report.holds(), "{:?}", report.problems);
        assert_eq!(report.documents_checked, workspace.docs.len());
        console_log!(
            "bench pack run={run} make_ms={make_ms:.0} documents_ms={documents_ms:.0} verify_ms={verify_ms:.0} bytes={} files={}",
            zip.len(),
            report.files_checked
        );
    }
}
