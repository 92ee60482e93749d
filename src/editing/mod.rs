//! What every record form shares: reading typed fields (`fields`), the change an edit makes
//! (`change`), and the form's frame and actions (`frame`).

pub mod change;
pub mod fields;
pub mod frame;
