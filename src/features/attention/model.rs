//! The "needs attention" list as plain Rust: what a refused or conflicting change was about, and the
//! change that takes the user's values after a conflict. The page (`pages/attention.rs`) only shows it.

use std::collections::BTreeMap;

use begleitbuch_domain::protocol::{FieldConflict, Outcome, RejectReason};
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::{Change, RecordState};
use begleitbuch_domain::work::{ObservationDomain, SessionKind, TimeCategory};
use chrono::{NaiveDate, NaiveTime};
use serde_json::Value;

use crate::io::store::sync::AttentionItem;

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
    /// The server refused the change, for this reason.
    Refused(RejectReason),
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
        Outcome::Rejected(reason) => Problem::Refused(reason.clone()),
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

/// Which field a conflict is about, as the forms name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldShown {
    Date,
    Start,
    End,
    Category,
    Note,
    Duration,
    SessionKind,
    Group,
    Children,
    Unnamed,
    Companions,
    Child,
    Domains,
    Goal,
    Text,
    Visibility,
    /// A field no form shows (from a newer app version, say): shown by its name.
    Other,
}

/// The field `name` of a record of `kind`, as the user knows it from the form.
pub fn shown_field(kind: RecordKind, name: &str) -> FieldShown {
    match (kind, name) {
        (_, "date") => FieldShown::Date,
        (_, "start") => FieldShown::Start,
        (_, "end") => FieldShown::End,
        (_, "category") => FieldShown::Category,
        (_, "note") => FieldShown::Note,
        (_, "duration_minutes") => FieldShown::Duration,
        (RecordKind::GroupSession, "kind") => FieldShown::SessionKind,
        (_, "group") => FieldShown::Group,
        (_, "children") => FieldShown::Children,
        (_, "unnamed_participants") => FieldShown::Unnamed,
        (_, "companions") => FieldShown::Companions,
        (_, "child") => FieldShown::Child,
        (_, "domains") => FieldShown::Domains,
        (_, "goal") => FieldShown::Goal,
        (_, "text") => FieldShown::Text,
        (_, "visibility") => FieldShown::Visibility,
        _ => FieldShown::Other,
    }
}

/// A conflicting value in words: people and goals by name, codes by their label, times and dates
/// formatted. The page turns each into a translated text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueShown {
    /// The record was deleted (on the server, or by the user's change).
    Gone,
    Text(String),
    Date(NaiveDate),
    Time(NaiveTime),
    Minutes(u32),
    Count(u32),
    Category(TimeCategory),
    SessionKind(SessionKind),
    Domains(Vec<ObservationDomain>),
    /// Children or colleagues, by name (someone this tablet does not know: `None`).
    People(Vec<Option<String>>),
    /// A support-plan goal by its title; `None` for no goal, `Some(None)` for one this tablet lacks.
    Goal(Option<Option<String>>),
    Shareable(bool),
}

/// `value` of the field `field` in words. `names` holds the display names of the children and
/// colleagues this tablet knows and the titles of the goals, by id.
pub fn shown_value(field: FieldShown, value: &Value, names: &BTreeMap<uuid::Uuid, String>) -> ValueShown {
    let name = |id: &Value| id.as_str().and_then(|id| id.parse().ok()).and_then(|id| names.get(&id)).cloned();
    if value.is_null() && field != FieldShown::Goal {
        return ValueShown::Gone;
    }
    let text = || ValueShown::Text(value.as_str().map_or_else(|| value.to_string(), str::to_owned));
    match field {
        FieldShown::Date => serde_json::from_value(value.clone()).map_or_else(|_| text(), ValueShown::Date),
        FieldShown::Start | FieldShown::End => {
            serde_json::from_value(value.clone()).map_or_else(|_| text(), ValueShown::Time)
        }
        FieldShown::Duration => {
            value.as_u64().and_then(|m| u32::try_from(m).ok()).map_or_else(text, ValueShown::Minutes)
        }
        FieldShown::Unnamed => {
            value.as_u64().and_then(|m| u32::try_from(m).ok()).map_or_else(text, ValueShown::Count)
        }
        FieldShown::Category => {
            serde_json::from_value(value.clone()).map_or_else(|_| text(), ValueShown::Category)
        }
        FieldShown::SessionKind => {
            value.as_str().and_then(SessionKind::from_code).map_or_else(text, ValueShown::SessionKind)
        }
        // A domain this version does not know (from a newer tablet) is left out rather than mislabelled.
        FieldShown::Domains => ValueShown::Domains(
            value
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().and_then(ObservationDomain::from_code))
                .collect(),
        ),
        FieldShown::Children | FieldShown::Companions => {
            ValueShown::People(value.as_array().into_iter().flatten().map(name).collect())
        }
        FieldShown::Child => ValueShown::People(vec![name(value)]),
        FieldShown::Goal => ValueShown::Goal((!value.is_null()).then(|| name(value))),
        FieldShown::Visibility => ValueShown::Shareable(value.as_str() == Some("shareable")),
        FieldShown::Note | FieldShown::Text | FieldShown::Group | FieldShown::Other => text(),
    }
}

/// After a conflict, the change that makes the user's decision again on the record as it is now: a
/// deletion deletes again; a change sets the user's values of the conflicting fields again.
pub fn take_mine(mine: &Change, conflicts: &[FieldConflict]) -> Change {
    match mine {
        Change::Delete => Change::Delete,
        Change::Put { .. } => Change::Put {
            fields: conflicts.iter().map(|c| (c.field.clone(), c.yours.clone())).collect(),
            sets: BTreeMap::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::ids::{DeviceId, UserId};
    use begleitbuch_domain::protocol::Mutation;
    use begleitbuch_domain::record::RecordKind;
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
            id: None,
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
        assert_eq!(summary.problem, Problem::Refused(RejectReason::WeekLocked));
    }

    #[test]
    fn zu_klaeren_shows_a_sessions_and_an_observations_conflict_in_words_not_field_names_and_json() {
        let kind_a = uuid::Uuid::from_u128(0xA);
        let goal = uuid::Uuid::from_u128(0x60);
        let names = BTreeMap::from([(kind_a, "Kind A.".to_owned()), (goal, "Konflikte lösen".to_owned())]);
        let session = |field| shown_field(RecordKind::GroupSession, field);
        assert_eq!(session("duration_minutes"), FieldShown::Duration);
        assert_eq!(shown_value(session("duration_minutes"), &json!(45), &names), ValueShown::Minutes(45));
        assert_eq!(session("kind"), FieldShown::SessionKind);
        assert_eq!(
            shown_value(session("kind"), &json!("social_emotional_learning"), &names),
            ValueShown::SessionKind(SessionKind::SocialEmotionalLearning)
        );
        assert_eq!(
            shown_value(session("children"), &json!([kind_a, uuid::Uuid::from_u128(0xB)]), &names),
            ValueShown::People(vec![Some("Kind A.".into()), None])
        );
        let observation = |field| shown_field(RecordKind::Observation, field);
        assert_eq!(
            shown_value(observation("child"), &json!(kind_a), &names),
            ValueShown::People(vec![Some("Kind A.".into())])
        );
        assert_eq!(
            shown_value(observation("domains"), &json!(["social_emotional", "from_a_newer_tablet"]), &names),
            ValueShown::Domains(vec![ObservationDomain::SocialEmotional])
        );
        assert_eq!(
            shown_value(observation("goal"), &json!(goal), &names),
            ValueShown::Goal(Some(Some("Konflikte lösen".into())))
        );
        assert_eq!(shown_value(observation("goal"), &Value::Null, &names), ValueShown::Goal(None));
        assert_eq!(
            shown_value(observation("visibility"), &json!("shareable"), &names),
            ValueShown::Shareable(true)
        );
        assert_eq!(shown_value(observation("text"), &Value::Null, &names), ValueShown::Gone);
        assert_eq!(
            shown_value(shown_field(RecordKind::TimeEntry, "start"), &json!("07:30:00"), &names),
            ValueShown::Time(NaiveTime::from_hms_opt(7, 30, 0).unwrap())
        );
        assert_eq!(shown_field(RecordKind::TimeEntry, "future_field"), FieldShown::Other);
    }

    #[test]
    fn taking_mine_sets_every_conflicting_field_to_my_value() {
        let conflicts = vec![FieldConflict { field: "note".into(), kept: json!("A"), yours: json!("B") }];
        let put = Change::Put { fields: BTreeMap::new(), sets: BTreeMap::new() };
        let Change::Put { fields, .. } = take_mine(&put, &conflicts) else { panic!("a put") };
        assert_eq!(fields["note"], json!("B"));
        let summary = summary(
            &item(Change::Delete, Outcome::Conflict { version: 3, conflicts: conflicts.clone() }),
            None,
        );
        assert_eq!(summary.problem, Problem::Conflict(conflicts));
    }

    #[test]
    fn taking_mine_after_a_delete_conflict_deletes_again() {
        // The session was deleted here and changed elsewhere (its children among the fields): "take
        // mine" used to put null into every field, a set field included, which the server refuses.
        let conflicts = vec![
            FieldConflict { field: "children".into(), kept: json!(["a"]), yours: Value::Null },
            FieldConflict { field: "duration_minutes".into(), kept: json!(60), yours: Value::Null },
        ];
        assert_eq!(take_mine(&Change::Delete, &conflicts), Change::Delete);
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
