//! The client benchmarks that run inside the browser (`scripts/bench-client` runs them):
//!
//! - **open**: a workspace of 50 documents and 20,000 changes, saved in IndexedDB by the app's
//!   `storage` module, from `Sessions::open` until the dashboard is drawn from what it last
//!   showed (`shown`), and until it shows the latest changes of every document it read (`open`).
//!   The first run has the stand-in a first visit leaves (the readiness of an empty workspace:
//!   the longest lists to draw); each later run has what the run before it drew live;
//! - **apply**: a remote batch of 1,000 operations (ten SoA exclusions with their
//!   justifications, from another person's actor) arriving as another tab's changes, until the
//!   dashboard shows it; and Automerge's `load_incremental` of the same batch alone.
//!
//! Built with `QUORUM_BENCH` set (read at build time), it runs the full workload several times
//! and prints one `bench ...` line per run for the script to summarize. Without it, as in the
//! normal suite, the same code runs once on a small workspace and checks only that the page
//! ends up showing what was stored and sent: the benchmark cannot rot unnoticed, and the suite
//! stays fast. Times come from `performance.now()` in the page; the page is polled between
//! tasks (a `MessageChannel` round, not a timer, so no 4 ms clamp), so a measurement ends within
//! one task of the render it waits for.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::collections::BTreeMap;

use automerge::{ActorId, AutoCommit};
use leptos::prelude::*;
use quorum_app::pages::dashboard::last_seen::{self, LastSeen};
use quorum_app::session::{self, Session, Sessions};
use quorum_app::storage::Storage;
use quorum_app::timings;
use quorum_shared::model::{self, ControlId};
use quorum_shared::readiness::{self, Evidence};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

// Not every test uses every helper.
#[allow(dead_code)]
#[path = "../tests/support/page.rs"]
mod page;
#[path = "support/workspace.rs"]
mod workspace;

use workspace::build_workspace;

/// The workload: documents in the workspace (the root included), commits across all of them,
/// operations in the remote batch, and runs.
struct Workload {
    documents: usize,
    changes: usize,
    batch_ops: usize,
    runs: usize,
}

/// `QUORUM_BENCH` at build time: the full workload, run that many times (5 if it is no number).
fn workload() -> Workload {
    match option_env!("QUORUM_BENCH") {
        Some(runs) => {
            Workload { documents: 50, changes: 20_000, batch_ops: 1_000, runs: runs.parse().unwrap_or(5) }
        }
        None => Workload { documents: 16, changes: 400, batch_ops: 1_000, runs: 1 },
    }
}

/// How many `li.change` rows the dashboard's "Recent changes" shows.
const RECENT: usize = 10;

#[wasm_bindgen_test]
async fn a_stored_workspace_opens_to_the_dashboard_and_takes_a_remote_batch() {
    let load = workload();
    let started = page::now();
    let workspace = build_workspace(load.documents, load.changes, RECENT);
    // The batch is the newest thing the dashboard will have seen, a second after the workspace's
    // last change at the earliest.
    let batch_at = session::now_ms().max(workspace.last_ms + 1_000);
    let batch = remote_batch(workspace.soa_doc(), load.batch_ops, batch_at);
    console_log!(
        "bench setup documents={} changes={} batch_ops={} built_in_ms={:.0}",
        workspace.docs.len(),
        workspace.total_changes(),
        batch.ops,
        page::now() - started
    );

    // What the dashboard drew last, carried from run to run (each has a workspace id of its own).
    let mut last_seen = None::<LastSeen>;
    for run in 1..=load.runs {
        let membership = page::membership("bench", workspace.root_url.clone(), "m1", "owner");
        let workspace_id = membership.workspace_id.clone();
        match &last_seen {
            Some(seen) => last_seen::remember(&workspace_id, seen.at_ms, &seen.readiness, &seen.changes),
            None => last_seen::remember(&workspace_id, 0, &readiness::assess(&Evidence::default()), &[]),
        }
        let database = format!("quorum-{}", membership.workspace_id);
        let storage = Storage::open(&database).await.unwrap();
        for (id, doc) in &workspace.docs {
            storage.save_changes(id, &mut doc.clone()).await.unwrap();
        }
        storage.close();
        let channel_name = format!("quorum-tabs-{}", membership.workspace_id);

        // Open: from here until the dashboard shows what every document holds.
        let host = page::host();
        let opened = RwSignal::new(None::<Session>);
        timings::take();
        let t0 = page::now();
        let mounted = leptos::mount::mount_to(host.clone(), move || {
            let sessions = Sessions::new();
            sessions.open(membership, Vec::new());
            opened.set(sessions.current.get_untracked());
            // What the workspace frame hands every page.
            provide_context(sessions.current.get_untracked().expect("a session"));
            provide_context(sessions);
            view! { <leptos_router::components::Router><quorum_app::pages::dashboard::DashboardPage/></leptos_router::components::Router> }
        });
        let session = opened.get_untracked().expect("a session");
        wait_until(
            "the dashboard is drawn as last seen",
            || host.query_selector(".dashboard-charts").unwrap().is_some(),
            || "no .dashboard-charts".to_owned(),
        )
        .await;
        let shown_ms = page::now() - t0;
        // Drawn from what was stored, not from the documents: none of them is open yet.
        let drawn_before_open = host.query_selector(".dashboard-last-seen").unwrap().is_some();
        let ids: Vec<&String> = workspace.docs.iter().map(|(id, _)| id).collect();
        // Untracked: the bench polls from outside any view.
        let open_count = || untrack(|| ids.iter().filter(|id| session.read(id, |_| ()).is_some()).count());
        wait_until(
            "the dashboard shows every document",
            || open_count() == ids.len() && recent_hashes(&host) == workspace.latest,
            || {
                let shown =
                    host.query_selector(".recent-changes").unwrap().and_then(|list| list.text_content());
                format!(
                    "{} of {} documents open; recent changes {:?} ({shown:?}), expected {:?}",
                    open_count(),
                    ids.len(),
                    recent_hashes(&host),
                    workspace.latest
                )
            },
        )
        .await;
        let open_ms = page::now() - t0;
        let open_steps = timings::take();
        assert!(
            drawn_before_open,
            "the dashboard waited for the documents instead of drawing what it last showed"
        );
        // The live dashboard is remembered for the next open: its readiness and latest changes.
        let seen = last_seen::read(&workspace_id).expect("the live dashboard is remembered");
        let remembered: Vec<&str> = seen.changes.iter().map(|c| c.hash.as_str()).collect();
        assert_eq!(remembered, workspace.latest, "the remembered changes are the live ones");
        last_seen = Some(seen);

        // Apply: another tab of this workspace sends the batch, as the app's tabs do.
        let channel = web_sys::BroadcastChannel::new(&channel_name).unwrap();
        let message = js_sys::Object::new();
        let set = |key: &str, value: JsValue| js_sys::Reflect::set(&message, &key.into(), &value).unwrap();
        set("from", "bench-remote-tab".into());
        set("kind", "changes".into());
        set("doc", workspace.soa_id.as_str().into());
        set("bytes", js_sys::Uint8Array::from(batch.bytes.as_slice()).into());
        timings::take();
        timings::take_marks();
        let t1 = page::now();
        channel.post_message(&message).unwrap();
        let still_gaps = || {
            let listed = |c: &&ControlId| {
                let row = format!(".control-gap-list li[data-control='{c}']");
                host.query_selector(&row).unwrap().is_some()
            };
            batch.excluded.iter().filter(listed).map(ToString::to_string).collect::<Vec<_>>()
        };
        wait_until(
            "the dashboard shows the remote batch",
            || recent_hashes(&host).first() == Some(&batch.last_hash) && still_gaps().is_empty(),
            || {
                format!(
                    "recent changes {:?}, expected {} first; excluded controls still listed as gaps: {:?}",
                    recent_hashes(&host),
                    batch.last_hash,
                    still_gaps()
                )
            },
        )
        .await;
        let apply_end = page::now();
        let apply_steps = timings::take();
        // From the batch's arrival in the app (the browser's delivery between tabs, which is
        // not the app's work, is printed apart), and from its posting.
        let arrived = timings::take_marks().get(timings::CHANGES_ARRIVED).copied().unwrap_or(t1);
        let apply_render_ms = apply_end - arrived;
        let apply_delivery_ms = arrived - t1;
        channel.close();

        // The same batch into the same document with nothing else: Automerge's share.
        let mut copy = AutoCommit::load(&workspace.soa_doc().save()).unwrap();
        let t2 = page::now();
        copy.load_incremental(&batch.bytes).unwrap();
        let apply_automerge_ms = page::now() - t2;

        console_log!(
            "bench run={run} shown_ms={shown_ms:.1} open_ms={open_ms:.1} apply_render_ms={apply_render_ms:.1} apply_delivery_ms={apply_delivery_ms:.1} apply_automerge_ms={apply_automerge_ms:.2} {} {}",
            steps("open", &open_steps),
            steps("apply", &apply_steps),
        );
        drop(mounted);
        host.remove();
    }
}

/// Another person's edits to the SoA, as the bytes another tab or the relay would deliver.
struct Batch {
    bytes: Vec<u8>,
    ops: usize,
    last_hash: String,
    excluded: Vec<ControlId>,
}

/// Ten exclusions, each with its justification, from an actor of their own, a second apart from
/// `now`, sized so that the batch holds exactly `ops` operations (each character typed is one).
fn remote_batch(mut soa: AutoCommit, ops: usize, now: i64) -> Batch {
    let mut doc = soa.fork();
    doc.set_actor(ActorId::random());
    let before = doc.get_heads();
    let controls: Vec<ControlId> = ControlId::all().collect();
    // Controls at the end of Annex A, whose justifications the workload never typed into.
    let excluded: Vec<ControlId> = controls[controls.len() - 10..].to_vec();
    let mut made = 0;
    for (n, control) in excluded.iter().enumerate() {
        let left = excluded.len() - n;
        // The first exclusion shows how many operations one costs beyond its characters.
        let overhead = if n == 0 { 1 } else { count_ops(&doc.get_changes(&before)[..1]) - 100 };
        let chars = if left == 1 { ops - made - overhead } else { 100 };
        let text: String = "We do not develop AI systems in house, so this control does not apply. "
            .chars()
            .cycle()
            .take(chars)
            .collect();
        model::exclude_control(&mut doc, now + n as i64 * 1_000, *control, &text).unwrap();
        made = count_ops(&doc.get_changes(&before));
    }
    assert_eq!(made, ops, "the batch holds exactly the operations asked for");
    let changes = doc.get_changes(&before);
    let last_hash = changes.last().unwrap().hash().to_string();
    Batch { bytes: doc.save_after(&before), ops: made, last_hash, excluded }
}

fn count_ops(changes: &[automerge::Change]) -> usize {
    changes.iter().map(automerge::Change::len).sum()
}

/// The steps `quorum_app::timings` measured, as `bench` fields: `open_automerge_load_ms=171.2`.
fn steps(prefix: &str, steps: &BTreeMap<&'static str, f64>) -> String {
    steps.iter().map(|(step, ms)| format!("{prefix}_{step}_ms={ms:.1}")).collect::<Vec<_>>().join(" ")
}

/// The hashes of the changes "Recent changes" lists, top first.
fn recent_hashes(host: &web_sys::HtmlElement) -> Vec<String> {
    let rows = host.query_selector_all(".recent-changes li.change").unwrap();
    (0..rows.length())
        .filter_map(|i| rows.item(i)?.dyn_into::<web_sys::Element>().ok()?.get_attribute("data-hash"))
        .collect()
}

/// Yields to the browser until `done` holds, checking after every task (up to 60 s); on
/// timeout, `state` says what the page showed instead.
async fn wait_until(what: &str, mut done: impl FnMut() -> bool, state: impl Fn() -> String) {
    let deadline = page::now() + 60_000.0;
    while !done() {
        assert!(page::now() < deadline, "timed out waiting until {what}: {}", state());
        next_task().await;
    }
}

/// Resolves in a task of its own after whatever the browser has queued: a message to itself
/// through a `MessageChannel`, which unlike `setTimeout(0)` is not clamped to 4 ms.
async fn next_task() {
    thread_local! {
        static POST: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
    }
    let post = POST.with(|post| {
        post.borrow_mut()
            .get_or_insert_with(|| {
                js_sys::Function::new_with_args(
                    "resolve",
                    "const c = new MessageChannel(); c.port1.onmessage = () => { c.port1.close(); resolve(); }; c.port2.postMessage(null);",
                )
            })
            .clone()
    });
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        post.call1(&JsValue::NULL, &resolve).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}
