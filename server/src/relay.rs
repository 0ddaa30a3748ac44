//! The task that drives the relay core (`quorum_shared::relay`): one loop owns it, takes in
//! everything its connections and storage have queued, lets it flush once, and carries out what
//! it hands back: frames to connections, loads to the database, writes to the group-committing
//! writer.
//!
//! One task for the whole relay keeps the core single-threaded and free of locks; the cost of a
//! message is a few microseconds of Automerge, and what would make one task a bottleneck (a sync
//! message generated for every peer after every input) is exactly what the core no longer does.

use std::{
    collections::HashMap,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering::Relaxed},
    },
    time::{Duration, Instant},
};

use quorum_shared::relay::{self, Author, Binding, ConnectionId, DeviceRefused, Presence};
use quorum_shared::wire::Message;
use tokio::sync::{mpsc, oneshot};

mod backlog;
mod carry_out;

pub(crate) use backlog::{Admitted, Inbound, Outbound, Queue};

use crate::{
    chunks::WriteResults,
    config::Limits,
    metrics::Metrics,
    postgres::Logged,
    storage::Storage,
    sync::{CloseReason, Control},
};

/// Frames queued for one connection before it counts as not reading: it is then closed, and
/// resyncs when it comes back.
pub(crate) const OUTBOX_FRAMES: usize = 1024;

/// How often time passes for the core: retries of failed writes, unloading idle documents.
const TICK: Duration = Duration::from_millis(250);

/// How long a stop waits for outstanding writes before giving up on them.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// What a connection needs to hear from the relay.
pub(crate) struct Link {
    pub frames: futures::channel::mpsc::Sender<Vec<u8>>,
    pub control: futures::channel::mpsc::UnboundedSender<Control>,
    /// The bytes of `frames` not yet written; the writer takes off what it sends.
    pub queue: Queue,
}

/// What storage and the server tell the driver.
enum Input {
    Loaded {
        document_id: String,
        chunks: Result<Vec<(String, Vec<u8>)>, String>,
    },
    Written(WriteResults),
    /// Whether a member may register a device (see `Relay::device_binding`).
    DeviceBinding {
        scope: String,
        device: Vec<u8>,
        member: String,
        reply: oneshot::Sender<Result<Binding, DeviceRefused>>,
    },
    /// A binding the server has stored.
    Bind(Binding),
    /// What other relays committed to the store this one shares with them (`postgres/log.rs`).
    Logged(Vec<Logged>),
    Stop(oneshot::Sender<()>),
}

/// What a connection tells the driver, in the order it happened: one channel for all of a
/// connection's inputs keeps its connect before its messages and its messages before its
/// disconnect.
enum FromPeer {
    Connect {
        connection: ConnectionId,
        join: Message,
        author: Option<Author>,
        link: Link,
    },
    /// With its share of the inbound budget, given back once the core has taken it in.
    Message {
        connection: ConnectionId,
        message: Message,
        _admitted: Admitted,
    },
    Disconnect {
        connection: ConnectionId,
    },
}

/// The server stopped: the relay takes nothing more.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the server is shutting down")]
pub(crate) struct Stopping;

/// The relay task, as the rest of the server reaches it. Cheap to clone.
#[derive(Clone)]
pub(crate) struct RelayHandle {
    inbox: mpsc::UnboundedSender<Input>,
    /// Connections' inputs, apart from `inbox` so that the core can stop taking them while its
    /// write queue is full and still hear storage answer; messages bounded in bytes by `inbound`.
    peers: mpsc::UnboundedSender<FromPeer>,
    inbound: Inbound,
    outbound: Outbound,
    next_connection: Arc<AtomicU64>,
    peer_id: Arc<str>,
}

impl RelayHandle {
    /// Starts the relay task named `peer_id` on `storage`, within `limits`, with the actors
    /// `storage` has bound.
    /// With `presence`, it passes its peers' presence on to the relays it shares storage with.
    pub fn start(
        peer_id: &str,
        storage: Storage,
        bindings: Vec<Binding>,
        presence: Option<mpsc::Sender<Presence>>,
        metrics: Arc<Metrics>,
        limits: &Limits,
    ) -> RelayHandle {
        let peer_id: Arc<str> = peer_id.into();
        // The storage id names what the relay stores, for peers that track it: the same for
        // every start on the same data.
        let storage_id = "quorum-relay-storage".to_owned();
        let config = relay::Config {
            max_inflated_bytes: limits.max_inflated_bytes,
            ephemeral_per_second: limits.presence_per_second,
            max_ephemeral_bytes: limits.max_presence_bytes,
            share_presence: presence.is_some(),
            ..relay::Config::default()
        };
        let mut core = relay::Relay::new(peer_id.to_string(), storage_id, config);
        for binding in bindings {
            core.bind(binding);
        }
        metrics.publish(core.stats());
        let (inbox, rx) = mpsc::unbounded_channel();
        let (peers, peers_rx) = mpsc::unbounded_channel();
        let outbound = Outbound::new(limits.outbox_bytes_per_connection, limits.outbox_bytes_total);
        let report = inbox.clone();
        storage.report_to(Box::new(move |results| {
            let _ = report.send(Input::Written(results));
        }));
        let driver = Driver {
            core,
            storage,
            metrics,
            inbox: inbox.clone(),
            links: HashMap::new(),
            started: Instant::now(),
            stopping: None,
            outbound: outbound.clone(),
            max_pending_writes: limits.max_pending_writes.max(1),
            presence,
        };
        tokio::spawn(driver.run(rx, peers_rx));
        RelayHandle {
            inbox,
            peers,
            inbound: Inbound::new(limits.inbound_bytes_total),
            outbound,
            next_connection: Arc::new(AtomicU64::new(0)),
            peer_id,
        }
    }

    pub fn peer_id(&self) -> &str {
        &self.peer_id
    }

    /// Hands a connection whose `join` the server has checked to the core, which answers with
    /// `peer`; its changes are taken as `author`'s (none: a viewer's, not taken). Returns the
    /// connection's number for what follows.
    pub fn connect(
        &self,
        join: Message,
        author: Option<Author>,
        link: Link,
    ) -> Result<ConnectionId, Stopping> {
        let connection = self.next_connection.fetch_add(1, Relaxed);
        self.peers.send(FromPeer::Connect { connection, join, author, link }).map_err(|_| Stopping)?;
        Ok(connection)
    }

    /// Hands a peer's message to the core, with its share of the inbound budget (see
    /// [`RelayHandle::inbound`]).
    pub fn message(
        &self,
        connection: ConnectionId,
        message: Message,
        admitted: Admitted,
    ) -> Result<(), Stopping> {
        self.peers.send(FromPeer::Message { connection, message, _admitted: admitted }).map_err(|_| Stopping)
    }

    /// The budget a reader takes a message's share of before it hands the message on.
    pub fn inbound(&self) -> &Inbound {
        &self.inbound
    }

    /// A new connection's outbound queue, counted in the relay's outbound budget.
    pub fn queue(&self) -> Queue {
        self.outbound.queue()
    }

    pub fn disconnect(&self, connection: ConnectionId) {
        let _ = self.peers.send(FromPeer::Disconnect { connection });
    }

    /// Whether `member` may register `device` in `workspace`: the binding to store with the
    /// device's key and then hand to [`RelayHandle::bind`], or why not.
    pub async fn device_binding(
        &self,
        workspace: &str,
        device: Vec<u8>,
        member: &str,
    ) -> Result<Result<Binding, DeviceRefused>, Stopping> {
        let (reply, answer) = oneshot::channel();
        let input =
            Input::DeviceBinding { scope: workspace.to_owned(), device, member: member.to_owned(), reply };
        self.inbox.send(input).map_err(|_| Stopping)?;
        answer.await.map_err(|_| Stopping)
    }

    /// A binding now stored, for the core to enforce.
    pub fn bind(&self, binding: Binding) {
        let _ = self.inbox.send(Input::Bind(binding));
    }

    /// Entries of the change log other relays wrote; false once the relay has stopped.
    pub fn logged(&self, entries: Vec<Logged>) -> bool {
        self.inbox.send(Input::Logged(entries)).is_ok()
    }

    /// Stops the relay once every write it handed out has committed (or the grace is over).
    pub async fn stop(&self) {
        let (done, wait) = oneshot::channel();
        if self.inbox.send(Input::Stop(done)).is_ok() {
            let _ = wait.await;
        }
    }
}

struct Driver {
    core: relay::Relay,
    storage: Storage,
    metrics: Arc<Metrics>,
    inbox: mpsc::UnboundedSender<Input>,
    links: HashMap<ConnectionId, Link>,
    started: Instant,
    stopping: Option<(Instant, Vec<oneshot::Sender<()>>)>,
    outbound: Outbound,
    /// Beyond this many writes not yet committed, the core takes in no more messages.
    max_pending_writes: usize,
    /// Where presence goes for the other relays, if storage is shared with any.
    presence: Option<mpsc::Sender<Presence>>,
}

/// How many inputs one round takes in before it flushes, so that a flood cannot postpone every
/// reply indefinitely.
const ROUND: usize = 4096;

impl Driver {
    async fn run(
        mut self,
        mut rx: mpsc::UnboundedReceiver<Input>,
        mut peers: mpsc::UnboundedReceiver<FromPeer>,
    ) {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut was_full = false;
        loop {
            let accepting = self.accepting();
            if !accepting && !was_full {
                self.metrics.write_queue_full.fetch_add(1, Relaxed);
                tracing::warn!(
                    limit = self.max_pending_writes,
                    "the write queue is full: taking no messages until storage catches up"
                );
            }
            was_full = !accepting;
            // Storage's answers first, then time (retries, unloading), then the peers: a steady
            // stream from them never starves either.
            tokio::select! {
                biased;
                input = rx.recv() => match input {
                    Some(input) => self.take(input),
                    None => return,
                },
                _ = tick.tick() => self.core.tick(self.now()),
                Some(input) = peers.recv(), if accepting => self.take_from_peer(input),
            }
            let mut taken = 1;
            'round: while taken < ROUND {
                while let Ok(input) = rx.try_recv() {
                    self.take(input);
                    taken += 1;
                    if taken >= ROUND {
                        break 'round;
                    }
                }
                if !self.accepting() {
                    break;
                }
                let Ok(input) = peers.try_recv() else { break };
                self.take_from_peer(input);
                taken += 1;
            }
            let now = self.now();
            self.core.flush(now);
            let outputs = self.core.drain();
            self.carry_out(outputs);
            let stats = self.core.stats();
            let pending_writes = stats.pending_writes;
            self.metrics.publish(stats);
            self.metrics.outbound_bytes.store(self.outbound.bytes() as u64, Relaxed);
            if let Some((since, _)) = &self.stopping
                && (pending_writes == 0 || since.elapsed() > STOP_GRACE)
            {
                if pending_writes > 0 {
                    tracing::error!(writes = pending_writes, "stopping with writes that never committed");
                }
                let (_, waiters) = self.stopping.take().expect("checked above");
                for waiter in waiters {
                    let _ = waiter.send(());
                }
                return;
            }
        }
    }

    /// Whether the core may take in more messages: not while its write queue is full.
    fn accepting(&self) -> bool {
        self.core.pending_writes() < self.max_pending_writes
    }

    fn now(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn take_from_peer(&mut self, input: FromPeer) {
        let now = self.now();
        match input {
            FromPeer::Connect { connection, join, author, link } => {
                if self.stopping.is_some() {
                    let _ = link.control.unbounded_send(Control::Close(CloseReason::new(
                        1001,
                        "the server is shutting down",
                    )));
                    return;
                }
                self.links.insert(connection, link);
                self.core.connect(now, connection, &join, author);
            }
            FromPeer::Message { connection, message, .. } => {
                self.core.receive_message(now, connection, message)
            }
            FromPeer::Disconnect { connection } => {
                if let Some(link) = self.links.remove(&connection) {
                    link.queue.clear();
                }
                self.core.disconnect(now, connection);
            }
        }
    }

    fn take(&mut self, input: Input) {
        let now = self.now();
        match input {
            Input::Loaded { document_id, chunks } => self.core.loaded(now, &document_id, chunks),
            Input::Written(results) => {
                self.metrics.storage_answered(results.iter().all(|(_, result)| result.is_ok()));
                for (id, result) in results {
                    self.core.written(now, id, result);
                }
            }
            Input::DeviceBinding { scope, device, member, reply } => {
                let _ = reply.send(self.core.device_binding(&scope, &device, &member));
            }
            Input::Bind(binding) => self.core.bind(binding),
            Input::Logged(entries) => {
                for entry in entries {
                    match entry {
                        Logged::Chunk { document_id, key, chunk } => {
                            self.core.stored_elsewhere(now, &document_id, key, &chunk)
                        }
                        Logged::Bind(binding) => self.core.bind(binding),
                        Logged::Gap => {
                            for document_id in self.core.open_documents() {
                                self.read_again(document_id);
                            }
                            self.bind_again();
                        }
                        Logged::Presence(presence) => self.core.presence_elsewhere(now, &presence),
                        // The server closes the member's connections (`AppState::follow_log`).
                        Logged::Revoked { .. } => {}
                    }
                }
            }
            Input::Stop(done) => {
                let connections: Vec<ConnectionId> = self.links.keys().copied().collect();
                for connection in connections {
                    self.core.disconnect(now, connection);
                }
                match &mut self.stopping {
                    Some((_, waiters)) => waiters.push(done),
                    None => self.stopping = Some((Instant::now(), vec![done])),
                }
            }
        }
    }
}
