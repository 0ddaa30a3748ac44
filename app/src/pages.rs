//! One page per file; each page is a route of [`crate::App`].

pub mod catalog;
pub mod dashboard;
#[cfg(target_arch = "wasm32")]
pub mod home;
#[cfg(target_arch = "wasm32")]
pub mod join;
pub mod not_found;
#[cfg(target_arch = "wasm32")]
pub mod soa;
