//! Reusable view pieces, one per file.

pub mod clause_tree;
pub mod control_group;
