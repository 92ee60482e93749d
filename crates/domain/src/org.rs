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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationRow {
    /// Where it stands in the list, counting from 1 with the header as line 1.
    pub line: usize,
    pub region: String,
    pub school: String,
    pub systemic_year_levels: u8,
    pub fte: Fte,
}

/// The longest region or school name an allocation list may carry.
pub const MAX_NAME_CHARS: usize = 200;

/// The most year levels a school can have systemically (up to the Abitur's 13th).
pub const MAX_YEAR_LEVELS: u8 = 13;

/// Why a line of an allocation list cannot be imported; `line` counts from 1, the header included.
/// Sent to the office as `{"import_fte": {"line": …, …}}`, which it translates. Externally tagged on
/// purpose: an internally tagged enum's decoder costs the office's download several kilobytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ImportError {
    #[serde(rename = "import_header")]
    #[error("the header must be `{ALLOCATION_HEADER}`")]
    Header,
    #[serde(rename = "import_field_count")]
    #[error("line {line}: expected 4 fields separated by commas, found {found}")]
    FieldCount { line: usize, found: usize },
    #[serde(rename = "import_empty_field")]
    #[error("line {line}: {field} is empty")]
    Empty { line: usize, field: String },
    #[serde(rename = "import_text")]
    #[error("line {line}: the {field} must be one line of at most {MAX_NAME_CHARS} characters without control characters")]
    Text { line: usize, field: String },
    #[serde(rename = "import_year_levels")]
    #[error("line {line}: {value:?} is not a number of year levels from 0 to {MAX_YEAR_LEVELS}")]
    YearLevels { line: usize, value: String },
    #[serde(rename = "import_fte")]
    #[error("line {line}: {value:?} is not an FTE value like 3.3")]
    Fte { line: usize, value: String },
    #[serde(rename = "import_duplicate")]
    #[error("line {line}: {school:?} appears twice")]
    Duplicate { line: usize, school: String },
}

pub const ALLOCATION_HEADER: &str = "region,school,systemic_year_levels,fte_allocated";

/// Parses an allocation list in the format of Bremen's public list of systemic schools (the server
/// keeps a copy for its demo: `crates/server/demo/bremen-systemic-schools-2026.csv`). All or
/// nothing: every bad line is reported, with its number and reason, and then nothing is imported.
pub fn parse_allocation(csv: &str) -> Result<Vec<AllocationRow>, Vec<ImportError>> {
    let mut lines = csv.lines().enumerate().map(|(index, line)| (index + 1, line.trim_end_matches('\r')));
    match lines.next() {
        Some((_, header)) if header.trim_start_matches('\u{feff}') == ALLOCATION_HEADER => {}
        _ => return Err(vec![ImportError::Header]),
    }
    let mut rows: Vec<AllocationRow> = Vec::new();
    let mut errors = Vec::new();
    for (line, text) in lines.filter(|(_, text)| !text.trim().is_empty()) {
        match parse_row(line, text, &rows) {
            Ok(row) => rows.push(row),
            Err(error) => errors.push(error),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

fn parse_row(line: usize, text: &str, before: &[AllocationRow]) -> Result<AllocationRow, ImportError> {
    let fields: Vec<&str> = text.split(',').map(str::trim).collect();
    let [region, school, levels, fte] = fields[..] else {
        return Err(ImportError::FieldCount { line, found: fields.len() });
    };
    for (field, value) in [("region", region), ("school", school)] {
        if value.is_empty() {
            return Err(ImportError::Empty { line, field: field.to_owned() });
        }
        // Stored as names: PostgreSQL cannot keep a NUL, and a line break would forge lines.
        if value.chars().count() > MAX_NAME_CHARS || !crate::validate::is_one_plain_line(value) {
            return Err(ImportError::Text { line, field: field.to_owned() });
        }
    }
    let systemic_year_levels = levels
        .parse()
        .ok()
        .filter(|levels| *levels <= MAX_YEAR_LEVELS)
        .ok_or_else(|| ImportError::YearLevels { line, value: levels.to_owned() })?;
    let fte = Fte::parse(fte).ok_or_else(|| ImportError::Fte { line, value: fte.to_owned() })?;
    if before.iter().any(|row| row.school == school) {
        return Err(ImportError::Duplicate { line, school: school.to_owned() });
    }
    Ok(AllocationRow {
        line,
        region: region.to_owned(),
        school: school.to_owned(),
        systemic_year_levels,
        fte,
    })
}

/// What importing one line would change for the provider in that school year (`"new"`,
/// `"unchanged"`, `{"changed": {…}}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AllocationChange {
    /// A school the provider does not have yet.
    New,
    /// A known school: its FTE for the school year is set for the first time (`before` is `None`) or
    /// changes, and/or its region or year levels change.
    Changed {
        fte_before: Option<Fte>,
        details_changed: bool,
    },
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedLine {
    pub row: AllocationRow,
    pub change: AllocationChange,
}

/// `POST /api/v1/office/allocation[/preview]`: an allocation list as uploaded, for one school year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllocationUpload {
    /// The year the school year starts in (2026 for 2026/27).
    pub school_year: i32,
    pub csv: String,
}

/// The school years an upload may be for: the lists are published for the coming years.
pub const ALLOCATION_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// What an allocation list would do (its preview), or did (the import's answer): every line's change,
/// or every bad line — then nothing is imported.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AllocationPlan {
    pub lines: Vec<PlannedLine>,
    pub errors: Vec<ImportError>,
}

/// What importing `rows` for `school_year` does to the provider's `existing` institutions, line by
/// line (matched by name): importing the same list twice changes nothing, and a list for the next
/// school year adds that year's FTE beside the earlier ones.
pub fn plan_allocation(
    existing: &[Institution],
    rows: Vec<AllocationRow>,
    school_year: i32,
) -> Vec<PlannedLine> {
    rows.into_iter()
        .map(|row| {
            let change = match existing.iter().find(|institution| institution.name == row.school) {
                None => AllocationChange::New,
                Some(known) => {
                    let fte_before = known.fte.get(&school_year).copied();
                    let details_changed =
                        known.region != row.region || known.systemic_year_levels != row.systemic_year_levels;
                    if fte_before == Some(row.fte) && !details_changed {
                        AllocationChange::Unchanged
                    } else {
                        AllocationChange::Changed { fte_before, details_changed }
                    }
                }
            };
            PlannedLine { row, change }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_allocation_lists_name_every_bad_line() {
        let header = ALLOCATION_HEADER;
        assert_eq!(parse_allocation("a,b\n"), Err(vec![ImportError::Header]));
        let list = format!(
            "{header}\r\nNord,Schule A,4\r\nNord,Schule B,4,2\r\nSüd,,1,1\r\nOst,Schule C,vier,2\r\n\
             Ost,Schule D,14,2\r\nWest,Schule E,4,2.345\r\nOst,Schule B,2,1\r\nNord,Schule F,4,\"2\"\r\n"
        );
        assert_eq!(
            parse_allocation(&list),
            Err(vec![
                ImportError::FieldCount { line: 2, found: 3 },
                ImportError::Empty { line: 4, field: "school".into() },
                ImportError::YearLevels { line: 5, value: "vier".into() },
                ImportError::YearLevels { line: 6, value: "14".into() },
                ImportError::Fte { line: 7, value: "2.345".into() },
                ImportError::Duplicate { line: 8, school: "Schule B".into() },
                ImportError::Fte { line: 9, value: "\"2\"".into() },
            ])
        );
        let control =
            format!("{header}\nNord,Schule\u{0}A,4,1\nSüd,{},4,1\n", "x".repeat(MAX_NAME_CHARS + 1));
        assert_eq!(
            parse_allocation(&control),
            Err(vec![
                ImportError::Text { line: 2, field: "school".into() },
                ImportError::Text { line: 3, field: "school".into() },
            ])
        );
        let json = serde_json::to_value(ImportError::FieldCount { line: 2, found: 3 }).unwrap();
        assert_eq!(json, serde_json::json!({"import_field_count": {"line": 2, "found": 3}}));
        let parsed =
            parse_allocation(&format!("\u{feff}{header}\nNord,Schule A,4,3.3\n\nSüd,Schule B,0,1\n"))
                .unwrap();
        assert_eq!(
            parsed.iter().map(|row| row.line).collect::<Vec<_>>(),
            [2, 4],
            "lines count as in the file"
        );
    }

    #[test]
    fn the_same_list_twice_changes_nothing_and_the_next_year_adds_its_fte() {
        let rows = parse_allocation(&format!("{ALLOCATION_HEADER}\nNord,Schule A,4,3.3\nSüd,Schule B,2,1\n"))
            .unwrap();
        let school_a = Institution {
            id: InstitutionId(uuid::Uuid::from_u128(1)),
            provider: ProviderId(uuid::Uuid::from_u128(2)),
            name: "Schule A".into(),
            kind: InstitutionKind::School,
            region: "Nord".into(),
            systemic_year_levels: 4,
            fte: [(2026, Fte(330))].into(),
        };
        let changes = |existing: &[Institution], year| {
            plan_allocation(existing, rows.clone(), year)
                .into_iter()
                .map(|line| line.change)
                .collect::<Vec<_>>()
        };
        assert_eq!(changes(&[], 2026), [AllocationChange::New, AllocationChange::New]);
        assert_eq!(
            changes(std::slice::from_ref(&school_a), 2026),
            [AllocationChange::Unchanged, AllocationChange::New]
        );
        assert_eq!(
            changes(std::slice::from_ref(&school_a), 2027)[0],
            AllocationChange::Changed { fte_before: None, details_changed: false }
        );
        let moved = Institution { region: "Ost".into(), fte: [(2026, Fte(300))].into(), ..school_a };
        assert_eq!(
            changes(&[moved], 2026)[0],
            AllocationChange::Changed { fte_before: Some(Fte(300)), details_changed: true }
        );
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
