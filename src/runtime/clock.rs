//! The tablet's day: today in Europe/Berlin, whatever time zone the tablet is set to.

use begleitbuch_domain::calendar;
use chrono::{NaiveDate, Utc};

/// Today's date in Europe/Berlin.
pub fn today() -> NaiveDate {
    calendar::berlin_date(Utc::now())
}
