//! The weekly review, absences and cover.

use crate::code::coded_enum;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Week;
use crate::ids::{AbsenceId, CoverGrantId, PoolId, UserId, WeekReviewId};
use crate::record::{Record, RecordKind, Stamp};

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
}
