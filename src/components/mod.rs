//! Pieces of the shell shared by every page.

pub mod account_card;
pub mod header;
pub mod nav;
pub mod record_form;
pub mod store_banner;
pub mod sync_button;
pub mod timer_card;
pub mod update_banner;
