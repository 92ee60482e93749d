//! Begleitbuch's domain: the types and rules shared by the client (WebAssembly) and the server.
//!
//! Invariant: this crate does no IO. It never reads a clock, a file, the network or the environment;
//! callers pass "now" in. That keeps every rule testable as a plain function and identical on both sides.
#![forbid(unsafe_code)]

pub mod access;
pub mod account;
pub mod audit;
pub mod authority;
pub mod calendar;
pub mod child;
mod code;
pub mod consent;
pub mod duration;
pub mod facts;
pub mod family;
pub mod guardian;
pub mod ids;
pub mod merge;
pub mod org;
pub mod people;
pub mod protocol;
pub mod record;
pub mod review;
pub mod shape;
pub mod validate;
pub mod wire;
pub mod work;
pub mod worktime;
