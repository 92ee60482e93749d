//! Dates and times as the online screens show them, always in Berlin time (the provider's), whatever
//! the browser's zone.

use begleitbuch_domain::calendar::{berlin_date, to_berlin};
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

use crate::lang::Lang;

/// `23.11.2026, 08:05 Uhr` in German, `23/11/2026, 08:05` in English; from Unix milliseconds.
pub fn date_time(lang: Lang, millis: i64) -> String {
    let Some(instant) = DateTime::<Utc>::from_timestamp_millis(millis) else { return String::new() };
    let local = to_berlin(instant);
    let (day, month, year, hour, minute) =
        (local.day(), local.month(), local.year(), local.hour(), local.minute());
    match lang {
        Lang::De => format!("{day:02}.{month:02}.{year}, {hour:02}:{minute:02} Uhr"),
        Lang::En => format!("{day:02}/{month:02}/{year}, {hour:02}:{minute:02}"),
    }
}

/// Today in Berlin, by the browser's clock.
pub fn today() -> NaiveDate {
    berlin_date(now())
}

/// The browser's clock now (chrono reads no clock in a browser: its `Utc::now` panics there).
pub fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// A day as a date input gives it (`2026-11-24`).
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// `24.11.2026` in German, `24/11/2026` in English.
pub fn date(lang: Lang, day: NaiveDate) -> String {
    let (d, m, y) = (day.day(), day.month(), day.year());
    match lang {
        Lang::De => format!("{d:02}.{m:02}.{y}"),
        Lang::En => format!("{d:02}/{m:02}/{y}"),
    }
}

/// Both days inclusive: `24.11.2026 – 26.11.2026`, or one day alone.
pub fn date_range(lang: Lang, from: NaiveDate, until: NaiveDate) -> String {
    if from == until {
        date(lang, from)
    } else {
        format!("{} – {}", date(lang, from), date(lang, until))
    }
}

/// A moment in the past as "since when" reads it: the time today, the weekday within the last six
/// days, the date before that (`08:05 Uhr`, `Dienstag`, `24.11.2026`).
pub fn day_of(lang: Lang, millis: i64, today: NaiveDate) -> String {
    let Some(instant) = DateTime::<Utc>::from_timestamp_millis(millis) else { return String::new() };
    let local = to_berlin(instant);
    let day = local.date();
    let days_ago = today.signed_duration_since(day).num_days();
    if days_ago == 0 {
        return match lang {
            Lang::De => format!("{:02}:{:02} Uhr", local.hour(), local.minute()),
            Lang::En => format!("{:02}:{:02}", local.hour(), local.minute()),
        };
    }
    if (1..=6).contains(&days_ago) {
        const DE: [&str; 7] =
            ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"];
        const EN: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
        let index = day.weekday().num_days_from_monday() as usize;
        return match lang {
            Lang::De => DE[index],
            Lang::En => EN[index],
        }
        .to_owned();
    }
    date(lang, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_berlin_time() {
        // 07:05 UTC in November is 08:05 in Berlin; in July 09:05.
        let november = "2026-11-23T07:05:00Z".parse::<DateTime<Utc>>().unwrap().timestamp_millis();
        assert_eq!(date_time(Lang::De, november), "23.11.2026, 08:05 Uhr");
        assert_eq!(date_time(Lang::En, november), "23/11/2026, 08:05");
        let july = "2026-07-01T07:05:00Z".parse::<DateTime<Utc>>().unwrap().timestamp_millis();
        assert_eq!(date_time(Lang::De, july), "01.07.2026, 09:05 Uhr");
    }

    #[test]
    fn a_range_of_one_day_is_that_day() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!(date_range(Lang::De, day(24), day(26)), "24.11.2026 – 26.11.2026");
        assert_eq!(date_range(Lang::En, day(24), day(24)), "24/11/2026");
    }

    #[test]
    fn since_when_is_the_time_today_the_weekday_this_week_and_the_date_before() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(); // a Wednesday
        let at = |text: &str| text.parse::<DateTime<Utc>>().unwrap().timestamp_millis();
        assert_eq!(day_of(Lang::De, at("2026-12-02T07:05:00Z"), today), "08:05 Uhr");
        assert_eq!(day_of(Lang::De, at("2026-12-01T15:00:00Z"), today), "Dienstag");
        assert_eq!(day_of(Lang::En, at("2026-11-26T15:00:00Z"), today), "Thursday");
        assert_eq!(day_of(Lang::De, at("2026-11-25T15:00:00Z"), today), "25.11.2026");
        // 23:30 UTC on 1 December is already the 2nd in Berlin.
        assert_eq!(day_of(Lang::En, at("2026-12-01T23:30:00Z"), today), "00:30");
    }
}
