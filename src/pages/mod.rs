//! One module per route.

pub mod attention;
pub mod children;
pub mod not_found;
pub mod settings;
pub mod sign_in;
pub mod today;
pub mod week;

use begleitbuch_domain::calendar;
use chrono::{NaiveDate, Utc};

/// Today's date in Europe/Berlin, whatever time zone the tablet is set to.
pub(crate) fn today() -> NaiveDate {
    calendar::berlin_date(Utc::now())
}
