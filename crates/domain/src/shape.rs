//! What a stored record may hold: its kind's shape, bounded texts, sets and nesting, days within the
//! app's range, the kind's own rules — and what a deleted record keeps (its tombstone).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::protocol::RejectReason;
use crate::record::{FieldMap, RecordKind, RecordState};
use crate::{child, review, work, worktime};

impl RecordState {
    /// A typed record (a `work::TimeEntry`, a `child::Child`, …) as its first stored version: the
    /// state a device's creating mutation would produce. For imports and demo data.
    pub fn first_version<T: Serialize>(
        kind: RecordKind,
        id: Uuid,
        record: &T,
    ) -> Result<RecordState, String> {
        let FieldMap { fields, sets } = FieldMap::of(kind, record)?;
        let state = RecordState {
            kind,
            id,
            version: 1,
            field_versions: fields.keys().chain(sets.keys()).map(|k| (k.clone(), 1)).collect(),
            field_sources: BTreeMap::new(),
            fields,
            sets,
            deleted: false,
            lost: Vec::new(),
        };
        check_record(&state).map_err(|reason| format!("{reason:?}"))?;
        Ok(state)
    }
}

/// The most members a set field may hold (a group session's children or companions, an observation's
/// areas): far above any real group, far below what would make a record costly to store and send.
pub const MAX_SET_MEMBERS: usize = 60;

/// How deep a field's value may nest (a time entry's category is an object of strings: two levels).
const MAX_DEPTH: usize = 3;
/// The most a record's fields may take, encoded: an observation's longest text in four-byte characters
/// and the rest.
const MAX_RECORD_BYTES: usize = 24 * 1024;

fn depth(value: &Value) -> usize {
    match value {
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Object(fields) => 1 + fields.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// The longest text a field may hold, by field name; every other text field is short (a name, a code).
fn max_chars(field: &str) -> usize {
    match field {
        "text" => worktime::MAX_OBSERVATION_CHARS,
        "note" | "comment" => 2000,
        "title" => child::MAX_GOAL_TITLE_CHARS,
        _ => 120,
    }
}

/// Refuses a record whose shape is not its kind's: fields the kind does not have, texts longer than
/// their field allows, sets larger than [`MAX_SET_MEMBERS`]. Checked on the decoded record re-encoded,
/// so a field the kind does not know is caught however it was nested.
fn check_shape<T: serde::Serialize>(state: &RecordState, record: &T) -> Result<(), RejectReason> {
    let bad = |detail: String| Err(RejectReason::BadPayload { detail });
    let Ok(Value::Object(known)) = serde_json::to_value(record) else {
        return bad("the record does not encode as an object".into());
    };
    for name in state.fields.keys().chain(state.sets.keys()) {
        if !known.contains_key(name) {
            return bad(format!("{} has no field {name:.40}", state.kind.code()));
        }
    }
    // Inside a known field (a category, a week) the typed decoding ignores what it does not know: the
    // nesting and the whole record's size bound that.
    if state.fields.values().any(|value| depth(value) > MAX_DEPTH) {
        return bad(format!("nested deeper than {MAX_DEPTH} levels"));
    }
    let size = serde_json::to_vec(&state.fields).map_or(usize::MAX, |bytes| bytes.len());
    if size > MAX_RECORD_BYTES {
        return bad(format!("the record's fields take more than {MAX_RECORD_BYTES} bytes"));
    }
    for (name, members) in &state.sets {
        if members.len() > MAX_SET_MEMBERS {
            return bad(format!("{name} holds more than {MAX_SET_MEMBERS} members"));
        }
    }
    for (name, value) in &state.fields {
        let max = max_chars(name);
        if let Value::String(text) = value {
            let plain = match name.as_str() {
                "text" | "note" | "comment" => crate::validate::is_plain_text(text),
                _ => crate::validate::is_one_plain_line(text),
            };
            if !plain {
                return bad(format!("{name} holds control characters"));
            }
            if text.chars().count() > max {
                // A field a form shows gets the form's message; any other is a malformed payload.
                return match serde_json::from_value::<crate::validate::Field>(Value::from(name.as_str())) {
                    Ok(field) => Err(RejectReason::Invalid {
                        error: crate::validate::ValidationError::TextTooLong { field, max },
                    }),
                    Err(_) => bad(format!("{name} is longer than {max} characters")),
                };
            }
        }
    }
    Ok(())
}

/// Decodes the record as its kind and applies the domain rules that concern one record alone: its
/// shape ([`check_shape`]), its dates within the app's range, and the kind's own rules.
pub fn check_record(state: &RecordState) -> Result<(), RejectReason> {
    fn decode<T: serde::de::DeserializeOwned + serde::Serialize>(
        state: &RecordState,
    ) -> Result<T, RejectReason> {
        let record: T = serde_json::from_value(state.to_json())
            .map_err(|e| RejectReason::BadPayload { detail: e.to_string() })?;
        check_shape(state, &record)?;
        Ok(record)
    }
    let invalid = |error| RejectReason::Invalid { error };
    let days = |days: &[Option<chrono::NaiveDate>]| {
        days.iter().flatten().try_for_each(|day| crate::validate::date_in_range(*day)).map_err(invalid)
    };
    match state.kind {
        RecordKind::TimeEntry => {
            let entry = decode::<work::TimeEntry>(state)?;
            days(&[Some(entry.date)])?;
            worktime::validate_entry(&entry).map(drop).map_err(invalid)
        }
        RecordKind::GroupSession => {
            let session = decode::<work::GroupSession>(state)?;
            days(&[Some(session.date)])?;
            worktime::validate_session(&session).map_err(invalid)
        }
        RecordKind::Observation => {
            let observation = decode::<work::Observation>(state)?;
            days(&[Some(observation.date)])?;
            crate::validate::text(
                crate::validate::Field::Text,
                &observation.text,
                true,
                worktime::MAX_OBSERVATION_CHARS,
            )
            .map_err(invalid)
        }
        RecordKind::Child => {
            let child = decode::<child::Child>(state)?;
            days(&[Some(child.since), child.until])?;
            child.check().map_err(invalid)
        }
        RecordKind::Goal => decode::<child::Goal>(state)?.check().map_err(invalid),
        RecordKind::WeekReview => {
            let review = decode::<review::WeekReview>(state)?;
            let monday = chrono::NaiveDate::from_isoywd_opt(
                review.week.year,
                review.week.number,
                chrono::Weekday::Mon,
            )
            .ok_or_else(|| RejectReason::BadPayload { detail: "no such week".into() })?;
            days(&[Some(monday)])
        }
        RecordKind::Absence => {
            let absence = decode::<review::Absence>(state)?;
            days(&[Some(absence.from), Some(absence.until)])?;
            crate::validate::date_range(absence.from, absence.until).map_err(invalid)
        }
        RecordKind::CoverGrant => {
            let grant = decode::<review::CoverGrant>(state)?;
            days(&[Some(grant.from), Some(grant.until)])?;
            crate::validate::date_range(grant.from, grant.until).map_err(invalid)
        }
        RecordKind::Consent => {
            let consent = decode::<crate::consent::Consent>(state)?;
            days(&[Some(consent.at.date_naive())])?;
            let Some(form) = &consent.form else { return Ok(()) };
            // The one nested text of any record: the plain-line rule of top-level texts holds here too.
            if !crate::validate::is_one_plain_line(&form.reference) {
                return Err(RejectReason::BadPayload {
                    detail: "form reference holds a control character".into(),
                });
            }
            form.check().map_err(invalid)
        }
        RecordKind::Guardian => decode::<crate::guardian::Guardian>(state)?.check().map_err(invalid),
        RecordKind::AuditEvent => {
            let event = decode::<crate::audit::AuditEvent>(state)?;
            days(&[Some(event.at.date_naive())])
        }
    }
}

/// The fields a deleted record keeps: where it belongs, whom it concerns and which days and times it
/// covered — what its facts (pool, owners, child, days, visibility) and a "Zu klären" item about it are
/// read from. Never what it said: notes, texts, comments, areas, goals, the children of a session.
const TOMBSTONE_FIELDS: &[&str] = &[
    "pool",
    "companion",
    "author",
    "actor",
    "child",
    "date",
    "start",
    "end",
    "from",
    "until",
    "week",
    "visibility",
];
const TOMBSTONE_SETS: &[&str] = &["companions"];

/// Strips a deleted record down to its tombstone (see [`TOMBSTONE_FIELDS`]); also for records deleted
/// before tombstones were stripped.
pub fn keep_only_what_a_tombstone_needs(state: &mut RecordState) {
    state.fields.retain(|name, _| TOMBSTONE_FIELDS.contains(&name.as_str()));
    state.sets.retain(|name, _| TOMBSTONE_SETS.contains(&name.as_str()));
    state.field_versions.retain(|name, _| state.fields.contains_key(name) || state.sets.contains_key(name));
    state.field_sources.retain(|name, _| state.fields.contains_key(name) || state.sets.contains_key(name));
    state.lost.clear();
}
