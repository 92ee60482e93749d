//! One folder per feature: its page (thin: signals, events, markup), and beside it its view model and
//! form as plain Rust, tested natively without a browser.

pub mod absence;
pub mod attention;
pub mod children;
pub mod group_session;
pub mod observation;
pub mod settings;
pub mod sign_in;
pub mod today;
pub mod week;
