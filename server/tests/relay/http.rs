//! Health, metrics and the app's static files.

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use http_body_util::BodyExt;
use quorum_server::AppState;
use tower::ServiceExt;

async fn get(
    state: &AppState,
    path: &str,
    accept_encoding: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::builder().uri(path);
    if let Some(encoding) = accept_encoding {
        request = request.header(header::ACCEPT_ENCODING, encoding);
    }
    let response =
        quorum_server::app(state.clone()).oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    (parts.status, parts.headers, body.collect().await.unwrap().to_bytes().to_vec())
}

#[tokio::test]
async fn health_and_metrics_answer_in_plain_text() {
    let state = AppState::ephemeral("no-static-files").await.unwrap();
    let (status, _, body) = get(&state, "/healthz", None).await;
    assert_eq!((status, body.as_slice()), (StatusCode::OK, &b"ok"[..]));

    state.create_workspace("Acme", "Olga").await.unwrap();
    let (status, headers, body) = get(&state, "/metrics", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = String::from_utf8(body).unwrap();
    for name in [
        "quorum_connections 0",
        "quorum_rejected_connections_total 0",
        "quorum_documents_known 1",
        "quorum_messages_in_total 0",
        "quorum_bytes_out_total 0",
    ] {
        assert!(text.lines().any(|line| line == name), "{name} in\n{text}");
    }
    assert!(text.contains("# TYPE quorum_storage_bytes gauge"));
    state.shutdown().await;
}

#[tokio::test]
async fn static_files_are_cached_by_kind_compressed_and_deep_links_get_the_app() {
    let dist = tempfile::tempdir().unwrap();
    let big_js = "console.log('quorum');\n".repeat(200);
    for (name, contents) in [
        ("index.html", "<!doctype html><title>Quorum</title>"),
        ("quorum-app-0123456789abcdef.js", big_js.as_str()),
        ("sw.js", "self.addEventListener('fetch', () => {});"),
        ("icon.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"),
    ] {
        std::fs::write(dist.path().join(name), contents).unwrap();
    }
    let state = AppState::ephemeral(dist.path()).await.unwrap();
    let cases = [
        ("/", StatusCode::OK, "no-cache"),
        ("/index.html", StatusCode::OK, "no-cache"),
        ("/controls/A.5.2", StatusCode::OK, "no-cache"),
        ("/quorum-app-0123456789abcdef.js", StatusCode::OK, "public, max-age=31536000, immutable"),
        ("/sw.js", StatusCode::OK, "no-cache"),
        ("/icon.svg", StatusCode::OK, "public, max-age=3600"),
        ("/quorum-app-ffffffffffffffff.js", StatusCode::NOT_FOUND, "no-cache"),
    ];
    for (path, status, cache) in cases {
        let (got, headers, body) = get(&state, path, None).await;
        assert_eq!(got, status, "{path}");
        assert_eq!(headers[header::CACHE_CONTROL], cache, "{path}");
        if path == "/controls/A.5.2" {
            assert!(
                String::from_utf8(body).unwrap().contains("<title>Quorum</title>"),
                "a deep link gets the app"
            );
        }
    }
    for encoding in ["br", "gzip"] {
        let (status, headers, body) = get(&state, "/quorum-app-0123456789abcdef.js", Some(encoding)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_ENCODING], encoding);
        assert!(body.len() < big_js.len() / 4, "{encoding}: {} bytes", body.len());
    }
    state.shutdown().await;
}

#[tokio::test]
async fn precompressed_assets_are_sent_as_they_were_written() {
    let dist = tempfile::tempdir().unwrap();
    // Text that compresses well, and differently at each setting, so a copy made on the fly would
    // not match the one written beforehand byte for byte.
    let js: String = (0..3000).map(|i| format!("const control_{i} = 'A.{}.{}';\n", i % 10, i % 7)).collect();
    let hashed = "quorum-app-0123456789abcdef.js";
    std::fs::write(dist.path().join(hashed), &js).unwrap();
    std::fs::write(dist.path().join("sw.js"), &js).unwrap();
    std::fs::write(dist.path().join("index.html"), "<!doctype html><title>Quorum</title>").unwrap();
    // The split app's folder: its files keep plain names, the folder carries the hash.
    let chunk = "app-0123456789abcdef/split_soa.wasm";
    std::fs::create_dir(dist.path().join("app-0123456789abcdef")).unwrap();
    std::fs::write(dist.path().join(chunk), &js).unwrap();

    let written = quorum_server::precompress(dist.path()).unwrap();
    let files: Vec<&str> = written.iter().map(|w| w.file.as_str()).collect();
    assert_eq!(files, [chunk, hashed], "only the hashed assets");
    assert!(written[1].brotli < written[1].gzip && written[1].gzip < written[1].raw / 4, "{written:?}");
    assert!(!dist.path().join("sw.js.br").exists(), "a file without a hash changes with every build");

    let state = AppState::ephemeral(dist.path()).await.unwrap();
    for (encoding, suffix) in [("br", "br"), ("gzip", "gz")] {
        let (status, headers, body) = get(&state, &format!("/{hashed}"), Some(encoding)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_ENCODING], encoding);
        assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
        let stored = std::fs::read(dist.path().join(format!("{hashed}.{suffix}"))).unwrap();
        assert_eq!(body, stored, "{encoding}: the copy written at build time");
    }
    let (status, headers, body) = get(&state, &format!("/{chunk}"), Some("br")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/wasm", "what instantiateStreaming needs");
    assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert_eq!(body, std::fs::read(dist.path().join(format!("{chunk}.br"))).unwrap());
    let (_, headers, body) = get(&state, &format!("/{hashed}"), None).await;
    assert!(headers.get(header::CONTENT_ENCODING).is_none());
    assert_eq!(body, js.as_bytes());
    // Without copies, compressed on the fly as before.
    let (_, headers, _) = get(&state, "/sw.js", Some("br")).await;
    assert_eq!(headers[header::CONTENT_ENCODING], "br");
    state.shutdown().await;
}
