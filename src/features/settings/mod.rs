//! Einstellungen (`/einstellungen`): language, the account on this tablet, storage.

pub mod account_card;
pub mod page;
