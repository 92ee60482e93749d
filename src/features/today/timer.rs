//! The Heute timer as plain Rust: which activity runs since when, and the time entries it records when
//! it stops. The running timer is kept in the user's encrypted partition (`LocalStore::running_timer`),
//! not in memory, so closing the tab or the tablet going to sleep does not stop it.

use begleitbuch_domain::calendar;
use begleitbuch_domain::ids::{PoolId, TimeEntryId, UserId};
use begleitbuch_domain::validate::{Field, ValidationError};
use begleitbuch_domain::work::{DirectKind, TimeCategory, TimeEntry};
use begleitbuch_domain::worktime::timer_blocks;
use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::editing::fields::{parse_time, FormError};
use crate::features::today::entry_form::check_entry;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunningTimer {
    pub category: TimeCategory,
    pub started_at: DateTime<Utc>,
    /// The id of the entry the timer records on the day it started, chosen when it started: a stop
    /// repeated after an error writes the same entry again instead of a second one.
    pub entry: Uuid,
}

impl RunningTimer {
    /// Whole minutes since the timer started (never negative, even if the device clock went back).
    pub fn elapsed_minutes(&self, now: DateTime<Utc>) -> u32 {
        u32::try_from((now - self.started_at).num_minutes()).unwrap_or(0)
    }

    /// Whether this is the group tile's timer. It times a group session, not an anonymous entry: a
    /// session credits the children in it and is the direct time of every companion in it, so when it
    /// stops the session form opens with its start and length, and the participants are chosen there.
    pub fn is_session(&self) -> bool {
        self.category == TimeCategory::Direct(DirectKind::Group)
    }

    /// The session form for this session timer stopped at `end`: its day, start and length in whole
    /// minutes (at least one). The form clears the timer when the session is saved, not before.
    pub fn session_link(&self, end: DateTime<Utc>) -> String {
        let start = calendar::to_berlin(self.started_at);
        format!(
            "/gruppenangebot?tag={}&beginn={}&dauer={}&zeitnehmer=1",
            start.date().format("%Y-%m-%d"),
            start.time().format("%H:%M"),
            self.elapsed_minutes(end).max(1)
        )
    }

    /// Whether the timer was started on an earlier day (Europe/Berlin) than `now`: it was forgotten.
    /// The app then asks when it ended instead of recording every hour since.
    pub fn from_an_earlier_day(&self, now: DateTime<Utc>) -> bool {
        calendar::berlin_date(self.started_at) < calendar::berlin_date(now)
    }

    /// When a forgotten timer ended, as the companion says: `end` (HH:MM) on the day it started
    /// (00:00 is that day's midnight). It must lie after the start and not after `now`.
    pub fn ended_at(&self, end: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, FormError> {
        let time = parse_time(end, Field::End)?;
        let day = calendar::berlin_date(self.started_at);
        let day = if time == NaiveTime::MIN { day.succ_opt().unwrap_or(day) } else { day };
        let at = calendar::from_berlin(day.and_time(time))
            .ok_or(FormError::Rule(ValidationError::TimeDoesNotExist { field: Field::End }, None))?;
        if at <= self.started_at {
            return Err(FormError::Rule(ValidationError::EndNotAfterStart, None));
        }
        if at > now {
            return Err(FormError::Rule(ValidationError::InFuture, None));
        }
        Ok(at)
    }

    /// The entries the timer records when stopped at `now`: one per day it ran (see
    /// `worktime::timer_blocks`), each checked on its own and against `others_on`, the companion's
    /// other entries of its day. None if it ran for less than a minute.
    pub fn entries(
        &self,
        now: DateTime<Utc>,
        pool: PoolId,
        companion: UserId,
        mut fresh_id: impl FnMut() -> Uuid,
        others_on: impl Fn(chrono::NaiveDate) -> Vec<TimeEntry>,
    ) -> Result<Vec<TimeEntry>, FormError> {
        let mut entries = Vec::new();
        for (index, block) in timer_blocks(self.started_at, now).into_iter().enumerate() {
            let id = if index == 0 { self.entry } else { fresh_id() };
            let entry = TimeEntry {
                id: TimeEntryId(id),
                pool,
                companion,
                date: block.date,
                start: block.start,
                end: block.end,
                category: self.category,
                note: String::new(),
            };
            check_entry(&entry, &others_on(block.date))?;
            entries.push(entry);
        }
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::validate::ValidationError;
    use begleitbuch_domain::work::IndirectKind;
    use chrono::{NaiveDate, NaiveTime, TimeZone};

    const POOL: PoolId = PoolId(Uuid::from_u128(7));
    const ANNA: UserId = UserId(Uuid::from_u128(1));

    fn timer(started_at: DateTime<Utc>) -> RunningTimer {
        RunningTimer {
            category: TimeCategory::Direct(DirectKind::Individual),
            started_at,
            entry: Uuid::from_u128(100),
        }
    }

    fn utc(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap()
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    #[test]
    fn stopping_records_the_run_under_the_id_chosen_at_start() {
        let entries = timer(utc(23, 7, 10))
            .entries(utc(23, 8, 0), POOL, ANNA, || unreachable!("one day, one entry"), |_| Vec::new())
            .unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].id, TimeEntryId(Uuid::from_u128(100)));
        assert_eq!((entries[0].start, entries[0].end), (hm(8, 10), hm(9, 0)));
        assert_eq!(timer(utc(23, 7, 10)).elapsed_minutes(utc(23, 8, 0)), 50);
        assert_eq!(timer(utc(23, 7, 10)).elapsed_minutes(utc(23, 7, 0)), 0, "a clock set back");
    }

    #[test]
    fn a_timer_left_running_overnight_asks_when_it_ended_instead_of_splitting_silently() {
        // Started Monday 16:30 in Berlin (15:30 UTC), found on Tuesday at 08:00.
        let forgotten = timer(utc(23, 15, 30));
        let tuesday = utc(24, 7, 0);
        assert!(forgotten.from_an_earlier_day(tuesday));
        assert!(!forgotten.from_an_earlier_day(utc(23, 22, 59)), "23:59 in Berlin is still Monday");
        let ended = forgotten.ended_at("17:15", tuesday).unwrap();
        assert_eq!(ended, utc(23, 16, 15));
        let entries = forgotten.entries(ended, POOL, ANNA, || Uuid::from_u128(300), |_| Vec::new()).unwrap();
        assert_eq!(entries.len(), 1, "one entry, on Monday");
        assert_eq!((entries[0].start, entries[0].end), (hm(16, 30), hm(17, 15)));
        assert_eq!(
            forgotten.ended_at("16:00", tuesday),
            Err(FormError::Rule(ValidationError::EndNotAfterStart, None))
        );
        assert_eq!(forgotten.ended_at("", tuesday), Err(FormError::Missing(Field::End)));
        // Midnight is the end of Monday; a timer started today cannot end tomorrow.
        assert_eq!(forgotten.ended_at("00:00", tuesday).unwrap(), utc(23, 23, 0));
        let today = timer(utc(24, 6, 0));
        assert_eq!(today.ended_at("09:00", tuesday), Err(FormError::Rule(ValidationError::InFuture, None)));
    }

    #[test]
    fn the_group_tile_times_a_group_session_and_opens_its_form_when_stopped() {
        let group =
            RunningTimer { category: TimeCategory::Direct(DirectKind::Group), ..timer(utc(23, 9, 0)) };
        assert!(group.is_session());
        assert!(!timer(utc(23, 9, 0)).is_session());
        // 10:00 to 10:45 in Berlin.
        assert_eq!(
            group.session_link(utc(23, 9, 45)),
            "/gruppenangebot?tag=2026-11-23&beginn=10:00&dauer=45&zeitnehmer=1"
        );
        assert_eq!(
            group.session_link(utc(23, 9, 0)),
            "/gruppenangebot?tag=2026-11-23&beginn=10:00&dauer=1&zeitnehmer=1"
        );
    }

    #[test]
    fn a_run_over_midnight_becomes_two_entries() {
        let mut ids = (200..).map(Uuid::from_u128);
        let entries = timer(utc(23, 22, 30))
            .entries(utc(23, 23, 30), POOL, ANNA, || ids.next().unwrap(), |_| Vec::new())
            .unwrap();
        let days: Vec<_> = entries.iter().map(|e| (e.date, e.start, e.end, e.id.0.as_u128())).collect();
        assert_eq!(
            days,
            vec![
                (NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), hm(23, 30), hm(0, 0), 100),
                (NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(), hm(0, 0), hm(0, 30), 200),
            ]
        );
    }

    #[test]
    fn a_run_over_another_entry_or_too_long_is_refused() {
        let other = TimeEntry {
            id: TimeEntryId(Uuid::from_u128(9)),
            pool: POOL,
            companion: ANNA,
            date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            start: hm(8, 30),
            end: hm(9, 30),
            category: TimeCategory::Indirect(IndirectKind::TeamMeeting),
            note: String::new(),
        };
        let overlapping =
            timer(utc(23, 7, 0)).entries(utc(23, 8, 0), POOL, ANNA, Uuid::nil, |_| vec![other.clone()]);
        assert!(matches!(overlapping, Err(FormError::Rule(ValidationError::Overlaps { .. }, Some(_)))));
        let forgotten = timer(utc(23, 6, 0)).entries(utc(23, 19, 0), POOL, ANNA, Uuid::nil, |_| Vec::new());
        assert!(matches!(forgotten, Err(FormError::Rule(ValidationError::TooLong { .. }, None))));
    }
}
