//! Sync protocol v1: the messages between device and server, and the pure [`apply`] that decides what
//! a mutation does to a record. The server and the property tests use the same `apply`; the client
//! uses [`replay`] to show server state with its pending mutations on top.
//!
//! Records travel as field maps: the top-level keys of the record's JSON form. Set-like fields (the
//! participants of a group session, an observation's domains) travel as add/remove operations so that
//! two devices adding different children to one session both win.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::calendar::Week;
use crate::ids::{DeviceId, PoolId, UserId};
use crate::record::RecordKind;
use crate::validate::ValidationError;
use crate::{child, review, work, worktime};

/// The protocol this build speaks.
pub const PROTOCOL_VERSION: u16 = 2;
/// The oldest protocol the server still accepts, so that an old tablet can always push what it holds.
pub const OLDEST_ACCEPTED_PROTOCOL: u16 = 1;

impl RecordKind {
    /// Fields of this kind that are sets and change only through [`SetDelta`]s.
    pub fn set_fields(self) -> &'static [&'static str] {
        match self {
            RecordKind::GroupSession => &["children", "companions"],
            RecordKind::Observation => &["domains"],
            _ => &[],
        }
    }
}

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
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// Create the record, or change only the given fields of it.
    Put {
        #[serde(default)]
        fields: BTreeMap<String, Value>,
        #[serde(default)]
        sets: BTreeMap<String, SetDelta>,
    },
    Delete,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetDelta {
    #[serde(default)]
    pub add: BTreeSet<String>,
    #[serde(default)]
    pub remove: BTreeSet<String>,
}

/// A value that lost a conflict: kept so that nobody's input disappears silently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LostValue {
    pub field: String,
    pub value: Value,
    pub device: DeviceId,
    pub number: u64,
    /// The record version at the time of the conflict.
    pub version: u64,
}

/// The server's copy of one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordState {
    pub kind: RecordKind,
    pub id: Uuid,
    pub version: u64,
    pub fields: BTreeMap<String, Value>,
    pub sets: BTreeMap<String, BTreeSet<String>>,
    /// The record version in which each field last changed; conflict detection compares against it.
    pub field_versions: BTreeMap<String, u64>,
    /// The mutation (device, number) that last changed each field. A device's later mutation on a
    /// field it changed itself does not conflict with its own earlier change: it was made on top of it,
    /// even though the device could not know the version the server would give it.
    #[serde(default)]
    pub field_sources: BTreeMap<String, (DeviceId, u64)>,
    pub deleted: bool,
    pub lost: Vec<LostValue>,
}

impl RecordState {
    /// A typed record (a `work::TimeEntry`, a `child::Child`, …) as its first stored version: the
    /// state a device's creating mutation would produce. For imports and demo data.
    pub fn first_version<T: Serialize>(
        kind: RecordKind,
        id: Uuid,
        record: &T,
    ) -> Result<RecordState, String> {
        let Value::Object(mut object) = serde_json::to_value(record).map_err(|e| e.to_string())? else {
            return Err("a record serialises as a JSON object".into());
        };
        object.remove("id");
        let mut sets = BTreeMap::new();
        for name in kind.set_fields() {
            let members = match object.remove(*name) {
                Some(Value::Array(members)) => members
                    .into_iter()
                    .map(|m| {
                        m.as_str().map(str::to_owned).ok_or_else(|| format!("{name} holds a non-string"))
                    })
                    .collect::<Result<BTreeSet<_>, _>>()?,
                _ => return Err(format!("{name} is missing")),
            };
            sets.insert(name.to_string(), members);
        }
        let fields: BTreeMap<String, Value> = object.into_iter().collect();
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

    /// The record as its JSON object: fields, sets as sorted arrays, and the id.
    pub fn to_json(&self) -> Value {
        record_json(self.id, &self.fields, &self.sets)
    }
}

/// A record's JSON object, which decodes as its kind's domain type.
fn record_json(
    id: Uuid,
    fields: &BTreeMap<String, Value>,
    sets: &BTreeMap<String, BTreeSet<String>>,
) -> Value {
    let mut object = serde_json::Map::new();
    for (key, value) in fields {
        object.insert(key.clone(), value.clone());
    }
    for (key, members) in sets {
        object.insert(key.clone(), Value::from(members.iter().cloned().collect::<Vec<_>>()));
    }
    object.insert("id".into(), Value::from(id.to_string()));
    Value::Object(object)
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
        rule: crate::authority::FieldRule,
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
    rule: Option<crate::authority::FieldRule>,
}

#[derive(Deserialize)]
struct RejectReasonWire {
    reason: String,
    detail: Option<String>,
    error: Option<ValidationError>,
    supported: Option<(u16, u16)>,
    field: Option<String>,
    rule: Option<crate::authority::FieldRule>,
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

/// What `apply` needs to know beyond the record: the approved (locked) weeks, per companion. A work
/// record (time entry, group session, observation) is locked when any of its owners
/// (`facts::Facts::owners`) has an approved review of its week. Reviews themselves stay changeable (a
/// team lead returns an approved week by changing its review), and so do absences and cover grants,
/// which are planning rather than work done. `today` (the server's day in Europe/Berlin, when it
/// decides) refuses work dated after it; without it the date is not checked (the property tests).
#[derive(Debug, Clone, Default)]
pub struct ApplyContext {
    pub locked_weeks: BTreeSet<(UserId, Week)>,
    pub today: Option<chrono::NaiveDate>,
}

impl ApplyContext {
    fn is_work(state: &RecordState) -> bool {
        matches!(state.kind, RecordKind::TimeEntry | RecordKind::GroupSession | RecordKind::Observation)
    }

    /// Work records may not be dated after today.
    fn not_in_future(&self, state: &RecordState) -> Result<(), ValidationError> {
        match (self.today, crate::facts::facts(state).last_day) {
            (Some(today), Some(day)) if Self::is_work(state) => crate::validate::not_after_today(day, today),
            _ => Ok(()),
        }
    }

    fn locks(&self, state: &RecordState) -> bool {
        if !Self::is_work(state) || self.locked_weeks.is_empty() {
            return false;
        }
        let facts = crate::facts::facts(state);
        facts
            .weeks()
            .iter()
            .any(|week| facts.owners.iter().any(|owner| self.locked_weeks.contains(&(*owner, *week))))
    }
}

/// Decides what `mutation` does to `current` (the server's copy, if any). Returns the outcome and, if
/// anything changed, the new state. Pure: no clock, no IO; dedupe on (device, number) and authorization
/// happen before, in the server's transaction.
pub fn apply(
    current: Option<&RecordState>,
    mutation: &Mutation,
    context: &ApplyContext,
) -> (Outcome, Option<RecordState>) {
    let reject = |reason| (Outcome::Rejected(reason), None);
    if !(OLDEST_ACCEPTED_PROTOCOL..=PROTOCOL_VERSION).contains(&mutation.payload_version) {
        return reject(RejectReason::UnsupportedPayloadVersion {
            supported: (OLDEST_ACCEPTED_PROTOCOL, PROTOCOL_VERSION),
        });
    }
    if current.is_some_and(|c| c.kind != mutation.kind) {
        return reject(RejectReason::KindMismatch);
    }
    let locked = |state: &RecordState| context.locks(state);
    if current.is_some_and(|c| !c.deleted && locked(c)) {
        return reject(RejectReason::WeekLocked);
    }

    match &mutation.change {
        Change::Delete => match current {
            None => reject(RejectReason::UnknownRecord),
            Some(state) if state.deleted => (Outcome::Applied { version: state.version }, None),
            Some(state) => {
                let changed_since_base: Vec<FieldConflict> = state
                    .field_versions
                    .iter()
                    .filter(|(field, version)| {
                        **version > mutation.base_version
                            && !changed_earlier_by_same_device(state, field, mutation)
                    })
                    .map(|(field, _)| FieldConflict {
                        field: field.clone(),
                        kept: current_value(state, field),
                        yours: Value::Null,
                    })
                    .collect();
                if !changed_since_base.is_empty() {
                    // Deleting what someone else just changed would throw their change away unseen.
                    return (
                        Outcome::Conflict { version: state.version, conflicts: changed_since_base },
                        None,
                    );
                }
                let mut next = state.clone();
                next.version += 1;
                next.deleted = true;
                keep_only_what_a_tombstone_needs(&mut next);
                (Outcome::Applied { version: next.version }, Some(next))
            }
        },
        Change::Put { fields, sets } => {
            let set_fields = mutation.kind.set_fields();
            if let Some(name) = fields.keys().find(|f| set_fields.contains(&f.as_str()) || f.as_str() == "id")
            {
                return reject(RejectReason::BadPayload { detail: format!("field {name} cannot be put") });
            }
            if let Some(name) = sets.keys().find(|f| !set_fields.contains(&f.as_str())) {
                return reject(RejectReason::BadPayload { detail: format!("{name} is not a set field") });
            }
            let mut next = match current {
                Some(state) if state.deleted => return reject(RejectReason::RecordDeleted),
                Some(state) => state.clone(),
                None if mutation.base_version != 0 => return reject(RejectReason::UnknownRecord),
                None => RecordState {
                    kind: mutation.kind,
                    id: mutation.record,
                    version: 0,
                    fields: BTreeMap::new(),
                    sets: set_fields.iter().map(|f| (f.to_string(), BTreeSet::new())).collect(),
                    field_versions: BTreeMap::new(),
                    field_sources: BTreeMap::new(),
                    deleted: false,
                    lost: Vec::new(),
                },
            };
            let new_version = next.version + 1;
            let mut conflicts = Vec::new();
            let mut changed = false;
            for (field, value) in fields {
                let known = next.fields.get(field);
                if known == Some(value) {
                    continue;
                }
                let changed_since_base =
                    next.field_versions.get(field).is_some_and(|v| *v > mutation.base_version)
                        && !changed_earlier_by_same_device(&next, field, mutation);
                if changed_since_base {
                    let kept = known.cloned().unwrap_or(Value::Null);
                    next.lost.push(LostValue {
                        field: field.clone(),
                        value: value.clone(),
                        device: mutation.device,
                        number: mutation.number,
                        version: next.version,
                    });
                    conflicts.push(FieldConflict { field: field.clone(), kept, yours: value.clone() });
                } else {
                    next.fields.insert(field.clone(), value.clone());
                    next.field_versions.insert(field.clone(), new_version);
                    next.field_sources.insert(field.clone(), (mutation.device, mutation.number));
                    changed = true;
                }
            }
            for (field, delta) in sets {
                let members = next.sets.entry(field.clone()).or_default();
                let before = members.clone();
                members.extend(delta.add.iter().cloned());
                members.retain(|m| !delta.remove.contains(m));
                if *members != before {
                    next.field_versions.insert(field.clone(), new_version);
                    changed = true;
                }
            }
            if locked(&next) {
                return reject(RejectReason::WeekLocked);
            }
            if let Err(reason) = check_record(&next) {
                return reject(reason);
            }
            if let Err(error) = context.not_in_future(&next) {
                return reject(RejectReason::Invalid { error });
            }
            if changed {
                next.version = new_version;
            }
            let version = next.version;
            let outcome = if conflicts.is_empty() {
                Outcome::Applied { version }
            } else {
                Outcome::Conflict { version, conflicts }
            };
            let state =
                (changed || !matches!(outcome, Outcome::Applied { .. }) || current.is_none()).then_some(next);
            (outcome, state)
        }
    }
}

fn changed_earlier_by_same_device(state: &RecordState, field: &str, mutation: &Mutation) -> bool {
    state
        .field_sources
        .get(field)
        .is_some_and(|(device, number)| *device == mutation.device && *number < mutation.number)
}

fn current_value(state: &RecordState, field: &str) -> Value {
    state
        .fields
        .get(field)
        .cloned()
        .or_else(|| state.sets.get(field).map(|m| Value::from(m.iter().cloned().collect::<Vec<_>>())))
        .unwrap_or(Value::Null)
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
        "title" => 200,
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
            return bad(format!("{} has no field {name:.40}", state.kind.as_str()));
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
            days(&[Some(child.since), child.until])
        }
        RecordKind::Goal => decode::<child::Goal>(state).map(drop),
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
            days(&[Some(consent.at.date_naive())])
        }
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

/// What the device shows: the server's state with the pending mutations replayed on top, in order.
/// Optimistic: no locks or conflicts are checked here (the server decides those when it sees them);
/// a pending change always shows, so nothing the user typed disappears before the server answered.
pub fn replay(server: Option<&RecordState>, pending: &[Mutation]) -> Option<RecordState> {
    let mut view = server.cloned();
    for mutation in pending {
        view = match (&mutation.change, view) {
            (Change::Delete, Some(mut state)) => {
                state.deleted = true;
                Some(state)
            }
            (Change::Delete, None) => None,
            (Change::Put { fields, sets }, view) => {
                let mut state = view.unwrap_or_else(|| RecordState {
                    kind: mutation.kind,
                    id: mutation.record,
                    version: 0,
                    fields: BTreeMap::new(),
                    sets: BTreeMap::new(),
                    field_versions: BTreeMap::new(),
                    field_sources: BTreeMap::new(),
                    deleted: false,
                    lost: Vec::new(),
                });
                state.deleted = false;
                state.fields.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
                for (field, delta) in sets {
                    let members = state.sets.entry(field.clone()).or_default();
                    members.extend(delta.add.iter().cloned());
                    members.retain(|m| !delta.remove.contains(m));
                }
                Some(state)
            }
        };
    }
    view
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
mod tests;
