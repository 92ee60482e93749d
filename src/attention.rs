//! The "needs attention" list as plain Rust: what a refused or conflicting change was about, and the
//! change that takes the user's values after a conflict. The page (`pages/attention.rs`) only shows it.

use std::collections::BTreeMap;

use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::sync::{Change, FieldConflict, Outcome, RecordState, RejectReason};
use chrono::{NaiveDate, NaiveTime};
use serde_json::Value;

use crate::store::sync::AttentionItem;

/// What the list shows of one item.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub kind: RecordKind,
    pub number: u64,
    pub date: Option<NaiveDate>,
    pub start: Option<NaiveTime>,
    pub end: Option<NaiveTime>,
    pub note: Option<String>,
    pub problem: Problem,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// The server kept other values for these fields.
    Conflict(Vec<FieldConflict>),
    /// The server refused the change; the code is the reason's (`week_locked`, `consent_missing`, …).
    Refused(&'static str),
}

pub fn reason_code(reason: &RejectReason) -> &'static str {
    match reason {
        RejectReason::UnknownRecord => "unknown_record",
        RejectReason::RecordDeleted => "record_deleted",
        RejectReason::KindMismatch | RejectReason::BadPayload { .. } => "bad_payload",
        RejectReason::WeekLocked => "week_locked",
        RejectReason::Invalid { .. } => "invalid",
        RejectReason::UnsupportedPayloadVersion { .. } => "unsupported_payload_version",
        RejectReason::ConsentMissing => "consent_missing",
        RejectReason::Forbidden => "forbidden",
    }
}

fn parsed<T: serde::de::DeserializeOwned>(fields: &BTreeMap<String, Value>, name: &str) -> Option<T> {
    fields.get(name).and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// Describes an item: the record as the device holds it now (`current`), with the fields of the change
/// over it (a change of the note alone still shows the entry's day and time).
pub fn summary(item: &AttentionItem, current: Option<&RecordState>) -> Summary {
    let mut fields = current.map(|state| state.fields.clone()).unwrap_or_default();
    if let Change::Put { fields: changed, .. } = &item.mutation.change {
        fields.extend(changed.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let fields = &fields;
    let problem = match &item.outcome {
        Outcome::Conflict { conflicts, .. } => Problem::Conflict(conflicts.clone()),
        Outcome::Rejected(reason) => Problem::Refused(reason_code(reason)),
        // Applied changes are never kept for attention; shown as nothing to do.
        Outcome::Applied { .. } => Problem::Conflict(Vec::new()),
    };
    Summary {
        number: item.mutation.number,
        kind: item.mutation.kind,
        date: parsed(fields, "date"),
        start: parsed(fields, "start"),
        end: parsed(fields, "end"),
        note: parsed::<String>(fields, "note").filter(|n| !n.is_empty()),
        problem,
    }
}

/// After a conflict, the change that sets the user's values again, made on the record as it is now.
pub fn take_mine(conflicts: &[FieldConflict]) -> Change {
    Change::Put {
        fields: conflicts.iter().map(|c| (c.field.clone(), c.yours.clone())).collect(),
        sets: BTreeMap::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::ids::{DeviceId, UserId};
    use begleitbuch_domain::record::RecordKind;
    use begleitbuch_domain::sync::Mutation;
    use serde_json::json;

    fn item(change: Change, outcome: Outcome) -> AttentionItem {
        let mutation = Mutation {
            device: DeviceId(uuid::Uuid::from_u128(1)),
            number: 7,
            user: UserId(uuid::Uuid::from_u128(2)),
            kind: RecordKind::TimeEntry,
            record: uuid::Uuid::from_u128(3),
            base_version: 1,
            change,
            payload_version: 1,
        };
        AttentionItem { mutation, outcome, answered_at: 0.0 }
    }

    #[test]
    fn a_refused_entry_shows_its_day_time_and_reason() {
        let fields =
            json!({"date": "2026-11-23", "start": "07:30:00", "end": "08:15:00", "note": "Vorbereitung"});
        let change = Change::Put {
            fields: fields.as_object().unwrap().clone().into_iter().collect(),
            sets: BTreeMap::new(),
        };
        let summary = summary(&item(change, Outcome::Rejected(RejectReason::WeekLocked)), None);
        assert_eq!(summary.date, NaiveDate::from_ymd_opt(2026, 11, 23));
        assert_eq!(summary.start, NaiveTime::from_hms_opt(7, 30, 0));
        assert_eq!(summary.note.as_deref(), Some("Vorbereitung"));
        assert_eq!(summary.problem, Problem::Refused("week_locked"));
    }

    #[test]
    fn taking_mine_sets_every_conflicting_field_to_my_value() {
        let conflicts = vec![FieldConflict { field: "note".into(), kept: json!("A"), yours: json!("B") }];
        let Change::Put { fields, .. } = take_mine(&conflicts) else { panic!("a put") };
        assert_eq!(fields["note"], json!("B"));
        let summary = summary(
            &item(Change::Delete, Outcome::Conflict { version: 3, conflicts: conflicts.clone() }),
            None,
        );
        assert_eq!(summary.problem, Problem::Conflict(conflicts));
    }

    #[test]
    fn a_change_of_the_note_alone_still_shows_the_entrys_day_and_time() {
        let note = json!({"note": "Neu"}).as_object().unwrap().clone().into_iter().collect();
        let change = Change::Put { fields: note, sets: BTreeMap::new() };
        let current = RecordState {
            kind: RecordKind::TimeEntry,
            id: uuid::Uuid::from_u128(3),
            version: 2,
            fields: json!({"date": "2026-11-23", "start": "10:00:00", "end": "10:30:00", "note": "Alt"})
                .as_object()
                .unwrap()
                .clone()
                .into_iter()
                .collect(),
            sets: BTreeMap::new(),
            field_versions: BTreeMap::new(),
            field_sources: BTreeMap::new(),
            deleted: false,
            lost: Vec::new(),
        };
        let shown =
            summary(&item(change, Outcome::Conflict { version: 2, conflicts: vec![] }), Some(&current));
        assert_eq!(shown.start, NaiveTime::from_hms_opt(10, 0, 0));
        assert_eq!(shown.note.as_deref(), Some("Neu"));
    }
}
