//! The record model: the kinds of record that travel through sync, a record's stored state as a
//! field map, and a change to it. Records travel as field maps: the top-level keys of the record's JSON
//! form. Set-like fields (the participants of a group session, an observation's domains) change through
//! add/remove operations so that two devices adding different children to one session both win.

use crate::code::coded_enum;
use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::ids::{DeviceId, UserId};

/// Who did something, and when (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub by: UserId,
    pub at: DateTime<Utc>,
}

/// Created and changed by and at, and the server version the record is at (0 = never acknowledged).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub version: u64,
    pub created: Stamp,
    pub changed: Stamp,
}

coded_enum! {
    /// The kinds of record that travel through sync. The name is part of the protocol and of local
    /// storage keys; never rename one.
    pub enum RecordKind {
        TimeEntry = "time_entry",
        GroupSession = "group_session",
        Observation = "observation",
        Child = "child",
        Goal = "goal",
        WeekReview = "week_review",
        Absence = "absence",
        CoverGrant = "cover_grant",
        Consent = "consent",
        AuditEvent = "audit_event",
        Guardian = "guardian",
    }
}

impl RecordKind {
    /// Fields of this kind that are sets and change only through [`SetDelta`]s.
    pub fn set_fields(self) -> &'static [&'static str] {
        match self {
            RecordKind::GroupSession => &["children", "companions"],
            RecordKind::Observation => &["domains"],
            RecordKind::Guardian => &["children"],
            _ => &[],
        }
    }
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
/// A record split the way sync stores and sends it: plain fields, and set fields as their members.
/// The one encoding of a typed record into a field map, for new records, edits and imports alike.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldMap {
    pub fields: BTreeMap<String, Value>,
    pub sets: BTreeMap<String, BTreeSet<String>>,
}

impl FieldMap {
    /// `record` (a `work::TimeEntry`, a `child::Child`, …) as the field map of a record of `kind`;
    /// its id is the record's key, not a field.
    pub fn of<T: Serialize>(kind: RecordKind, record: &T) -> Result<FieldMap, String> {
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
        Ok(FieldMap { fields: object.into_iter().collect(), sets })
    }
}

/// A record type: stored and synced as one kind, decoded from that kind's field map.
pub trait Record: Serialize + serde::de::DeserializeOwned {
    const KIND: RecordKind;
}

impl Change {
    /// The change that turns `previous` into `next`; `None` if nothing changed. Every field for a new
    /// record, only the changed ones for an edit (two writers editing different fields do not
    /// conflict), and set fields (a session's children, an observation's domains) as members added and
    /// removed, which merge on the server instead of overwriting each other. The tablet's outbox and
    /// the office's online writes both make their changes here.
    pub fn between<T: Record>(previous: Option<&T>, next: &T) -> Option<Change> {
        let parts = |record: &T| match FieldMap::of(T::KIND, record) {
            Ok(FieldMap { fields, sets }) => (fields, sets),
            Err(_) => unreachable!("records are structs with id sets and serialise to objects"),
        };
        let (mut fields, next_sets) = parts(next);
        let (before_fields, before_sets) = previous.map(parts).unwrap_or_default();
        if previous.is_some() {
            fields.retain(|key, value| before_fields.get(key) != Some(value));
        }
        let mut sets = BTreeMap::new();
        for (name, members) in next_sets {
            let before = before_sets.get(&name).cloned().unwrap_or_default();
            let add: BTreeSet<String> = members.difference(&before).cloned().collect();
            let remove: BTreeSet<String> = before.difference(&members).cloned().collect();
            // A new record names every set, even an empty one, so the server knows it.
            if previous.is_none() || !add.is_empty() || !remove.is_empty() {
                sets.insert(name, SetDelta { add, remove });
            }
        }
        if previous.is_some() && fields.is_empty() && sets.is_empty() {
            return None;
        }
        Some(Change::Put { fields, sets })
    }
}

impl RecordState {
    /// A record that holds nothing yet: version 0, no fields, no history.
    pub fn empty(kind: RecordKind, id: Uuid) -> RecordState {
        RecordState {
            kind,
            id,
            version: 0,
            fields: BTreeMap::new(),
            sets: BTreeMap::new(),
            field_versions: BTreeMap::new(),
            field_sources: BTreeMap::new(),
            deleted: false,
            lost: Vec::new(),
        }
    }

    /// The record as its type, if it is of that kind, not deleted, and decodes (a record written by a
    /// newer app version may not: it is left out by the caller, not fatal).
    pub fn decode<T: Record>(&self) -> Option<T> {
        if self.kind != T::KIND || self.deleted {
            return None;
        }
        serde_json::from_value(self.to_json()).ok()
    }

    /// The record as its JSON object: fields, sets as sorted arrays, and the id.
    pub fn to_json(&self) -> Value {
        record_json(self.id, &self.fields, &self.sets)
    }
}

/// A record's JSON object, which decodes as its kind's domain type.
pub(crate) fn record_json(
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes are part of the protocol and of every device's storage keys: renaming one would
    /// strand the records stored under it.
    #[test]
    fn record_kind_codes_never_change() {
        let codes: Vec<&str> = RecordKind::ALL.iter().map(|kind| kind.code()).collect();
        assert_eq!(
            codes,
            [
                "time_entry",
                "group_session",
                "observation",
                "child",
                "goal",
                "week_review",
                "absence",
                "cover_grant",
                "consent",
                "audit_event",
                "guardian"
            ]
        );
    }
}
