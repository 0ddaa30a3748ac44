//! What one run measured, and the medians over the runs side by side.

use super::relay::Kind;

/// The latency a load must keep to count as sustained.
pub const P99_BUDGET_MS: f64 = 50.0;

#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    /// Edits per second over all clients, as offered.
    pub offered_per_second: f64,
    pub messages_per_second: f64,
    /// Messages per second of the relay's own CPU time: what one core of it handles.
    pub messages_per_cpu_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub idle_peer_kib: f64,
    pub deliveries: usize,
    /// Deliveries the run's shared edits called for.
    pub due: usize,
    /// Cores the relay kept busy during the editing phase.
    pub relay_cores: f64,
    /// Cores this load tool kept busy meanwhile: near the machine's count, the tool is the limit.
    pub tool_cores: f64,
    /// The machine's one-minute load average at the end of the editing phase.
    pub load_average: f64,
}

impl Outcome {
    /// Whether the relay kept up: p99 within budget and at least 99% of the deliveries made.
    pub fn holds(&self) -> bool {
        self.p99_ms <= P99_BUDGET_MS && self.deliveries as f64 >= 0.99 * self.due as f64
    }

    pub fn print(&self, run: usize, kind: Kind) {
        println!(
            "run {run} {:<15} {:>7.0} msg/s {:>7.0} msg/CPU-s  p50 {:>7.1} ms  p99 {:>7.1} ms  \
             {:>6.1} KiB/idle peer  ({} of {} deliveries; relay {:.2} cores, load tool {:.2} cores, \
             load average {:.1})",
            kind.name(),
            self.messages_per_second,
            self.messages_per_cpu_second,
            self.p50_ms,
            self.p99_ms,
            self.idle_peer_kib,
            self.deliveries,
            self.due,
            self.relay_cores,
            self.tool_cores,
            self.load_average,
        );
    }
}

pub fn summarize(outcomes: &[(Kind, Vec<Outcome>)]) {
    let medians: Vec<(Kind, [f64; 5])> = outcomes
        .iter()
        .map(|(kind, runs)| {
            let pick = |f: fn(&Outcome) -> f64| median(runs.iter().map(f).collect());
            (
                *kind,
                [
                    pick(|o| o.messages_per_second),
                    pick(|o| o.messages_per_cpu_second),
                    pick(|o| o.p50_ms),
                    pick(|o| o.p99_ms),
                    pick(|o| o.idle_peer_kib),
                ],
            )
        })
        .collect();
    println!("\nmedians                  msg/s  msg/CPU-s   p50 ms   p99 ms  KiB/idle peer");
    for (kind, m) in &medians {
        println!(
            "{:<15} {:>14.0} {:>10.0} {:>8.1} {:>8.1} {:>14.1}",
            kind.name(),
            m[0],
            m[1],
            m[2],
            m[3],
            m[4]
        );
    }
    if let [(_, q), (_, r)] = medians.as_slice() {
        println!(
            "quorum / JS     {:>13.2}× {:>9.2}× {:>7.2}× {:>7.2}× {:>13.2}×",
            q[0] / r[0],
            q[1] / r[1],
            q[2] / r[2],
            q[3] / r[3],
            q[4] / r[4]
        );
    }
}

pub fn median(mut values: Vec<f64>) -> f64 {
    quorum_shared::order::sort_by(&mut values, f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// The largest offered load a run's relay sustained, and how it did at the first (a
/// committee's pace).
#[derive(Debug, Clone, Copy)]
pub struct Capacity {
    pub first: Outcome,
    pub held: Option<Outcome>,
}

impl Capacity {
    pub fn print(&self, run: usize, kind: Kind) {
        match self.held {
            Some(o) => println!(
                "run {run} {:<15} sustains {:>6.0} edits/s (p50 {:.1} ms, p99 {:.1} ms, relay {:.2} cores)",
                kind.name(),
                o.offered_per_second,
                o.p50_ms,
                o.p99_ms,
                o.relay_cores
            ),
            None => println!("run {run} {:<15} sustains none of the loads tried", kind.name()),
        }
    }
}

pub fn summarize_capacity(capacities: &[(Kind, Vec<Capacity>)]) {
    println!("\nat the first capacity phase's pace (median of runs)");
    for (kind, runs) in capacities {
        let pick = |f: fn(&Outcome) -> f64| median(runs.iter().map(|c| f(&c.first)).collect());
        println!(
            "{:<15} {:>6.0} edits/s  p50 {:>6.1} ms  p99 {:>6.1} ms  relay {:.2} cores",
            kind.name(),
            pick(|o| o.offered_per_second),
            pick(|o| o.p50_ms),
            pick(|o| o.p99_ms),
            pick(|o| o.relay_cores)
        );
    }
    println!("\nlargest load sustained with p99 <= {P99_BUDGET_MS} ms (median of runs)");
    let medians: Vec<f64> = capacities
        .iter()
        .map(|(kind, runs)| {
            let m = median(runs.iter().map(|c| c.held.map_or(0.0, |o| o.offered_per_second)).collect());
            println!("{:<15} {:>8.0} edits/s", kind.name(), m);
            m
        })
        .collect();
    match medians.as_slice() {
        [_, r] if *r == 0.0 => println!("quorum / JS     (the JS reference held none of the loads tried)"),
        [q, r] => println!("quorum / JS     {:>8.2}×", q / r),
        _ => {}
    }
}
