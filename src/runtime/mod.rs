//! What runs beside the pages: the app state (the open store and the signed-in user), sign-in on this
//! tablet, the sync engine and its status, and the pools a new record may go into.

pub mod account;
pub mod clock;
pub mod pools;
pub mod state;
pub mod status;
pub mod sync;
