//! Turns typed errors into translated sentences. Every error the user can meet has a key in
//! `locales/*.json`; the catalogue test keeps both languages complete.

use begleitbuch_domain::consent::ConsentPurpose;
use begleitbuch_domain::validate::{Field, ValidationError};

use crate::editing::fields::FormError;
use crate::i18n::{td_string, Locale};
use crate::io::store::StoreError;
use crate::runtime::account::SignInError;
use crate::text::format;
use begleitbuch_web::api::ApiError;

pub fn validation_error(locale: Locale, error: &ValidationError, range: Option<String>) -> String {
    match error {
        ValidationError::EndNotAfterStart => td_string!(locale, error.end_not_after_start).to_string(),
        ValidationError::TooLong { max_minutes } => {
            let hours = max_minutes / 60;
            td_string!(locale, error.too_long, hours).to_string()
        }
        ValidationError::TimeDoesNotExist { .. } => td_string!(locale, error.time_does_not_exist).to_string(),
        ValidationError::Overlaps { .. } => {
            let range = range.unwrap_or_default();
            td_string!(locale, error.overlaps, range).to_string()
        }
        ValidationError::TooShort { .. } => td_string!(locale, error.too_short).to_string(),
        ValidationError::Empty { .. } => td_string!(locale, error.empty).to_string(),
        ValidationError::TextTooLong { max, .. } => {
            let max = *max;
            td_string!(locale, error.text_too_long, max).to_string()
        }
        ValidationError::UntilBeforeFrom => td_string!(locale, error.until_before_from).to_string(),
        ValidationError::RangeTooLong { max_days } => {
            let max_days = *max_days;
            td_string!(locale, error.range_too_long, max_days).to_string()
        }
        ValidationError::InFuture => td_string!(locale, error.in_future).to_string(),
        ValidationError::DateOutOfRange { first, last } => {
            let (first, last) =
                (crate::text::format::date(locale, *first), crate::text::format::date(locale, *last));
            td_string!(locale, error.date_out_of_range, first, last).to_string()
        }
    }
}

pub fn form_error(locale: Locale, error: &FormError) -> String {
    match error {
        FormError::Missing(Field::End) => td_string!(locale, error.missing_end).to_string(),
        FormError::Missing(_) => td_string!(locale, error.missing_start).to_string(),
        FormError::NotATime(_) => td_string!(locale, error.not_a_time).to_string(),
        FormError::NoCategory => td_string!(locale, error.no_category).to_string(),
        FormError::NotADate => td_string!(locale, error.not_a_date).to_string(),
        FormError::NotANumber(_) => td_string!(locale, error.not_a_number).to_string(),
        FormError::NoKind => td_string!(locale, error.no_kind).to_string(),
        FormError::NoChild => td_string!(locale, error.no_child).to_string(),
        FormError::NoPool => td_string!(locale, error.no_pool).to_string(),
        FormError::SessionTimerRunning => td_string!(locale, error.session_timer_running).to_string(),
        FormError::ConsentMissing(_, ConsentPurpose::Naming) => {
            td_string!(locale, error.naming_consent_missing).to_string()
        }
        FormError::ConsentMissing(_, _) => {
            td_string!(locale, error.documentation_consent_missing).to_string()
        }
        FormError::Rule(rule, other) => {
            let range = other.as_ref().map(|entry| format::time_range(locale, entry.start, entry.end));
            validation_error(locale, rule, range)
        }
    }
}

/// What went wrong with the last save on a page: the input broke a rule, or the store failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Form(FormError),
    Store(StoreError),
}

pub fn problem(locale: Locale, problem: &Problem) -> String {
    match problem {
        Problem::Form(error) => form_error(locale, error),
        Problem::Store(error) => store_error(locale, error),
    }
}

pub fn store_error(locale: Locale, error: &StoreError) -> String {
    match error {
        StoreError::Unavailable => td_string!(locale, store_error.unavailable).to_string(),
        StoreError::CryptoUnavailable => td_string!(locale, store_error.crypto_unavailable).to_string(),
        StoreError::Full => td_string!(locale, store_error.full).to_string(),
        StoreError::Duplicate => td_string!(locale, store_error.duplicate).to_string(),
        StoreError::Outdated => td_string!(locale, store_error.outdated).to_string(),
        StoreError::Corrupt => td_string!(locale, store_error.corrupt).to_string(),
        StoreError::Browser(detail) => {
            let detail = detail.clone();
            td_string!(locale, store_error.browser, detail).to_string()
        }
    }
}

/// Why signing in did not work. Server codes without a sentence of their own get the general one.
pub fn sign_in_error(locale: Locale, error: &SignInError) -> String {
    match error {
        SignInError::Missing => td_string!(locale, sign_in_error.missing).to_string(),
        SignInError::PasswordsDiffer => td_string!(locale, sign_in_error.passwords_differ).to_string(),
        SignInError::Store(error) => store_error(locale, error),
        SignInError::Api(error) => api_error(locale, error),
    }
}

/// What the server (or the way to it) answered, for sign-in and sync.
pub fn api_error(locale: Locale, error: &ApiError) -> String {
    match error.code() {
        "offline" => td_string!(locale, api_error.offline).to_string(),
        "invalid_credentials" => td_string!(locale, api_error.invalid_credentials).to_string(),
        "too_many_attempts" => td_string!(locale, api_error.too_many_attempts).to_string(),
        "device_revoked" => td_string!(locale, api_error.device_revoked).to_string(),
        "device_of_other_provider" => td_string!(locale, api_error.device_of_other_provider).to_string(),
        "device_not_yours" => td_string!(locale, api_error.device_not_yours).to_string(),
        "device_secret_missing" => td_string!(locale, api_error.device_secret_missing).to_string(),
        "refresh_token_invalid" => td_string!(locale, api_error.refresh_token_invalid).to_string(),
        "wrong_current_password" => td_string!(locale, api_error.wrong_current_password).to_string(),
        "password_too_short" => td_string!(locale, api_error.password_too_short).to_string(),
        "password_too_long" => td_string!(locale, api_error.password_too_long).to_string(),
        "password_change_required" => td_string!(locale, api_error.password_change_required).to_string(),
        "use_office" => td_string!(locale, api_error.use_office).to_string(),
        "use_parents_pages" => td_string!(locale, api_error.use_parents_pages).to_string(),
        "use_tablet" => td_string!(locale, api_error.use_tablet).to_string(),
        code => {
            let code = code.to_owned();
            td_string!(locale, api_error.other, code).to_string()
        }
    }
}

/// Which form field a problem belongs to, for `aria-invalid` and focus.
pub fn form_error_field(error: &FormError) -> Option<Field> {
    match error {
        FormError::Missing(field) | FormError::NotATime(field) | FormError::NotANumber(field) => Some(*field),
        FormError::NoChild => Some(Field::Child),
        FormError::NoCategory
        | FormError::NotADate
        | FormError::NoKind
        | FormError::NoPool
        | FormError::SessionTimerRunning => None,
        FormError::ConsentMissing(_, ConsentPurpose::Naming) => Some(Field::Participants),
        FormError::ConsentMissing(_, _) => Some(Field::Child),
        FormError::Rule(ValidationError::EndNotAfterStart | ValidationError::TooLong { .. }, _) => {
            Some(Field::End)
        }
        FormError::Rule(ValidationError::InFuture | ValidationError::DateOutOfRange { .. }, _) => {
            Some(Field::Date)
        }
        FormError::Rule(
            ValidationError::TimeDoesNotExist { field }
            | ValidationError::TooShort { field }
            | ValidationError::Empty { field }
            | ValidationError::TextTooLong { field, .. },
            _,
        ) => Some(*field),
        FormError::Rule(_, _) => Some(Field::Start),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::worktime::MAX_ENTRY_MINUTES;

    #[test]
    fn the_longest_entry_is_stated_in_hours() {
        let error = ValidationError::TooLong { max_minutes: MAX_ENTRY_MINUTES };
        assert!(validation_error(Locale::de, &error, None).contains("12 Stunden"));
        assert!(validation_error(Locale::en, &error, None).contains("12 hours"));
    }

    #[test]
    fn a_browser_error_names_what_the_browser_said() {
        let message = store_error(Locale::de, &StoreError::Browser("UnknownError".into()));
        assert!(message.contains("UnknownError") && message.contains("Eingabe ist noch da"));
    }

    #[test]
    fn an_overlap_names_the_other_entry_in_german_time() {
        let message = validation_error(
            Locale::de,
            &ValidationError::Overlaps { other: begleitbuch_domain::ids::TimeEntryId(uuid::Uuid::nil()) },
            Some(format::time_range(
                Locale::de,
                chrono::NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
                chrono::NaiveTime::from_hms_opt(9, 30, 0).unwrap(),
            )),
        );
        assert_eq!(message, "Überschneidet sich mit dem Eintrag 08:00–09:30 Uhr.");
    }
}
