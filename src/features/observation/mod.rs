//! Beobachtung (`/beobachtung[/:id]`): an observation about one child.

pub mod form;
pub mod page;
