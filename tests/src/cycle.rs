//! Steps of the full certification cycle, one file per area.

pub mod improvement;
pub mod review;
