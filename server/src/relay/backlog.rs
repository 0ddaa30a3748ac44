//! What the relay holds in memory on its connections' behalf, bounded in bytes:
//!
//! - **inbound**: messages read from sockets and not yet taken in by the core, over all
//!   connections. A reader waits for room before it hands a message on, so a flood (or a core
//!   paused on a full write queue) slows the senders through TCP instead of filling memory.
//! - **outbound**: frames queued to a connection and not yet written to its socket, per
//!   connection and over all of them. A connection past its share is closed as too far behind and
//!   resyncs when it comes back; a frame to a connection with nothing queued always goes, so one
//!   large first sync is never refused.
//!
//! ```text
//! let held = inbound.admit(frame.len()).await;       // in the reader, before the core
//! if outbound.has_room(&queue, frame.len()) { queue.add(frame.len()) }   // in the driver
//! queue.sent(frame.len());                           // in the writer
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The inbound budget, shared by every reader.
#[derive(Clone)]
pub(crate) struct Inbound {
    room: Arc<Semaphore>,
    budget: usize,
}

/// A message's share of the inbound budget, given back when dropped (once the core took it in).
pub(crate) struct Admitted(#[allow(dead_code)] OwnedSemaphorePermit);

impl Inbound {
    pub fn new(budget: usize) -> Self {
        let budget = budget.clamp(1, Semaphore::MAX_PERMITS);
        Self { room: Arc::new(Semaphore::new(budget)), budget }
    }

    /// Room for a message of `len` bytes, once there is; and whether it had to wait. A message
    /// larger than the whole budget waits for all of it.
    pub async fn admit(&self, len: usize) -> (Admitted, bool) {
        let cost = u32::try_from(len.clamp(1, self.budget)).unwrap_or(u32::MAX);
        if let Ok(permit) = self.room.clone().try_acquire_many_owned(cost) {
            return (Admitted(permit), false);
        }
        // The semaphore is never closed, so this only waits.
        let permit = self.room.clone().acquire_many_owned(cost).await.expect("the budget is never closed");
        (Admitted(permit), true)
    }
}

/// The outbound budgets: per connection, and over all connections.
#[derive(Clone)]
pub(crate) struct Outbound {
    total: Arc<AtomicUsize>,
    per_connection: usize,
    all: usize,
}

/// The bytes queued to one connection; the driver adds, the connection's writer takes off.
#[derive(Clone)]
pub(crate) struct Queue {
    mine: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
}

impl Outbound {
    pub fn new(per_connection: usize, all: usize) -> Self {
        Self { total: Arc::new(AtomicUsize::new(0)), per_connection, all }
    }

    /// A new connection's queue, empty.
    pub fn queue(&self) -> Queue {
        Queue { mine: Arc::new(AtomicUsize::new(0)), total: self.total.clone() }
    }

    /// Whether a frame of `len` bytes may join `queue`.
    pub fn has_room(&self, queue: &Queue, len: usize) -> bool {
        let mine = queue.bytes();
        mine == 0 || (mine + len <= self.per_connection && self.bytes() + len <= self.all)
    }

    /// Bytes queued to all connections.
    pub fn bytes(&self) -> usize {
        self.total.load(Relaxed)
    }
}

impl Queue {
    pub fn add(&self, len: usize) {
        self.mine.fetch_add(len, Relaxed);
        self.total.fetch_add(len, Relaxed);
    }

    /// `len` bytes were written to the socket.
    pub fn sent(&self, len: usize) {
        self.take_off(len);
    }

    /// The connection is gone: what it still had queued no longer counts.
    pub fn clear(&self) {
        self.take_off(usize::MAX);
    }

    pub fn bytes(&self) -> usize {
        self.mine.load(Relaxed)
    }

    /// Takes up to `len` off this queue, and exactly as much off the total, so that a frame
    /// sent after the queue was cleared never takes from other connections' count.
    fn take_off(&self, len: usize) {
        let before = self.mine.fetch_update(Relaxed, Relaxed, |mine| Some(mine.saturating_sub(len)));
        let taken = before.unwrap_or_default().min(len);
        self.total.fetch_sub(taken, Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_past_its_share_has_no_room_but_an_empty_one_always_has() {
        let outbound = Outbound::new(100, 150);
        let (a, b) = (outbound.queue(), outbound.queue());
        assert!(outbound.has_room(&a, 1_000), "one large frame to an idle peer goes");
        a.add(80);
        assert!(!outbound.has_room(&a, 30), "past its own share");
        assert!(outbound.has_room(&a, 20));
        b.add(60);
        assert!(!outbound.has_room(&b, 20), "past the total: 80 + 60 + 20 > 150");
        a.sent(50);
        assert!(outbound.has_room(&b, 20));
        assert_eq!(outbound.bytes(), 90);
    }

    #[test]
    fn a_cleared_queue_takes_exactly_its_own_off_the_total() {
        let outbound = Outbound::new(100, 1_000);
        let (a, b) = (outbound.queue(), outbound.queue());
        a.add(40);
        b.add(25);
        a.clear();
        a.sent(40); // the writer reports a frame after the driver forgot the connection
        assert_eq!((a.bytes(), b.bytes(), outbound.bytes()), (0, 25, 25));
    }

    #[tokio::test]
    async fn a_message_waits_for_room_in_the_inbound_budget() {
        let inbound = Inbound::new(100);
        let (first, waited) = inbound.admit(70).await;
        assert!(!waited);
        let second = tokio::spawn({
            let inbound = inbound.clone();
            async move { inbound.admit(50).await.1 }
        });
        tokio::task::yield_now().await;
        assert!(!second.is_finished(), "70 + 50 > 100: it waits");
        drop(first);
        assert!(second.await.unwrap(), "and goes once the first is taken in, having waited");
        let (_, waited) = inbound.admit(10_000).await;
        assert!(!waited, "larger than the whole budget: it takes all of it");
    }
}
