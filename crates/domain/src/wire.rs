//! Decoding the tagged enums of the protocol (`{"code": "too_long", "max_minutes": 600}`) through one
//! flat struct per enum rather than serde's derive. The derive buffers the whole object before it looks
//! at the tag, and that machinery, instantiated per enum and per format, was the largest single piece of
//! the tablet's download after the views (about 40 KB of WebAssembly for three enums). The JSON is the
//! same; tests round-trip every variant through the derived `Serialize`.

use serde::de::Error;

/// A field the variant needs, or the error serde would give for it.
pub fn required<T, E: Error>(value: Option<T>, field: &'static str) -> Result<T, E> {
    value.ok_or_else(|| E::missing_field(field))
}

/// A tag no variant has.
pub fn unknown<E: Error>(tag: &str, expected: &'static [&'static str]) -> E {
    E::unknown_variant(tag, expected)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use uuid::Uuid;

    use crate::authority::FieldRule;
    use crate::ids::TimeEntryId;
    use crate::protocol::{FieldConflict, Outcome, RejectReason};
    use crate::validate::{Field, ValidationError};
    use crate::work::{DirectKind, IndirectKind, TimeCategory};

    fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(value: T) {
        let json = serde_json::to_value(&value).unwrap();
        assert_eq!(serde_json::from_value::<T>(json.clone()).unwrap(), value, "{json}");
        // The same from text, where fields may come in any order.
        assert_eq!(serde_json::from_str::<T>(&json.to_string()).unwrap(), value, "{json}");
    }

    fn validation_errors() -> Vec<ValidationError> {
        let day = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        vec![
            ValidationError::EndNotAfterStart,
            ValidationError::TooLong { max_minutes: 600 },
            ValidationError::TimeDoesNotExist { field: Field::Start },
            ValidationError::Overlaps { other: TimeEntryId(Uuid::from_u128(7)) },
            ValidationError::TooShort { field: Field::End },
            ValidationError::Empty { field: Field::Text },
            ValidationError::TextTooLong { field: Field::Note, max: 2000 },
            ValidationError::UntilBeforeFrom,
            ValidationError::RangeTooLong { max_days: 90 },
            ValidationError::InFuture,
            ValidationError::DateOutOfRange { first: day, last: day },
        ]
    }

    fn reject_reasons() -> Vec<RejectReason> {
        let mut reasons = vec![
            RejectReason::UnknownRecord,
            RejectReason::RecordDeleted,
            RejectReason::KindMismatch,
            RejectReason::WeekLocked,
            RejectReason::BadPayload { detail: "x".into() },
            RejectReason::UnsupportedPayloadVersion { supported: (1, 2) },
            RejectReason::ConsentMissing,
            RejectReason::Forbidden,
            RejectReason::NumberReused,
            RejectReason::FieldRefused { field: "companion".into(), rule: FieldRule::Caller },
        ];
        reasons.extend(validation_errors().into_iter().map(|error| RejectReason::Invalid { error }));
        reasons
    }

    #[test]
    fn every_tagged_variant_decodes_as_it_was_written() {
        for error in validation_errors() {
            round_trip(error);
        }
        for reason in reject_reasons() {
            round_trip(reason.clone());
            round_trip(Outcome::Rejected(reason));
        }
        round_trip(Outcome::Applied { version: 3 });
        for kind in DirectKind::ALL {
            round_trip(TimeCategory::Direct(kind));
        }
        for kind in IndirectKind::ALL {
            round_trip(TimeCategory::Indirect(kind));
        }
        assert!(serde_json::from_str::<TimeCategory>(r#"{"type":"direct","kind":"travel"}"#).is_err());
        let conflict = FieldConflict { field: "note".into(), kept: "a".into(), yours: "b".into() };
        round_trip(Outcome::Conflict { version: 4, conflicts: vec![conflict] });
    }

    #[test]
    fn unknown_tags_and_missing_fields_are_errors_that_say_so() {
        let unknown = serde_json::from_str::<ValidationError>(r#"{"code":"nonsense"}"#).unwrap_err();
        assert!(unknown.to_string().contains("unknown variant `nonsense`"), "{unknown}");
        let missing = serde_json::from_str::<ValidationError>(r#"{"code":"too_long"}"#).unwrap_err();
        assert!(missing.to_string().contains("missing field `max_minutes`"), "{missing}");
        let rejected = serde_json::from_str::<Outcome>(r#"{"outcome":"rejected"}"#).unwrap_err();
        assert!(rejected.to_string().contains("missing field `reason`"), "{rejected}");
        assert!(serde_json::from_str::<RejectReason>(r#"{"reason":"invalid"}"#).is_err());
    }
}
