//! Reusable view pieces, one per file.

pub mod clause_tree;
pub mod control_group;
#[cfg(target_arch = "wasm32")]
pub mod field;
pub mod gap_list;
pub mod heat_map;
#[cfg(target_arch = "wasm32")]
pub mod listed_document;
#[cfg(target_arch = "wasm32")]
pub mod owner;
#[cfg(target_arch = "wasm32")]
pub mod presence;
pub mod progress_bars;
#[cfg(target_arch = "wasm32")]
pub mod prose;
#[cfg(target_arch = "wasm32")]
pub mod read_only_banner;
pub mod readiness_ring;
pub mod recent_changes;
#[cfg(target_arch = "wasm32")]
pub mod register_page;
#[cfg(target_arch = "wasm32")]
pub mod sync_status;
#[cfg(target_arch = "wasm32")]
pub mod undo_button;
