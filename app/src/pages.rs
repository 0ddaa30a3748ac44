//! One page per file; each page is a route of [`crate::App`].

pub mod catalog;
#[cfg(target_arch = "wasm32")]
pub mod context;
pub mod dashboard;
#[cfg(target_arch = "wasm32")]
pub mod home;
#[cfg(target_arch = "wasm32")]
pub mod impact;
#[cfg(target_arch = "wasm32")]
pub mod inventory;
#[cfg(target_arch = "wasm32")]
pub mod join;
#[cfg(target_arch = "wasm32")]
pub mod members;
pub mod not_found;
#[cfg(target_arch = "wasm32")]
pub mod objectives;
#[cfg(target_arch = "wasm32")]
pub mod policy;
#[cfg(target_arch = "wasm32")]
pub mod risks;
#[cfg(target_arch = "wasm32")]
pub mod roles;
#[cfg(target_arch = "wasm32")]
pub mod soa;
