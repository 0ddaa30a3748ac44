//! Counting what one caller holds or asks for, so that no address or member takes more than its
//! share: [`Tally`] counts what is open now (connections), [`Bucket`] what was asked for lately
//! (a connection's messages), and [`RateLimit`] the same per key (workspaces per address).

use std::{
    collections::HashMap,
    hash::Hash,
    sync::{Arc, Mutex, MutexGuard},
    time::{Duration, Instant},
};

/// How many of something each key holds now, up to a limit per key.
#[derive(Debug)]
pub(crate) struct Tally<K: Hash + Eq + Clone> {
    held: Arc<Mutex<HashMap<K, usize>>>,
}

impl<K: Hash + Eq + Clone> Default for Tally<K> {
    fn default() -> Self {
        Self { held: Arc::default() }
    }
}

/// One counted thing; the count goes down when it is dropped.
#[derive(Debug)]
pub(crate) struct Held<K: Hash + Eq + Clone> {
    held: Arc<Mutex<HashMap<K, usize>>>,
    key: K,
}

impl<K: Hash + Eq + Clone> Tally<K> {
    /// Counts one more for `key`, unless it already holds `limit`.
    pub fn take(&self, key: K, limit: usize) -> Option<Held<K>> {
        let mut held = lock(&self.held);
        let count = held.entry(key.clone()).or_insert(0);
        if *count >= limit {
            if *count == 0 {
                held.remove(&key);
            }
            return None;
        }
        *count += 1;
        Some(Held { held: self.held.clone(), key })
    }

    #[cfg(test)]
    fn count(&self, key: &K) -> usize {
        lock(&self.held).get(key).copied().unwrap_or(0)
    }
}

impl<K: Hash + Eq + Clone> Drop for Held<K> {
    fn drop(&mut self) {
        let mut held = lock(&self.held);
        if let Some(count) = held.get_mut(&self.key) {
            *count -= 1;
            // Keys that hold nothing are forgotten, so the map stays as small as what is open.
            if *count == 0 {
                held.remove(&self.key);
            }
        }
    }
}

/// A token bucket: `rate` a second on average, in bursts of up to `burst`.
#[derive(Debug)]
pub(crate) struct Bucket {
    rate: f64,
    burst: f64,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    /// A full bucket.
    pub fn new(rate: f64, burst: f64, now: Instant) -> Self {
        Self { rate, burst, tokens: burst, last: now }
    }

    /// Takes one at `now`; `Err` with how long until one is there when none is (nothing taken).
    pub fn take(&mut self, now: Instant) -> Result<(), Duration> {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else if self.rate > 0.0 {
            Err(Duration::from_secs_f64((1.0 - self.tokens) / self.rate))
        } else {
            Err(Duration::MAX)
        }
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        self.last = self.last.max(now);
    }
}

/// At most `per_period` a period for each key, in bursts of as many: a [`Bucket`] per key.
#[derive(Debug)]
pub(crate) struct RateLimit<K: Hash + Eq> {
    per_period: f64,
    period: Duration,
    buckets: Mutex<HashMap<K, Bucket>>,
}

impl<K: Hash + Eq> RateLimit<K> {
    pub fn new(per_period: u32, period: Duration) -> Self {
        Self { per_period: f64::from(per_period), period, buckets: Mutex::default() }
    }

    /// Takes one for `key` at `now`; `Err` with how long until one is free when none is.
    pub fn take(&self, key: K, now: Instant) -> Result<(), Duration> {
        let rate = self.per_period / self.period.as_secs_f64();
        let mut buckets = lock(&self.buckets);
        // Full buckets say nothing a new one would not: drop them now and then, so that a flood
        // of addresses leaves no trace once it is over.
        if buckets.len() > 10_000 {
            buckets.retain(|_, bucket| {
                bucket.refill(now);
                bucket.tokens < bucket.burst
            });
        }
        let bucket = buckets.entry(key).or_insert_with(|| Bucket::new(rate, self.per_period, now));
        bucket.take(now).map_err(|wait| wait.min(self.period))
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_holds_up_to_its_limit_and_frees_on_drop() {
        let tally = Tally::default();
        let first = tally.take("a", 2).unwrap();
        let _second = tally.take("a", 2).unwrap();
        assert!(tally.take("a", 2).is_none(), "the limit holds");
        assert!(tally.take("b", 2).is_some(), "another key has its own count");
        drop(first);
        assert_eq!(tally.count(&"a"), 1);
        assert!(tally.take("a", 2).is_some(), "a slot freed");
        assert!(tally.take("c", 0).is_none(), "a limit of nothing lets nothing in");
        assert_eq!(tally.count(&"c"), 0, "and remembers nothing");
    }

    #[test]
    fn a_bucket_passes_a_burst_then_spaces_takes_out() {
        let start = Instant::now();
        let mut bucket = Bucket::new(10.0, 20.0, start);
        for _ in 0..20 {
            assert_eq!(bucket.take(start), Ok(()));
        }
        let wait = bucket.take(start).expect_err("the burst is spent");
        assert!((wait.as_secs_f64() - 0.1).abs() < 1e-9, "{wait:?}");
        // After a second the bucket has refilled by the rate.
        assert_eq!(bucket.take(start + Duration::from_secs(1)), Ok(()));
    }

    #[test]
    fn a_rate_limit_passes_a_burst_then_refills_at_its_rate() {
        let limit = RateLimit::new(2, Duration::from_secs(60));
        let start = Instant::now();
        assert!(limit.take("a", start).is_ok());
        assert!(limit.take("a", start).is_ok());
        let wait = limit.take("a", start).unwrap_err();
        assert_eq!(wait.as_secs(), 30, "one comes back every 30 s");
        assert!(limit.take("b", start).is_ok(), "another key has its own bucket");
        assert!(limit.take("a", start + Duration::from_secs(31)).is_ok());
    }
}
