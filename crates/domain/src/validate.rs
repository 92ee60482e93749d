//! Validation of what users type. Errors are typed and carry a stable `code` that the client
//! translates (`locales/*.json`, key `error.<code>`) and the server returns in API errors.

use crate::code::coded_enum;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::TimeEntryId;

coded_enum! {
    /// Which field a message is about, for the UI to point at it.
    pub enum Field {
        Start = "start",
        End = "end",
        Duration = "duration",
        Note = "note",
        Text = "text",
        Group = "group",
        Participants = "participants",
        Companions = "companions",
        DisplayName = "display_name",
        Title = "title",
        Child = "child",
        Date = "date",
        Name = "name",
        Contact = "contact",
        /// The reference of a signed paper form (its number in the provider's files).
        FormReference = "form_reference",
    }
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name =
            serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        f.write_str(&name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ValidationError {
    #[error("the end must be after the start")]
    EndNotAfterStart,
    #[error("longer than {max_minutes} minutes")]
    TooLong { max_minutes: u32 },
    #[error("this time does not exist on that day (clocks go forward)")]
    TimeDoesNotExist { field: Field },
    #[error("overlaps entry {other}")]
    Overlaps { other: TimeEntryId },
    #[error("{field} must be at least one minute")]
    TooShort { field: Field },
    #[error("{field} must not be empty")]
    Empty { field: Field },
    #[error("{field} is longer than {max} characters")]
    TextTooLong { field: Field, max: usize },
    #[error("the last day is before the first day")]
    UntilBeforeFrom,
    #[error("the range is longer than {max_days} days")]
    RangeTooLong { max_days: u32 },
    #[error("work cannot be recorded for a day after today")]
    InFuture,
    #[error("the date lies outside {first} to {last}")]
    DateOutOfRange { first: NaiveDate, last: NaiveDate },
}

/// [`ValidationError`] as it travels, decoded flat (see [`crate::wire`]).
#[derive(Deserialize)]
struct ValidationErrorWire {
    code: String,
    max_minutes: Option<u32>,
    field: Option<Field>,
    other: Option<TimeEntryId>,
    max: Option<usize>,
    max_days: Option<u32>,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
}

impl<'de> Deserialize<'de> for ValidationError {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use crate::wire::required;
        let wire = ValidationErrorWire::deserialize(deserializer)?;
        let field = || required(wire.field, "field");
        Ok(match wire.code.as_str() {
            "end_not_after_start" => ValidationError::EndNotAfterStart,
            "too_long" => {
                ValidationError::TooLong { max_minutes: required(wire.max_minutes, "max_minutes")? }
            }
            "time_does_not_exist" => ValidationError::TimeDoesNotExist { field: field()? },
            "overlaps" => ValidationError::Overlaps { other: required(wire.other, "other")? },
            "too_short" => ValidationError::TooShort { field: field()? },
            "empty" => ValidationError::Empty { field: field()? },
            "text_too_long" => {
                ValidationError::TextTooLong { field: field()?, max: required(wire.max, "max")? }
            }
            "until_before_from" => ValidationError::UntilBeforeFrom,
            "range_too_long" => {
                ValidationError::RangeTooLong { max_days: required(wire.max_days, "max_days")? }
            }
            "in_future" => ValidationError::InFuture,
            "date_out_of_range" => ValidationError::DateOutOfRange {
                first: required(wire.first, "first")?,
                last: required(wire.last, "last")?,
            },
            other => return Err(crate::wire::unknown(other, &["end_not_after_start", "too_long", "…"])),
        })
    }
}

impl ValidationError {
    /// The stable code of this error, e.g. `end_not_after_start`.
    pub fn code(&self) -> &'static str {
        match self {
            ValidationError::EndNotAfterStart => "end_not_after_start",
            ValidationError::TooLong { .. } => "too_long",
            ValidationError::TimeDoesNotExist { .. } => "time_does_not_exist",
            ValidationError::Overlaps { .. } => "overlaps",
            ValidationError::TooShort { .. } => "too_short",
            ValidationError::Empty { .. } => "empty",
            ValidationError::TextTooLong { .. } => "text_too_long",
            ValidationError::UntilBeforeFrom => "until_before_from",
            ValidationError::RangeTooLong { .. } => "range_too_long",
            ValidationError::InFuture => "in_future",
            ValidationError::DateOutOfRange { .. } => "date_out_of_range",
        }
    }
}

/// Refuses text that is blank (when required) or longer than `max` characters.
pub fn text(field: Field, value: &str, required: bool, max: usize) -> Result<(), ValidationError> {
    if required && value.trim().is_empty() {
        return Err(ValidationError::Empty { field });
    }
    if value.chars().count() > max {
        return Err(ValidationError::TextTooLong { field, max });
    }
    Ok(())
}

/// Whether `text` is one plain line: no control characters at all (NUL, escape sequences, line
/// breaks). Names, logins and labels are: PostgreSQL cannot store NUL, and a line break in a name would
/// forge lines wherever it is shown or logged.
pub fn is_one_plain_line(text: &str) -> bool {
    !text.chars().any(char::is_control)
}

/// Whether `text` is plain text of several lines (a note, an observation): line breaks and tabs, but no
/// other control character.
pub fn is_plain_text(text: &str) -> bool {
    !text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// The days the app records at all: nothing before 2000 (the school companions' records begin long
/// after) and nothing after 2100. Everything that counts days or weeks relies on this bound, so that a
/// date near the calendar's limits can neither overflow nor make the server iterate for long.
pub const FIRST_DAY: NaiveDate = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
pub const LAST_DAY: NaiveDate = NaiveDate::from_ymd_opt(2100, 12, 31).unwrap();

/// Refuses a day outside [`FIRST_DAY`]..=[`LAST_DAY`].
pub fn date_in_range(date: NaiveDate) -> Result<(), ValidationError> {
    if (FIRST_DAY..=LAST_DAY).contains(&date) {
        Ok(())
    } else {
        Err(ValidationError::DateOutOfRange { first: FIRST_DAY, last: LAST_DAY })
    }
}

/// The longest absence or cover grant: a school year and a bit. Longer periods are a new contract,
/// not an absence.
pub const MAX_RANGE_DAYS: u32 = 400;

/// Refuses a day range that ends before it starts or is longer than [`MAX_RANGE_DAYS`].
pub fn date_range(from: chrono::NaiveDate, until: chrono::NaiveDate) -> Result<(), ValidationError> {
    if until < from {
        return Err(ValidationError::UntilBeforeFrom);
    }
    if (until - from).num_days() >= i64::from(MAX_RANGE_DAYS) {
        return Err(ValidationError::RangeTooLong { max_days: MAX_RANGE_DAYS });
    }
    Ok(())
}

/// Refuses work (a time entry, group session or observation) dated after `today` (Europe/Berlin):
/// what is recorded is what happened. Absences and cover grants are plans and may lie ahead.
pub fn not_after_today(date: chrono::NaiveDate, today: chrono::NaiveDate) -> Result<(), ValidationError> {
    if date > today {
        return Err(ValidationError::InFuture);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_serialised_tag() {
        let errors = [
            ValidationError::EndNotAfterStart,
            ValidationError::TooLong { max_minutes: 720 },
            ValidationError::TimeDoesNotExist { field: Field::Start },
            ValidationError::Overlaps { other: TimeEntryId(uuid::Uuid::nil()) },
            ValidationError::TooShort { field: Field::Duration },
            ValidationError::Empty { field: Field::Text },
            ValidationError::TextTooLong { field: Field::Note, max: 500 },
            ValidationError::UntilBeforeFrom,
            ValidationError::RangeTooLong { max_days: MAX_RANGE_DAYS },
            ValidationError::InFuture,
        ];
        for error in errors {
            assert_eq!(serde_json::to_value(&error).unwrap()["code"], error.code());
        }
    }

    #[test]
    fn text_rules() {
        assert_eq!(text(Field::Text, "  ", true, 10), Err(ValidationError::Empty { field: Field::Text }));
        assert_eq!(text(Field::Note, "", false, 10), Ok(()));
        // Characters, not bytes: umlauts count once.
        assert_eq!(text(Field::Note, "äöüäöüäöüä", false, 10), Ok(()));
        assert!(text(Field::Note, "äöüäöüäöüäx", false, 10).is_err());
        assert_eq!(Field::DisplayName.to_string(), "display_name");
    }

    #[test]
    fn work_is_recorded_up_to_today() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        assert_eq!(not_after_today(day(1), day(1)), Ok(()));
        assert_eq!(not_after_today(day(1), day(2)), Ok(()));
        assert_eq!(not_after_today(day(2), day(1)), Err(ValidationError::InFuture));
    }

    #[test]
    fn date_ranges_run_forward_and_stay_short() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!(date_range(day(23), day(23)), Ok(()));
        assert_eq!(date_range(day(23), day(22)), Err(ValidationError::UntilBeforeFrom));
        let far = day(1) + chrono::Duration::days(i64::from(MAX_RANGE_DAYS));
        assert_eq!(date_range(day(1), far), Err(ValidationError::RangeTooLong { max_days: MAX_RANGE_DAYS }));
    }
}
