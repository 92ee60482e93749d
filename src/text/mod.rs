//! Words shown to the user beyond the catalogue keys: typed errors as sentences (`messages`) and
//! dates, times, durations and enum labels (`format`).

pub mod format;
pub mod messages;
