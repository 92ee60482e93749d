//! Begleitbuch's domain: the types and rules shared by the client (WebAssembly) and the server.
//!
//! Invariant: this crate does no IO. It never reads a clock, a file, the network or the environment;
//! callers pass "now" in. That keeps every rule testable as a plain function and identical on both sides.
#![forbid(unsafe_code)]

pub mod calendar;
pub mod duration;
