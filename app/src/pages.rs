//! One page per file; each page is a route of [`crate::App`].

pub mod catalog;
pub mod not_found;
