//! Steps of the full certification cycle, one file per area.

pub mod monitoring;
pub mod records;
pub mod support;
