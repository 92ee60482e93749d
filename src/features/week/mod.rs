//! Woche (`/woche`, an earlier week with `?tag=` of any of its days).

pub mod page;
