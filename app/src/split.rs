//! Code that arrives when it is first needed. The optimized build (`scripts/build-app`, with the
//! `split` feature) cuts the module at every function [`split!`] declares: each becomes a chunk of
//! its own, fetched the first time it is called (and kept by the service worker, for offline),
//! so the first download holds only the shell, the dashboard and the workspace's runtime. Without
//! the feature (development builds, `trunk serve`, the wasm tests) the same functions are plain
//! ones that answer at once.
//!
//! [`Lazy`] shows what such a function makes: at once when its chunk is here, after a quiet
//! "Loading" when it must be fetched, and a way to try again when it cannot be.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;

/// A chunk that could not be fetched: offline before the service worker kept it, or the server
/// went away mid-download. Nothing of the failure is kept: trying again fetches it again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkUnavailable;

#[cfg(feature = "split")]
impl From<wasm_split_helpers::SplitLoaderError> for ChunkUnavailable {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        Self
    }
}

/// What a chunk's function hands back: a view, or why its code could not be had.
pub type Loaded = Result<AnyView, ChunkUnavailable>;

/// `split!(pub fn name(args) in chunk => view)` declares `async fn name(args) -> Loaded`, and
/// `split!(pub fn name(args) in chunk -> T => value)` one that answers
/// `Result<T, ChunkUnavailable>`. With the `split` feature the body, and whatever only it
/// reaches, moves into the chunk `chunk` (functions naming the same chunk share it); without it
/// the function is an ordinary one. The body runs under the caller's reactive owner (see
/// [`Lazy`]), so it may read contexts.
macro_rules! split {
    ($(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) in $chunk:ident -> $ret:ty => $body:expr) => {
        $(#[$meta])*
        #[cfg(feature = "split")]
        #[wasm_split_helpers::wasm_split($chunk, fallible)]
        $vis fn $name($($arg: $ty),*) -> ::core::result::Result<$ret, $crate::split::ChunkUnavailable> {
            Ok($body)
        }
        $(#[$meta])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name($($arg: $ty),*) -> ::core::result::Result<$ret, $crate::split::ChunkUnavailable> {
            Ok($body)
        }
    };
    ($(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) in $chunk:ident => $body:expr) => {
        $crate::split::split!($(#[$meta])* $vis fn $name($($arg: $ty),*) in $chunk -> ::leptos::prelude::AnyView
            => ::leptos::prelude::IntoAny::into_any($body));
    };
}
pub(crate) use split;

/// Where a [`Lazy`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Fetching,
    Shown,
    Unavailable,
}

/// What [`Lazy`] calls: one type for every split point, so that the component is compiled once.
type Loader = Box<dyn Fn() -> Pin<Box<dyn Future<Output = Loaded>>>>;

/// Shows what `load` makes. A chunk already here (or no split at all) renders in the same frame,
/// with no "Loading" flash; one to be fetched shows a status line until it arrives.
#[component]
pub fn Lazy<F, Fut>(
    load: F,
    /// Nothing at all while fetching: for parts of a page that has its own word for it.
    #[prop(optional)]
    quiet: bool,
) -> impl IntoView
where
    F: Fn() -> Fut + 'static,
    Fut: Future<Output = Loaded> + 'static,
{
    lazy(Box::new(move || Box::pin(load())), quiet)
}

fn lazy(load: Loader, quiet: bool) -> impl IntoView {
    let stage = RwSignal::new(Stage::Fetching);
    let view = StoredValue::new_local(None::<AnyView>);
    let done = move |loaded: Loaded| match loaded {
        Ok(shown) => {
            view.set_value(Some(shown));
            stage.set(Stage::Shown);
        }
        Err(ChunkUnavailable) => stage.set(Stage::Unavailable),
    };
    let load = StoredValue::new_local(load);
    // Every attempt runs under this component's owner, "Try again" too (a click has none of its
    // own): the view is built where its contexts are, and a fetch still under way when the
    // component goes is dropped with it.
    let owner = StoredValue::new(Owner::current().unwrap_or_default());
    let attempt = move || {
        stage.set(Stage::Fetching);
        owner.with_value(|owner| {
            owner.with(|| {
                let mut loading = load.with_value(|load| load());
                match poll_once(loading.as_mut()) {
                    Poll::Ready(loaded) => done(loaded),
                    // Polled again by the executor, which registers its own waker.
                    Poll::Pending => spawn_local_scoped_with_cancellation(async move { done(loading.await) }),
                }
            })
        })
    };
    attempt();
    move || {
        match stage.get() {
        Stage::Fetching if quiet => ().into_any(),
        Stage::Fetching => view! { <p class="muted lazy-loading" role="status">"Loading…"</p> }.into_any(),
        Stage::Shown => view.try_update_value(Option::take).flatten().unwrap_or_else(|| ().into_any()),
        Stage::Unavailable => view! {
            <p class="field-error lazy-unavailable" role="alert">
                "This part of Quorum has not been downloaded to this browser yet, and the server cannot be reached. "
                <button type="button" class="button-quiet" on:click=move |_| attempt()>"Try again"</button>
            </p>
        }
        .into_any(),
    }
    }
}

/// Runs `task` at once as far as it gets without waiting, which is all of it when its chunk is
/// here (and always without the split), and the rest when what it waits for arrives: so that
/// opening a workspace whose code is loaded changes the page in the same frame.
pub fn spawn_eager(task: impl Future<Output = ()> + 'static) {
    let mut task = Box::pin(task);
    if poll_once(task.as_mut()).is_pending() {
        leptos::task::spawn_local(task);
    }
}

/// Polls a future once, so that what is ready is drawn at once.
fn poll_once<T>(future: Pin<&mut dyn Future<Output = T>>) -> Poll<T> {
    future.poll(&mut Context::from_waker(Waker::noop()))
}
