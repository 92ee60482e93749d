//! Kinder (`/kinder`) and one child (`/kinder/:id`): the pool's children, their approved hours, the
//! minutes they received from group sessions, and their consents.

pub mod child_page;
pub mod model;
pub mod page;
