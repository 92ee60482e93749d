//! Zu klären (`/klaeren`): conflicts and refused changes, compared and resolved by the user.

pub mod model;
pub mod page;
