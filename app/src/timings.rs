//! Where the time of the client's heavy steps goes, summed per step, for the benchmarks
//! (`app/benches/client.rs` prints them with each run) and for anyone profiling by hand:
//!
//! ```ignore
//! let doc = timings::measure(timings::AUTOMERGE_LOAD, || storage.merge(&mut read, &id));
//! // ... later, from the benchmark:
//! for (step, ms) in timings::take() { /* ... */ }
//! ```
//!
//! One `performance.now()` call before and after each step, a few hundred per workspace opened:
//! cheap enough to leave on.

use std::cell::RefCell;
use std::collections::BTreeMap;

use wasm_bindgen::{JsCast, JsValue};

/// Reading chunks from IndexedDB, waiting included.
pub const STORAGE_READ: &str = "storage_read";
/// Taking the bytes a save writes from a document (the write itself is IndexedDB's, waited for
/// apart).
pub const STORAGE_PREPARE: &str = "storage_prepare";
/// Automerge loading stored chunks into documents.
pub const AUTOMERGE_LOAD: &str = "automerge_load";
/// Automerge merging changes that arrived from another tab.
pub const AUTOMERGE_MERGE: &str = "automerge_merge";
/// The sync client taking a frame from the relay: decoding it, merging what it carries and
/// making the reply.
pub const SYNC_RECEIVE: &str = "sync_receive";
/// Views reading documents into what they show (the dashboard's pieces and histories).
pub const VIEW_READ: &str = "view_read";
/// Assessing readiness from what the views read.
pub const READINESS: &str = "readiness";

/// A mark, not a step: when another tab's changes last reached this tab, so that a benchmark
/// can tell the browser's delivery between tabs from the app's own work.
pub const CHANGES_ARRIVED: &str = "changes_arrived";
/// A mark: when this tab last sent a change of its own to the relay.
pub const CHANGE_SENT: &str = "change_sent";
/// A mark: when a frame from the relay last reached this tab, before anything was done with it.
pub const FRAME_RECEIVED: &str = "frame_received";

thread_local! {
    static STEPS: RefCell<BTreeMap<&'static str, f64>> = RefCell::default();
    static MARKS: RefCell<BTreeMap<&'static str, f64>> = RefCell::default();
    // The page's `performance`, read once for both of its uses below.
    static PERFORMANCE: Option<JsValue> =
        js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok().filter(JsValue::is_object);
    static TIME_ORIGIN: f64 = PERFORMANCE.with(|performance| {
        let origin = performance.as_ref().and_then(|p| js_sys::Reflect::get(p, &"timeOrigin".into()).ok());
        origin.and_then(|t| t.as_f64()).unwrap_or_default()
    });
    static NOW: Option<js_sys::Function> = PERFORMANCE.with(|performance| {
        let performance = performance.as_ref()?;
        let now = js_sys::Reflect::get(performance, &"now".into()).ok()?;
        now.dyn_into::<js_sys::Function>().ok().map(|now| now.bind0(performance))
    });
}

/// Milliseconds since the page started, with the browser's best resolution.
pub fn now() -> f64 {
    NOW.with(|now| now.as_ref().and_then(|now| now.call0(&JsValue::NULL).ok()).and_then(|t| t.as_f64()))
        .unwrap_or_else(js_sys::Date::now)
}

/// Adds `ms` to `step`; also to `window.__quorumMarks["step " + step]` where a benchmark has put
/// an object there (see [`mark`]).
pub fn add(step: &'static str, ms: f64) {
    STEPS.with(|steps| *steps.borrow_mut().entry(step).or_default() += ms);
    if let Some(marks) = exported_marks() {
        let key = format!("step {step}").into();
        let sum = js_sys::Reflect::get(&marks, &key).ok().and_then(|v| v.as_f64()).unwrap_or_default();
        let _ = js_sys::Reflect::set(&marks, &key, &(sum + ms).into());
    }
}

/// Runs `work`, adding the time it took to `step`.
pub fn measure<T>(step: &'static str, work: impl FnOnce() -> T) -> T {
    let started = now();
    let done = work();
    add(step, now() - started);
    done
}

/// The milliseconds of each step since the last call, by step name.
pub fn take() -> BTreeMap<&'static str, f64> {
    STEPS.with(|steps| std::mem::take(&mut *steps.borrow_mut()))
}

/// Notes that `event` happened now; the latest time of each is kept. Where a benchmark driving
/// the page has put an object at `window.__quorumMarks`, the time is also written there, as
/// `performance.timeOrigin + performance.now()`, to be read from outside the app.
pub fn mark(event: &'static str) {
    let at = now();
    MARKS.with(|marks| marks.borrow_mut().insert(event, at));
    if let Some(marks) = exported_marks() {
        let _ = js_sys::Reflect::set(&marks, &event.into(), &(TIME_ORIGIN.with(|o| *o) + at).into());
    }
}

/// `window.__quorumMarks`, if a benchmark has put an object there.
fn exported_marks() -> Option<JsValue> {
    js_sys::Reflect::get(&js_sys::global(), &"__quorumMarks".into()).ok().filter(JsValue::is_object)
}

/// When each marked event last happened since the last call, by name, in [`now`]'s time.
pub fn take_marks() -> BTreeMap<&'static str, f64> {
    MARKS.with(|marks| std::mem::take(&mut *marks.borrow_mut()))
}
