//! Bad input gets an error message or a closed connection, never a panic, while other peers keep
//! syncing.

use futures::{SinkExt, StreamExt};
use quorum_server::{Limits, Role};
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream,
    tungstenite::{Message, protocol::frame::coding::CloseCode},
};

use crate::support::{Client, TestServer, put, wait_for, within};

pub type Raw = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

const MAX_FRAME: usize = 64 * 1024;

fn cbor(fields: &[(&str, &str)]) -> Vec<u8> {
    let mut encoder = minicbor::Encoder::new(Vec::new());
    encoder.map(fields.len() as u64).unwrap();
    for (key, value) in fields {
        encoder.str(key).unwrap().str(value).unwrap();
    }
    encoder.into_writer()
}

pub fn join(peer: &str) -> Vec<u8> {
    let mut encoder = minicbor::Encoder::new(Vec::new());
    encoder.map(3).unwrap();
    encoder.str("type").unwrap().str("join").unwrap();
    encoder.str("senderId").unwrap().str(peer).unwrap();
    encoder.str("supportedProtocolVersions").unwrap().array(1).unwrap().str("1").unwrap();
    encoder.into_writer()
}

/// The `type` and `message` of a protocol frame.
fn read_frame(bytes: &[u8]) -> (String, Option<String>) {
    let mut decoder = minicbor::Decoder::new(bytes);
    let len = decoder.map().unwrap().unwrap();
    let (mut kind, mut message) = (String::new(), None);
    for _ in 0..len {
        match decoder.str().unwrap() {
            "type" => kind = decoder.str().unwrap().to_owned(),
            "message" => message = Some(decoder.str().unwrap().to_owned()),
            _ => decoder.skip().unwrap(),
        }
    }
    (kind, message)
}

pub async fn connect(server: &TestServer, token: &str, peer: Option<&str>) -> Raw {
    let (mut ws, _) =
        within("raw connect", tokio_tungstenite::connect_async(server.sync_url(token))).await.unwrap();
    if let Some(peer) = peer {
        ws.send(Message::Binary(join(peer).into())).await.unwrap();
        let reply = next_frame(&mut ws).await.expect("the server answers a join");
        assert_eq!(read_frame(&reply).0, "peer");
    }
    ws
}

pub async fn next_frame(ws: &mut Raw) -> Option<Vec<u8>> {
    within("a frame", async {
        while let Some(message) = ws.next().await {
            match message {
                Ok(Message::Binary(bytes)) => return Some(bytes.to_vec()),
                Ok(Message::Close(_)) | Err(_) => return None,
                Ok(_) => {}
            }
        }
        None
    })
    .await
}

/// Reads until the server closes: the error message it sent, and the close code.
pub async fn closed(ws: &mut Raw) -> (Option<String>, Option<CloseCode>) {
    within("the server closes the connection", async {
        let mut error = None;
        while let Some(message) = ws.next().await {
            match message {
                Ok(Message::Binary(bytes)) => {
                    if let (kind, message) = read_frame(&bytes)
                        && kind == "error"
                    {
                        error = message;
                    }
                }
                Ok(Message::Close(frame)) => return (error, frame.map(|f| f.code)),
                Ok(_) => {}
                Err(_) => return (error, None),
            }
        }
        (error, None)
    })
    .await
}

/// What a peer with nothing says first.
pub fn empty_sync_message() -> Vec<u8> {
    use automerge::sync::SyncDoc;
    let mut state = automerge::sync::State::new();
    automerge::Automerge::new().generate_sync_message(&mut state).expect("a first message").encode()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_bad_input_is_refused_while_other_peers_keep_syncing() {
    let dir = tempfile::tempdir().unwrap();
    let server =
        TestServer::start_with(dir.path(), Limits { max_frame_bytes: MAX_FRAME, ..Limits::default() }).await;
    let owner = server.workspace("Acme AIMS").await;
    let editor = server.member(&owner, Role::Editor).await;
    let other = server.workspace("Elsewhere").await;
    let alice = Client::connect(&server, &owner.token).await;
    let bob = Client::connect(&server, &editor.token).await;
    let doc = alice.create("round", "0").await;
    alice.acknowledged(&doc).await;
    let bobs = bob.find(doc.document_id()).await.unwrap();
    let foreign: samod::AutomergeUrl = other.root_document_url.parse().unwrap();

    let mut round = 0;
    let mut keep_syncing = async || {
        round += 1;
        put(&doc, "round", &round.to_string());
        wait_for(&bobs, "round", &round.to_string()).await;
    };

    // A text frame.
    let mut ws = connect(&server, &editor.token, Some("raw-text")).await;
    ws.send(Message::Text("hello".into())).await.unwrap();
    let (error, code) = closed(&mut ws).await;
    assert_eq!(code, Some(CloseCode::Unsupported), "text frame");
    assert!(error.unwrap().contains("text frames"), "text frame");
    keep_syncing().await;

    // Bytes that are not CBOR.
    let mut ws = connect(&server, &editor.token, Some("raw-garbage")).await;
    ws.send(Message::Binary(vec![0x1c, 0xfe, 0x00].into())).await.unwrap();
    let (error, code) = closed(&mut ws).await;
    assert_eq!(code, Some(CloseCode::Protocol), "not CBOR");
    assert!(error.unwrap().contains("cbor"), "not CBOR");
    keep_syncing().await;

    // CBOR that is not a map.
    let mut ws = connect(&server, &editor.token, Some("raw-array")).await;
    ws.send(Message::Binary(vec![0x83, 1, 2, 3].into())).await.unwrap();
    let (_, code) = closed(&mut ws).await;
    assert_eq!(code, Some(CloseCode::Protocol), "not a map");
    keep_syncing().await;

    // An unknown message type.
    let mut ws = connect(&server, &editor.token, Some("raw-unknown")).await;
    ws.send(Message::Binary(cbor(&[("type", "teleport"), ("senderId", "raw-unknown")]).into()))
        .await
        .unwrap();
    let (error, code) = closed(&mut ws).await;
    assert_eq!(code, Some(CloseCode::Protocol), "unknown type");
    assert!(error.unwrap().contains("teleport"), "unknown type");
    keep_syncing().await;

    // A frame over the limit.
    let bad_before = super::access::metric(&server.state.render_metrics(), "quorum_bad_frames_total");
    let mut ws = connect(&server, &editor.token, Some("raw-big")).await;
    let _ = ws.send(Message::Binary(vec![0xa0; MAX_FRAME + 1].into())).await;
    let (error, code) = closed(&mut ws).await;
    // The server closes without reading the rest of the frame, so TCP may reset the connection
    // before the close frame arrives; when it does arrive it says why.
    assert!(matches!(code, Some(CloseCode::Size) | None), "oversized frame closed with {code:?}");
    if code.is_some() {
        assert!(error.unwrap().contains("too large"), "oversized frame");
    }
    let bad_after = super::access::metric(&server.state.render_metrics(), "quorum_bad_frames_total");
    assert_eq!(bad_after, bad_before + 1, "the oversized frame is counted");
    keep_syncing().await;

    // A sync message for a document of another workspace: answered as unavailable, and the
    // connection stays open.
    let mut ws = connect(&server, &editor.token, Some("raw-foreign")).await;
    let sync = quorum_shared::wire::Message::Request {
        sender_id: "raw-foreign".into(),
        target_id: "server".into(),
        document_id: foreign.document_id().to_string(),
        data: empty_sync_message(),
    }
    .encode();
    ws.send(Message::Binary(sync.into())).await.unwrap();
    // The server may first announce this workspace's own documents.
    let mut reply = next_frame(&mut ws).await.expect("an answer");
    while read_frame(&reply).0 == "sync" {
        reply = next_frame(&mut ws).await.expect("an answer");
    }
    assert_eq!(read_frame(&reply).0, "doc-unavailable", "foreign document");
    ws.send(Message::Ping(vec![1].into())).await.unwrap();
    keep_syncing().await;
    ws.close(None).await.unwrap();

    // A first message that is not a join.
    let mut ws = connect(&server, &editor.token, None).await;
    ws.send(Message::Binary(cbor(&[("type", "leave"), ("senderId", "x")]).into())).await.unwrap();
    let (error, code) = closed(&mut ws).await;
    assert_eq!(code, Some(CloseCode::Protocol), "no join");
    assert!(error.unwrap().contains("join"), "no join");
    keep_syncing().await;

    // A join claiming a peer id that another token holds.
    let mut first = connect(&server, &editor.token, Some("raw-twin")).await;
    let mut twin = connect(&server, &owner.token, None).await;
    twin.send(Message::Binary(join("raw-twin").into())).await.unwrap();
    let (_, code) = closed(&mut twin).await;
    assert_eq!(code, Some(CloseCode::Policy), "a peer id taken by another token");
    first.close(None).await.unwrap();
    keep_syncing().await;

    let metrics = server.state.render_metrics();
    assert!(super::access::metric(&metrics, "quorum_bad_frames_total") >= 8, "{metrics}");
    alice.stop().await;
    bob.stop().await;
    server.stop().await;
}
