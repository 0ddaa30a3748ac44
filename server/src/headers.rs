//! Security headers on every response. The app's page gets a Content Security Policy that lets
//! in only its own files, its inline start-up scripts (by hash, read from the built
//! `index.html`), WebAssembly, and connections back to this server: a collaborator's text can
//! neither run script nor make a browser fetch from elsewhere (a `url(...)` smuggled into a
//! style loads nothing). Everything else gets a policy that allows nothing.

use axum::{
    extract::{Request, State},
    http::{HeaderName, HeaderValue, StatusCode, header},
    middleware::Next,
    response::Response,
};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::AppState;

/// What the page may load besides its inline scripts. Styles allow `'unsafe-inline'` because the
/// app sets `style` attributes (bar widths, heat map colours); images and fonts stay on this
/// origin (and `data:`/`blob:` URLs the app makes), so a style cannot reach out; `blob:` in
/// `connect-src` lets a page read back the downloads it made (the audit pack), nothing more.
const PAGE_POLICY: &str = "default-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' blob:; worker-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// For everything that is neither the page nor a script: JSON, metrics, styles, images.
const OTHER_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

pub(crate) async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    // A 304 updates the headers of the copy the browser kept: it has no body, hence no content
    // type, and a policy for "anything else" would replace the page's own and block its scripts.
    if response.status() == StatusCode::NOT_MODIFIED {
        return response;
    }
    let content_type = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let is_html = content_type.is_some_and(|v| v.starts_with("text/html"));
    // A worker runs under its own script's policy: the service worker fetches the app's files.
    let is_script = content_type.is_some_and(|v| v.contains("javascript"));
    let policy = if is_html {
        let index = state.inner.config.static_dir.join("index.html");
        let page = tokio::fs::read_to_string(&index).await.unwrap_or_default();
        page_policy(&page)
    } else if is_script {
        page_policy("")
    } else {
        OTHER_POLICY.to_owned()
    };
    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// The page's policy: its inline scripts by hash, its own files, and WebAssembly.
fn page_policy(page: &str) -> String {
    let hashes: String = inline_scripts(page)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(" 'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
        })
        .collect();
    format!("script-src 'self' 'wasm-unsafe-eval'{hashes}; {PAGE_POLICY}")
}

/// The bodies of the `<script>` elements that have no `src`, exactly as the browser hashes them.
fn inline_scripts(page: &str) -> impl Iterator<Item = &str> {
    let mut rest = page;
    std::iter::from_fn(move || {
        loop {
            let open = rest.find("<script")?;
            let tag_end = open + rest[open..].find('>')?;
            let tag = &rest[open..tag_end];
            let body_start = tag_end + 1;
            let body_end = body_start + rest[body_start..].find("</script")?;
            let body = &rest[body_start..body_end];
            rest = &rest[body_end..];
            if !tag.contains(" src=") {
                return Some(body);
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_policy_names_each_inline_script_by_its_hash() {
        let page = "<html><head><script type=\"module\">\nimport init from '/a.js';\n</script>\
                    <script src=\"/b.js\"></script><script>x()</script></head></html>";
        let scripts: Vec<&str> = inline_scripts(page).collect();
        assert_eq!(scripts, ["\nimport init from '/a.js';\n", "x()"]);
        let policy = page_policy(page);
        // sha256("x()") in base64, as a browser computes it.
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"x()"));
        assert!(policy.contains(&format!("'sha256-{expected}'")), "{policy}");
        assert!(policy.starts_with("script-src 'self' 'wasm-unsafe-eval' 'sha256-"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert_eq!(page_policy("").matches("sha256").count(), 0, "no page, no hashes");
    }
}
