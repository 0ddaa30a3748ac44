//! Keystroke-to-render latency between two browsers over loopback: the real server, two headless
//! Chromiums, A creates a workspace and B joins it as an editor. In A, each keystroke (an arrow
//! key on an SoA row's implementation status, which changes it at once) is one domain operation
//! sent through the relay; B's row shows the new status. Run it through `scripts/bench-client`:
//!
//! ```text
//! scripts/bench-client --keystrokes 200 --runs 3
//! ```
//!
//! Times are taken in the pages, never by this driver, so no WebDriver round trip is measured:
//! A records `performance.timeOrigin + event.timeStamp` of each keydown on the field; B's
//! MutationObserver records `performance.timeOrigin + performance.now()` when the row's
//! `data-status` changes (the DOM updated, before the paint) and, from a `requestAnimationFrame`
//! scheduled then, the start of the next frame. Both browsers run on this machine, so both
//! clocks are its wall clock; the driver prints their measured skew. The app's own marks
//! (`quorum_app::timings`, written to `window.__quorumMarks`) split each keystroke into A's
//! part (keydown to the change sent), the relay's (sent to B's receiving the frame, network
//! included) and B's (frame received to DOM). The next key is sent only
//! once B has shown the previous one, so keystrokes never queue behind each other.

use std::time::Duration;

use anyhow::{Context, bail, ensure};
use clap::Parser;
use fantoccini::Locator;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use quorum_tests::workspace::{WAIT, create_workspace, join, wait_synced_and_saved};
use quorum_tests::{Browser, Server};
use serde_json::{Value, json};

#[derive(Parser, Debug)]
#[command(about = "Keystroke-to-render latency between two browsers through the relay")]
struct Args {
    /// Measured keystrokes per run.
    #[arg(long, default_value_t = 200)]
    keystrokes: usize,
    /// Runs; the summary quotes the median of each run's percentiles.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Unmeasured keystrokes before the first run.
    #[arg(long, default_value_t = 10)]
    warmup: usize,
}

/// The implementation statuses in the select's order, as the row's `data-status` names them.
const STATUSES: [&str; 4] = ["not-started", "planned", "in-progress", "implemented"];
const ARROW_DOWN: char = '\u{e015}';
const ARROW_UP: char = '\u{e013}';

/// Records A's keydowns on the field.
const RECORD_KEYS: &str = "
    const field = arguments[0];
    window.benchKeys = [];
    window.__quorumMarks = {};
    document.addEventListener('keydown', (event) => {
        if (event.target.matches(field)) window.benchKeys.push(performance.timeOrigin + event.timeStamp);
    }, true);
    document.querySelector(field).focus();
";

/// Records every change of B's row status: when the DOM changed, and the next frame's start.
const RECORD_RENDERS: &str = "
    const row = arguments[0];
    const status = () => document.querySelector(row)?.getAttribute('data-status');
    window.benchSeen = [];
    window.__quorumMarks = {};
    let last = status();
    new MutationObserver(() => {
        const now = status();
        if (now === last) return;
        last = now;
        // The frame that led to this render is the last one B received: the render happens in
        // the task that received it.
        const arrived = window.__quorumMarks.frame_received ?? null;
        const entry = { status: now, dom: performance.timeOrigin + performance.now(), frame: null, arrived };
        window.benchSeen.push(entry);
        requestAnimationFrame(() => { entry.frame = performance.timeOrigin + performance.now(); });
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
";

/// Resolves once B has shown `arguments[0]` changes, or with false after 10 s.
const WAIT_SEEN: &str = "
    const [count, done] = [arguments[0], arguments[arguments.length - 1]];
    const deadline = performance.now() + 10000;
    const check = () => {
        if (window.benchSeen.length >= count) done(true);
        else if (performance.now() > deadline) done(false);
        else setTimeout(check, 2);
    };
    check();
";

/// This page's clock minus the wall clock, in ms (the wall clock has whole milliseconds).
const CLOCK_OFFSET: &str = "return performance.timeOrigin + performance.now() - Date.now();";

struct Percentiles {
    p50: f64,
    p99: f64,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    ensure!(args.keystrokes >= 2 && args.runs >= 1, "need at least two keystrokes and one run");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(run(args))
}

async fn run(args: Args) -> anyhow::Result<()> {
    let server = Server::start().await?;
    let a = Browser::launch().await?;
    create_workspace(&server, &a).await?;
    wait_synced_and_saved(&a).await?;
    let b = Browser::launch().await?;
    join(&server, &a, &b, "editor", "Bea").await?;
    wait_synced_and_saved(&b).await?;

    let control = "A.6.2.2";
    let row = format!("li[data-control='{control}']");
    let field = format!("{row} select.status");
    a.wait_for(Locator::Css(&field), WAIT).await?;
    b.wait_for(Locator::Css(&row), WAIT).await?;
    a.client.execute(RECORD_KEYS, vec![json!(field)]).await?;
    b.client.execute(RECORD_RENDERS, vec![json!(row)]).await?;
    let skew = clock_offset(&b).await? - clock_offset(&a).await?;

    println!(
        "{} runs of {} keystrokes (after {} unmeasured), each a status change of {control} in A shown in B",
        args.runs, args.keystrokes, args.warmup
    );
    let mut typist = Typist { position: 0, down: true, sent: 0, sent_at: Vec::new() };
    typist.type_keys(&a, &b, args.warmup).await?;
    let mut dom_runs = Vec::new();
    let mut frame_runs = Vec::new();
    for run in 1..=args.runs {
        let first = typist.sent;
        let steps_before = steps(&b).await?;
        typist.type_keys(&a, &b, args.keystrokes).await?;
        let steps_after = steps(&b).await?;
        let samples = latencies(&a, &b, first, &typist).await?;
        let (d, f) = (percentiles(samples.dom), percentiles(samples.frame));
        println!(
            "run {run}: keystroke to DOM p50 {:.1} ms p99 {:.1} ms; to next frame p50 {:.1} ms p99 {:.1} ms",
            d.p50, d.p99, f.p50, f.p99
        );
        let p50 = |values: Vec<f64>| percentiles(values).p50;
        println!(
            "       p50 by part: A keydown to change sent {:.1} ms, sent to B's receiving it {:.1} ms, \
             B's receiving to DOM {:.1} ms",
            p50(samples.a_side),
            p50(samples.relay),
            p50(samples.b_side)
        );
        let per_key: Vec<String> = steps_after
            .iter()
            .map(|(step, total)| {
                let before = steps_before.iter().find(|(s, _)| s == step).map_or(0.0, |(_, t)| *t);
                format!("{step} {:.2} ms", (total - before) / args.keystrokes as f64)
            })
            .collect();
        println!("       B's measured steps, mean per keystroke: {}", per_key.join(", "));
        dom_runs.push(d);
        frame_runs.push(f);
    }
    let median_of =
        |runs: &[Percentiles], pick: fn(&Percentiles) -> f64| median(runs.iter().map(pick).collect());
    println!(
        "median of {} runs: keystroke to DOM in the other browser p50 {:.1} ms, p99 {:.1} ms; \
         to its next frame p50 {:.1} ms, p99 {:.1} ms (budget: p50 <= 20 ms, p99 <= 50 ms)",
        args.runs,
        median_of(&dom_runs, |p| p.p50),
        median_of(&dom_runs, |p| p.p99),
        median_of(&frame_runs, |p| p.p50),
        median_of(&frame_runs, |p| p.p99),
    );
    println!("clock skew between the two pages: {skew:.1} ms (±1 ms; not corrected)");
    a.close().await?;
    b.close().await
}

/// Presses arrow keys on A's focused select, walking the statuses down and back up, each key
/// only after B has shown the one before.
struct Typist {
    position: usize,
    down: bool,
    sent: usize,
    /// When A sent each keystroke's change to the relay, by the app's own mark.
    sent_at: Vec<Option<f64>>,
}

impl Typist {
    async fn type_keys(&mut self, a: &Browser, b: &Browser, count: usize) -> anyhow::Result<()> {
        for _ in 0..count {
            if self.position == STATUSES.len() - 1 {
                self.down = false;
            } else if self.position == 0 {
                self.down = true;
            }
            let key = if self.down { ARROW_DOWN } else { ARROW_UP };
            self.position = if self.down { self.position + 1 } else { self.position - 1 };
            self.sent += 1;
            let press = KeyActions::new("keyboard".into())
                .then(KeyAction::Down { value: key })
                .then(KeyAction::Up { value: key });
            a.client.perform_actions(press).await?;
            let seen = b.client.execute_async(WAIT_SEEN, vec![json!(self.sent)]).await?;
            ensure!(seen == Value::Bool(true), "keystroke {} did not reach B within 10 s", self.sent);
            let sent_at =
                a.client.execute("return window.__quorumMarks.change_sent ?? null;", vec![]).await?;
            self.sent_at.push(sent_at.as_f64());
        }
        Ok(())
    }
}

/// Each keystroke's latency and its parts, in ms.
#[derive(Default)]
struct Samples {
    dom: Vec<f64>,
    frame: Vec<f64>,
    a_side: Vec<f64>,
    relay: Vec<f64>,
    b_side: Vec<f64>,
}

/// Each keystroke's latency in `first..` (to B's DOM, to B's next frame, and its parts), after
/// checking that every key was seen in A and that B showed the statuses in the order A chose.
async fn latencies(a: &Browser, b: &Browser, first: usize, typist: &Typist) -> anyhow::Result<Samples> {
    let last = typist.sent;
    // The last frame time is set by a requestAnimationFrame after the last change.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let keys = a.client.execute("return window.benchKeys;", vec![]).await?;
    let seen = b.client.execute("return window.benchSeen;", vec![]).await?;
    let keys: Vec<f64> = serde_json::from_value(keys).context("reading A's keydown times")?;
    let seen = seen.as_array().context("reading B's render times")?;
    ensure!(
        keys.len() == last && seen.len() == last,
        "{} keydowns and {} renders for {last} keys",
        keys.len(),
        seen.len()
    );
    let mut expected = 0usize;
    let mut samples = Samples::default();
    for (i, (key, shown)) in keys.iter().zip(seen).enumerate() {
        let status = shown["status"].as_str().unwrap_or_default();
        let position = STATUSES.iter().position(|s| *s == status).context("an unknown status")?;
        if position.abs_diff(expected) != 1 {
            bail!("render {i} shows {status}, which no single keystroke from {} reaches", STATUSES[expected]);
        }
        expected = position;
        if i < first {
            continue;
        }
        let dom = shown["dom"].as_f64().context("a DOM time")?;
        samples.dom.push(dom - key);
        if let Some(at) = shown["frame"].as_f64() {
            samples.frame.push(at - key);
        }
        if let (Some(sent), Some(arrived)) = (typist.sent_at[i], shown["arrived"].as_f64()) {
            samples.a_side.push(sent - key);
            samples.relay.push(arrived - sent);
            samples.b_side.push(dom - arrived);
        }
    }
    Ok(samples)
}

/// The sums of the app's measured steps in `browser` (`step <name>` in `window.__quorumMarks`).
async fn steps(browser: &Browser) -> anyhow::Result<Vec<(String, f64)>> {
    let marks = browser.client.execute("return window.__quorumMarks;", vec![]).await?;
    let marks = marks.as_object().context("reading the app's marks")?;
    Ok(marks
        .iter()
        .filter_map(|(key, value)| Some((key.strip_prefix("step ")?.to_owned(), value.as_f64()?)))
        .collect())
}

async fn clock_offset(browser: &Browser) -> anyhow::Result<f64> {
    browser.client.execute(CLOCK_OFFSET, vec![]).await?.as_f64().context("a clock offset")
}

fn percentiles(mut values: Vec<f64>) -> Percentiles {
    quorum_shared::order::sort_by(&mut values, f64::total_cmp);
    let at = |q: f64| {
        if values.is_empty() {
            return f64::NAN;
        }
        values[((values.len() as f64 * q).ceil() as usize).clamp(1, values.len()) - 1]
    };
    Percentiles { p50: at(0.50), p99: at(0.99) }
}

fn median(mut values: Vec<f64>) -> f64 {
    quorum_shared::order::sort_by(&mut values, f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}
