//! The time rules: how long an entry is, when entries overlap, how a day adds up, and how a group
//! session's minutes are credited to the children in it.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Timelike, Utc};

use crate::calendar;
use crate::ids::{ChildId, UserId};
use crate::validate::{self, Field, ValidationError};
use crate::work::{GroupSession, TimeEntry};

/// No single entry may be longer than this; longer blocks are almost always a forgotten timer.
pub const MAX_ENTRY_MINUTES: u32 = 12 * 60;
/// A group session may not be longer than this.
pub const MAX_SESSION_MINUTES: u32 = 10 * 60;
pub const MAX_NOTE_CHARS: usize = 500;
pub const MAX_GROUP_CHARS: usize = 40;
/// The longest observation, in characters (about two pages).
pub const MAX_OBSERVATION_CHARS: usize = 5000;

/// Whether an entry ends at midnight at the end of its day: an end of 00:00 after a later start is
/// 24:00, which a clock time cannot say (so a timer over midnight loses no minute).
fn ends_at_midnight(entry: &TimeEntry) -> bool {
    entry.end == NaiveTime::MIN && entry.start > NaiveTime::MIN
}

/// The instants a time entry covers, half-open: `[start, end)`.
fn instants(entry: &TimeEntry) -> Result<(DateTime<Utc>, DateTime<Utc>), ValidationError> {
    let start = calendar::from_berlin(entry.date.and_time(entry.start))
        .ok_or(ValidationError::TimeDoesNotExist { field: Field::Start })?;
    let end_day =
        if ends_at_midnight(entry) { entry.date.succ_opt().unwrap_or(entry.date) } else { entry.date };
    let end = calendar::from_berlin(end_day.and_time(entry.end))
        .ok_or(ValidationError::TimeDoesNotExist { field: Field::End })?;
    Ok((start, end))
}

/// The instants a group session covers, half-open; `None` for a start that does not exist (the
/// hour skipped in spring), which validation refuses.
fn session_instants(session: &GroupSession) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let start = calendar::from_berlin(session.date.and_time(session.start))?;
    Some((start, start + Duration::minutes(i64::from(session.duration_minutes))))
}

type Span = (DateTime<Utc>, DateTime<Utc>);

/// The union of spans, sorted and without overlaps (spans that touch are joined).
fn union(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut merged: Vec<Span> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// The whole minutes the spans of a union cover.
fn minutes(spans: &[Span]) -> u32 {
    spans.iter().map(|(start, end)| (*end - *start).num_minutes().max(0) as u32).sum()
}

/// What is left of a union of spans after taking out another union.
fn without(spans: &[Span], taken: &[Span]) -> Vec<Span> {
    let mut left = Vec::new();
    for &(mut start, end) in spans {
        for &(taken_start, taken_end) in taken {
            if taken_end <= start || taken_start >= end {
                continue;
            }
            if taken_start > start {
                left.push((start, taken_start));
            }
            start = start.max(taken_end);
        }
        if start < end {
            left.push((start, end));
        }
    }
    left
}

/// One calendar day's part of a timer's run, in Europe/Berlin wall-clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayBlock {
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// What a timer that ran from `started` to `stopped` records: one block per calendar day it touched,
/// to whole minutes (the seconds are dropped at both ends, as a clock shows them). A timer running
/// over midnight ends at 00:00 (midnight, the end of that day) on the first day and goes on at 00:00
/// on the next: no minute is lost. Days with less than a minute are left out, and so is everything
/// when `stopped` is not after `started`.
pub fn timer_blocks(started: DateTime<Utc>, stopped: DateTime<Utc>) -> Vec<DayBlock> {
    let to_minute = |instant: DateTime<Utc>| {
        let local = calendar::to_berlin(instant);
        local.with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or(local)
    };
    let (from, until) = (to_minute(started), to_minute(stopped));
    let midnight = NaiveTime::MIN;
    from.date()
        .iter_days()
        .take_while(|day| *day <= until.date())
        .filter_map(|date| {
            let start = if date == from.date() { from.time() } else { midnight };
            // A day the timer ran past ends at midnight, its end (see `ends_at_midnight`).
            let (end, runs_on) = if date == until.date() { (until.time(), false) } else { (midnight, true) };
            (end > start || (runs_on && start > midnight)).then_some(DayBlock { date, start, end })
        })
        .collect()
}

/// Checks one entry on its own and returns its length in minutes (real minutes: an entry across the
/// spring switch from 01:30 to 03:30 is 60 minutes long).
pub fn validate_entry(entry: &TimeEntry) -> Result<u32, ValidationError> {
    if entry.end <= entry.start && !ends_at_midnight(entry) {
        return Err(ValidationError::EndNotAfterStart);
    }
    let (start, end) = instants(entry)?;
    let minutes = (end - start).num_minutes();
    if minutes < 1 {
        return Err(ValidationError::TooShort { field: Field::Duration });
    }
    if minutes > i64::from(MAX_ENTRY_MINUTES) {
        return Err(ValidationError::TooLong { max_minutes: MAX_ENTRY_MINUTES });
    }
    validate::text(Field::Note, &entry.note, false, MAX_NOTE_CHARS)?;
    Ok(minutes as u32)
}

/// Checks an entry against the companion's other entries: the same time cannot be worked twice.
/// Entries that merely touch (one ends at 10:00, the next starts at 10:00) do not overlap.
pub fn check_overlap<'a>(
    entry: &TimeEntry,
    others: impl IntoIterator<Item = &'a TimeEntry>,
) -> Result<(), ValidationError> {
    let (start, end) = instants(entry)?;
    for other in others {
        if other.id == entry.id || other.companion != entry.companion {
            continue;
        }
        let Ok((other_start, other_end)) = instants(other) else { continue };
        if start < other_end && other_start < end {
            return Err(ValidationError::Overlaps { other: other.id });
        }
    }
    Ok(())
}

pub fn validate_session(session: &GroupSession) -> Result<(), ValidationError> {
    if session.duration_minutes == 0 {
        return Err(ValidationError::TooShort { field: Field::Duration });
    }
    if session.duration_minutes > MAX_SESSION_MINUTES {
        return Err(ValidationError::TooLong { max_minutes: MAX_SESSION_MINUTES });
    }
    calendar::from_berlin(session.date.and_time(session.start))
        .ok_or(ValidationError::TimeDoesNotExist { field: Field::Start })?;
    if session.children.is_empty() && session.unnamed_participants == 0 {
        return Err(ValidationError::Empty { field: Field::Participants });
    }
    if session.companions.is_empty() {
        return Err(ValidationError::Empty { field: Field::Companions });
    }
    validate::text(Field::Group, &session.group, false, MAX_GROUP_CHARS)?;
    validate::text(Field::Note, &session.note, false, MAX_NOTE_CHARS)
}

/// A companion's day: direct and indirect minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayTotals {
    pub direct: u32,
    pub indirect: u32,
}

impl DayTotals {
    pub fn total(self) -> u32 {
        self.direct + self.indirect
    }
}

/// Adds up a companion's day. A group session counts as direct time for every companion in it: it is
/// derived from the session, never copied into a time entry. Time is counted once: a timer of direct
/// work that ran while the companion was in a recorded session, or two entries typed on two tablets
/// for the same hour, add their shared minutes only once, and a minute that is both direct and
/// indirect counts as direct. Invalid entries (which the UI refuses to save) count as zero.
pub fn day_totals<'a>(
    companion: UserId,
    day: NaiveDate,
    entries: impl IntoIterator<Item = &'a TimeEntry>,
    sessions: impl IntoIterator<Item = &'a GroupSession>,
) -> DayTotals {
    let (mut direct, mut indirect) = (Vec::new(), Vec::new());
    for entry in entries {
        if entry.companion != companion || entry.date != day || validate_entry(entry).is_err() {
            continue;
        }
        let Ok(span) = instants(entry) else { continue };
        if entry.category.is_direct() {
            direct.push(span);
        } else {
            indirect.push(span);
        }
    }
    direct.extend(
        sessions
            .into_iter()
            .filter(|session| session.date == day && session.companions.contains(&companion))
            .filter_map(session_instants),
    );
    let direct = union(direct);
    let indirect = without(&union(indirect), &direct);
    DayTotals { direct: minutes(&direct), indirect: minutes(&indirect) }
}

/// Whether an entry of the companion shares time with a session they are in; that time counts once
/// (see [`day_totals`]), which the day's timeline tells the companion.
pub fn overlaps_a_session<'a>(
    entry: &TimeEntry,
    sessions: impl IntoIterator<Item = &'a GroupSession>,
) -> bool {
    let Ok((start, end)) = instants(entry) else { return false };
    sessions
        .into_iter()
        .filter(|session| session.companions.contains(&entry.companion))
        .filter_map(session_instants)
        .any(|(session_start, session_end)| start < session_end && session_start < end)
}

/// How a group session's minutes are credited to its participants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSplit {
    pub per_child: BTreeMap<ChildId, u32>,
    /// The share of the participants who are counted but not named.
    pub unnamed: u32,
}

/// **The pooling split rule.** A session delivers `duration × companions` companion-minutes. They are
/// shared equally among all participants, named and unnamed. Whole minutes are handed out: every
/// participant gets the floor of the equal share, and the minutes left over go one each to the named
/// children in id order, then to the unnamed participants. The shares add up exactly to the
/// companion-minutes, so per-child and per-companion totals always reconcile.
///
/// Example: 45 minutes, 2 companions, 3 named children and 1 unnamed participant → 90 minutes →
/// 22 each and 2 left over → 23, 23, 22 for the named children and 22 for the unnamed one.
pub fn split_session(session: &GroupSession) -> SessionSplit {
    let participants = session.children.len() as u64 + u64::from(session.unnamed_participants);
    let total = u64::from(session.duration_minutes) * session.companions.len() as u64;
    if participants == 0 {
        return SessionSplit { per_child: BTreeMap::new(), unnamed: 0 };
    }
    let share = total / participants;
    let mut left_over = total % participants;
    let mut per_child = BTreeMap::new();
    for child in &session.children {
        let extra = u64::from(left_over > 0);
        left_over -= extra;
        per_child.insert(*child, (share + extra) as u32);
    }
    let unnamed = share * u64::from(session.unnamed_participants) + left_over;
    SessionSplit { per_child, unnamed: unnamed as u32 }
}

/// What a child received in the week and in the calendar month of a day: their shares of group
/// sessions, by [`split_session`]. The office shows it against the approved hours (from the server's
/// records), a companion's tablet from the sessions it holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Delivered {
    pub week_minutes: u32,
    pub month_minutes: u32,
}

/// The first day whose sessions [`delivered`] needs for `today`: the earlier of the week's Monday and
/// the month's first day.
pub fn first_day_needed(today: NaiveDate) -> NaiveDate {
    use chrono::Datelike;
    let month_start = today.with_day(1).unwrap_or(today);
    calendar::Week::of(today).monday().min(month_start)
}

/// Per child named in `sessions`, what they received in the week and the calendar month of `today`.
pub fn delivered(sessions: &[GroupSession], today: NaiveDate) -> BTreeMap<ChildId, Delivered> {
    use chrono::Datelike;
    let week = calendar::Week::of(today);
    let mut delivered: BTreeMap<ChildId, Delivered> = BTreeMap::new();
    for session in sessions {
        let in_week = calendar::Week::of(session.date) == week;
        let in_month = (session.date.year(), session.date.month()) == (today.year(), today.month());
        for (child, minutes) in split_session(session).per_child {
            let child = delivered.entry(child).or_default();
            if in_week {
                child.week_minutes += minutes;
            }
            if in_month {
                child.month_minutes += minutes;
            }
        }
    }
    delivered
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{PoolId, SessionId, TimeEntryId};
    use crate::work::{DirectKind, IndirectKind, SessionKind, TimeCategory};
    use chrono::NaiveTime;
    use proptest::prelude::*;
    use std::collections::BTreeSet;
    use uuid::Uuid;

    #[test]
    fn what_a_child_received_counts_by_week_and_calendar_month() {
        assert_eq!(first_day_needed(day(2026, 11, 23)), day(2026, 11, 1));
        assert_eq!(first_day_needed(day(2026, 12, 2)), day(2026, 11, 30), "the week reaches back");
        let child = ChildId(Uuid::from_u128(7));
        let session = |date: NaiveDate, minutes: u32| GroupSession {
            id: SessionId(Uuid::from_u128(u128::from(chrono::Datelike::ordinal(&date)))),
            pool: PoolId(Uuid::nil()),
            date,
            start: hm(9, 0),
            duration_minutes: minutes,
            kind: SessionKind::ClassSupport,
            group: "2b".into(),
            children: BTreeSet::from([child]),
            unnamed_participants: 1,
            companions: BTreeSet::from([ANNA]),
            note: String::new(),
        };
        // Wednesday 2 December: Monday 30 November is this week but last month; 20 November neither.
        let sessions =
            [session(day(2026, 11, 30), 40), session(day(2026, 12, 1), 30), session(day(2026, 11, 20), 60)];
        assert_eq!(
            delivered(&sessions, day(2026, 12, 2))[&child],
            Delivered { week_minutes: 20 + 15, month_minutes: 15 }
        );
    }

    const ANNA: UserId = UserId(Uuid::from_u128(1));
    const BEN: UserId = UserId(Uuid::from_u128(2));

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn entry(
        id: u128,
        date: NaiveDate,
        start: NaiveTime,
        end: NaiveTime,
        category: TimeCategory,
    ) -> TimeEntry {
        TimeEntry {
            id: TimeEntryId(Uuid::from_u128(id)),
            pool: PoolId(Uuid::nil()),
            companion: ANNA,
            date,
            start,
            end,
            category,
            note: String::new(),
        }
    }

    fn session(minutes: u32, children: u128, unnamed: u16, companions: &[UserId]) -> GroupSession {
        GroupSession {
            id: SessionId(Uuid::from_u128(99)),
            pool: PoolId(Uuid::nil()),
            date: day(2026, 11, 23),
            start: hm(9, 0),
            duration_minutes: minutes,
            kind: SessionKind::SocialEmotionalLearning,
            group: "2b".into(),
            children: (1..=children).map(|n| ChildId(Uuid::from_u128(n))).collect(),
            unnamed_participants: unnamed,
            companions: companions.iter().copied().collect(),
            note: String::new(),
        }
    }

    const PLANNING: TimeCategory = TimeCategory::Indirect(IndirectKind::Preparation);
    const GROUP: TimeCategory = TimeCategory::Direct(DirectKind::Group);

    #[test]
    fn entry_length_and_refusals() {
        let monday = day(2026, 11, 23);
        assert_eq!(validate_entry(&entry(1, monday, hm(8, 0), hm(9, 30), PLANNING)), Ok(90));
        assert_eq!(
            validate_entry(&entry(1, monday, hm(9, 0), hm(9, 0), PLANNING)),
            Err(ValidationError::EndNotAfterStart)
        );
        assert_eq!(
            validate_entry(&entry(1, monday, hm(10, 0), hm(8, 0), PLANNING)),
            Err(ValidationError::EndNotAfterStart)
        );
        assert_eq!(
            validate_entry(&entry(1, monday, hm(6, 0), hm(18, 1), PLANNING)),
            Err(ValidationError::TooLong { max_minutes: 720 })
        );
        assert_eq!(validate_entry(&entry(1, monday, hm(6, 0), hm(18, 0), PLANNING)), Ok(720));
    }

    #[test]
    fn entries_across_dst_switches_count_real_minutes() {
        let spring = day(2026, 3, 29);
        assert_eq!(validate_entry(&entry(1, spring, hm(1, 30), hm(3, 30), PLANNING)), Ok(60));
        assert_eq!(
            validate_entry(&entry(1, spring, hm(2, 15), hm(3, 30), PLANNING)),
            Err(ValidationError::TimeDoesNotExist { field: Field::Start })
        );
        let autumn = day(2026, 10, 25);
        assert_eq!(validate_entry(&entry(1, autumn, hm(1, 30), hm(3, 30), PLANNING)), Ok(180));
    }

    #[test]
    fn overlapping_entries_are_refused_touching_ones_are_not() {
        let monday = day(2026, 11, 23);
        let first = entry(1, monday, hm(8, 0), hm(10, 0), PLANNING);
        let touching = entry(2, monday, hm(10, 0), hm(11, 0), GROUP);
        let overlapping = entry(3, monday, hm(9, 59), hm(10, 30), GROUP);
        assert_eq!(check_overlap(&touching, [&first]), Ok(()));
        assert_eq!(
            check_overlap(&overlapping, [&first, &touching]),
            Err(ValidationError::Overlaps { other: first.id })
        );
        // Editing an entry does not collide with its own earlier version.
        assert_eq!(check_overlap(&first, [&first]), Ok(()));
        // Another companion's entry is no overlap.
        let mut bens = overlapping.clone();
        bens.companion = BEN;
        assert_eq!(check_overlap(&bens, [&first]), Ok(()));
        // Another day neither.
        let tuesday = entry(4, day(2026, 11, 24), hm(8, 0), hm(10, 0), PLANNING);
        assert_eq!(check_overlap(&tuesday, [&first]), Ok(()));
    }

    #[test]
    fn sessions_are_direct_time_for_each_companion_in_them() {
        let monday = day(2026, 11, 23);
        let entries =
            [entry(1, monday, hm(8, 0), hm(8, 45), PLANNING), entry(2, monday, hm(11, 0), hm(11, 30), GROUP)];
        let shared = session(45, 3, 0, &[ANNA, BEN]);
        let totals = day_totals(ANNA, monday, &entries, [&shared]);
        assert_eq!(totals, DayTotals { direct: 75, indirect: 45 });
        assert_eq!(totals.total(), 120);
        assert_eq!(day_totals(BEN, monday, &entries, [&shared]), DayTotals { direct: 45, indirect: 0 });
        assert_eq!(day_totals(ANNA, day(2026, 11, 24), &entries, [&shared]), DayTotals::default());
    }

    #[test]
    fn time_shared_by_a_timer_and_a_session_counts_once() {
        let monday = day(2026, 11, 23);
        // The session runs 09:00–09:45; the companion's group timer ran 09:00–10:00 as well.
        let shared = session(45, 3, 0, &[ANNA, BEN]);
        let timer = entry(1, monday, hm(9, 0), hm(10, 0), GROUP);
        assert!(overlaps_a_session(&timer, [&shared]));
        assert_eq!(day_totals(ANNA, monday, [&timer], [&shared]), DayTotals { direct: 60, indirect: 0 });
        // A minute that is both direct and indirect counts as direct; the rest of the block stays.
        let planning = entry(2, monday, hm(8, 0), hm(12, 0), PLANNING);
        assert_eq!(day_totals(ANNA, monday, [&planning], [&shared]), DayTotals { direct: 45, indirect: 195 });
        let touching = entry(3, monday, hm(9, 45), hm(10, 0), PLANNING);
        assert!(!overlaps_a_session(&touching, [&shared]));
        assert_eq!(day_totals(ANNA, monday, [&touching], [&shared]), DayTotals { direct: 45, indirect: 15 });
        // The session is not Ben's entry's business unless Ben is in it.
        let mut other = timer.clone();
        other.companion = UserId(Uuid::from_u128(7));
        assert!(!overlaps_a_session(&other, [&shared]));
    }

    #[test]
    fn entries_typed_on_two_tablets_for_the_same_hour_count_once() {
        let monday = day(2026, 11, 23);
        let first = entry(1, monday, hm(8, 0), hm(9, 0), GROUP);
        let second = entry(2, monday, hm(8, 30), hm(9, 30), GROUP);
        let later = entry(3, monday, hm(11, 0), hm(11, 15), PLANNING);
        let no_sessions: [&GroupSession; 0] = [];
        assert_eq!(
            day_totals(ANNA, monday, [&first, &second, &later], no_sessions),
            DayTotals { direct: 90, indirect: 15 }
        );
    }

    #[test]
    fn split_rule_example_from_the_documentation() {
        let split = split_session(&session(45, 3, 1, &[ANNA, BEN]));
        assert_eq!(split.per_child.values().copied().collect::<Vec<_>>(), vec![23, 23, 22]);
        assert_eq!(split.unnamed, 22);
    }

    #[test]
    fn session_validation() {
        assert_eq!(validate_session(&session(45, 2, 0, &[ANNA])), Ok(()));
        assert_eq!(validate_session(&session(45, 0, 3, &[ANNA])), Ok(()));
        assert_eq!(
            validate_session(&session(45, 0, 0, &[ANNA])),
            Err(ValidationError::Empty { field: Field::Participants })
        );
        assert_eq!(
            validate_session(&session(45, 1, 0, &[])),
            Err(ValidationError::Empty { field: Field::Companions })
        );
        assert_eq!(
            validate_session(&session(0, 1, 0, &[ANNA])),
            Err(ValidationError::TooShort { field: Field::Duration })
        );
        assert_eq!(
            validate_session(&session(601, 1, 0, &[ANNA])),
            Err(ValidationError::TooLong { max_minutes: 600 })
        );
    }

    #[test]
    fn a_timer_records_whole_minutes_of_its_day() {
        let at = |y, m, d, h, min, s| chrono::TimeZone::with_ymd_and_hms(&Utc, y, m, d, h, min, s).unwrap();
        // 07:12:40 to 08:05:10 UTC on 23 November is 08:12 to 09:05 in Berlin (winter time).
        assert_eq!(
            timer_blocks(at(2026, 11, 23, 7, 12, 40), at(2026, 11, 23, 8, 5, 10)),
            vec![DayBlock { date: day(2026, 11, 23), start: hm(8, 12), end: hm(9, 5) }]
        );
        assert_eq!(
            timer_blocks(at(2026, 11, 23, 7, 12, 0), at(2026, 11, 23, 7, 12, 59)),
            vec![],
            "under a minute"
        );
        assert_eq!(
            timer_blocks(at(2026, 11, 23, 8, 0, 0), at(2026, 11, 23, 7, 0, 0)),
            vec![],
            "a clock set back"
        );
    }

    #[test]
    fn a_timer_over_midnight_is_split_into_two_days() {
        let at = |y, m, d, h, min| chrono::TimeZone::with_ymd_and_hms(&Utc, y, m, d, h, min, 0).unwrap();
        // 22:30 UTC is 23:30 in Berlin; 23:45 UTC is 00:45 the next day.
        assert_eq!(
            timer_blocks(at(2026, 11, 23, 22, 30), at(2026, 11, 23, 23, 45)),
            vec![
                DayBlock { date: day(2026, 11, 23), start: hm(23, 30), end: hm(0, 0) },
                DayBlock { date: day(2026, 11, 24), start: hm(0, 0), end: hm(0, 45) },
            ]
        );
        // In summer (UTC+2), 21:50 UTC is 23:50 and 22:00 UTC is exactly midnight: nothing on the new day.
        assert_eq!(
            timer_blocks(at(2026, 6, 1, 21, 50), at(2026, 6, 1, 22, 0)),
            vec![DayBlock { date: day(2026, 6, 1), start: hm(23, 50), end: hm(0, 0) }]
        );
    }

    #[test]
    fn a_timer_over_midnight_loses_no_minute() {
        let at = |d, h, min| chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, d, h, min, 0).unwrap();
        let blocks = timer_blocks(at(23, 22, 30), at(23, 23, 45));
        let entry = |block: &DayBlock| TimeEntry {
            id: TimeEntryId(uuid::Uuid::from_u128(1)),
            pool: crate::ids::PoolId(uuid::Uuid::from_u128(2)),
            companion: UserId(uuid::Uuid::from_u128(3)),
            date: block.date,
            start: block.start,
            end: block.end,
            category: TimeCategory::Indirect(IndirectKind::Documentation),
            note: String::new(),
        };
        let minutes: u32 = blocks.iter().map(|block| validate_entry(&entry(block)).unwrap()).sum();
        assert_eq!(minutes, 75, "23:30 to 00:45 is 75 minutes, all of them");
        // An entry typed as 22:00–00:00 ends at midnight; 00:00–00:00 is no entry.
        let typed = TimeEntry { start: hm(22, 0), end: hm(0, 0), ..entry(&blocks[0]) };
        assert_eq!(validate_entry(&typed), Ok(120));
        let empty = TimeEntry { start: hm(0, 0), end: hm(0, 0), ..entry(&blocks[0]) };
        assert_eq!(validate_entry(&empty), Err(ValidationError::EndNotAfterStart));
    }

    proptest! {
        /// The shares always add up to the companion-minutes, and no two participants differ by more
        /// than one minute.
        #[test]
        fn split_conserves_minutes(minutes in 1u32..600, named in 0u128..12, unnamed in 0u16..12, companions in 1usize..4) {
            prop_assume!(named > 0 || unnamed > 0);
            let staff: Vec<UserId> = (0..companions).map(|n| UserId(Uuid::from_u128(100 + n as u128))).collect();
            let s = session(minutes, named, unnamed, &staff);
            let split = split_session(&s);
            let named_sum: u32 = split.per_child.values().sum();
            prop_assert_eq!(named_sum + split.unnamed, minutes * companions as u32);
            let shares: BTreeSet<u32> = split.per_child.values().copied().collect();
            if let (Some(low), Some(high)) = (shares.first(), shares.last()) {
                prop_assert!(high - low <= 1);
            }
        }

        /// An entry's length never depends on the DST switch except by the switch itself.
        #[test]
        fn entry_minutes_match_wall_clock_except_on_switch_days(days in 0i64..3650, start in 0u32..1380, length in 1u32..600) {
            let date = day(2026, 1, 1) + chrono::Duration::days(days);
            let end = start + length;
            prop_assume!(end < 24 * 60);
            let e = entry(1, date, hm(start / 60, start % 60), hm(end / 60, end % 60), PLANNING);
            let midnight = calendar::from_berlin(date.and_time(hm(0, 0))).unwrap();
            let next_midnight = calendar::from_berlin((date + chrono::Duration::days(1)).and_time(hm(0, 0))).unwrap();
            let switch_day = (next_midnight - midnight).num_minutes() != 24 * 60;
            match validate_entry(&e) {
                Ok(minutes) if switch_day => prop_assert!(minutes.abs_diff(length) <= 60),
                Ok(minutes) => prop_assert_eq!(minutes, length),
                Err(error) => {
                    prop_assert!(switch_day);
                    prop_assert!(matches!(error, ValidationError::TimeDoesNotExist { .. }), "{error:?}");
                }
            }
        }
    }
}
