//! What every form shares: reading what was typed (times, dates, numbers) and why a form cannot be
//! saved. Forms keep the typed text until a save succeeds; these functions only read it.

use begleitbuch_domain::consent::ConsentPurpose;
use begleitbuch_domain::ids::ChildId;
use begleitbuch_domain::validate::{Field, ValidationError};
use begleitbuch_domain::work::TimeEntry;
use chrono::{NaiveDate, NaiveTime};

/// Why a form cannot be saved; the page shows a translated sentence (`messages::form_error`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    /// A required time is empty.
    Missing(Field),
    /// A time is not `HH:MM`.
    NotATime(Field),
    /// A date is not a calendar date.
    NotADate,
    /// A count or a duration is not a whole number.
    NotANumber(Field),
    NoCategory,
    /// A session without its kind.
    NoKind,
    /// An observation without its child.
    NoChild,
    /// No pool to write into: the tablet has not yet synced since sign-in.
    NoPool,
    /// Another activity was tapped while the group tile's timer runs: the session is finished first.
    SessionTimerRunning,
    /// The child's parents did not consent to what the form would record (naming or documentation).
    ConsentMissing(ChildId, ConsentPurpose),
    /// A domain rule refuses the record; for an overlap, the other entry comes along to name it.
    Rule(ValidationError, Option<TimeEntry>),
}

pub fn parse_time(value: &str, field: Field) -> Result<NaiveTime, FormError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FormError::Missing(field));
    }
    // Browsers send `HH:MM`, some with seconds; typed input may use a dot (`8.30`).
    let normalised = value.replace('.', ":");
    NaiveTime::parse_from_str(&normalised, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(&normalised, "%H:%M:%S"))
        .map_err(|_| FormError::NotATime(field))
}

/// A date as `<input type="date">` sends it (`2026-11-23`), or as Germans type it (`23.11.2026`).
pub fn parse_date(value: &str) -> Result<NaiveDate, FormError> {
    let value = value.trim();
    let date = NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(value, "%d.%m.%Y"))
        .map_err(|_| FormError::NotADate)?;
    // The server refuses days outside the app's range; the form says so before anything is saved.
    begleitbuch_domain::validate::date_in_range(date).map_err(|error| FormError::Rule(error, None))?;
    Ok(date)
}

/// A whole number; empty counts as zero where `empty_is_zero`.
pub fn parse_number<T: std::str::FromStr>(
    value: &str,
    field: Field,
    empty_is_zero: bool,
) -> Result<T, FormError> {
    let value = value.trim();
    let value = if value.is_empty() && empty_is_zero { "0" } else { value };
    if value.is_empty() {
        return Err(FormError::Missing(field));
    }
    value.parse().map_err(|_| FormError::NotANumber(field))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_browsers_send_them_and_as_germans_type_them() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(parse_date("2026-11-23"), Ok(day));
        assert_eq!(parse_date(" 23.11.2026 "), Ok(day));
        assert_eq!(parse_date("31.02.2026"), Err(FormError::NotADate));
    }

    #[test]
    fn a_date_outside_the_apps_range_is_refused_in_the_form() {
        for typed in ["0001-01-01", "31.12.1999", "2101-01-01", "+262142-12-31"] {
            assert!(
                matches!(
                    parse_date(typed),
                    Err(FormError::Rule(ValidationError::DateOutOfRange { .. }, _) | FormError::NotADate)
                ),
                "{typed}"
            );
        }
        assert!(matches!(
            parse_date("1999-12-31"),
            Err(FormError::Rule(ValidationError::DateOutOfRange { .. }, _))
        ));
    }

    #[test]
    fn numbers_are_whole_and_empty_is_zero_only_where_allowed() {
        assert_eq!(parse_number::<u16>("", Field::Participants, true), Ok(0));
        assert_eq!(parse_number::<u32>("", Field::Duration, false), Err(FormError::Missing(Field::Duration)));
        assert_eq!(
            parse_number::<u32>("45 min", Field::Duration, false),
            Err(FormError::NotANumber(Field::Duration))
        );
        assert_eq!(
            parse_number::<u16>("-1", Field::Participants, true),
            Err(FormError::NotANumber(Field::Participants))
        );
        assert_eq!(parse_number::<u32>(" 45 ", Field::Duration, false), Ok(45));
    }
}
