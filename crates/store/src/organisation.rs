//! Rows of the organisation tables, and how they become domain values.

use std::collections::BTreeMap;

use begleitbuch_domain::calendar::SchoolYear;
use begleitbuch_domain::ids::{InstitutionId, MembershipId, PoolId, ProviderId, UserId};
use begleitbuch_domain::org::{parse_year_levels, Fte, Institution, InstitutionKind, Membership};

use crate::accounts::parse_uuid;
use crate::StoreError;

fn parse_kind(code: &str) -> Result<InstitutionKind, StoreError> {
    InstitutionKind::from_code(code)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown institution kind {code:?}")))
}

/// id, provider, name, kind, region, year levels, day-care groups
pub(crate) type InstitutionRow = (String, String, String, String, String, String, String);

/// A school's year levels as the `year_levels` column keeps them: `1,2,3,4` (read back with
/// `org::parse_year_levels`).
pub(crate) fn year_levels_column(levels: &[u8]) -> String {
    levels.iter().map(u8::to_string).collect::<Vec<_>>().join(",")
}

/// A day-care centre's groups as the `day_care_groups` column keeps them: one name per line (a name
/// is one line, `InstitutionDetails::checked`).
pub(crate) fn groups_column(groups: &[String]) -> String {
    groups.join("\n")
}

pub(crate) fn institutions_from_rows(
    rows: Vec<InstitutionRow>,
    allocations: Vec<(String, i64, i64)>,
) -> Result<Vec<Institution>, StoreError> {
    let mut fte: BTreeMap<String, BTreeMap<i32, Fte>> = BTreeMap::new();
    for (institution, school_year, hundredths) in allocations {
        let hundredths = u32::try_from(hundredths)
            .map_err(|_| StoreError::Corrupt(format!("FTE {hundredths} out of range")))?;
        let school_year = i32::try_from(school_year)
            .map_err(|_| StoreError::Corrupt(format!("school year {school_year} out of range")))?;
        fte.entry(institution).or_default().insert(school_year, Fte(hundredths));
    }
    rows.into_iter()
        .map(|(id, provider, name, kind, region, levels, groups)| {
            Ok(Institution {
                id: InstitutionId(parse_uuid(&id)?),
                provider: ProviderId(parse_uuid(&provider)?),
                name,
                kind: parse_kind(&kind)?,
                region,
                year_levels: parse_year_levels(&levels)
                    .ok_or_else(|| StoreError::Corrupt(format!("year levels {levels:?}")))?,
                groups: groups.lines().map(str::to_owned).collect(),
                fte: fte.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

/// A pool as the store keeps it: whose, where, which school year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolRecord {
    pub id: PoolId,
    pub provider: ProviderId,
    pub institution: InstitutionId,
    pub school_year: SchoolYear,
}

pub(crate) fn pool_from_row(
    (id, provider, institution, school_year): (String, String, String, i64),
) -> Result<PoolRecord, StoreError> {
    Ok(PoolRecord {
        id: PoolId(parse_uuid(&id)?),
        provider: ProviderId(parse_uuid(&provider)?),
        institution: InstitutionId(parse_uuid(&institution)?),
        school_year: SchoolYear {
            start_year: i32::try_from(school_year)
                .map_err(|_| StoreError::Corrupt(format!("school year {school_year} out of range")))?,
        },
    })
}

/// id, pool, person, display name, role, contract minutes, first day, last day
pub(crate) type MembershipRow = (String, String, String, String, String, i64, String, Option<String>);

pub(crate) fn membership_from_row(
    (id, pool, person, display_name, role, minutes, first_day, last_day): MembershipRow,
) -> Result<Membership, StoreError> {
    let day = |text: &str| text.parse().map_err(|_| StoreError::Corrupt(format!("membership day {text:?}")));
    Ok(Membership {
        id: MembershipId(parse_uuid(&id)?),
        pool: PoolId(parse_uuid(&pool)?),
        person: UserId(parse_uuid(&person)?),
        display_name,
        role: crate::accounts::parse_role(&role)?,
        contract_minutes_per_week: u32::try_from(minutes)
            .map_err(|_| StoreError::Corrupt(format!("{minutes} contract minutes")))?,
        first_day: day(&first_day)?,
        last_day: last_day.as_deref().map(day).transpose()?,
    })
}
