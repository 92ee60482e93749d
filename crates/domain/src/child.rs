//! Children and their support-plan goals. A child is recorded with the minimum the work needs: a
//! display name or pseudonym, never a full name, birth date or diagnosis.

use crate::code::coded_enum;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::record::{Record, RecordKind};

use crate::ids::{ChildId, GoalId, PoolId};

coded_enum! {
    /// The legal basis of the child's support.
    pub enum LegalBasis {
        /// § 35a SGB VIII: (threatened) mental disability.
        Sgb8Section35a = "sgb8_section35a",
        /// § 112 SGB IX: physical or intellectual disability.
        Sgb9Section112 = "sgb9_section112",
        /// No individual entitlement: supported within the systemic allocation of the year level.
        SystemicOnly = "systemic_only",
    }
}

coded_enum! {
    pub enum SupportStatus {
        Supported = "supported",
        /// Approved, but no companion could be found (*unversorgt*).
        Unsupplied = "unsupplied",
        Ended = "ended",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Child {
    pub id: ChildId,
    pub pool: PoolId,
    /// Display name or pseudonym, as the team chose it.
    pub display_name: String,
    /// Year level (*Jahrgang*) at school, or the day-care group's name.
    pub group: String,
    pub legal_basis: LegalBasis,
    /// Approved support per week, for children with an individual entitlement.
    pub approved_minutes_per_week: Option<u32>,
    pub status: SupportStatus,
    pub since: NaiveDate,
    pub until: Option<NaiveDate>,
}

/// A goal from the child's support plan (*Förderplan*), referenced by observations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    pub id: GoalId,
    pub child: ChildId,
    pub title: String,
    pub active: bool,
}

impl Record for Child {
    const KIND: RecordKind = RecordKind::Child;
}

impl Record for Goal {
    const KIND: RecordKind = RecordKind::Goal;
}
