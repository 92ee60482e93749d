//! Abwesenheit (`/abwesenheit`, a companion's own absence) and Vertretung (`/vertretung`, the team
//! lead's cover for it), which share the days an absence covers.

pub mod cover_page;
pub mod form;
pub mod page;
