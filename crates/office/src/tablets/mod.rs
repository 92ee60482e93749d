//! The provider's tablets, as the office lists them: active ones first, the most recently connected at
//! the top; revoked ones after them. Each shows what it last reported holding — per person signed in
//! on it, the changes the server does not have yet and since when — so that a team lead sees which
//! tablet must sync before it is revoked, and the revocation says what would be lost. The list can be
//! narrowed to one pool (the tablets of its members) or one person.

pub mod page;

use begleitbuch_domain::account::{TabletPerson, TabletView};
use begleitbuch_domain::ids::{DeviceId, PoolId, UserId};
use begleitbuch_domain::org::PoolDirectory;
use begleitbuch_web::lang::{Lang, Text};

use crate::texts;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TabletRow {
    pub id: DeviceId,
    pub label: String,
    pub last_seen_at: i64,
    pub status: Text,
    pub revoked: bool,
    pub people: Vec<TabletPerson>,
    /// The changes it last reported, over everyone on it, and when the oldest was made.
    pub unsent: u32,
    pub unresolved: u32,
    pub oldest_at: Option<i64>,
    /// Whether any person's report has arrived (an app older than the reports sends none).
    pub reported: bool,
    pub app_version: Option<String>,
}

/// Which tablets the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    All,
    Pool(PoolId),
    Person(UserId),
}

impl Filter {
    /// The select's value for this filter, and back.
    pub fn code(self) -> String {
        match self {
            Filter::All => String::new(),
            Filter::Pool(pool) => format!("pool:{}", pool.0),
            Filter::Person(user) => format!("person:{}", user.0),
        }
    }

    pub fn parse(code: &str) -> Filter {
        let id = |rest: &str| uuid::Uuid::parse_str(rest).ok();
        match code.split_once(':') {
            Some(("pool", rest)) => id(rest).map_or(Filter::All, |id| Filter::Pool(PoolId(id))),
            Some(("person", rest)) => id(rest).map_or(Filter::All, |id| Filter::Person(UserId(id))),
            _ => Filter::All,
        }
    }
}

/// The rows of the list, in the order shown.
pub fn rows(tablets: Vec<TabletView>) -> Vec<TabletRow> {
    let mut rows: Vec<TabletRow> = tablets
        .into_iter()
        .map(|tablet| {
            let reports = || tablet.people.iter().filter_map(|person| person.holding.as_ref());
            let latest = tablet
                .people
                .iter()
                .filter_map(|person| Some((person.reported_at?, person.holding.as_ref()?)))
                .max_by_key(|(at, _)| *at);
            TabletRow {
                id: tablet.id,
                status: if tablet.revoked { texts::REVOKED } else { texts::ACTIVE },
                unsent: reports().map(|h| h.unsent).sum(),
                unresolved: reports().map(|h| h.unresolved).sum(),
                oldest_at: reports().filter_map(|h| h.oldest_at).min(),
                reported: reports().next().is_some(),
                app_version: latest.map(|(_, holding)| holding.app_version.clone()),
                label: tablet.label,
                last_seen_at: tablet.last_seen_at,
                revoked: tablet.revoked,
                people: tablet.people,
            }
        })
        .collect();
    rows.sort_by(|a, b| a.revoked.cmp(&b.revoked).then(b.last_seen_at.cmp(&a.last_seen_at)));
    rows
}

/// The rows the filter keeps: a pool's are the tablets someone of the pool is (or was) on.
pub fn filtered(rows: &[TabletRow], filter: Filter, pools: &[PoolDirectory]) -> Vec<TabletRow> {
    let keeps = |row: &TabletRow| match filter {
        Filter::All => true,
        Filter::Person(user) => row.people.iter().any(|p| p.user == user),
        Filter::Pool(pool) => pools
            .iter()
            .filter(|directory| directory.id == pool)
            .flat_map(|directory| &directory.people)
            .any(|member| row.people.iter().any(|p| p.user == member.id)),
    };
    rows.iter().filter(|row| keeps(row)).cloned().collect()
}

/// The people the filter offers: everyone on any tablet, once, by name.
pub fn people(rows: &[TabletRow]) -> Vec<(UserId, String)> {
    let mut people: Vec<(UserId, String)> =
        rows.iter().flat_map(|row| &row.people).map(|p| (p.user, p.display_name.clone())).collect();
    people.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    people.dedup_by_key(|(user, _)| *user);
    people
}

/// "41 ungesendete Änderungen seit Dienstag, 1 wartet unter „Zu klären“", or that nothing waits, or
/// that the tablet has not reported yet. `since` formats the oldest change's time.
pub fn holding_line(
    lang: Lang,
    unsent: u32,
    unresolved: u32,
    oldest: Option<String>,
    reported: bool,
) -> String {
    if !reported {
        return texts::HOLDING_UNKNOWN.get(lang).to_owned();
    }
    let total = unsent + unresolved;
    if total == 0 {
        return texts::HOLDING_NOTHING.get(lang).to_owned();
    }
    let oldest = oldest.unwrap_or_default();
    let mut line = match total {
        1 => texts::HOLDING_ONE.fill(lang, &[&oldest]),
        n => texts::HOLDING_MANY.fill(lang, &[&n.to_string(), &oldest]),
    };
    if unresolved > 0 {
        line.push_str(&texts::HOLDING_UNRESOLVED.fill(lang, &[&unresolved.to_string()]));
    }
    line
}

/// What the revocation's confirmation says will be lost.
pub fn revoke_question(lang: Lang, row: &TabletRow, reported_when: Option<String>) -> String {
    let total = (row.unsent + row.unresolved).to_string();
    match (row.reported, row.unsent + row.unresolved, reported_when) {
        (false, _, _) | (true, _, None) => texts::REVOKE_UNKNOWN.fill(lang, &[&row.label]),
        (true, 0, Some(when)) => texts::REVOKE_NOTHING.fill(lang, &[&row.label, &when]),
        (true, 1, Some(when)) => texts::REVOKE_LOSES_ONE.fill(lang, &[&row.label, &when]),
        (true, _, Some(when)) => texts::REVOKE_LOSES.fill(lang, &[&row.label, &total, &when]),
    }
}

/// When the tablet last reported (its newest report over everyone on it).
pub fn reported_at(row: &TabletRow) -> Option<i64> {
    row.people.iter().filter_map(|person| person.reported_at).max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::org::PoolPerson;
    use begleitbuch_domain::people::Role;
    use begleitbuch_domain::protocol::Holding;
    use uuid::Uuid;

    fn person(n: u128, unsent: u32, unresolved: u32, oldest_at: Option<i64>) -> TabletPerson {
        TabletPerson {
            user: UserId(Uuid::from_u128(n)),
            display_name: format!("Person {n}"),
            signed_in: true,
            holding: Some(Holding { unsent, unresolved, oldest_at, app_version: format!("0.{n}.0") }),
            reported_at: Some(1000 + n as i64),
        }
    }

    fn tablet(label: &str, last_seen_at: i64, revoked: bool, people: Vec<TabletPerson>) -> TabletView {
        let id = DeviceId(Uuid::from_u128(last_seen_at.unsigned_abs().into()));
        TabletView { id, label: label.into(), last_seen_at, revoked, people }
    }

    #[test]
    fn active_tablets_come_first_most_recent_at_the_top() {
        let rows = rows(vec![
            tablet("Tablet 1", 100, false, vec![]),
            tablet("Tablet alt", 900, true, vec![]),
            tablet("Tablet 2", 300, false, vec![]),
        ]);
        let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["Tablet 2", "Tablet 1", "Tablet alt"]);
        assert_eq!(rows[2].status, texts::REVOKED);
        assert_eq!(rows[0].status, texts::ACTIVE);
    }

    #[test]
    fn a_tablet_adds_up_what_everyone_on_it_holds_since_the_oldest_change() {
        let never = TabletPerson { holding: None, reported_at: None, ..person(3, 0, 0, None) };
        let rows = rows(vec![tablet(
            "Tablet 3",
            50,
            false,
            vec![person(1, 40, 0, Some(700)), person(2, 0, 1, Some(600)), never],
        )]);
        let row = &rows[0];
        assert_eq!((row.unsent, row.unresolved, row.oldest_at, row.reported), (40, 1, Some(600), true));
        assert_eq!(row.app_version.as_deref(), Some("0.2.0"), "the newest report's version");
        assert_eq!(reported_at(row), Some(1002));
        let line = holding_line(Lang::De, row.unsent, row.unresolved, Some("Dienstag".into()), row.reported);
        assert_eq!(line, "41 ungesendete Änderungen seit Dienstag, davon 1 unter „Zu klären“");
        assert_eq!(holding_line(Lang::De, 0, 0, None, true), texts::HOLDING_NOTHING.de);
        assert_eq!(holding_line(Lang::En, 0, 0, None, false), texts::HOLDING_UNKNOWN.en);
        assert_eq!(
            revoke_question(Lang::De, row, Some("heute".into())),
            "Tablet 3 sperren? Es löscht bei seiner nächsten Verbindung alle Daten. Die 41 Änderungen, die es zuletzt (heute) als nicht übertragen gemeldet hat, gehen verloren."
        );
    }

    #[test]
    fn a_pool_keeps_the_tablets_its_members_are_on_and_a_person_their_own() {
        let rows = rows(vec![
            tablet("A", 3, false, vec![person(1, 0, 0, None)]),
            tablet("B", 2, false, vec![person(2, 0, 0, None)]),
            tablet("C", 1, false, vec![person(1, 0, 0, None), person(2, 0, 0, None)]),
        ]);
        let pool = PoolId(Uuid::from_u128(9));
        let member = PoolPerson {
            id: UserId(Uuid::from_u128(2)),
            display_name: "Person 2".into(),
            role: Role::Companion,
        };
        let pools = [PoolDirectory {
            id: pool,
            institution: "Schule".into(),
            school_year: 2026,
            people: vec![member],
        }];
        let labels =
            |filter| filtered(&rows, filter, &pools).into_iter().map(|r| r.label).collect::<Vec<_>>();
        assert_eq!(labels(Filter::Pool(pool)), ["B", "C"]);
        assert_eq!(labels(Filter::Person(UserId(Uuid::from_u128(1)))), ["A", "C"]);
        assert_eq!(labels(Filter::All), ["A", "B", "C"]);
        assert_eq!(people(&rows).len(), 2);
        for filter in [Filter::All, Filter::Pool(pool), Filter::Person(UserId(Uuid::from_u128(1)))] {
            assert_eq!(Filter::parse(&filter.code()), filter);
        }
        assert_eq!(Filter::parse("pool:kaputt"), Filter::All);
    }
}
