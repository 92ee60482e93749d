//! The weekly review, absences and cover.

use crate::code::coded_enum;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Week;
use crate::child::{Child, SupportStatus};
use crate::ids::{AbsenceId, CoverGrantId, PoolId, UserId, WeekReviewId};
use crate::record::{Record, RecordKind, Stamp};
use crate::validate::{self, ValidationError};

coded_enum! {
    pub enum ReviewStatus {
        /// The companion is still recording.
        Open = "open",
        /// Handed in for review.
        Submitted = "submitted",
        /// Approved by the team lead: the week is locked on the server.
        Approved = "approved",
        /// Sent back with a comment; the companion corrects and submits again.
        Returned = "returned",
    }
}

impl ReviewStatus {
    pub fn locks_the_week(self) -> bool {
        self == ReviewStatus::Approved
    }
}

/// One companion's week in one pool (*Leistungsnachweis* once approved).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekReview {
    pub id: WeekReviewId,
    pub pool: PoolId,
    pub companion: UserId,
    pub week: Week,
    pub status: ReviewStatus,
    pub comment: String,
    pub decided: Option<Stamp>,
}

/// Whether `companion`'s week of `date` is approved, so their work of that day can no longer change
/// (the server refuses it; the app says so before anyone types).
pub fn week_approved(reviews: &[WeekReview], companion: UserId, date: NaiveDate) -> bool {
    let week = Week::of(date);
    reviews.iter().any(|r| r.companion == companion && r.week == week && r.status.locks_the_week())
}

coded_enum! {
    pub enum AbsenceReason {
        Sick = "sick",
        Holiday = "holiday",
        Training = "training",
    }
}

/// A companion away for whole days; the team lead sees the children affected and arranges cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Absence {
    pub id: AbsenceId,
    /// The pool whose children go without their companion: its team lead arranges cover.
    pub pool: PoolId,
    pub companion: UserId,
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub reason: AbsenceReason,
}

/// Lets a companion see and record for another pool's children for a dated period (*Vertretung*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverGrant {
    pub id: CoverGrantId,
    pub pool: PoolId,
    pub companion: UserId,
    pub from: NaiveDate,
    pub until: NaiveDate,
    pub absence: Option<AbsenceId>,
}

impl CoverGrant {
    pub fn is_active_on(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.until
    }

    /// Cover for `absence`'s pool on `from..=until`, by `companion` — someone other than the absent
    /// companion, and not someone who already covers some of these days for this absence (`existing`):
    /// a double tap, or a second look at the same board, grants once.
    pub fn for_absence(
        id: CoverGrantId,
        absence: &Absence,
        companion: Option<UserId>,
        (from, until): (NaiveDate, NaiveDate),
        existing: &[CoverGrant],
    ) -> Result<CoverGrant, CoverRefusal> {
        let companion = companion.filter(|c| *c != absence.companion).ok_or(CoverRefusal::NoCompanion)?;
        validate::date_range(from, until).map_err(CoverRefusal::Days)?;
        if existing.iter().any(|g| {
            g.absence == Some(absence.id) && g.companion == companion && g.from <= until && from <= g.until
        }) {
            return Err(CoverRefusal::AlreadyCovered);
        }
        Ok(CoverGrant { id, pool: absence.pool, companion, from, until, absence: Some(absence.id) })
    }
}

/// Why a cover cannot be granted as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoverRefusal {
    /// Nobody chosen, or the absent companion themselves.
    NoCompanion,
    /// The companion already covers some of these days for this absence.
    AlreadyCovered,
    Days(ValidationError),
}

/// The children an absence leaves without their companion: the pool's children still supported, by
/// name.
pub fn affected_children<'a>(absence: &Absence, children: &'a [Child]) -> Vec<&'a Child> {
    let mut affected: Vec<&Child> =
        children.iter().filter(|c| c.pool == absence.pool && c.status != SupportStatus::Ended).collect();
    affected.sort_by_key(|c| c.display_name.to_lowercase());
    affected
}

impl Record for WeekReview {
    const KIND: RecordKind = RecordKind::WeekReview;
}

impl Record for Absence {
    const KIND: RecordKind = RecordKind::Absence;
}

impl Record for CoverGrant {
    const KIND: RecordKind = RecordKind::CoverGrant;
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    #[test]
    fn only_an_approved_review_of_the_companions_week_locks_a_day() {
        let anna = UserId(Uuid::from_u128(1));
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let review = |status, companion| WeekReview {
            id: WeekReviewId(Uuid::from_u128(9)),
            pool: PoolId(Uuid::from_u128(2)),
            companion,
            week: Week::of(day),
            status,
            comment: String::new(),
            decided: None,
        };
        assert!(week_approved(&[review(ReviewStatus::Approved, anna)], anna, day));
        assert!(!week_approved(&[review(ReviewStatus::Submitted, anna)], anna, day));
        assert!(!week_approved(&[review(ReviewStatus::Approved, UserId(Uuid::from_u128(3)))], anna, day));
        let next_week = day + chrono::Duration::days(7);
        assert!(!week_approved(&[review(ReviewStatus::Approved, anna)], anna, next_week));
    }

    const ANNA: UserId = UserId(Uuid::from_u128(1));
    const BEN: UserId = UserId(Uuid::from_u128(2));
    const POOL: PoolId = PoolId(Uuid::from_u128(10));

    fn nov(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn anna_sick() -> Absence {
        Absence {
            id: AbsenceId(Uuid::from_u128(5)),
            pool: POOL,
            companion: ANNA,
            from: nov(24),
            until: nov(26),
            reason: AbsenceReason::Sick,
        }
    }

    /// A grant for Anna's absence to `companion` over these days, beside the `existing` grants.
    fn grant(
        n: u128,
        companion: UserId,
        days: (u32, u32),
        existing: &[CoverGrant],
    ) -> Result<CoverGrant, CoverRefusal> {
        CoverGrant::for_absence(
            CoverGrantId(Uuid::from_u128(n)),
            &anna_sick(),
            Some(companion),
            (nov(days.0), nov(days.1)),
            existing,
        )
    }

    #[test]
    fn cover_goes_to_someone_else_for_the_absent_companions_pool() {
        let absent = anna_sick();
        let grant = grant(6, BEN, (24, 25), &[]).unwrap();
        assert_eq!((grant.pool, grant.companion, grant.absence), (POOL, BEN, Some(absent.id)));
        assert!(grant.is_active_on(nov(25)) && !grant.is_active_on(nov(26)));
        let id = CoverGrantId(Uuid::nil());
        let day = (nov(24), nov(24));
        assert_eq!(
            CoverGrant::for_absence(id, &absent, Some(ANNA), day, &[]),
            Err(CoverRefusal::NoCompanion)
        );
        assert_eq!(CoverGrant::for_absence(id, &absent, None, day, &[]), Err(CoverRefusal::NoCompanion));
        assert_eq!(
            CoverGrant::for_absence(id, &absent, Some(BEN), (nov(25), nov(24)), &[]),
            Err(CoverRefusal::Days(ValidationError::UntilBeforeFrom))
        );
    }

    #[test]
    fn a_double_tap_on_vertretung_eintragen_creates_one_cover_grant() {
        let first = grant(6, BEN, (24, 25), &[]).unwrap();
        let existing = std::slice::from_ref(&first);
        assert_eq!(grant(7, BEN, (25, 25), existing), Err(CoverRefusal::AlreadyCovered));
        // Later days, or someone else, are a grant of their own.
        assert!(grant(8, BEN, (26, 26), existing).is_ok());
        let carla = UserId(Uuid::from_u128(0xC));
        assert!(grant(9, carla, (24, 25), existing).is_ok());
    }

    #[test]
    fn the_affected_children_are_the_pools_current_children() {
        use crate::child::LegalBasis;
        use crate::ids::ChildId;
        let child = |n: u128, name: &str, pool: PoolId, status| Child {
            id: ChildId(Uuid::from_u128(n)),
            pool,
            display_name: name.into(),
            group: "1a".into(),
            legal_basis: LegalBasis::SystemicOnly,
            approved_minutes_per_week: None,
            status,
            approved_on: None,
            since: nov(1),
            until: None,
        };
        let children = [
            child(1, "Kind B.", POOL, SupportStatus::Supported),
            child(2, "Kind A.", POOL, SupportStatus::Unsupplied),
            child(3, "Kind C.", POOL, SupportStatus::Ended),
            child(4, "Kind D.", PoolId(Uuid::nil()), SupportStatus::Supported),
        ];
        let names: Vec<&str> =
            affected_children(&anna_sick(), &children).iter().map(|c| c.display_name.as_str()).collect();
        assert_eq!(names, ["Kind A.", "Kind B."]);
    }
}
