//! Providers, institutions and pools: who delivers support where, in which school year.

use crate::code::coded_enum;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::calendar::SchoolYear;
use crate::ids::{InstitutionId, PoolId, ProviderId, UserId};

/// A provider (*Träger*, *Leistungserbringer*).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provider {
    pub id: ProviderId,
    pub name: String,
}

coded_enum! {
    pub enum InstitutionKind {
        School = "school",
        DayCare = "day_care",
    }
}

/// Full-time equivalents (*VZÄ*) in hundredths, so 1.63 FTE is exact: `Fte(163)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fte(pub u32);

impl Fte {
    /// Parses the notations of authority documents: `3.3`, `3,3`, `1.63`, `2`.
    pub fn parse(text: &str) -> Option<Fte> {
        let text = text.trim().replace(',', ".");
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        if whole.is_empty() || fraction.len() > 2 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let whole: u32 = whole.parse().ok()?;
        let hundredths: u32 = format!("{fraction:0<2}").parse().ok()?;
        whole.checked_mul(100)?.checked_add(hundredths).map(Fte)
    }

    /// Weekly minutes this allocation stands for, given the minutes of one full-time week.
    pub fn weekly_minutes(self, full_time_minutes: u32) -> u32 {
        ((u64::from(self.0) * u64::from(full_time_minutes) + 50) / 100) as u32
    }
}

/// A school or day-care centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    pub id: InstitutionId,
    pub provider: ProviderId,
    pub name: String,
    pub kind: InstitutionKind,
    /// The authority's region (Bremen: Nord, Ost, Süd, West, Ost OS).
    pub region: String,
    /// How many year levels (or day-care groups) are served systemically; 0 for pooling only.
    pub systemic_year_levels: u8,
    /// Allocated FTE per school year, keyed by the year the school year starts in.
    pub fte: BTreeMap<i32, Fte>,
}

impl Institution {
    pub fn fte_in(&self, school_year: SchoolYear) -> Option<Fte> {
        self.fte.get(&school_year.start_year).copied()
    }
}

/// A companion's place in a pool, with the weekly hours of their contract there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolMember {
    pub companion: UserId,
    pub contract_minutes_per_week: u32,
}

/// One provider's companions at one institution for one school year; the unit of visibility and sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pool {
    pub id: PoolId,
    pub provider: ProviderId,
    pub institution: InstitutionId,
    pub school_year: SchoolYear,
    pub members: Vec<PoolMember>,
}

impl Pool {
    pub fn has_member(&self, user: UserId) -> bool {
        self.members.iter().any(|m| m.companion == user)
    }
}

/// `GET /api/v1/pools`: a pool the user's devices keep, as the app shows it: the institution's name
/// and the people in the pool (for choosing co-companions and cover). Names only, nothing more.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolDirectory {
    pub id: PoolId,
    pub institution: String,
    pub school_year: i32,
    pub people: Vec<PoolPerson>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolPerson {
    pub id: UserId,
    pub display_name: String,
    pub role: crate::people::Role,
}

/// One row of an authority's allocation list: which school gets how much systemic support.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationRow {
    pub region: String,
    pub school: String,
    pub systemic_year_levels: u8,
    pub fte: Fte,
}

/// Why an allocation list cannot be imported; `line` counts from 1, the header included.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("the header must be `{expected}`")]
    Header { expected: &'static str },
    #[error("line {line}: expected 4 fields separated by commas, found {found}")]
    FieldCount { line: usize, found: usize },
    #[error("line {line}: {field} is empty")]
    Empty { line: usize, field: &'static str },
    #[error("line {line}: {value:?} is not a number of year levels")]
    YearLevels { line: usize, value: String },
    #[error("line {line}: {value:?} is not an FTE value like 3.3")]
    Fte { line: usize, value: String },
    #[error("line {line}: {school:?} appears twice")]
    Duplicate { line: usize, school: String },
}

impl ImportError {
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Header { .. } => "import_header",
            ImportError::FieldCount { .. } => "import_field_count",
            ImportError::Empty { .. } => "import_empty_field",
            ImportError::YearLevels { .. } => "import_year_levels",
            ImportError::Fte { .. } => "import_fte",
            ImportError::Duplicate { .. } => "import_duplicate",
        }
    }
}

pub const ALLOCATION_HEADER: &str = "region,school,systemic_year_levels,fte_allocated";

/// Parses an allocation list in the format of Bremen's public list of systemic schools (the server
/// keeps a copy for its demo: `crates/server/demo/bremen-systemic-schools-2026.csv`). All or
/// nothing: the first bad line is reported and nothing is imported.
pub fn parse_allocation(csv: &str) -> Result<Vec<AllocationRow>, ImportError> {
    let mut lines = csv.lines().enumerate().map(|(index, line)| (index + 1, line.trim_end_matches('\r')));
    match lines.next() {
        Some((_, header)) if header.trim_start_matches('\u{feff}') == ALLOCATION_HEADER => {}
        _ => return Err(ImportError::Header { expected: ALLOCATION_HEADER }),
    }
    let mut rows: Vec<AllocationRow> = Vec::new();
    for (line, text) in lines.filter(|(_, text)| !text.trim().is_empty()) {
        let fields: Vec<&str> = text.split(',').map(str::trim).collect();
        let [region, school, levels, fte] = fields[..] else {
            return Err(ImportError::FieldCount { line, found: fields.len() });
        };
        for (field, value) in [("region", region), ("school", school)] {
            if value.is_empty() {
                return Err(ImportError::Empty { line, field });
            }
        }
        let systemic_year_levels =
            levels.parse().map_err(|_| ImportError::YearLevels { line, value: levels.to_owned() })?;
        let fte = Fte::parse(fte).ok_or_else(|| ImportError::Fte { line, value: fte.to_owned() })?;
        if rows.iter().any(|row| row.school == school) {
            return Err(ImportError::Duplicate { line, school: school.to_owned() });
        }
        rows.push(AllocationRow {
            region: region.to_owned(),
            school: school.to_owned(),
            systemic_year_levels,
            fte,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_allocation_lists_name_the_line() {
        let header = ALLOCATION_HEADER;
        assert_eq!(parse_allocation("a,b\n"), Err(ImportError::Header { expected: ALLOCATION_HEADER }));
        assert_eq!(
            parse_allocation(&format!("{header}\nNord,Schule A,4\n")),
            Err(ImportError::FieldCount { line: 2, found: 3 })
        );
        assert_eq!(
            parse_allocation(&format!("{header}\nNord,Schule A,4,2\nSüd,,1,1\n")),
            Err(ImportError::Empty { line: 3, field: "school" })
        );
        assert_eq!(
            parse_allocation(&format!("{header}\nNord,Schule A,vier,2\n")).unwrap_err().code(),
            "import_year_levels"
        );
        assert_eq!(
            parse_allocation(&format!("{header}\nNord,Schule A,4,2.345\n")),
            Err(ImportError::Fte { line: 2, value: "2.345".into() })
        );
        assert_eq!(
            parse_allocation(&format!("{header}\r\nNord,Schule A,4,2\r\nOst,Schule A,2,1\r\n")).unwrap_err(),
            ImportError::Duplicate { line: 3, school: "Schule A".into() }
        );
        let parsed = parse_allocation(&format!("\u{feff}{header}\r\nNord,Schule A,4,\"2\"\r\n"));
        assert!(parsed.is_err(), "quoted values are not part of the format");
    }

    #[test]
    fn fte_parses_authority_notations_exactly() {
        assert_eq!(Fte::parse("3.3"), Some(Fte(330)));
        assert_eq!(Fte::parse("3,3"), Some(Fte(330)));
        assert_eq!(Fte::parse("1.63"), Some(Fte(163)));
        assert_eq!(Fte::parse("2"), Some(Fte(200)));
        assert_eq!(Fte::parse(" 0.9 "), Some(Fte(90)));
        for bad in ["", "x", "1.234", "-1", ".5", "1.x"] {
            assert_eq!(Fte::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn fte_to_weekly_minutes() {
        // 39 h full-time week.
        assert_eq!(Fte(100).weekly_minutes(39 * 60), 2340);
        assert_eq!(Fte(163).weekly_minutes(39 * 60), 3814);
    }
}
