//! Absence and cover as plain Rust: a companion marks themselves absent for whole days, and sees the
//! cover granted to them (the team lead grants it in the office).

use begleitbuch_domain::ids::{AbsenceId, PoolId, UserId};
use begleitbuch_domain::review::{Absence, AbsenceReason, CoverGrant};
use begleitbuch_domain::validate;
use chrono::NaiveDate;

use crate::editing::fields::{parse_date, FormError};

/// A day range as typed; both days inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaysDraft {
    pub from: String,
    pub until: String,
}

impl DaysDraft {
    pub fn starting(day: NaiveDate) -> Self {
        let text = day.format("%Y-%m-%d").to_string();
        DaysDraft { from: text.clone(), until: text }
    }

    fn parse(&self) -> Result<(NaiveDate, NaiveDate), FormError> {
        let (from, until) = (parse_date(&self.from)?, parse_date(&self.until)?);
        validate::date_range(from, until).map_err(|e| FormError::Rule(e, None))?;
        Ok((from, until))
    }
}

pub fn absence(
    id: AbsenceId,
    pool: PoolId,
    companion: UserId,
    days: &DaysDraft,
    reason: AbsenceReason,
) -> Result<Absence, FormError> {
    let (from, until) = days.parse()?;
    Ok(Absence { id, pool, companion, from, until, reason })
}

/// The cover grants of `me` in force on `day`.
pub fn my_cover_on(grants: &[CoverGrant], me: UserId, day: NaiveDate) -> Vec<&CoverGrant> {
    grants.iter().filter(|g| g.companion == me && g.is_active_on(day)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::ids::CoverGrantId;
    use begleitbuch_domain::validate::ValidationError;
    use uuid::Uuid;

    const ANNA: UserId = UserId(Uuid::from_u128(1));
    const BEN: UserId = UserId(Uuid::from_u128(2));
    const POOL: PoolId = PoolId(Uuid::from_u128(10));

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    fn days(from: &str, until: &str) -> DaysDraft {
        DaysDraft { from: from.into(), until: until.into() }
    }

    fn anna_sick() -> Absence {
        absence(
            AbsenceId(Uuid::from_u128(5)),
            POOL,
            ANNA,
            &days("2026-11-24", "26.11.2026"),
            AbsenceReason::Sick,
        )
        .unwrap()
    }

    #[test]
    fn an_absence_runs_forward_over_whole_days() {
        let absent = anna_sick();
        assert_eq!((absent.from, absent.until), (day(24), day(26)));
        let backwards = absence(
            AbsenceId(Uuid::nil()),
            POOL,
            ANNA,
            &days("2026-11-26", "2026-11-24"),
            AbsenceReason::Sick,
        );
        assert_eq!(backwards, Err(FormError::Rule(ValidationError::UntilBeforeFrom, None)));
        assert_eq!(
            absence(AbsenceId(Uuid::nil()), POOL, ANNA, &days("", "2026-11-24"), AbsenceReason::Sick),
            Err(FormError::NotADate)
        );
    }

    #[test]
    fn my_cover_is_the_grants_for_me_in_force_that_day() {
        let grant = CoverGrant {
            id: CoverGrantId(Uuid::from_u128(6)),
            pool: POOL,
            companion: BEN,
            from: day(24),
            until: day(25),
            absence: Some(anna_sick().id),
        };
        assert_eq!(my_cover_on(std::slice::from_ref(&grant), BEN, day(25)), vec![&grant]);
        assert!(my_cover_on(std::slice::from_ref(&grant), BEN, day(26)).is_empty(), "the grant has ended");
        assert!(my_cover_on(&[grant], ANNA, day(25)).is_empty());
    }
}
