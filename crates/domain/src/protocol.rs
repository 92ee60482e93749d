//! Sync protocol v2: the messages between device and server — mutations and their outcomes, pushes
//! and pulled pages. What a mutation does to a record is decided in [`crate::merge`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::authority::{FieldRefusal, FieldRule};
use crate::ids::{DeviceId, PoolId, UserId};
use crate::record::{record_json, Change, Record, RecordKind, RecordState};
use crate::validate::ValidationError;

/// The protocol this build speaks.
pub const PROTOCOL_VERSION: u16 = 2;
/// The oldest protocol the server still accepts, so that an old tablet can always push what it holds.
pub const OLDEST_ACCEPTED_PROTOCOL: u16 = 1;

/// One change to one record, made on one device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mutation {
    pub device: DeviceId,
    /// Device-wide and strictly increasing; the server deduplicates on (device, number).
    pub number: u64,
    pub user: UserId,
    pub kind: RecordKind,
    pub record: Uuid,
    /// The record version the user saw when making the change; 0 when creating the record.
    pub base_version: u64,
    pub change: Change,
    pub payload_version: u16,
    /// The change's own id, made when it was recorded (protocol 2; absent from protocol 1 devices).
    /// The server answers a (device, number) from its log only for the very same mutation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldConflict {
    pub field: String,
    /// What the server kept (the value another change set since your base version).
    pub kept: Value,
    /// What this mutation wanted.
    pub yours: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum RejectReason {
    /// An update or delete of a record the server does not have.
    UnknownRecord,
    /// An update of a record that was deleted.
    RecordDeleted,
    /// The mutation names another kind than the stored record has.
    KindMismatch,
    /// The record's week was approved and is locked.
    WeekLocked,
    /// A set field was sent as a plain field, or the result does not decode as the record kind.
    BadPayload {
        detail: String,
    },
    /// The result breaks a domain rule.
    Invalid {
        error: ValidationError,
    },
    UnsupportedPayloadVersion {
        supported: (u16, u16),
    },
    /// No consent for the child at the time the server received the mutation.
    ConsentMissing,
    /// The user may not make this change (decided by the server's authorization, outside `apply`).
    Forbidden,
    /// The device already used this number for a different mutation (another client presented the
    /// device's id): this one was not stored.
    NumberReused,
    /// The user may change the record, but not this field this way (`authority::check`).
    FieldRefused {
        field: String,
        rule: FieldRule,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Applied {
        version: u64,
    },
    /// The non-conflicting part was applied; the conflicting fields kept the server's values.
    Conflict {
        version: u64,
        conflicts: Vec<FieldConflict>,
    },
    Rejected(RejectReason),
}

impl From<FieldRefusal> for RejectReason {
    fn from(refusal: FieldRefusal) -> Self {
        RejectReason::FieldRefused { field: refusal.field, rule: refusal.rule }
    }
}

/// [`Outcome`] and its [`RejectReason`] as they travel (a rejection's reason sits beside the outcome
/// in one object), decoded flat (see [`crate::wire`]).
#[derive(Deserialize)]
struct OutcomeWire {
    outcome: String,
    version: Option<u64>,
    conflicts: Option<Vec<FieldConflict>>,
    reason: Option<String>,
    detail: Option<String>,
    error: Option<ValidationError>,
    supported: Option<(u16, u16)>,
    field: Option<String>,
    rule: Option<FieldRule>,
}

#[derive(Deserialize)]
struct RejectReasonWire {
    reason: String,
    detail: Option<String>,
    error: Option<ValidationError>,
    supported: Option<(u16, u16)>,
    field: Option<String>,
    rule: Option<FieldRule>,
}

impl RejectReasonWire {
    fn decode<E: serde::de::Error>(self) -> Result<RejectReason, E> {
        use crate::wire::required;
        Ok(match self.reason.as_str() {
            "unknown_record" => RejectReason::UnknownRecord,
            "record_deleted" => RejectReason::RecordDeleted,
            "kind_mismatch" => RejectReason::KindMismatch,
            "week_locked" => RejectReason::WeekLocked,
            "bad_payload" => RejectReason::BadPayload { detail: required(self.detail, "detail")? },
            "invalid" => RejectReason::Invalid { error: required(self.error, "error")? },
            "unsupported_payload_version" => {
                RejectReason::UnsupportedPayloadVersion { supported: required(self.supported, "supported")? }
            }
            "consent_missing" => RejectReason::ConsentMissing,
            "forbidden" => RejectReason::Forbidden,
            "number_reused" => RejectReason::NumberReused,
            "field_refused" => RejectReason::FieldRefused {
                field: required(self.field, "field")?,
                rule: required(self.rule, "rule")?,
            },
            other => return Err(crate::wire::unknown(other, &["unknown_record", "record_deleted", "…"])),
        })
    }
}

impl<'de> Deserialize<'de> for RejectReason {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        RejectReasonWire::deserialize(deserializer)?.decode()
    }
}

impl<'de> Deserialize<'de> for Outcome {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use crate::wire::required;
        let wire = OutcomeWire::deserialize(deserializer)?;
        Ok(match wire.outcome.as_str() {
            "applied" => Outcome::Applied { version: required(wire.version, "version")? },
            "conflict" => Outcome::Conflict {
                version: required(wire.version, "version")?,
                conflicts: required(wire.conflicts, "conflicts")?,
            },
            "rejected" => Outcome::Rejected(
                RejectReasonWire {
                    reason: required(wire.reason, "reason")?,
                    detail: wire.detail,
                    error: wire.error,
                    supported: wire.supported,
                    field: wire.field,
                    rule: wire.rule,
                }
                .decode()?,
            ),
            other => return Err(crate::wire::unknown(other, &["applied", "conflict", "rejected"])),
        })
    }
}

/// `POST /api/v1/sync/push`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub protocol: u16,
    pub device: DeviceId,
    pub mutations: Vec<Mutation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResult {
    pub number: u64,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<PushResult>,
}

/// `POST /api/v1/office/records`: one change the office writes online. The server runs it through the
/// same rules as a push and logs it without a device ([`OfficeWrite::into_mutation`]); tablets receive
/// the change at their next pull.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeWrite {
    /// The change's own id, made when the page made the change: a retry (an answer lost on the way)
    /// sends the same id and gets the first answer again.
    pub id: Uuid,
    pub kind: RecordKind,
    pub record: Uuid,
    /// The record version the page showed; 0 when creating the record.
    pub base_version: u64,
    pub change: Change,
}

impl OfficeWrite {
    /// The mutation this write is, by `user`: no device (the nil id), numbered by the change's id —
    /// an office page keeps no counter, and a number taken from a random id is as unique as the log
    /// needs, with its fingerprint telling a retry from a different change.
    pub fn into_mutation(self, user: UserId) -> Mutation {
        let number = u64::from_be_bytes(self.id.as_bytes()[8..].try_into().unwrap_or_default()) >> 1;
        Mutation {
            device: DeviceId(Uuid::nil()),
            number,
            user,
            kind: self.kind,
            record: self.record,
            base_version: self.base_version,
            change: self.change,
            payload_version: PROTOCOL_VERSION,
            id: Some(self.id),
        }
    }
}

/// A record read online (`GET /api/v1/records/{id}`, the office's lists): what it holds, without the
/// merge history a device keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordView {
    pub kind: RecordKind,
    pub id: Uuid,
    pub version: u64,
    /// `None` for records outside every pool (an audit event about no child).
    pub pool: Option<PoolId>,
    pub fields: BTreeMap<String, Value>,
    pub sets: BTreeMap<String, BTreeSet<String>>,
}

impl RecordView {
    pub fn of(state: RecordState, pool: Option<PoolId>) -> RecordView {
        RecordView {
            kind: state.kind,
            id: state.id,
            version: state.version,
            pool,
            fields: state.fields,
            sets: state.sets,
        }
    }

    /// The record as its type, if it is of that kind and decodes.
    pub fn decode<T: Record>(&self) -> Option<T> {
        if self.kind != T::KIND {
            return None;
        }
        serde_json::from_value(record_json(self.id, &self.fields, &self.sets)).ok()
    }
}

/// Where a device stands in one pool's change stream. The epoch names the copy of the server's data
/// the position refers to; after a restore from backup it no longer matches and the device resyncs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cursor {
    pub pool: PoolId,
    pub epoch: Uuid,
    pub change: u64,
}

/// `POST /api/v1/sync/pull`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullRequest {
    pub protocol: u16,
    pub cursors: Vec<Cursor>,
    pub limit: u32,
    /// What the tablet still holds for the user after its push, sent with a sync's first page so
    /// that the office sees which tablet holds unsynced work (absent from older apps).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holding: Option<Holding>,
}

/// The longest app version a tablet may report.
pub const MAX_APP_VERSION_CHARS: usize = 40;

/// A tablet's report of one person's changes that have not reached the server for good: counts and
/// a time only, never what the changes are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holding {
    /// Changes in the outbox, not yet sent or not yet answered.
    pub unsent: u32,
    /// Changes the server refused or answered with a conflict, waiting under "Zu klären".
    pub unresolved: u32,
    /// Unix milliseconds at which the oldest of them was made; `None` when there are none.
    pub oldest_at: Option<i64>,
    pub app_version: String,
}

impl Holding {
    pub fn is_valid(&self) -> bool {
        let version = self.app_version.as_str();
        !version.is_empty()
            && version.chars().count() <= MAX_APP_VERSION_CHARS
            && crate::validate::is_one_plain_line(version)
            && (self.oldest_at.is_some() == (self.unsent + self.unresolved > 0))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PulledRecord {
    pub pool: PoolId,
    pub change: u64,
    pub kind: RecordKind,
    pub id: Uuid,
    pub version: u64,
    /// A tombstone: the device removes its copy.
    pub deleted: bool,
    pub fields: BTreeMap<String, Value>,
    pub sets: BTreeMap<String, BTreeSet<String>>,
}

impl PulledRecord {
    /// The record as its JSON object, like [`RecordState::to_json`].
    pub fn to_json(&self) -> Value {
        record_json(self.id, &self.fields, &self.sets)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullPage {
    pub epoch: Uuid,
    pub records: Vec<PulledRecord>,
    /// The cursors to send next time, one per pool the user may see now.
    pub cursors: Vec<Cursor>,
    pub has_more: bool,
    /// Pools the user no longer sees: the device purges their records.
    pub removed_pools: Vec<PoolId>,
    /// The epoch changed: the device drops server state, pulls from zero and re-pushes its log.
    pub full_resync: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_holding_has_a_time_exactly_when_it_counts_changes_and_a_plain_version() {
        let holding = |unsent, unresolved, oldest_at: Option<i64>, version: &str| Holding {
            unsent,
            unresolved,
            oldest_at,
            app_version: version.into(),
        };
        assert!(holding(0, 0, None, "0.1.0").is_valid());
        assert!(holding(2, 1, Some(5), "0.1.0").is_valid());
        assert!(!holding(2, 0, None, "0.1.0").is_valid());
        assert!(!holding(0, 0, Some(5), "0.1.0").is_valid());
        assert!(!holding(0, 0, None, "").is_valid());
        assert!(!holding(0, 0, None, "0.1\n0").is_valid());
        assert!(!holding(0, 0, None, &"9".repeat(MAX_APP_VERSION_CHARS + 1)).is_valid());
    }
}
