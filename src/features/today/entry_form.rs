//! The time entry form as plain Rust: what the user typed, how it becomes a [`TimeEntry`], which rules
//! refuse it. The page only binds inputs to a [`TimeEntryDraft`].

use begleitbuch_domain::ids::{PoolId, TimeEntryId, UserId};
use begleitbuch_domain::validate::{Field, ValidationError};
use begleitbuch_domain::work::{TimeCategory, TimeEntry};
use begleitbuch_domain::worktime;
use chrono::NaiveDate;

use crate::editing::fields::{parse_time, FormError};

/// What the user typed, kept as typed: a refused save leaves it untouched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeEntryDraft {
    pub start: String,
    pub end: String,
    pub category: String,
    pub note: String,
}

impl TimeEntryDraft {
    pub fn from_entry(entry: &TimeEntry) -> Self {
        TimeEntryDraft {
            start: entry.start.format("%H:%M").to_string(),
            end: entry.end.format("%H:%M").to_string(),
            category: entry.category.code().to_owned(),
            note: entry.note.clone(),
        }
    }

    /// Checks the draft against the rules and the companion's other entries of the day.
    pub fn to_entry(
        &self,
        id: TimeEntryId,
        pool: PoolId,
        companion: UserId,
        date: NaiveDate,
        others: &[TimeEntry],
    ) -> Result<TimeEntry, FormError> {
        let start = parse_time(&self.start, Field::Start)?;
        let end = parse_time(&self.end, Field::End)?;
        let category = TimeCategory::from_code(&self.category).ok_or(FormError::NoCategory)?;
        let entry =
            TimeEntry { id, pool, companion, date, start, end, category, note: self.note.trim().to_owned() };
        check_entry(&entry, others)?;
        Ok(entry)
    }
}

/// Checks an entry on its own and against the companion's other entries of its day; an overlap names
/// the entry it overlaps, so the message can say which.
pub fn check_entry(entry: &TimeEntry, others: &[TimeEntry]) -> Result<(), FormError> {
    worktime::validate_entry(entry).map_err(|e| FormError::Rule(e, None))?;
    worktime::check_overlap(entry, others).map_err(|error| {
        let other = match &error {
            ValidationError::Overlaps { other } => others.iter().find(|e| e.id == *other).cloned(),
            _ => None,
        };
        FormError::Rule(error, other)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;
    use uuid::Uuid;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn draft(start: &str, end: &str) -> TimeEntryDraft {
        TimeEntryDraft {
            start: start.into(),
            end: end.into(),
            category: "individual".into(),
            note: String::new(),
        }
    }

    fn entry(n: u128, start: &str, end: &str) -> TimeEntry {
        draft(start, end).to_entry(TimeEntryId(id(n)), PoolId(id(100)), UserId(id(200)), date(), &[]).unwrap()
    }

    #[test]
    fn a_draft_without_a_category_is_refused() {
        let mut typed = draft("8:05", "09.30");
        typed.category = String::new();
        let made = typed.to_entry(TimeEntryId(id(1)), PoolId(id(2)), UserId(id(3)), date(), &[]);
        assert_eq!(made, Err(FormError::NoCategory));
    }

    #[test]
    fn a_valid_draft_becomes_an_entry_with_a_trimmed_note() {
        let mut typed = draft("8:05", "09.30");
        typed.note = "  Pause begleitet ".into();
        let made = typed.to_entry(TimeEntryId(id(1)), PoolId(id(2)), UserId(id(3)), date(), &[]).unwrap();
        assert_eq!(made.start, NaiveTime::from_hms_opt(8, 5, 0).unwrap());
        assert_eq!(made.end, NaiveTime::from_hms_opt(9, 30, 0).unwrap());
        assert_eq!(made.note, "Pause begleitet");
        assert_eq!(TimeEntryDraft::from_entry(&made).start, "08:05");
    }

    #[test]
    fn bad_input_is_refused_with_the_field_named() {
        let make =
            |d: TimeEntryDraft| d.to_entry(TimeEntryId(id(1)), PoolId(id(2)), UserId(id(3)), date(), &[]);
        assert_eq!(make(draft("", "09:00")), Err(FormError::Missing(Field::Start)));
        assert_eq!(make(draft("08:00", "25:00")), Err(FormError::NotATime(Field::End)));
        assert_eq!(
            make(draft("09:00", "08:00")),
            Err(FormError::Rule(ValidationError::EndNotAfterStart, None))
        );
        let mut no_category = draft("08:00", "09:00");
        no_category.category.clear();
        assert_eq!(make(no_category), Err(FormError::NoCategory));
    }

    #[test]
    fn an_overlap_names_the_other_entry() {
        let existing = entry(1, "08:00", "09:00");
        let result = draft("08:30", "10:00").to_entry(
            TimeEntryId(id(2)),
            PoolId(id(100)),
            UserId(id(200)),
            date(),
            std::slice::from_ref(&existing),
        );
        assert_eq!(
            result,
            Err(FormError::Rule(ValidationError::Overlaps { other: existing.id }, Some(existing.clone())))
        );
        // Editing the entry itself is not an overlap with its old version.
        assert!(draft("08:30", "09:30")
            .to_entry(existing.id, PoolId(id(100)), UserId(id(200)), date(), std::slice::from_ref(&existing))
            .is_ok());
    }
}
