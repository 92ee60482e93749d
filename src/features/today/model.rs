//! Heute as plain Rust: the companion's day as one timeline of time entries and group sessions, the
//! direct and indirect totals (a session is direct time for every companion in it, derived from the
//! session and never copied), and the children they worked with.

use std::collections::{BTreeMap, BTreeSet};

use begleitbuch_domain::child::Child;
use begleitbuch_domain::ids::{ChildId, TimeEntryId, UserId};
use begleitbuch_domain::work::{GroupSession, Observation, TimeEntry};
use begleitbuch_domain::worktime::{day_totals, overlaps_a_session, DayTotals};
use chrono::{NaiveDate, NaiveTime};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimelineItem {
    Entry(TimeEntry),
    Session(GroupSession),
}

impl TimelineItem {
    pub fn start(&self) -> NaiveTime {
        match self {
            TimelineItem::Entry(entry) => entry.start,
            TimelineItem::Session(session) => session.start,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayOverview {
    pub totals: DayTotals,
    /// Entries and the sessions the companion took part in, by start time.
    pub timeline: Vec<TimelineItem>,
    /// Entries that share time with a session the companion is in (typically a timer that ran during
    /// it); the totals count that time once, and the timeline says so.
    pub overlapping_sessions: BTreeSet<TimeEntryId>,
    /// The children named in the day's sessions or observed that day, by name; a child not on this
    /// device (yet) is left out.
    pub children: Vec<(ChildId, String)>,
}

impl DayOverview {
    pub fn of(
        me: UserId,
        day: NaiveDate,
        entries: &[TimeEntry],
        sessions: &[GroupSession],
        observations: &[Observation],
        children: &[Child],
    ) -> Self {
        let entries: Vec<&TimeEntry> =
            entries.iter().filter(|e| e.companion == me && e.date == day).collect();
        let sessions: Vec<&GroupSession> =
            sessions.iter().filter(|s| s.date == day && s.companions.contains(&me)).collect();
        let totals = day_totals(me, day, entries.iter().copied(), sessions.iter().copied());
        let overlapping_sessions = entries
            .iter()
            .filter(|entry| overlaps_a_session(entry, sessions.iter().copied()))
            .map(|entry| entry.id)
            .collect();
        let mut timeline: Vec<TimelineItem> = entries
            .iter()
            .map(|e| TimelineItem::Entry((*e).clone()))
            .chain(sessions.iter().map(|s| TimelineItem::Session((*s).clone())))
            .collect();
        timeline.sort_by_key(TimelineItem::start);
        let names: BTreeMap<ChildId, &str> =
            children.iter().map(|c| (c.id, c.display_name.as_str())).collect();
        let mut worked_with: Vec<(ChildId, String)> = sessions
            .iter()
            .flat_map(|s| s.children.iter().copied())
            .chain(observations.iter().filter(|o| o.author == me && o.date == day).map(|o| o.child))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter_map(|id| names.get(&id).map(|name| (id, (*name).to_owned())))
            .collect();
        worked_with.sort_by_key(|(_, name)| name.to_lowercase());
        DayOverview { totals, timeline, overlapping_sessions, children: worked_with }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::child::{LegalBasis, SupportStatus};
    use begleitbuch_domain::ids::{ObservationId, PoolId, SessionId, TimeEntryId};
    use begleitbuch_domain::work::{DirectKind, IndirectKind, SessionKind, TimeCategory, Visibility};
    use uuid::Uuid;

    const ME: UserId = UserId(Uuid::from_u128(1));
    const PARTNER: UserId = UserId(Uuid::from_u128(2));

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn entry(n: u128, start: NaiveTime, end: NaiveTime, category: TimeCategory) -> TimeEntry {
        TimeEntry {
            id: TimeEntryId(Uuid::from_u128(n)),
            pool: PoolId(Uuid::nil()),
            companion: ME,
            date: day(),
            start,
            end,
            category,
            note: String::new(),
        }
    }

    fn session(n: u128, start: NaiveTime, companions: &[UserId], children: &[u128]) -> GroupSession {
        GroupSession {
            id: SessionId(Uuid::from_u128(n)),
            pool: PoolId(Uuid::nil()),
            date: day(),
            start,
            duration_minutes: 45,
            kind: SessionKind::SocialEmotionalLearning,
            group: "1a".into(),
            children: children.iter().map(|c| ChildId(Uuid::from_u128(*c))).collect(),
            unnamed_participants: 0,
            companions: companions.iter().copied().collect(),
            note: String::new(),
        }
    }

    fn child(n: u128, name: &str) -> Child {
        Child {
            id: ChildId(Uuid::from_u128(n)),
            pool: PoolId(Uuid::nil()),
            display_name: name.into(),
            group: "1a".into(),
            legal_basis: LegalBasis::Sgb8Section35a,
            approved_minutes_per_week: Some(600),
            status: SupportStatus::Supported,
            approved_on: None,
            since: day(),
            until: None,
        }
    }

    #[test]
    fn a_shared_session_is_direct_time_in_my_timeline_and_brings_its_children() {
        let entries = [
            entry(1, time(8, 0), time(9, 0), TimeCategory::Direct(DirectKind::Individual)),
            entry(2, time(13, 0), time(13, 30), TimeCategory::Indirect(IndirectKind::Documentation)),
        ];
        // The partner recorded the 10:00 session with me in it; the 11:00 one is theirs alone.
        let sessions =
            [session(3, time(10, 0), &[PARTNER, ME], &[20]), session(4, time(11, 0), &[PARTNER], &[21])];
        let observation = Observation {
            id: ObservationId(Uuid::from_u128(5)),
            pool: PoolId(Uuid::nil()),
            child: ChildId(Uuid::from_u128(22)),
            author: ME,
            date: day(),
            domains: Default::default(),
            goal: None,
            text: "Hat vorgelesen.".into(),
            visibility: Visibility::Internal,
        };
        let children = [child(20, "Kind B."), child(21, "Kind C."), child(22, "Kind A.")];
        let overview = DayOverview::of(ME, day(), &entries, &sessions, &[observation], &children);
        assert_eq!(overview.totals, DayTotals { direct: 60 + 45, indirect: 30 });
        assert!(overview.overlapping_sessions.is_empty());
        let starts: Vec<NaiveTime> = overview.timeline.iter().map(TimelineItem::start).collect();
        assert_eq!(starts, [time(8, 0), time(10, 0), time(13, 0)]);
        let names: Vec<&str> = overview.children.iter().map(|(_, name)| name.as_str()).collect();
        assert_eq!(names, ["Kind A.", "Kind B."]);
    }

    #[test]
    fn a_timer_that_ran_during_a_session_is_marked_and_counted_once() {
        let timer = entry(1, time(10, 0), time(11, 0), TimeCategory::Direct(DirectKind::Group));
        let sessions = [session(2, time(10, 0), &[PARTNER, ME], &[20])];
        let overview = DayOverview::of(ME, day(), std::slice::from_ref(&timer), &sessions, &[], &[]);
        assert_eq!(overview.totals, DayTotals { direct: 60, indirect: 0 });
        assert_eq!(overview.overlapping_sessions, BTreeSet::from([timer.id]));
    }
}
