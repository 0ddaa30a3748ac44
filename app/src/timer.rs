//! The window's timer as a future, for what must wait: a deadline (`storage::open`), or the
//! next task of the event loop, after the current one has rendered (`delay(0)`, as saves do).

use wasm_bindgen_futures::JsFuture;

/// Resolves after `ms` milliseconds, in a later task; never, where there is no window to keep
/// time.
pub(crate) fn delay(ms: i32) -> JsFuture {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    JsFuture::from(promise)
}
