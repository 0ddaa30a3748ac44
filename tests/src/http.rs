//! Plain HTTP/1.1 to the server under test, with no client library: enough to call the JSON
//! API as a test's setup (an owner creating an invite) without going through a browser, and to
//! read `/healthz` and `/metrics`.

use std::net::SocketAddr;

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// `POST path` with a JSON body and an optional bearer token; returns the status and the JSON
/// the server answered.
pub async fn post_json(
    addr: SocketAddr,
    path: &str,
    bearer: Option<&str>,
    body: &serde_json::Value,
) -> anyhow::Result<(u16, serde_json::Value)> {
    let body = body.to_string();
    let auth = bearer.map(|token| format!("Authorization: Bearer {token}\r\n")).unwrap_or_default();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n{auth}\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let (status, content) = exchange(addr, &request).await?;
    let json = serde_json::from_str(&content).with_context(|| format!("reply is not JSON: {content}"))?;
    Ok((status, json))
}

/// `GET path`; returns the status and the body as text.
pub async fn get(addr: SocketAddr, path: &str) -> anyhow::Result<(u16, String)> {
    exchange(addr, &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")).await
}

/// Sends one request on a new connection and reads the whole reply.
async fn exchange(addr: SocketAddr, request: &str) -> anyhow::Result<(u16, String)> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    stream.write_all(request.as_bytes()).await?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await?;
    let (head, content) = reply.split_once("\r\n\r\n").context("no end of headers in the reply")?;
    let status: u16 = head.split(' ').nth(1).context("no status line")?.parse()?;
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        bail!("chunked replies are not read by this helper: {head}");
    }
    Ok((status, content.to_owned()))
}
