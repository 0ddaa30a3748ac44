//! One benchmark client: a samod `Repo` of its own, dialing the relay through a WebSocket whose
//! frames are counted.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use anyhow::Context;
use automerge::transaction::Transactable;
use futures::{SinkExt, StreamExt, TryStreamExt, future::BoxFuture};
use samod::{BackoffConfig, DialError, DocHandle, Repo, Transport};
use tokio_tungstenite::tungstenite::{self, Message, protocol::WebSocketConfig};

use super::SETUP_TIMEOUT;

/// WebSocket messages that crossed all clients' sockets: the relay's messages in and out.
#[derive(Default)]
pub struct Counters {
    sent: AtomicU64,
    received: AtomicU64,
}

impl Counters {
    pub fn total(&self) -> u64 {
        self.sent.load(Ordering::Relaxed) + self.received.load(Ordering::Relaxed)
    }
}

struct CountingDialer {
    url: String,
    counters: Arc<Counters>,
}

impl samod::Dialer for CountingDialer {
    type Error = tungstenite::Error;

    fn url(&self) -> samod::Url {
        samod::Url::parse(&self.url).expect("a valid URL")
    }

    fn connect(&self) -> BoxFuture<'static, Result<Transport, DialError<Self::Error>>> {
        let url = self.url.clone();
        let counters = self.counters.clone();
        Box::pin(async move {
            // tungstenite zero-fills its whole read buffer (128 KiB by default) before reading;
            // 500 of those would only weigh on the machine the relay shares.
            let config = WebSocketConfig::default().read_buffer_size(4096);
            let (ws, _) = tokio_tungstenite::connect_async_with_config(url, Some(config), true)
                .await
                .map_err(DialError::transient)?;
            let (sink, stream) = ws.split();
            let received = counters.clone();
            let stream = stream
                .try_filter_map(move |message| {
                    let received = received.clone();
                    async move {
                        Ok(match message {
                            Message::Binary(bytes) => {
                                received.received.fetch_add(1, Ordering::Relaxed);
                                Some(bytes.to_vec())
                            }
                            _ => None,
                        })
                    }
                })
                .boxed();
            let sink = sink.with(move |bytes: Vec<u8>| {
                counters.sent.fetch_add(1, Ordering::Relaxed);
                async move { Ok::<_, tungstenite::Error>(Message::Binary(bytes.into())) }
            });
            Ok(Transport::new(stream, Box::pin(sink)))
        })
    }
}

pub struct Client {
    pub repo: Repo,
    pub dialer: samod::DialerHandle<tungstenite::Error>,
}

pub async fn connect(url: String, counters: Arc<Counters>) -> anyhow::Result<Client> {
    let repo = Repo::build_tokio().load().await;
    let dialer = repo.dial(
        // samod 0.16.0 may fail a first dial with "no dialer registered"; a loaded relay may
        // also refuse a connection now and then.
        BackoffConfig {
            initial_delay: Duration::from_millis(20),
            max_delay: Duration::from_millis(500),
            max_retries: Some(10),
        },
        Arc::new(CountingDialer { url, counters }),
    )?;
    tokio::time::timeout(SETUP_TIMEOUT, dialer.established())
        .await
        .context("the handshake timed out")?
        .context("the client could not connect")?;
    Ok(Client { repo, dialer })
}

pub fn put(doc: &DocHandle, key: &str, value: String) {
    doc.with_document(|d| {
        d.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(automerge::ROOT, key, value)?;
            Ok(())
        })
        .expect("a local edit applies");
    });
}
