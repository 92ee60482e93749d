//! What every record form shares, as plain Rust: reading typed fields (`fields`) and the change an
//! edit makes (`change`). The form's frame and actions are `ui::record_form`.

pub mod change;
pub mod fields;
