//! A token bucket on the driver's clock: `rate` a second on average, in bursts of twice that.

pub(super) struct Bucket {
    rate: u64,
    /// Thousandths of a token, so that refilling by the millisecond loses nothing.
    milli_tokens: u64,
    last: u64,
}

impl Bucket {
    pub fn new(rate: u32, now: u64) -> Bucket {
        let rate = u64::from(rate.max(1));
        Bucket { rate, milli_tokens: 2 * rate * 1000, last: now }
    }

    /// Takes a token if there is one.
    pub fn take(&mut self, now: u64) -> bool {
        let elapsed = now.saturating_sub(self.last);
        self.last = self.last.max(now);
        self.milli_tokens = (self.milli_tokens + elapsed * self.rate).min(2 * self.rate * 1000);
        if self.milli_tokens < 1000 {
            return false;
        }
        self.milli_tokens -= 1000;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::Bucket;

    #[test]
    fn passes_a_burst_then_refills_at_the_rate() {
        let mut bucket = Bucket::new(10, 0);
        assert_eq!((0..25).filter(|_| bucket.take(0)).count(), 20, "a burst of twice the rate");
        assert!(!bucket.take(99), "not quite one token back after 99 ms");
        assert!(bucket.take(100));
        assert_eq!((0..50).filter(|_| bucket.take(10_000)).count(), 20, "never more than the burst");
    }
}
