//! Abwesenheit (`/abwesenheit`): a companion reports their own absence; the team lead arranges cover
//! for it in the office, and a companion covering sees the covered pool here until the cover ends.

pub mod form;
pub mod page;
