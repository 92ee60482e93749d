//! Gruppenangebot (`/gruppenangebot[/:id]`): a group session with its children and co-companions.

pub mod form;
pub mod page;
