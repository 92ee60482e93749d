//! Children and their support-plan goals. A child is recorded with the minimum the work needs: a
//! display name or pseudonym, never a full name, birth date or diagnosis.

use crate::code::coded_enum;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::record::{Record, RecordKind};
use crate::validate::ValidationError;

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
        /// Approved, support not begun yet: `since` is the day it is to begin.
        Waiting = "waiting",
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
    /// The day the support was approved (for an individual entitlement, by the youth welfare or
    /// social welfare office): with `since`, how long the child waited for it to begin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approved_on: Option<NaiveDate>,
    /// The first day of support (for a child still waiting, the day it is to begin).
    pub since: NaiveDate,
    /// The last day of support, once it has ended or its end is known.
    pub until: Option<NaiveDate>,
}

/// The longest display name or pseudonym, and the longest class or group.
pub const MAX_CHILD_NAME_CHARS: usize = 60;
pub const MAX_CHILD_GROUP_CHARS: usize = 40;
/// The most support a child can be approved per week: a full school week with its margins.
pub const MAX_APPROVED_MINUTES_PER_WEEK: u32 = 40 * 60;

impl Child {
    /// What a child's record may hold: a short name, a short class or group, approved hours
    /// for an individual entitlement (and only then), an end not before the start.
    pub fn check(&self) -> Result<(), ValidationError> {
        // Control characters in any text field are refused before this, by `shape` (one rule for
        // every record).
        use crate::validate::{text, Field};
        text(Field::DisplayName, &self.display_name, true, MAX_CHILD_NAME_CHARS)?;
        text(Field::Group, &self.group, false, MAX_CHILD_GROUP_CHARS)?;
        match (self.legal_basis, self.approved_minutes_per_week) {
            (LegalBasis::SystemicOnly, None) => {}
            (LegalBasis::SystemicOnly, Some(_)) | (_, Some(0)) => {
                return Err(ValidationError::TooShort { field: Field::Duration })
            }
            (_, None) => return Err(ValidationError::Empty { field: Field::Duration }),
            (_, Some(minutes)) if minutes > MAX_APPROVED_MINUTES_PER_WEEK => {
                return Err(ValidationError::TooLong { max_minutes: MAX_APPROVED_MINUTES_PER_WEEK })
            }
            (_, Some(_)) => {}
        }
        if self.until.is_some_and(|until| until < self.since) {
            return Err(ValidationError::UntilBeforeFrom);
        }
        // Support begins once it is approved, and an ended support has its last day.
        if self.approved_on.is_some_and(|approved| self.since < approved) {
            return Err(ValidationError::UntilBeforeFrom);
        }
        if self.status == SupportStatus::Ended && self.until.is_none() {
            return Err(ValidationError::Empty { field: Field::End });
        }
        Ok(())
    }

    /// The days from approval to the first day of support, once support has begun (what the
    /// authority's report asks about); none while waiting or without an approval day.
    pub fn days_to_start(&self) -> Option<i64> {
        let begun = matches!(self.status, SupportStatus::Supported | SupportStatus::Ended);
        self.approved_on.filter(|_| begun).map(|approved| (self.since - approved).num_days())
    }
}

/// A goal from the child's support plan (*Förderplan*), referenced by observations. A goal reached or
/// dropped is closed (`active` false), not deleted: observations keep pointing at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goal {
    pub id: GoalId,
    pub child: ChildId,
    pub title: String,
    pub active: bool,
}

/// The longest goal title.
pub const MAX_GOAL_TITLE_CHARS: usize = 200;

impl Goal {
    /// A goal says what it aims at, in one short line.
    pub fn check(&self) -> Result<(), ValidationError> {
        crate::validate::text(crate::validate::Field::Title, &self.title, true, MAX_GOAL_TITLE_CHARS)
    }
}

impl Record for Child {
    const KIND: RecordKind = RecordKind::Child;
}

impl Record for Goal {
    const KIND: RecordKind = RecordKind::Goal;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn child() -> Child {
        Child {
            id: ChildId(uuid::Uuid::nil()),
            pool: PoolId(uuid::Uuid::nil()),
            display_name: "Kind A.".into(),
            group: "2b".into(),
            legal_basis: LegalBasis::Sgb8Section35a,
            approved_minutes_per_week: Some(600),
            status: SupportStatus::Supported,
            approved_on: NaiveDate::from_ymd_opt(2026, 7, 1),
            since: NaiveDate::from_ymd_opt(2026, 8, 20).unwrap(),
            until: None,
        }
    }

    #[test]
    fn the_wait_from_approval_to_start_counts_once_support_has_begun() {
        assert_eq!(child().days_to_start(), Some(50));
        let waiting = Child {
            status: SupportStatus::Waiting,
            since: NaiveDate::from_ymd_opt(2026, 12, 7).unwrap(),
            ..child()
        };
        assert_eq!(waiting.check(), Ok(()));
        assert_eq!(waiting.days_to_start(), None);
        assert_eq!(Child { approved_on: None, ..child() }.days_to_start(), None);
    }

    #[test]
    fn a_goal_has_a_title_of_one_short_line() {
        use crate::validate::Field;
        let goal = |title: &str| Goal {
            id: GoalId(uuid::Uuid::nil()),
            child: ChildId(uuid::Uuid::nil()),
            title: title.into(),
            active: true,
        };
        assert_eq!(goal("Konflikte mit Worten lösen").check(), Ok(()));
        assert_eq!(goal(" ").check(), Err(ValidationError::Empty { field: Field::Title }));
        assert_eq!(
            goal(&"x".repeat(MAX_GOAL_TITLE_CHARS + 1)).check(),
            Err(ValidationError::TextTooLong { field: Field::Title, max: MAX_GOAL_TITLE_CHARS })
        );
    }

    #[test]
    fn a_child_has_a_short_name_and_approved_hours_only_with_an_individual_entitlement() {
        assert_eq!(child().check(), Ok(()));
        let systemic =
            Child { legal_basis: LegalBasis::SystemicOnly, approved_minutes_per_week: None, ..child() };
        assert_eq!(systemic.check(), Ok(()));
        use crate::validate::Field;
        let cases = [
            (
                Child { display_name: " ".into(), ..child() },
                ValidationError::Empty { field: Field::DisplayName },
            ),
            (
                Child { display_name: "x".repeat(MAX_CHILD_NAME_CHARS + 1), ..child() },
                ValidationError::TextTooLong { field: Field::DisplayName, max: MAX_CHILD_NAME_CHARS },
            ),
            (
                Child { group: "x".repeat(MAX_CHILD_GROUP_CHARS + 1), ..child() },
                ValidationError::TextTooLong { field: Field::Group, max: MAX_CHILD_GROUP_CHARS },
            ),
            (
                Child { approved_minutes_per_week: None, ..child() },
                ValidationError::Empty { field: Field::Duration },
            ),
            (
                Child { approved_minutes_per_week: Some(0), ..child() },
                ValidationError::TooShort { field: Field::Duration },
            ),
            (
                Child { approved_minutes_per_week: Some(MAX_APPROVED_MINUTES_PER_WEEK + 1), ..child() },
                ValidationError::TooLong { max_minutes: MAX_APPROVED_MINUTES_PER_WEEK },
            ),
            (
                Child { approved_minutes_per_week: Some(60), ..systemic.clone() },
                ValidationError::TooShort { field: Field::Duration },
            ),
            (
                Child { until: NaiveDate::from_ymd_opt(2026, 8, 19), ..child() },
                ValidationError::UntilBeforeFrom,
            ),
            (
                Child { approved_on: NaiveDate::from_ymd_opt(2026, 8, 21), ..child() },
                ValidationError::UntilBeforeFrom,
            ),
            (Child { status: SupportStatus::Ended, ..child() }, ValidationError::Empty { field: Field::End }),
        ];
        for (child, error) in cases {
            assert_eq!(child.check(), Err(error), "{child:?}");
        }
    }
}
