//! Steps of the full certification cycle, one file per area.

pub mod audit;
pub mod context;
pub mod improvement;
pub mod leadership;
pub mod monitoring;
pub mod pack;
pub mod plan;
pub mod records;
pub mod review;
pub mod support;
pub mod treatment;
