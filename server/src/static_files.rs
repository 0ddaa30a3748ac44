//! Serves the built single-page app: files as they are, and index.html for any other path that
//! does not name an asset, so that the app's own router can answer deep links such as `/controls/A.5.2`.
//!
//! Files whose names carry trunk's content hash never change, so browsers may keep them forever;
//! index.html and the service worker must be revalidated every time, or a deployment would never
//! reach anyone. Responses are compressed (brotli or gzip) when the browser accepts it: hashed
//! assets from the copies `quorum precompress` made at build time when there are any
//! (see [`precompress`]), everything else on the fly.

pub mod precompress;

use std::{convert::Infallible, path::Path};

use axum::{
    Router,
    body::Body,
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use tower::ServiceExt;
use tower_http::{
    compression::CompressionLayer,
    services::{ServeDir, ServeFile},
};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";
const SHORT: &str = "public, max-age=3600";

pub(crate) fn service(dir: &Path) -> Router {
    let index = dir.join("index.html");
    let spa = tower::service_fn(move |request: Request| {
        let index = index.clone();
        async move {
            if names_a_file(request.uri().path()) {
                return Ok::<_, Infallible>((StatusCode::NOT_FOUND, "not found").into_response());
            }
            let served = ServeFile::new(index).oneshot(request).await;
            Ok(served.map(|r| r.map(Body::new)).unwrap_or_else(|never| match never {}))
        }
    });
    let files = ServeDir::new(dir)
        .append_index_html_on_directories(true)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(spa);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_control))
        .layer(CompressionLayer::new().gzip(true).br(true))
}

async fn cache_control(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let policy = if !response.status().is_success() || is_html || is_service_worker(&path) {
        REVALIDATE
    } else if is_hashed(&path) {
        IMMUTABLE
    } else {
        SHORT
    };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// Whether a path asks for a file the app would ship, as opposed to an app route: routes may
/// contain dots too (`/controls/A.5.2`), so only known asset extensions count.
fn names_a_file(path: &str) -> bool {
    const ASSETS: &[&str] = &[
        "js",
        "mjs",
        "wasm",
        "css",
        "map",
        "html",
        "json",
        "webmanifest",
        "svg",
        "png",
        "jpg",
        "jpeg",
        "gif",
        "webp",
        "ico",
        "woff",
        "woff2",
        "ttf",
        "txt",
        "xml",
    ];
    let name = path.rsplit('/').next().unwrap_or_default();
    name.rsplit_once('.').is_some_and(|(_, ext)| ASSETS.contains(&ext.to_ascii_lowercase().as_str()))
}

fn is_service_worker(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    matches!(name, "sw.js" | "service-worker.js") || name.ends_with(".webmanifest")
}

/// Whether a path names a file that never changes: its name carries a content hash the way trunk
/// writes it, `name-<16+ hex>` before the extension (`quorum-app-0123456789abcdef_bg.wasm`,
/// `style-0123456789abcdef.css`), or it sits in a folder named so (`/app-0123456789abcdef/main.js`:
/// the split app's module and chunks, which keep the names their imports use).
fn is_hashed(path: &str) -> bool {
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    let name = segments.next_back().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    carries_hash(stem) || segments.any(carries_hash)
}

fn carries_hash(stem: &str) -> bool {
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_hashed_names_and_folders() {
        let cases = [
            ("/quorum-app-0123456789abcdef_bg.wasm", true),
            ("/quorum-app-0123456789abcdef.js", true),
            ("/style-a1b2c3d4e5f60718.css", true),
            ("/style.css", false),
            ("/index.html", false),
            ("/icon-small.svg", false),
            ("/x-0123456789abcdeg.js", false),
            ("/app-0123456789abcdef/main.js", true),
            ("/app-0123456789abcdef/split_soa.wasm", true),
            ("/app/main.js", false),
            ("/app-0123456789abcdeg/main.js", false),
        ];
        for (path, hashed) in cases {
            assert_eq!(is_hashed(path), hashed, "{path}");
        }
    }
}
