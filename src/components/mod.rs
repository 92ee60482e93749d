//! Pieces of the shell shared by every page.

pub mod header;
pub mod nav;
pub mod store_banner;
pub mod update_banner;
