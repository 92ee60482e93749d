//! Sign-in on this tablet (`/anmelden`) and the first password's change.

pub mod change_password;
pub mod page;
