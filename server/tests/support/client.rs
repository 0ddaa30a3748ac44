//! A samod peer that dials the test server with a member's token, and reading and writing one
//! string field of its documents.

use std::{sync::Arc, time::Duration};

use automerge::{ReadDoc, transaction::Transactable};
use futures::{SinkExt, StreamExt, TryStreamExt, future::BoxFuture};
use samod::{BackoffConfig, DialError, DocHandle, Repo, Transport};
use tokio_tungstenite::tungstenite::Message;

use super::{TestServer, within};

/// A samod peer connected to the server with one member's token.
pub struct Client {
    pub repo: Repo,
    pub dialer: samod::DialerHandle<tokio_tungstenite::tungstenite::Error>,
}

struct TokenDialer {
    url: String,
}

impl samod::Dialer for TokenDialer {
    type Error = tokio_tungstenite::tungstenite::Error;

    fn url(&self) -> samod::Url {
        samod::Url::parse(&self.url).unwrap()
    }

    fn connect(&self) -> BoxFuture<'static, Result<Transport, DialError<Self::Error>>> {
        let url = self.url.clone();
        Box::pin(async move {
            let (ws, _) = tokio_tungstenite::connect_async(url).await.map_err(DialError::PermanentFailure)?;
            let (sink, stream) = ws.split();
            let stream = stream
                .try_filter_map(|message| async move {
                    Ok(match message {
                        Message::Binary(bytes) => Some(bytes.to_vec()),
                        _ => None,
                    })
                })
                .boxed();
            let sink = sink.with(|bytes: Vec<u8>| async move {
                Ok::<_, tokio_tungstenite::tungstenite::Error>(Message::Binary(bytes.into()))
            });
            Ok(Transport::new(stream, Box::pin(sink)))
        })
    }
}

impl Client {
    pub async fn connect(server: &TestServer, token: &str) -> Self {
        Self::connect_url(server.sync_url(token)).await
    }

    pub async fn connect_url(url: String) -> Self {
        let repo = Repo::build_tokio().load().await;
        let dialer = repo
            .dial(
                // samod 0.16.0 hands a new dialer to its IO loop before registering it, so on a
                // multi-threaded runtime the first attempt can fail with "no dialer registered".
                BackoffConfig {
                    initial_delay: Duration::from_millis(10),
                    max_delay: Duration::from_millis(200),
                    max_retries: Some(5),
                },
                Arc::new(TokenDialer { url }),
            )
            .expect("the repo runs");
        within("the handshake", dialer.established()).await.expect("the client connects");
        Self { repo, dialer }
    }

    pub async fn create(&self, key: &str, value: &str) -> DocHandle {
        let mut doc = automerge::Automerge::new();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(automerge::ROOT, key, value)?;
            Ok(())
        })
        .unwrap();
        self.repo.create(doc).await.expect("the repo runs")
    }

    pub async fn find(&self, doc: &samod::DocumentId) -> Option<DocHandle> {
        within("find", self.repo.find(doc.clone())).await.expect("the repo runs")
    }

    /// Waits until the server has every change this client made to `doc`.
    pub async fn acknowledged(&self, doc: &DocHandle) {
        let conn = self.dialer.connection_id().expect("connected");
        within("the server acknowledges our changes", doc.they_have_our_changes(conn)).await;
    }

    pub async fn stop(self) {
        self.dialer.close();
        self.repo.stop().await;
    }
}

pub fn put(doc: &DocHandle, key: &str, value: &str) {
    doc.with_document(|d| {
        d.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(automerge::ROOT, key, value)?;
            Ok(())
        })
        .unwrap();
    });
}

/// A document to read: a samod peer's, or the relay's as stored.
pub trait Readable {
    fn read<R>(&self, f: impl FnOnce(&automerge::Automerge) -> R) -> R;
}

impl Readable for DocHandle {
    fn read<R>(&self, f: impl FnOnce(&automerge::Automerge) -> R) -> R {
        self.with_document(|d| f(d))
    }
}

impl Readable for automerge::Automerge {
    fn read<R>(&self, f: impl FnOnce(&automerge::Automerge) -> R) -> R {
        f(self)
    }
}

pub fn get(doc: &impl Readable, key: &str) -> Option<String> {
    doc.read(|d| match d.get(automerge::ROOT, key).unwrap() {
        Some((automerge::Value::Scalar(s), _)) => s.as_str().map(str::to_owned),
        _ => None,
    })
}

pub fn heads(doc: &impl Readable) -> Vec<automerge::ChangeHash> {
    doc.read(|d| d.get_heads())
}

/// Waits until `doc` holds `value` under `key`.
pub async fn wait_for(doc: &DocHandle, key: &str, value: &str) {
    let mut changes = doc.changes();
    within(&format!("{key} = {value}"), async {
        while get(doc, key).as_deref() != Some(value) {
            changes.next().await;
        }
    })
    .await;
}
