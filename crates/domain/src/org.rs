//! Providers, institutions and pools: who delivers support where, in which school year.

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstitutionKind {
    School,
    DayCare,
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

#[cfg(test)]
mod tests {
    use super::*;

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

    /// The real allocation list of Bremen's systemic schools (Senate answer of May 2026): every value
    /// parses, and the total is the 73.33 FTE the table adds up to.
    #[test]
    fn bremen_allocation_parses_exactly() {
        let path =
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/bremen-systemic-schools-2026.csv");
        let csv = std::fs::read_to_string(path).expect("shared/ lies beside the repository");
        let rows: Vec<Vec<&str>> = csv.lines().skip(1).map(|line| line.split(',').collect()).collect();
        assert_eq!(rows.len(), 42);
        let total: u32 = rows.iter().map(|row| Fte::parse(row[3]).expect(row[3]).0).sum();
        assert_eq!(total, 7333);
        assert!(rows.iter().all(|row| matches!(row[2], "1" | "2" | "4")));
    }

    #[test]
    fn fte_to_weekly_minutes() {
        // 39 h full-time week.
        assert_eq!(Fte(100).weekly_minutes(39 * 60), 2340);
        assert_eq!(Fte(163).weekly_minutes(39 * 60), 3814);
    }
}
