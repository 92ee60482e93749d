//! Absence and cover as plain Rust: a companion marks themselves absent for whole days; the team lead
//! grants another companion cover for the absent companion's pool, and sees which children are affected.

use begleitbuch_domain::child::{Child, SupportStatus};
use begleitbuch_domain::ids::{AbsenceId, CoverGrantId, PoolId, UserId};
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

/// A cover grant for `absence`'s pool; the covering companion cannot be the absent one, and a
/// companion who already covers some of these days for this absence (`existing`) is not granted twice.
pub fn cover(
    id: CoverGrantId,
    absence: &Absence,
    companion: Option<UserId>,
    days: &DaysDraft,
    existing: &[CoverGrant],
) -> Result<CoverGrant, FormError> {
    let companion = companion.filter(|c| *c != absence.companion).ok_or(FormError::NoCompanion)?;
    let (from, until) = days.parse()?;
    if existing.iter().any(|g| {
        g.absence == Some(absence.id) && g.companion == companion && g.from <= until && from <= g.until
    }) {
        return Err(FormError::AlreadyCovered);
    }
    Ok(CoverGrant { id, pool: absence.pool, companion, from, until, absence: Some(absence.id) })
}

/// The children an absence leaves without their companion: the pool's children still supported.
pub fn affected_children<'a>(absence: &Absence, children: &'a [Child]) -> Vec<&'a Child> {
    let mut affected: Vec<&Child> =
        children.iter().filter(|c| c.pool == absence.pool && c.status != SupportStatus::Ended).collect();
    affected.sort_by_key(|c| c.display_name.to_lowercase());
    affected
}

/// The cover grants of `me` in force on `day`.
pub fn my_cover_on(grants: &[CoverGrant], me: UserId, day: NaiveDate) -> Vec<&CoverGrant> {
    grants.iter().filter(|g| g.companion == me && g.is_active_on(day)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::child::LegalBasis;
    use begleitbuch_domain::ids::ChildId;
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

    /// A grant for Anna's absence to `companion` over `from`..=`until`, beside the `existing` grants.
    fn grant(
        n: u128,
        companion: UserId,
        from: &str,
        until: &str,
        existing: &[CoverGrant],
    ) -> Result<CoverGrant, FormError> {
        cover(CoverGrantId(Uuid::from_u128(n)), &anna_sick(), Some(companion), &days(from, until), existing)
    }

    #[test]
    fn cover_goes_to_someone_else_for_the_absent_companions_pool() {
        let absent = anna_sick();
        let grant = grant(6, BEN, "2026-11-24", "2026-11-25", &[]).unwrap();
        assert_eq!((grant.pool, grant.companion, grant.absence), (POOL, BEN, Some(absent.id)));
        assert_eq!(my_cover_on(std::slice::from_ref(&grant), BEN, day(25)), vec![&grant]);
        assert!(my_cover_on(std::slice::from_ref(&grant), BEN, day(26)).is_empty(), "the grant has ended");
        assert!(my_cover_on(&[grant], ANNA, day(25)).is_empty());
        assert_eq!(
            cover(CoverGrantId(Uuid::nil()), &absent, Some(ANNA), &DaysDraft::starting(day(24)), &[]),
            Err(FormError::NoCompanion)
        );
        assert_eq!(
            cover(CoverGrantId(Uuid::nil()), &absent, None, &DaysDraft::starting(day(24)), &[]),
            Err(FormError::NoCompanion)
        );
    }

    #[test]
    fn a_double_tap_on_vertretung_gewaehren_creates_one_cover_grant() {
        let first = grant(6, BEN, "2026-11-24", "2026-11-25", &[]).unwrap();
        let existing = std::slice::from_ref(&first);
        assert_eq!(grant(7, BEN, "2026-11-25", "2026-11-25", existing), Err(FormError::AlreadyCovered));
        // Later days, or someone else, are a grant of their own.
        assert!(grant(8, BEN, "2026-11-26", "2026-11-26", existing).is_ok());
        let carla = UserId(Uuid::from_u128(0xC));
        assert!(grant(9, carla, "2026-11-24", "2026-11-25", existing).is_ok());
    }

    #[test]
    fn the_affected_children_are_the_pools_current_children() {
        let child = |n: u128, name: &str, pool: PoolId, status| Child {
            id: ChildId(Uuid::from_u128(n)),
            pool,
            display_name: name.into(),
            group: "1a".into(),
            legal_basis: LegalBasis::SystemicOnly,
            approved_minutes_per_week: None,
            status,
            since: day(1),
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
