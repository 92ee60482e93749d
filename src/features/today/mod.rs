//! Heute (`/heute`, an earlier day with `?tag=`): the day's timeline and totals, the one-tap timer and
//! the time-entry form.

pub mod entry_form;
pub mod model;
pub mod page;
pub mod timer;
pub mod timer_card;
