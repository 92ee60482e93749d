//! Pieces of the shell shared by every page.

pub mod day;
pub mod header;
pub mod nav;
pub mod not_found;
pub mod record_form;
pub mod store_banner;
pub mod sync_button;
pub mod update_banner;
