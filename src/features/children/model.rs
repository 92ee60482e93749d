//! Kinder as plain Rust: the children of the companion's pools with what was delivered to each this
//! week and this month (their share of group sessions, by the domain's split rule) and which consents
//! their parents gave. The page only renders the rows.

use begleitbuch_domain::child::{Child, SupportStatus};
use begleitbuch_domain::consent::{is_granted, Consent, ConsentPurpose};
use begleitbuch_domain::work::GroupSession;
use begleitbuch_domain::worktime::delivered;
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildRow {
    pub child: Child,
    /// Minutes credited to the child from group sessions in the week of `today`.
    pub week_minutes: u32,
    /// The same in the calendar month of `today`.
    pub month_minutes: u32,
    pub documentation: bool,
    pub naming: bool,
    pub parent_summary: bool,
}

/// The rows, current children first (ended ones last), then by name.
pub fn child_rows(
    children: &[Child],
    sessions: &[GroupSession],
    consents: &[Consent],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Vec<ChildRow> {
    let delivered = delivered(sessions, today);
    let mut rows: Vec<ChildRow> = children
        .iter()
        .map(|child| ChildRow {
            week_minutes: delivered.get(&child.id).map_or(0, |d| d.week_minutes),
            month_minutes: delivered.get(&child.id).map_or(0, |d| d.month_minutes),
            documentation: is_granted(consents, child.id, ConsentPurpose::Documentation, now),
            naming: is_granted(consents, child.id, ConsentPurpose::Naming, now),
            parent_summary: is_granted(consents, child.id, ConsentPurpose::ParentSummary, now),
            child: child.clone(),
        })
        .collect();
    rows.sort_by(|a, b| {
        let ended = |row: &ChildRow| row.child.status == SupportStatus::Ended;
        (ended(a), a.child.display_name.to_lowercase()).cmp(&(ended(b), b.child.display_name.to_lowercase()))
    });
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::child::LegalBasis;
    use begleitbuch_domain::consent::ConsentState;
    use begleitbuch_domain::ids::{ChildId, ConsentId, GuardianId, PoolId, SessionId, UserId};
    use begleitbuch_domain::work::SessionKind;
    use chrono::{Datelike, NaiveTime, TimeZone};
    use uuid::Uuid;

    fn child(id: u128, name: &str, status: SupportStatus) -> Child {
        Child {
            id: ChildId(Uuid::from_u128(id)),
            pool: PoolId(Uuid::nil()),
            display_name: name.into(),
            group: "1a".into(),
            legal_basis: LegalBasis::Sgb8Section35a,
            approved_minutes_per_week: Some(600),
            status,
            approved_on: None,
            since: NaiveDate::from_ymd_opt(2026, 8, 1).unwrap(),
            until: None,
        }
    }

    fn session(date: NaiveDate, children: &[u128]) -> GroupSession {
        GroupSession {
            id: SessionId(Uuid::from_u128(u128::from(date.ordinal()))),
            pool: PoolId(Uuid::nil()),
            date,
            start: NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            duration_minutes: 45,
            kind: SessionKind::SocialEmotionalLearning,
            group: "1a".into(),
            children: children.iter().map(|c| ChildId(Uuid::from_u128(*c))).collect(),
            unnamed_participants: 3,
            companions: [UserId(Uuid::from_u128(1)), UserId(Uuid::from_u128(2))].into(),
            note: String::new(),
        }
    }

    #[test]
    fn sessions_count_toward_the_children_in_them_by_week_and_month() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let today = day(23); // a Monday
        let children =
            [child(1, "Mila", SupportStatus::Supported), child(2, "ali", SupportStatus::Supported)];
        // 45 minutes × 2 companions over 2 named and 3 unnamed participants: 18 minutes each.
        let sessions = [session(day(23), &[1, 2]), session(day(20), &[1, 2]), session(day(19), &[1])];
        let consent = Consent {
            id: ConsentId(Uuid::from_u128(9)),
            child: ChildId(Uuid::from_u128(1)),
            purpose: ConsentPurpose::Naming,
            text_version: "2026-08".into(),
            state: ConsentState::Granted,
            custodian: GuardianId(Uuid::from_u128(5)),
            at: Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap(),
            recorded_by: None,
            form: None,
        };
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let rows = child_rows(&children, &sessions, &[consent], today, now);
        let summary: Vec<_> = rows
            .iter()
            .map(|r| (r.child.display_name.as_str(), r.week_minutes, r.month_minutes, r.naming))
            .collect();
        // Mila alone on the 19th: 90 minutes over 1 named and 3 unnamed → 23 (22 and 1 left over).
        assert_eq!(summary, vec![("ali", 18, 36, false), ("Mila", 18, 18 + 18 + 23, true)]);
    }
}
