//! Rows of the organisation tables, and how they become domain values.

use std::collections::BTreeMap;

use begleitbuch_domain::ids::{InstitutionId, ProviderId};
use begleitbuch_domain::org::{Fte, Institution, InstitutionKind};

use crate::accounts::parse_uuid;
use crate::StoreError;

fn parse_kind(code: &str) -> Result<InstitutionKind, StoreError> {
    InstitutionKind::from_code(code)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown institution kind {code:?}")))
}

/// id, provider, name, kind, region, systemic year levels
pub(crate) type InstitutionRow = (String, String, String, String, String, i64);

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
        .map(|(id, provider, name, kind, region, levels)| {
            Ok(Institution {
                id: InstitutionId(parse_uuid(&id)?),
                provider: ProviderId(parse_uuid(&provider)?),
                name,
                kind: parse_kind(&kind)?,
                region,
                systemic_year_levels: u8::try_from(levels)
                    .map_err(|_| StoreError::Corrupt(format!("{levels} year levels")))?,
                fte: fte.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}
