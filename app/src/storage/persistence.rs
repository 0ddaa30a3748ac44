//! Asking the browser to keep Quorum's data: without persistence a browser may evict an origin's
//! IndexedDB under storage pressure, and with it edits that never reached the relay.
//!
//! ```ignore
//! let kept = storage::request_persistence().await;
//! ```

use std::cell::Cell;

use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// The browser's answer, once it has been asked: some browsers prompt the person, so the
    /// question is put once per page load.
    static GRANTED: Cell<Option<bool>> = const { Cell::new(None) };
}

/// Asks for persistent storage once per page load and says whether the browser grants it.
pub async fn request_persistence() -> bool {
    if let Some(granted) = GRANTED.get() {
        return granted;
    }
    let granted = ask().await;
    GRANTED.set(Some(granted));
    granted
}

async fn ask() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let manager = window.navigator().storage();
    // Already persisted (granted on an earlier visit): no need to ask again.
    if answer(manager.persisted()).await {
        return true;
    }
    answer(manager.persist()).await
}

/// A promise of a boolean, read as `false` when the browser refuses or fails.
async fn answer(promise: Result<js_sys::Promise, wasm_bindgen::JsValue>) -> bool {
    let Ok(promise) = promise else {
        return false;
    };
    JsFuture::from(promise).await.ok().and_then(|value| value.as_bool()).unwrap_or(false)
}
