//! Steps of the full certification cycle, one file per area.

pub mod treatment;
