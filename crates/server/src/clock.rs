//! The server's one source of "now". Every time the server stamps (tokens, sign-in failures, the time
//! a change was received) and every calendar day it decides by (cover in force, the demo's weeks)
//! comes from the [`Clock`] in the app state, so a test can start the server on any day of the
//! school year and get the same answers on the 1st of a month as on the 15th.

use begleitbuch_domain::calendar::berlin_date;
use chrono::{DateTime, NaiveDate, Utc};

/// The real time, or the real time shifted so that the server starts at a chosen instant and runs on
/// at the real pace from there (tokens still expire, sign-in windows still pass).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    offset_millis: i64,
}

impl Clock {
    /// The machine's clock.
    pub fn system() -> Self {
        Clock { offset_millis: 0 }
    }

    /// A clock that reads `start` now. For tests and demonstrations of a given day, never for real data.
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        Clock { offset_millis: start.timestamp_millis().saturating_sub(system_millis()) }
    }

    /// Milliseconds since the Unix epoch, the unit of every time the store keeps.
    pub fn now_millis(&self) -> i64 {
        system_millis().saturating_add(self.offset_millis)
    }

    pub fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.now_millis()).unwrap_or_default()
    }

    /// Today's date in Europe/Berlin.
    pub fn today(&self) -> NaiveDate {
        berlin_date(self.now())
    }
}

fn system_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_started_on_a_day_reads_that_day_and_runs_on() {
        let start: DateTime<Utc> = "2026-11-30T23:30:00Z".parse().unwrap();
        let clock = Clock::starting_at(start);
        let read = clock.now_millis();
        assert!((start.timestamp_millis()..start.timestamp_millis() + 60_000).contains(&read));
        // 00:30 in Berlin: the first of December there, though still November in UTC.
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        assert!(clock.now_millis() >= read, "time runs forward");
    }

    #[test]
    fn the_system_clock_is_the_machines() {
        let before = system_millis();
        let read = Clock::system().now_millis();
        assert!(read >= before && read - before < 60_000);
    }
}
