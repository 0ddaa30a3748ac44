//! What one run measured, and the medians over the runs side by side.

use super::cluster::Target;
use super::relay::Kind;

/// The latency a load must keep to count as sustained.
pub const P99_BUDGET_MS: f64 = 50.0;

#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    /// Edits per second over all clients, as offered.
    pub offered_per_second: f64,
    pub messages_per_second: f64,
    /// Messages per second of the relays' own CPU time: what one core of them handles.
    pub messages_per_cpu_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Relays the clients were spread over.
    pub relays: usize,
    /// From a client of the first relay to a client of the last; NaN with one relay.
    pub cross_p50_ms: f64,
    pub cross_p99_ms: f64,
    pub cross_deliveries: usize,
    pub idle_peer_kib: f64,
    pub deliveries: usize,
    /// Deliveries the run's shared edits called for.
    pub due: usize,
    /// Cores the relays kept busy during the editing phase, together.
    pub relay_cores: f64,
    /// Cores PostgreSQL kept busy meanwhile; NaN without it.
    pub database_cores: f64,
    /// Transactions PostgreSQL committed per second meanwhile, reads included; NaN without it.
    pub database_transactions_per_second: f64,
    /// Rows appended to the change log per second meanwhile; NaN without PostgreSQL.
    pub log_rows_per_second: f64,
    /// Cores this load tool kept busy meanwhile: near the machine's count, the tool is the limit.
    pub tool_cores: f64,
    /// The machine's one-minute load average at the end of the editing phase.
    pub load_average: f64,
}

impl Outcome {
    /// Whether the relays kept up: p99 within budget and at least 99% of the deliveries made.
    pub fn holds(&self) -> bool {
        self.p99_ms <= P99_BUDGET_MS && self.deliveries as f64 >= 0.99 * self.due as f64
    }

    pub fn print(&self, run: usize, name: &str) {
        println!(
            "run {run} {name:<15} {:>7.0} msg/s {:>7.0} msg/CPU-s  p50 {:>7.1} ms  p99 {:>7.1} ms  \
             {:>6.1} KiB/idle peer  ({} of {} deliveries; relays {:.2} cores, load tool {:.2} cores, \
             load average {:.1}){}",
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
            self.cluster_figures(),
        );
    }

    /// One capacity phase, as it ends.
    pub fn progress(&self, name: &str) {
        eprintln!(
            "{name}: {:.0} edits/s offered: p50 {:.1} ms, p99 {:.1} ms, {} of {} deliveries, relays {:.2} cores, \
             load tool {:.2} cores{}",
            self.offered_per_second,
            self.p50_ms,
            self.p99_ms,
            self.deliveries,
            self.due,
            self.relay_cores,
            self.tool_cores,
            self.cluster_figures(),
        );
    }

    /// The cross-relay latency and PostgreSQL's CPU, where the run had them.
    fn cluster_figures(&self) -> String {
        let mut figures = String::new();
        if self.relays > 1 {
            figures += &format!(
                "; relay 1 to {}: p50 {:.1} ms, p99 {:.1} ms ({} deliveries)",
                self.relays, self.cross_p50_ms, self.cross_p99_ms, self.cross_deliveries
            );
        }
        if !self.database_cores.is_nan() {
            figures += &format!(
                "; PostgreSQL {:.2} cores, {:.0} transactions/s, {:.0} log rows/s",
                self.database_cores, self.database_transactions_per_second, self.log_rows_per_second
            );
        }
        figures
    }
}

/// A figure for a table column: a dash where the run had no such figure.
fn cell(value: f64, width: usize, precision: usize) -> String {
    match value.is_nan() {
        true => format!("{:>width$}", "-"),
        false => format!("{value:>width$.precision$}"),
    }
}

/// The cross-relay latency for a summary line, where there is one.
fn cross(p50_ms: f64, p99_ms: f64) -> String {
    match p50_ms.is_nan() {
        true => String::new(),
        false => format!("  1→N p50 {p50_ms:>6.1} ms  p99 {p99_ms:>6.1} ms"),
    }
}

/// `each` per target next to the reference relay's, where there is one to compare with.
fn ratios<T>(results: &[(Target, T)], each: impl Fn(&T, &T) -> String) {
    let Some((_, reference)) = results.iter().find(|(t, _)| t.kind == Kind::Reference) else {
        return;
    };
    for (target, result) in results.iter().filter(|(t, _)| t.kind == Kind::Quorum) {
        println!("{:<15} {}", format!("{} / JS", target.name()), each(result, reference));
    }
}

pub fn summarize(outcomes: &[(Target, Vec<Outcome>)]) {
    let medians: Vec<(Target, [f64; 10])> = outcomes
        .iter()
        .map(|(target, runs)| {
            let pick = |f: fn(&Outcome) -> f64| median(runs.iter().map(f).collect());
            let figures = [
                pick(|o| o.messages_per_second),
                pick(|o| o.messages_per_cpu_second),
                pick(|o| o.p50_ms),
                pick(|o| o.p99_ms),
                pick(|o| o.idle_peer_kib),
                pick(|o| o.cross_p50_ms),
                pick(|o| o.cross_p99_ms),
                pick(|o| o.database_cores),
                pick(|o| o.database_transactions_per_second),
                pick(|o| o.log_rows_per_second),
            ];
            (*target, figures)
        })
        .collect();
    println!(
        "\nmedians                  msg/s  msg/CPU-s   p50 ms   p99 ms  KiB/idle peer  1→N p50  1→N p99  PostgreSQL cores  transactions/s  log rows/s"
    );
    for (target, m) in &medians {
        println!(
            "{:<15} {:>14.0} {:>10.0} {:>8.1} {:>8.1} {:>14.1} {} {} {} {} {}",
            target.name(),
            m[0],
            m[1],
            m[2],
            m[3],
            m[4],
            cell(m[5], 8, 1),
            cell(m[6], 8, 1),
            cell(m[7], 17, 2),
            cell(m[8], 15, 0),
            cell(m[9], 11, 0)
        );
    }
    // Under the first five columns of the table.
    let widths = [13, 9, 7, 7, 13];
    ratios(&medians, |q, r| {
        widths
            .iter()
            .enumerate()
            .map(|(i, w)| format!("{:>w$.2}×", q[i] / r[i]))
            .collect::<Vec<_>>()
            .join(" ")
    });
}

pub fn median(mut values: Vec<f64>) -> f64 {
    // A figure a run did not have (NaN) is left out; none at all gives NaN.
    values.retain(|v| !v.is_nan());
    quorum_shared::order::sort_by(&mut values, f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// The largest offered load a run's relays sustained, and how they did at the first (a
/// committee's pace).
#[derive(Debug, Clone, Copy)]
pub struct Capacity {
    pub first: Outcome,
    pub held: Option<Outcome>,
}

impl Capacity {
    pub fn print(&self, run: usize, name: &str) {
        match self.held {
            Some(o) => println!(
                "run {run} {name:<15} sustains {:>6.0} edits/s (p50 {:.1} ms, p99 {:.1} ms, relays {:.2} cores{})",
                o.offered_per_second,
                o.p50_ms,
                o.p99_ms,
                o.relay_cores,
                o.cluster_figures()
            ),
            None => println!("run {run} {name:<15} sustains none of the loads tried"),
        }
    }
}

pub fn summarize_capacity(capacities: &[(Target, Vec<Capacity>)]) {
    println!("\nat the first capacity phase's pace (median of runs)");
    for (target, runs) in capacities {
        let pick = |f: fn(&Outcome) -> f64| median(runs.iter().map(|c| f(&c.first)).collect());
        println!(
            "{:<15} {:>6.0} edits/s  p50 {:>6.1} ms  p99 {:>6.1} ms  relays {:.2} cores{}",
            target.name(),
            pick(|o| o.offered_per_second),
            pick(|o| o.p50_ms),
            pick(|o| o.p99_ms),
            pick(|o| o.relay_cores),
            cross(pick(|o| o.cross_p50_ms), pick(|o| o.cross_p99_ms))
        );
    }
    println!("\nlargest load sustained with p99 <= {P99_BUDGET_MS} ms (median of runs), and its latencies");
    let medians: Vec<(Target, f64)> = capacities
        .iter()
        .map(|(target, runs)| {
            let held: Vec<Outcome> = runs.iter().filter_map(|c| c.held).collect();
            let pick = |f: fn(&Outcome) -> f64| median(held.iter().map(f).collect());
            let load = median(runs.iter().map(|c| c.held.map_or(0.0, |o| o.offered_per_second)).collect());
            println!(
                "{:<15} {:>8.0} edits/s  p50 {} ms  p99 {} ms{}",
                target.name(),
                load,
                cell(pick(|o| o.p50_ms), 6, 1),
                cell(pick(|o| o.p99_ms), 6, 1),
                cross(pick(|o| o.cross_p50_ms), pick(|o| o.cross_p99_ms))
            );
            (*target, load)
        })
        .collect();
    ratios(&medians, |q, r| match *r > 0.0 {
        true => format!("{:>8.2}×", q / r),
        false => "(the JS reference held none of the loads tried)".to_owned(),
    });
}
