//! Steps of the full certification cycle, one file per area.

pub mod audit;
pub mod context;
pub mod leadership;
pub mod plan;
pub mod monitoring;
pub mod records;
pub mod support;
pub mod treatment;
