//! Providers, institutions and pools: who delivers support where, in which school year.

use crate::code::coded_enum;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use crate::calendar::SchoolYear;
use crate::ids::{InstitutionId, MembershipId, PoolId, ProviderId, UserId};

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
    /// A school's year levels served systemically, in order (a primary school's `[1, 2, 3, 4]`, an
    /// Oberschule's `[5]`); empty for a day-care centre and for pooling only.
    pub year_levels: Vec<u8>,
    /// A day-care centre's groups served systemically, by name; empty for a school.
    pub groups: Vec<String>,
    /// Allocated FTE per school year, keyed by the year the school year starts in.
    pub fte: BTreeMap<i32, Fte>,
}

/// `POST /api/v1/office/institutions` and `PUT …/{id}`: an institution as the office enters or
/// corrects it by hand (its FTE come from the allocation list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstitutionDetails {
    pub name: String,
    pub kind: InstitutionKind,
    pub region: String,
    pub year_levels: Vec<u8>,
    pub groups: Vec<String>,
}

/// The longest name of a day-care group, and how many groups one centre may list.
pub const MAX_GROUP_CHARS: usize = 80;
pub const MAX_GROUPS: usize = 40;

/// Why an institution cannot be stored as entered; the office translates the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InstitutionError {
    #[error("the name must be one line of 1 to {MAX_NAME_CHARS} characters")]
    Name,
    #[error("the region must be one line of 1 to {MAX_NAME_CHARS} characters")]
    Region,
    #[error("a school's year levels are numbers from 1 to {MAX_YEAR_LEVELS}; a day-care centre has none")]
    YearLevels,
    #[error("a day-care centre's groups are up to {MAX_GROUPS} different names of 1 to {MAX_GROUP_CHARS} characters; a school has none")]
    Groups,
}

impl InstitutionError {
    pub fn code(self) -> &'static str {
        match self {
            InstitutionError::Name => "invalid_institution_name",
            InstitutionError::Region => "invalid_region",
            InstitutionError::YearLevels => "invalid_year_levels",
            InstitutionError::Groups => "invalid_groups",
        }
    }
}

fn is_name(text: &str, max: usize) -> bool {
    !text.is_empty() && text.chars().count() <= max && crate::validate::is_one_plain_line(text)
}

impl InstitutionDetails {
    /// The details as they are stored — names trimmed, year levels in order, each once — or why not.
    pub fn checked(self) -> Result<InstitutionDetails, InstitutionError> {
        let name = self.name.trim().to_owned();
        let region = self.region.trim().to_owned();
        if !is_name(&name, MAX_NAME_CHARS) {
            return Err(InstitutionError::Name);
        }
        if !is_name(&region, MAX_NAME_CHARS) {
            return Err(InstitutionError::Region);
        }
        let mut year_levels = self.year_levels;
        year_levels.sort_unstable();
        year_levels.dedup();
        let groups: Vec<String> = self.groups.iter().map(|group| group.trim().to_owned()).collect();
        let school = self.kind == InstitutionKind::School;
        if year_levels.iter().any(|level| !(1..=MAX_YEAR_LEVELS).contains(level))
            || (!school && !year_levels.is_empty())
        {
            return Err(InstitutionError::YearLevels);
        }
        let distinct = groups.iter().enumerate().all(|(i, group)| !groups[..i].contains(group));
        if (school && !groups.is_empty())
            || groups.len() > MAX_GROUPS
            || !distinct
            || !groups.iter().all(|group| is_name(group, MAX_GROUP_CHARS))
        {
            return Err(InstitutionError::Groups);
        }
        Ok(InstitutionDetails { name, kind: self.kind, region, year_levels, groups })
    }
}

/// Year levels as people write them and the store keeps them: numbers and ranges separated by
/// commas (`1-4`, `1–2, 5`, `5`). `None` for anything else or a level outside 1 to 13; empty for an
/// empty text.
pub fn parse_year_levels(text: &str) -> Option<Vec<u8>> {
    let mut levels = Vec::new();
    for part in text.split(',').map(str::trim).filter(|part| !part.is_empty()) {
        let level = |text: &str| text.trim().parse::<u8>().ok().filter(|l| (1..=MAX_YEAR_LEVELS).contains(l));
        match part.split_once(['-', '–']) {
            Some((from, until)) => {
                let (from, until) = (level(from)?, level(until)?);
                if until < from {
                    return None;
                }
                levels.extend(from..=until);
            }
            None => levels.push(level(part)?),
        }
    }
    levels.sort_unstable();
    levels.dedup();
    Some(levels)
}

/// Year levels written back as runs: `[1, 2, 3, 4, 6]` is `1–4, 6` (what [`parse_year_levels`] reads).
pub fn year_levels_text(levels: &[u8]) -> String {
    let mut runs: Vec<(u8, u8)> = Vec::new();
    for &level in levels {
        match runs.last_mut() {
            Some((_, until)) if *until + 1 == level => *until = level,
            _ => runs.push((level, level)),
        }
    }
    let run =
        |(from, until): (u8, u8)| if from == until { from.to_string() } else { format!("{from}–{until}") };
    runs.into_iter().map(run).collect::<Vec<_>>().join(", ")
}

impl Institution {
    pub fn fte_in(&self, school_year: SchoolYear) -> Option<Fte> {
        self.fte.get(&school_year.start_year).copied()
    }
}

/// The most weekly contract hours a membership may have: the 48 hours the Working Hours Act
/// (*ArbZG* § 3) allows on average.
pub const MAX_CONTRACT_MINUTES_PER_WEEK: u32 = 48 * 60;

/// `GET /api/v1/office/memberships`: a person's place in a pool with the weekly hours of their
/// contract there, from `first_day`, and up to `last_day` once it ended. An ended membership stays:
/// what the person recorded in the pool stays there, and the pool's history says who was in it when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub id: MembershipId,
    pub pool: PoolId,
    pub person: UserId,
    pub display_name: String,
    pub role: crate::people::Role,
    pub contract_minutes_per_week: u32,
    pub first_day: NaiveDate,
    pub last_day: Option<NaiveDate>,
}

impl Membership {
    /// Whether the membership lets its person see and write the pool on `day`.
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        self.first_day <= day && self.last_day.is_none_or(|last| day <= last)
    }
}

/// `POST /api/v1/office/pools`: a pool of the caller's provider at one of its institutions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewPool {
    pub institution: InstitutionId,
    pub school_year: i32,
}

/// `POST /api/v1/office/memberships`: someone joins a pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMembership {
    pub pool: PoolId,
    pub person: UserId,
    pub contract_minutes_per_week: u32,
    pub first_day: NaiveDate,
}

/// `POST /api/v1/office/memberships/{id}/end`: the last day the person works in the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndMembership {
    pub last_day: NaiveDate,
}

/// Why a membership cannot be made or ended as asked; the office translates the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MembershipError {
    #[error("contract hours must be more than 0 and at most {} hours a week", MAX_CONTRACT_MINUTES_PER_WEEK / 60)]
    ContractHours,
    #[error("the day must lie in the pool's school year")]
    OutsideSchoolYear,
    #[error("the last day cannot come before the first day")]
    EndsBeforeStart,
    #[error("only companions and team leads work in pools")]
    NotPoolWork,
    #[error("the person already has a membership in this pool that has not ended before this day")]
    Overlaps,
    #[error("the membership has already ended")]
    AlreadyEnded,
}

impl MembershipError {
    pub fn code(self) -> &'static str {
        match self {
            MembershipError::ContractHours => "contract_hours",
            MembershipError::OutsideSchoolYear => "outside_school_year",
            MembershipError::EndsBeforeStart => "ends_before_start",
            MembershipError::NotPoolWork => "not_pool_work",
            MembershipError::Overlaps => "membership_overlaps",
            MembershipError::AlreadyEnded => "membership_ended",
        }
    }
}

/// Checks a new membership of someone with `role` in a pool of `school_year`, beside the person's
/// `earlier` memberships in that pool: a second one may start only after the last has ended.
pub fn check_new_membership(
    new: &NewMembership,
    role: crate::people::Role,
    school_year: SchoolYear,
    earlier: &[Membership],
) -> Result<(), MembershipError> {
    if !role.works_in_pools() {
        return Err(MembershipError::NotPoolWork);
    }
    if new.contract_minutes_per_week == 0 || new.contract_minutes_per_week > MAX_CONTRACT_MINUTES_PER_WEEK {
        return Err(MembershipError::ContractHours);
    }
    if SchoolYear::of(new.first_day) != school_year {
        return Err(MembershipError::OutsideSchoolYear);
    }
    if earlier.iter().any(|m| m.last_day.is_none_or(|last| last >= new.first_day)) {
        return Err(MembershipError::Overlaps);
    }
    Ok(())
}

/// Checks ending `membership` (of a pool in `school_year`) on `last_day`. It may end on any day of
/// the school year from its first day on, also in the past: the office often learns of it late.
pub fn check_end(
    membership: &Membership,
    school_year: SchoolYear,
    last_day: NaiveDate,
) -> Result<(), MembershipError> {
    if membership.last_day.is_some() {
        return Err(MembershipError::AlreadyEnded);
    }
    if last_day < membership.first_day {
        return Err(MembershipError::EndsBeforeStart);
    }
    if SchoolYear::of(last_day) != school_year {
        return Err(MembershipError::OutsideSchoolYear);
    }
    Ok(())
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
    pub systemic_year_levels: ListedLevels,
    pub fte: Fte,
}

/// What an allocation list says about a school's year levels: how many (Bremen's list: `4`), or which
/// (`1-4`, `5`… as a range, since a comma would split the line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListedLevels {
    Count(u8),
    Levels(Vec<u8>),
}

impl ListedLevels {
    /// The levels a school serves by the list, beside the levels it is `known` to serve: a count
    /// keeps known levels of that number and otherwise counts on from the first known level (an
    /// Oberschule corrected to `[5]` stays `[5]` for a count of 1, becomes `[5, 6]` for 2), or from 1.
    pub fn resolve(&self, known: &[u8]) -> Vec<u8> {
        match self {
            ListedLevels::Levels(levels) => levels.clone(),
            ListedLevels::Count(0) => Vec::new(),
            ListedLevels::Count(count) if usize::from(*count) == known.len() => known.to_vec(),
            ListedLevels::Count(count) => {
                let first = known.first().copied().unwrap_or(1).min(MAX_YEAR_LEVELS + 1 - count);
                (first..first + count).collect()
            }
        }
    }
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
    let listed = if levels.contains(['-', '–']) {
        parse_year_levels(levels).filter(|levels| !levels.is_empty()).map(ListedLevels::Levels)
    } else {
        levels.parse().ok().filter(|count| *count <= MAX_YEAR_LEVELS).map(ListedLevels::Count)
    };
    let systemic_year_levels =
        listed.ok_or_else(|| ImportError::YearLevels { line, value: levels.to_owned() })?;
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
    /// The year levels the school serves after the import ([`ListedLevels::resolve`]).
    pub year_levels: Vec<u8>,
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
            let known = existing.iter().find(|institution| institution.name == row.school);
            let year_levels = row.systemic_year_levels.resolve(known.map_or(&[], |known| &known.year_levels));
            let change = match known {
                None => AllocationChange::New,
                Some(known) => {
                    let fte_before = known.fte.get(&school_year).copied();
                    let details_changed = known.region != row.region || known.year_levels != year_levels;
                    if fte_before == Some(row.fte) && !details_changed {
                        AllocationChange::Unchanged
                    } else {
                        AllocationChange::Changed { fte_before, details_changed }
                    }
                }
            };
            PlannedLine { row, year_levels, change }
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
            year_levels: vec![1, 2, 3, 4],
            groups: vec![],
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
    fn year_levels_are_written_as_runs_and_a_count_keeps_known_levels() {
        assert_eq!(parse_year_levels("1-4"), Some(vec![1, 2, 3, 4]));
        assert_eq!(parse_year_levels(" 1–2, 5 ,2"), Some(vec![1, 2, 5]));
        assert_eq!(parse_year_levels(""), Some(vec![]));
        for bad in ["0", "14", "4-1", "eins", "1-", "1,,x", "-3"] {
            assert_eq!(parse_year_levels(bad), None, "{bad:?}");
        }
        assert_eq!(year_levels_text(&[1, 2, 3, 4, 6]), "1–4, 6");
        assert_eq!(year_levels_text(&[5]), "5");
        assert_eq!(
            parse_year_levels(&year_levels_text(&[1, 3, 4, 13])),
            Some(vec![1, 3, 4, 13]),
            "read back"
        );

        assert_eq!(ListedLevels::Count(4).resolve(&[]), [1, 2, 3, 4]);
        assert_eq!(ListedLevels::Count(1).resolve(&[5]), [5], "an Oberschule corrected by hand stays");
        assert_eq!(ListedLevels::Count(2).resolve(&[5]), [5, 6]);
        assert_eq!(ListedLevels::Count(3).resolve(&[12]), [11, 12, 13], "not beyond the 13th");
        assert_eq!(ListedLevels::Count(0).resolve(&[1, 2]), Vec::<u8>::new());
        assert_eq!(ListedLevels::Levels(vec![5, 6]).resolve(&[1]), [5, 6]);
        let rows = parse_allocation(&format!("{ALLOCATION_HEADER}\nOst OS,Oberschule X,5-6,1.5\n")).unwrap();
        assert_eq!(rows[0].systemic_year_levels, ListedLevels::Levels(vec![5, 6]));
        assert_eq!(plan_allocation(&[], rows, 2026)[0].year_levels, [5, 6]);
    }

    #[test]
    fn schools_have_year_levels_and_day_care_centres_groups() {
        let school = InstitutionDetails {
            name: " Schule am See ".into(),
            kind: InstitutionKind::School,
            region: "Süd".into(),
            year_levels: vec![4, 1, 2, 3, 2],
            groups: vec![],
        };
        let checked = school.clone().checked().unwrap();
        assert_eq!(
            (checked.name.as_str(), checked.year_levels.as_slice()),
            ("Schule am See", &[1, 2, 3, 4][..])
        );
        let kita = InstitutionDetails {
            kind: InstitutionKind::DayCare,
            year_levels: vec![],
            groups: vec!["Sonnen".into(), " Sterne ".into()],
            ..school.clone()
        };
        assert_eq!(kita.clone().checked().unwrap().groups, ["Sonnen", "Sterne"]);
        let broken = [
            (InstitutionDetails { name: " ".into(), ..school.clone() }, InstitutionError::Name),
            (InstitutionDetails { region: "Süd\nNord".into(), ..school.clone() }, InstitutionError::Region),
            (InstitutionDetails { year_levels: vec![0], ..school.clone() }, InstitutionError::YearLevels),
            (InstitutionDetails { year_levels: vec![14], ..school.clone() }, InstitutionError::YearLevels),
            (InstitutionDetails { groups: vec!["A".into()], ..school.clone() }, InstitutionError::Groups),
            (InstitutionDetails { year_levels: vec![1], ..kita.clone() }, InstitutionError::YearLevels),
            (
                InstitutionDetails { groups: vec!["A".into(), "A ".into()], ..kita.clone() },
                InstitutionError::Groups,
            ),
            (InstitutionDetails { groups: vec![String::new()], ..kita.clone() }, InstitutionError::Groups),
            (
                InstitutionDetails { groups: vec!["x".repeat(MAX_GROUP_CHARS + 1)], ..kita.clone() },
                InstitutionError::Groups,
            ),
        ];
        for (details, error) in broken {
            assert_eq!(details.clone().checked(), Err(error), "{details:?}");
        }
    }

    #[test]
    fn memberships_start_in_their_school_year_and_follow_each_other() {
        use crate::people::Role;
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
        let year = SchoolYear { start_year: 2026 };
        let new = |first: &str, minutes| NewMembership {
            pool: PoolId(uuid::Uuid::from_u128(1)),
            person: UserId(uuid::Uuid::from_u128(2)),
            contract_minutes_per_week: minutes,
            first_day: day(first),
        };
        let earlier = |first: &str, last: Option<&str>| Membership {
            id: MembershipId(uuid::Uuid::from_u128(3)),
            pool: PoolId(uuid::Uuid::from_u128(1)),
            person: UserId(uuid::Uuid::from_u128(2)),
            display_name: "Jana".into(),
            role: Role::Companion,
            contract_minutes_per_week: 1800,
            first_day: day(first),
            last_day: last.map(day),
        };
        assert_eq!(check_new_membership(&new("2026-08-01", 1800), Role::Companion, year, &[]), Ok(()));
        assert_eq!(check_new_membership(&new("2027-07-31", 1), Role::TeamLead, year, &[]), Ok(()));
        for role in [Role::Admin, Role::Parent] {
            assert_eq!(
                check_new_membership(&new("2026-09-01", 1800), role, year, &[]),
                Err(MembershipError::NotPoolWork)
            );
        }
        for minutes in [0, MAX_CONTRACT_MINUTES_PER_WEEK + 1] {
            assert_eq!(
                check_new_membership(&new("2026-09-01", minutes), Role::Companion, year, &[]),
                Err(MembershipError::ContractHours)
            );
        }
        for outside in ["2026-07-31", "2027-08-01"] {
            assert_eq!(
                check_new_membership(&new(outside, 1800), Role::Companion, year, &[]),
                Err(MembershipError::OutsideSchoolYear)
            );
        }
        let open = earlier("2026-08-01", None);
        let ended = earlier("2026-08-01", Some("2026-10-31"));
        assert_eq!(
            check_new_membership(
                &new("2027-01-01", 1800),
                Role::Companion,
                year,
                std::slice::from_ref(&open)
            ),
            Err(MembershipError::Overlaps)
        );
        assert_eq!(
            check_new_membership(
                &new("2026-10-31", 1800),
                Role::Companion,
                year,
                std::slice::from_ref(&ended)
            ),
            Err(MembershipError::Overlaps)
        );
        assert_eq!(
            check_new_membership(
                &new("2026-11-01", 900),
                Role::Companion,
                year,
                std::slice::from_ref(&ended)
            ),
            Ok(())
        );

        assert_eq!(check_end(&open, year, day("2026-08-01")), Ok(()));
        assert_eq!(check_end(&open, year, day("2026-07-31")), Err(MembershipError::EndsBeforeStart));
        assert_eq!(check_end(&open, year, day("2027-08-01")), Err(MembershipError::OutsideSchoolYear));
        assert_eq!(check_end(&ended, year, day("2026-12-01")), Err(MembershipError::AlreadyEnded));
        assert!(ended.in_force_on(day("2026-10-31")) && !ended.in_force_on(day("2026-11-01")));
        assert!(!ended.in_force_on(day("2026-07-31")) && open.in_force_on(day("2030-01-01")));
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
