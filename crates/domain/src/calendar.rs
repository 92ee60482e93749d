//! Dates, weeks and school years in Europe/Berlin.
//!
//! Everything a companion records belongs to a local calendar day in Germany, whatever time zone the
//! tablet or the server is set to. Germany follows the EU summer-time rule (since 1996): summer time
//! (CEST, UTC+2) starts on the last Sunday of March at 01:00 UTC and ends on the last Sunday of October
//! at 01:00 UTC; the rest of the year is CET (UTC+1). We implement that rule directly instead of shipping
//! a full time-zone database into the WebAssembly client; the tests check it against `chrono-tz` hour
//! by hour.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// The UTC offset, in seconds, that applies in Europe/Berlin at the given instant.
pub fn berlin_offset_seconds(instant: DateTime<Utc>) -> i32 {
    let year = instant.year();
    let summer_starts = last_sunday_at_one_utc(year, 3);
    let summer_ends = last_sunday_at_one_utc(year, 10);
    if instant >= summer_starts && instant < summer_ends {
        2 * 3600
    } else {
        3600
    }
}

fn last_sunday_at_one_utc(year: i32, month: u32) -> DateTime<Utc> {
    let last_day = NaiveDate::from_ymd_opt(year, month + 1, 1)
        .expect("month + 1 is March+1 or October+1, always valid")
        .pred_opt()
        .expect("the day before the first of a month exists");
    let back_to_sunday = last_day.weekday().num_days_from_sunday();
    let sunday = last_day - Duration::days(i64::from(back_to_sunday));
    Utc.from_utc_datetime(&sunday.and_hms_opt(1, 0, 0).expect("01:00:00 is a valid time"))
}

/// The wall-clock time in Europe/Berlin at the given instant.
pub fn to_berlin(instant: DateTime<Utc>) -> NaiveDateTime {
    instant.naive_utc() + Duration::seconds(i64::from(berlin_offset_seconds(instant)))
}

/// The calendar day in Europe/Berlin at the given instant.
pub fn berlin_date(instant: DateTime<Utc>) -> NaiveDate {
    to_berlin(instant).date()
}

/// The instant a wall-clock time in Europe/Berlin denotes.
///
/// Two nights a year need a rule. When clocks go forward (last Sunday of March), 02:00–02:59 does not
/// exist: `None`, and the caller asks the user for a real time. When clocks go back (last Sunday of
/// October), 02:00–02:59 happens twice: we take the earlier one (still summer time), so a timer started
/// at 02:30 and stopped at 02:45 "the second time" is not stored as a negative duration but as
/// the time between the two instants the user saw.
pub fn from_berlin(local: NaiveDateTime) -> Option<DateTime<Utc>> {
    // Try summer time first (the earlier instant when both fit), then winter time.
    [7200i64, 3600].into_iter().find_map(|offset| {
        let candidate = Utc.from_utc_datetime(&(local - Duration::seconds(offset)));
        (to_berlin(candidate) == local).then_some(candidate)
    })
}

/// Whole minutes between two wall-clock times of Europe/Berlin, across any DST switch; `None` if either
/// time does not exist (the spring gap).
pub fn berlin_minutes_between(start: NaiveDateTime, end: NaiveDateTime) -> Option<i64> {
    Some((from_berlin(end)? - from_berlin(start)?).num_minutes())
}

/// An ISO 8601 week (Monday to Sunday), the unit of the weekly review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Week {
    /// The ISO week-numbering year, which differs from the calendar year around New Year.
    pub year: i32,
    /// 1 to 53.
    pub number: u32,
}

impl Week {
    /// The week a calendar day belongs to.
    pub fn of(date: NaiveDate) -> Self {
        let iso = date.iso_week();
        Week { year: iso.year(), number: iso.week() }
    }

    /// The Monday that starts this week.
    pub fn monday(self) -> NaiveDate {
        NaiveDate::from_isoywd_opt(self.year, self.number, Weekday::Mon)
            .expect("a Week is only built from a real date")
    }

    /// The seven days of the week, Monday first.
    pub fn days(self) -> [NaiveDate; 7] {
        let monday = self.monday();
        std::array::from_fn(|offset| monday + Duration::days(offset as i64))
    }

    /// A stable key such as `2026-W48`, used as a plaintext index in local storage and on the server.
    pub fn key(self) -> String {
        format!("{}-W{:02}", self.year, self.number)
    }
}

/// A German school year runs from 1 August to 31 July; it is named by the year it starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SchoolYear {
    pub start_year: i32,
}

impl SchoolYear {
    pub fn of(date: NaiveDate) -> Self {
        let start_year = if date.month() >= 8 { date.year() } else { date.year() - 1 };
        SchoolYear { start_year }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.start_year, 8, 1).expect("1 August exists")
    }

    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.start_year + 1, 7, 31).expect("31 July exists")
    }

    /// The label used in German documents, e.g. `2025/26`.
    pub fn label(self) -> String {
        format!("{}/{:02}", self.start_year, (self.start_year + 1).rem_euclid(100))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Timelike;
    use proptest::prelude::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn spring_switch_2026_happens_at_one_utc_on_29_march() {
        assert_eq!(berlin_offset_seconds(utc(2026, 3, 29, 0, 59)), 3600);
        assert_eq!(berlin_offset_seconds(utc(2026, 3, 29, 1, 0)), 7200);
        // 01:59 CET is followed by 03:00 CEST: the local hour 02:xx does not exist that night.
        assert_eq!(to_berlin(utc(2026, 3, 29, 0, 59)).hour(), 1);
        assert_eq!(to_berlin(utc(2026, 3, 29, 1, 0)).hour(), 3);
    }

    #[test]
    fn autumn_switch_2026_happens_at_one_utc_on_25_october() {
        assert_eq!(berlin_offset_seconds(utc(2026, 10, 25, 0, 59)), 7200);
        assert_eq!(berlin_offset_seconds(utc(2026, 10, 25, 1, 0)), 3600);
        // The local hour 02:xx happens twice that night.
        assert_eq!(to_berlin(utc(2026, 10, 25, 0, 30)).hour(), 2);
        assert_eq!(to_berlin(utc(2026, 10, 25, 1, 30)).hour(), 2);
    }

    #[test]
    fn late_evening_utc_is_already_the_next_day_in_berlin() {
        assert_eq!(berlin_date(utc(2026, 11, 22, 23, 30)), NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert_eq!(berlin_date(utc(2026, 7, 1, 22, 0)), NaiveDate::from_ymd_opt(2026, 7, 2).unwrap());
    }

    #[test]
    fn week_of_new_year_belongs_to_iso_year() {
        // 1 January 2027 is a Friday: it belongs to week 53 of 2026.
        let week = Week::of(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(week, Week { year: 2026, number: 53 });
        assert_eq!(week.key(), "2026-W53");
        assert_eq!(week.monday(), NaiveDate::from_ymd_opt(2026, 12, 28).unwrap());
        assert_eq!(week.days()[6], NaiveDate::from_ymd_opt(2027, 1, 3).unwrap());
    }

    #[test]
    fn school_year_turns_on_first_of_august() {
        let july = SchoolYear::of(NaiveDate::from_ymd_opt(2026, 7, 31).unwrap());
        let august = SchoolYear::of(NaiveDate::from_ymd_opt(2026, 8, 1).unwrap());
        assert_eq!(july.label(), "2025/26");
        assert_eq!(august.label(), "2026/27");
        assert_eq!(august.first_day(), NaiveDate::from_ymd_opt(2026, 8, 1).unwrap());
        assert_eq!(august.last_day(), NaiveDate::from_ymd_opt(2027, 7, 31).unwrap());
        assert_eq!(SchoolYear { start_year: 2099 }.label(), "2099/00");
    }

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    #[test]
    fn spring_gap_times_do_not_exist_and_the_night_is_an_hour_shorter() {
        assert_eq!(from_berlin(local(2026, 3, 29, 2, 30)), None);
        assert_eq!(from_berlin(local(2026, 3, 29, 1, 59)), Some(utc(2026, 3, 29, 0, 59)));
        assert_eq!(from_berlin(local(2026, 3, 29, 3, 0)), Some(utc(2026, 3, 29, 1, 0)));
        assert_eq!(berlin_minutes_between(local(2026, 3, 29, 1, 30), local(2026, 3, 29, 3, 30)), Some(60));
        assert_eq!(berlin_minutes_between(local(2026, 3, 29, 1, 30), local(2026, 3, 29, 2, 15)), None);
    }

    #[test]
    fn autumn_repeated_hour_takes_the_earlier_instant_and_the_night_is_an_hour_longer() {
        assert_eq!(from_berlin(local(2026, 10, 25, 2, 30)), Some(utc(2026, 10, 25, 0, 30)));
        assert_eq!(berlin_minutes_between(local(2026, 10, 25, 1, 30), local(2026, 10, 25, 3, 30)), Some(180));
        assert_eq!(
            berlin_minutes_between(local(2026, 10, 24, 22, 0), local(2026, 10, 25, 6, 0)),
            Some(9 * 60)
        );
    }

    proptest! {
        /// Our summer-time rule agrees with the IANA database for every instant from 1996 to 2099.
        #[test]
        fn offset_matches_iana_database(seconds in 820_454_400i64..4_102_444_800i64) {
            use chrono::Offset;
            let instant = DateTime::from_timestamp(seconds, 0).unwrap();
            let iana = chrono_tz::Europe::Berlin.offset_from_utc_datetime(&instant.naive_utc()).fix();
            prop_assert_eq!(berlin_offset_seconds(instant), iana.local_minus_utc());
        }

        /// Converting to Berlin wall-clock time and back gives the same instant, except in the repeated
        /// autumn hour, where the earlier of the two instants comes back.
        #[test]
        fn berlin_round_trip(seconds in 820_454_400i64..4_102_444_800i64) {
            let instant = DateTime::from_timestamp(seconds - seconds % 60, 0).unwrap();
            let back = from_berlin(to_berlin(instant)).unwrap();
            prop_assert!(back == instant || back == instant - Duration::hours(1));
            prop_assert_eq!(to_berlin(back), to_berlin(instant));
        }

        #[test]
        fn every_day_of_a_week_maps_back_to_that_week(days in 0i64..60_000) {
            let date = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + Duration::days(days);
            let week = Week::of(date);
            prop_assert!(week.days().contains(&date));
            prop_assert!(week.days().iter().all(|d| Week::of(*d) == week));
        }
    }

    /// Every switch night from 1996 to 2099, checked exactly at the hours around the switch.
    #[test]
    fn every_switch_night_matches_iana_database() {
        use chrono::Offset;
        for year in 1996..2100 {
            for switch in [last_sunday_at_one_utc(year, 3), last_sunday_at_one_utc(year, 10)] {
                for minutes in [-61i64, -1, 0, 1, 59, 61] {
                    let instant = switch + Duration::minutes(minutes);
                    let iana = chrono_tz::Europe::Berlin.offset_from_utc_datetime(&instant.naive_utc()).fix();
                    assert_eq!(berlin_offset_seconds(instant), iana.local_minus_utc(), "{instant}");
                }
            }
        }
    }
}
