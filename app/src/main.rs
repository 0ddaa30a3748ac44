//! The browser entry point: report panics to the console, then mount the app.

fn main() {
    console_error_panic_hook::set_once();
    // The app needs the browser; built for anything else, this binary has nothing to run.
    #[cfg(target_arch = "wasm32")]
    leptos::mount::mount_to_body(quorum_app::App);
}
