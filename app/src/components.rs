//! Reusable view pieces, one per file.

pub mod clause_tree;
pub mod control_group;
#[cfg(target_arch = "wasm32")]
pub mod sync_status;
