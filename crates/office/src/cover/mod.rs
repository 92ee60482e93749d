//! Vertretung in the office: who is absent now or soon, which children go without their companion, and
//! the cover granted for them. Built from what the office reads online (absences, cover grants,
//! children, the provider's pools); a grant or its end is one online write, which the covering
//! companion's tablet receives at its next sync.

pub mod page;

use std::collections::BTreeMap;

use begleitbuch_domain::child::Child;
use begleitbuch_domain::ids::{CoverGrantId, UserId};
use begleitbuch_domain::org::PoolDirectory;
use begleitbuch_domain::people::Role;
use begleitbuch_domain::protocol::{OfficeWrite, RecordView};
use begleitbuch_domain::record::{Change, Record};
use begleitbuch_domain::review::{affected_children, Absence, CoverGrant, CoverRefusal};
use begleitbuch_web::format::parse_day;
use begleitbuch_web::lang::Text;
use chrono::NaiveDate;
use uuid::Uuid;

use crate::texts;

/// The record kinds the board is made of, as the office asks for them.
pub const KINDS: &str = "absence,cover_grant,child";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    /// Current and coming absences, soonest first.
    pub absences: Vec<AbsenceCard>,
    /// Every companion of the provider, with the institution of their (first) pool, by name.
    pub companions: Vec<(UserId, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsenceCard {
    pub absence: Absence,
    pub who: String,
    pub institution: String,
    /// The children left without their companion, by name.
    pub affected: Vec<String>,
    pub grants: Vec<GrantLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantLine {
    pub grant: CoverGrant,
    /// The version the office read: ending the grant is based on it.
    pub version: u64,
    pub companion: String,
}

fn all<T: Record>(records: &[RecordView]) -> Vec<(T, u64)> {
    records.iter().filter_map(|r| r.decode::<T>().map(|record| (record, r.version))).collect()
}

/// The board on `today` (Europe/Berlin): absences that have not ended, with their cover.
pub fn board(records: &[RecordView], directory: &[PoolDirectory], today: NaiveDate) -> Board {
    let mut names = BTreeMap::new();
    let mut companions: Vec<(UserId, String)> = Vec::new();
    for pool in directory {
        for person in &pool.people {
            names.entry(person.id).or_insert_with(|| person.display_name.clone());
            if person.role == Role::Companion && !companions.iter().any(|(id, _)| *id == person.id) {
                companions.push((person.id, format!("{} · {}", person.display_name, pool.institution)));
            }
        }
    }
    companions.sort_by(|a, b| a.1.cmp(&b.1));
    let children: Vec<Child> = all::<Child>(records).into_iter().map(|(child, _)| child).collect();
    let grants = all::<CoverGrant>(records);
    let name = |user: &UserId| names.get(user).cloned().unwrap_or_default();
    let mut absences: Vec<Absence> =
        all::<Absence>(records).into_iter().map(|(a, _)| a).filter(|a| a.until >= today).collect();
    absences.sort_by_key(|a| (a.from, a.until, a.id.0));
    let absences = absences
        .into_iter()
        .map(|absence| AbsenceCard {
            who: name(&absence.companion),
            institution: directory
                .iter()
                .find(|pool| pool.id == absence.pool)
                .map(|pool| pool.institution.clone())
                .unwrap_or_default(),
            affected: affected_children(&absence, &children).iter().map(|c| c.display_name.clone()).collect(),
            grants: grants
                .iter()
                .filter(|(grant, _)| grant.absence == Some(absence.id))
                .map(|(grant, version)| GrantLine {
                    grant: grant.clone(),
                    version: *version,
                    companion: name(&grant.companion),
                })
                .collect(),
            absence,
        })
        .collect();
    Board { absences, companions }
}

/// The write that grants `companion` cover for `card`'s absence on the typed days; `ids` are the new
/// grant's id and the change's.
pub fn grant(
    card: &AbsenceCard,
    companion: Option<UserId>,
    (from, until): (&str, &str),
    (grant_id, change_id): (Uuid, Uuid),
) -> Result<OfficeWrite, Text> {
    let days = parse_day(from).zip(parse_day(until)).ok_or(texts::COVER_NOT_A_DATE)?;
    let existing: Vec<CoverGrant> = card.grants.iter().map(|line| line.grant.clone()).collect();
    let made = CoverGrant::for_absence(CoverGrantId(grant_id), &card.absence, companion, days, &existing)
        .map_err(|refusal| match refusal {
            CoverRefusal::NoCompanion => texts::COVER_NO_COMPANION,
            CoverRefusal::AlreadyCovered => texts::COVER_ALREADY,
            CoverRefusal::Days(_) => texts::COVER_UNTIL_BEFORE_FROM,
        })?;
    let change = Change::between(None, &made).ok_or(texts::COVER_NO_COMPANION)?;
    Ok(OfficeWrite { id: change_id, kind: CoverGrant::KIND, record: grant_id, base_version: 0, change })
}

/// The write that ends a grant (deletes it, on the version the office read).
pub fn end(line: &GrantLine, change_id: Uuid) -> OfficeWrite {
    OfficeWrite {
        id: change_id,
        kind: CoverGrant::KIND,
        record: line.grant.id.0,
        base_version: line.version,
        change: Change::Delete,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::child::{LegalBasis, SupportStatus};
    use begleitbuch_domain::ids::{AbsenceId, ChildId, PoolId};
    use begleitbuch_domain::org::PoolPerson;
    use begleitbuch_domain::record::RecordState;
    use begleitbuch_domain::review::AbsenceReason;

    const ANNA: UserId = UserId(Uuid::from_u128(1));
    const BEN: UserId = UserId(Uuid::from_u128(2));
    const POOL: PoolId = PoolId(Uuid::from_u128(10));
    const OTHER: PoolId = PoolId(Uuid::from_u128(11));

    fn nov(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn view<T: Record>(record: &T, id: u128, pool: PoolId) -> RecordView {
        RecordView::of(RecordState::first_version(T::KIND, Uuid::from_u128(id), record).unwrap(), Some(pool))
    }

    fn absence(id: u128, from: u32, until: u32) -> Absence {
        Absence {
            id: AbsenceId(Uuid::from_u128(id)),
            pool: POOL,
            companion: ANNA,
            from: nov(from),
            until: nov(until),
            reason: AbsenceReason::Sick,
        }
    }

    fn directory() -> Vec<PoolDirectory> {
        let person = |id, name: &str, role| PoolPerson { id, display_name: name.into(), role };
        vec![
            PoolDirectory {
                id: POOL,
                institution: "Schule am Wasser".into(),
                school_year: 2026,
                people: vec![
                    person(ANNA, "Anna", Role::Companion),
                    person(UserId(Uuid::from_u128(9)), "Lea", Role::TeamLead),
                ],
            },
            PoolDirectory {
                id: OTHER,
                institution: "Schule am Park".into(),
                school_year: 2026,
                people: vec![person(BEN, "Ben", Role::Companion)],
            },
        ]
    }

    fn child(n: u128, name: &str) -> Child {
        Child {
            id: ChildId(Uuid::from_u128(n)),
            pool: POOL,
            display_name: name.into(),
            group: "1a".into(),
            legal_basis: LegalBasis::SystemicOnly,
            approved_minutes_per_week: None,
            status: SupportStatus::Supported,
            approved_on: None,
            since: nov(1),
            until: None,
        }
    }

    #[test]
    fn the_board_shows_current_absences_with_the_children_they_affect_and_their_cover() {
        let sick = absence(5, 24, 26);
        let over = absence(6, 2, 3);
        let cover = CoverGrant {
            id: CoverGrantId(Uuid::from_u128(7)),
            pool: POOL,
            companion: BEN,
            from: nov(24),
            until: nov(25),
            absence: Some(sick.id),
        };
        let records = [
            view(&sick, 5, POOL),
            view(&over, 6, POOL),
            view(&cover, 7, POOL),
            view(&child(20, "Kind B."), 20, POOL),
            view(&child(21, "Kind A."), 21, POOL),
        ];
        let board = board(&records, &directory(), nov(24));
        assert_eq!(board.absences.len(), 1, "an absence that has ended is not shown");
        let card = &board.absences[0];
        assert_eq!((card.who.as_str(), card.institution.as_str()), ("Anna", "Schule am Wasser"));
        assert_eq!(card.affected, ["Kind A.", "Kind B."]);
        assert_eq!(card.grants.len(), 1);
        assert_eq!((card.grants[0].companion.as_str(), card.grants[0].version), ("Ben", 1));
        // Companions only, the team lead is no cover.
        let offered: Vec<&str> = board.companions.iter().map(|(_, label)| label.as_str()).collect();
        assert_eq!(offered, ["Anna · Schule am Wasser", "Ben · Schule am Park"]);
    }

    #[test]
    fn a_grant_is_one_write_and_a_second_for_the_same_days_is_refused() {
        let sick = absence(5, 24, 26);
        let board = board(&[view(&sick, 5, POOL)], &directory(), nov(24));
        let card = &board.absences[0];
        let ids = (Uuid::from_u128(70), Uuid::from_u128(71));
        let write = grant(card, Some(BEN), ("2026-11-24", "2026-11-25"), ids).unwrap();
        assert_eq!((write.kind, write.record, write.base_version), (CoverGrant::KIND, ids.0, 0));
        assert_eq!(grant(card, None, ("2026-11-24", "2026-11-25"), ids), Err(texts::COVER_NO_COMPANION));
        assert_eq!(grant(card, Some(BEN), ("24.11.", "2026-11-25"), ids), Err(texts::COVER_NOT_A_DATE));
        assert_eq!(
            grant(card, Some(BEN), ("2026-11-25", "2026-11-24"), ids),
            Err(texts::COVER_UNTIL_BEFORE_FROM)
        );
        let granted = CoverGrant {
            id: CoverGrantId(ids.0),
            pool: POOL,
            companion: BEN,
            from: nov(24),
            until: nov(25),
            absence: Some(sick.id),
        };
        let mut card = card.clone();
        card.grants.push(GrantLine { grant: granted, version: 1, companion: "Ben".into() });
        assert_eq!(grant(&card, Some(BEN), ("2026-11-25", "2026-11-25"), ids), Err(texts::COVER_ALREADY));
        let ended = end(&card.grants[0], Uuid::from_u128(72));
        assert_eq!((ended.change, ended.base_version), (Change::Delete, 1));
    }
}
