//! What the local store writes into IndexedDB: envelopes with a few plaintext fields for the indices and
//! everything else sealed. Pure types and functions, tested natively.
//!
//! Invariant (docs/DESIGN.md, "Local storage"): no personal text outside the sealed `data`. The
//! plaintext fields are ids, record kinds, dates, versions and counters only.

use begleitbuch_domain::calendar::Week;
use begleitbuch_domain::ids::UserId;
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::{Change, RecordState};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One record as the user sees it: the server's state with the pending changes replayed on top.
/// Stored in `records`, keyed by `[partition, kind, id]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordEnvelope {
    /// The user the record belongs to on this device (the server's user id).
    pub partition: String,
    pub kind: String,
    pub id: String,
    /// `YYYY-MM-DD` for dated records, empty otherwise.
    pub date: String,
    /// `2026-W48`, derived from `date`; added in schema version 2.
    #[serde(default)]
    pub week: String,
    /// The server version the view is based on (0: never acknowledged).
    pub version: u64,
    /// 1 while changes to this record wait in the outbox.
    pub pending: u8,
    /// `iv ‖ AES-GCM(JSON of the RecordState)`.
    #[serde(with = "serde_bytes")]
    pub data: Vec<u8>,
}

/// One change waiting for the server. Stored in `outbox` under an auto-incremented key, which is the
/// device-wide mutation number: the browser's key generator only ever increases, across tabs and
/// after deletions, which is exactly what the server's (device, number) dedupe needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEnvelope {
    pub partition: String,
    /// A UUIDv7 per change, unique in the store: a save retried after an unclear failure is refused
    /// instead of being queued twice.
    pub mutation: String,
    pub kind: String,
    pub record: String,
    /// When the change was made (Unix milliseconds), for "oldest pending" in the header and reports.
    pub created_at: f64,
    /// `iv ‖ AES-GCM(JSON of the PendingChange)`.
    #[serde(with = "serde_bytes")]
    pub data: Vec<u8>,
}

/// The sealed part of an outbox entry. Device id and mutation number are added when it is sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingChange {
    pub user: UserId,
    pub kind: RecordKind,
    pub record: Uuid,
    pub base_version: u64,
    pub change: Change,
    pub payload_version: u16,
}

/// A user's partition on this device. The data key is stored only wrapped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserEnvelope {
    pub id: String,
    #[serde(with = "serde_bytes")]
    pub wrapped_key: Vec<u8>,
}

/// The additional authenticated data of a record: a ciphertext only opens under the partition, kind
/// and id it was written for, so nobody can swap payloads between records.
pub fn record_context(partition: &str, kind: &str, id: &str) -> Vec<u8> {
    format!("begleitbuch/record/1\0{partition}\0{kind}\0{id}").into_bytes()
}

pub fn outbox_context(partition: &str, mutation: &str, kind: &str, record: &str) -> Vec<u8> {
    format!("begleitbuch/outbox/1\0{partition}\0{mutation}\0{kind}\0{record}").into_bytes()
}

pub fn date_key(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// The week index value of a stored date: `2026-W48`, or empty for undated records and for dates that
/// do not parse (those stay readable by id; they just do not appear in a week).
pub fn week_key(date: &str) -> String {
    NaiveDate::parse_from_str(date, "%Y-%m-%d").map(|d| Week::of(d).key()).unwrap_or_default()
}

/// The date a record's state carries in its `date` field, if any.
pub fn state_date(state: &RecordState) -> Option<NaiveDate> {
    state
        .fields
        .get("date")
        .and_then(|v| v.as_str())
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn week_key_follows_iso_weeks_and_tolerates_undated_records() {
        assert_eq!(week_key("2026-11-23"), "2026-W48");
        assert_eq!(week_key("2027-01-03"), "2026-W53");
        assert_eq!(week_key(""), "");
        assert_eq!(week_key("not a date"), "");
    }

    #[test]
    fn contexts_differ_for_every_identifying_field() {
        let base = record_context("u", "time_entry", "1");
        assert_ne!(base, record_context("v", "time_entry", "1"));
        assert_ne!(base, record_context("u", "observation", "1"));
        assert_ne!(base, record_context("u", "time_entry", "2"));
        // The separator keeps "ab"+"c" apart from "a"+"bc".
        assert_ne!(record_context("ab", "c", "1"), record_context("a", "bc", "1"));
        assert_ne!(outbox_context("u", "m", "k", "r"), outbox_context("u", "m", "k", "s"));
    }

    #[test]
    fn v1_envelopes_without_week_still_decode() {
        let v1 = serde_json::json!({
            "partition": "u", "kind": "time_entry", "id": "1", "date": "2026-11-23",
            "version": 0, "pending": 1, "data": [1, 2, 3]
        });
        let envelope: RecordEnvelope = serde_json::from_value(v1).unwrap();
        assert_eq!(envelope.week, "");
        assert_eq!(envelope.data, vec![1, 2, 3]);
    }
}
