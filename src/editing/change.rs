//! Turns an edited record into the change the outbox carries: every field for a new record, only the
//! changed ones for an edit (so that two devices editing different fields do not conflict), and set
//! fields (a session's children and companions, an observation's domains) as members added and removed,
//! which merge on the server instead of overwriting each other.

use std::collections::{BTreeMap, BTreeSet};

use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::{Change, FieldMap, RecordState, SetDelta};
use serde::Serialize;
use serde_json::Value;

/// A domain record as its field map. Records are domain types whose set members are ids, so the
/// encoding cannot fail for them.
fn parts<T: Serialize>(
    kind: RecordKind,
    record: &T,
) -> (BTreeMap<String, Value>, BTreeMap<String, BTreeSet<String>>) {
    let Ok(FieldMap { fields, sets }) = FieldMap::of(kind, record) else {
        unreachable!("records are structs with id sets and serialise to objects")
    };
    (fields, sets)
}

/// The change that turns `previous` into `next`; `None` if nothing changed.
pub fn change_between<T: Serialize>(kind: RecordKind, previous: Option<&T>, next: &T) -> Option<Change> {
    let (mut fields, next_sets) = parts(kind, next);
    let (before_fields, before_sets) = previous.map(|p| parts(kind, p)).unwrap_or_default();
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

/// The stored record a form edits, as the user first saw it: `kept` from an earlier load of the same
/// form, `loaded` from this one, `editing` the id in the route.
///
/// Pages reload whenever the store changes — a sync that brings the record's accepted version back
/// among them. Taking the reloaded record again would replace what the user is typing and base the
/// change on a version they never saw; so the first load wins, and a newer version on the server turns
/// the save into a conflict the user resolves under "Zu klären". Returns the record to keep and whether
/// it is new to the form (then the form fills its fields from it).
pub fn first_seen<T>(
    editing: Option<uuid::Uuid>,
    kept: Option<(T, RecordState)>,
    loaded: Option<(T, RecordState)>,
) -> (Option<(T, RecordState)>, bool) {
    match kept {
        Some(kept) if Some(kept.1.id) == editing => (Some(kept), false),
        _ if editing.is_none() => (None, false),
        _ => {
            let fresh = loaded.is_some();
            (loaded, fresh)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use begleitbuch_domain::ids::{ChildId, PoolId, SessionId, UserId};
    use begleitbuch_domain::work::{GroupSession, SessionKind};
    use chrono::{NaiveDate, NaiveTime};
    use uuid::Uuid;

    fn session(children: &[u128]) -> GroupSession {
        GroupSession {
            id: SessionId(Uuid::from_u128(1)),
            pool: PoolId(Uuid::from_u128(2)),
            date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            duration_minutes: 45,
            kind: SessionKind::ConflictResolution,
            group: "2b".into(),
            children: children.iter().map(|c| ChildId(Uuid::from_u128(*c))).collect(),
            unnamed_participants: 1,
            companions: [UserId(Uuid::from_u128(3))].into(),
            note: String::new(),
        }
    }

    #[test]
    fn a_sync_while_a_record_is_edited_keeps_what_the_user_typed() {
        let id = Uuid::from_u128(1);
        let seen = session(&[]);
        let first = RecordState::first_version(RecordKind::GroupSession, id, &seen).unwrap();
        let mut accepted = first.clone();
        accepted.version = 2;
        let mut newer = seen.clone();
        newer.note = "vom anderen Tablet".into();

        // The first load fills the form.
        let (kept, fresh) = first_seen(Some(id), None, Some((seen.clone(), first.clone())));
        assert!(fresh);
        // A reload after the sync brought a newer version: the form keeps the version it was made from.
        let (kept, fresh) = first_seen(Some(id), kept, Some((newer, accepted)));
        assert!(!fresh, "the typed fields are not replaced");
        assert_eq!(kept.map(|(s, state)| (s.note, state.version)), Some((String::new(), first.version)));
        // The same when the record vanished meanwhile: the user's edit is not lost.
        let kept = Some((seen.clone(), first.clone()));
        assert_eq!(first_seen(Some(id), kept, None).0.map(|(_, state)| state.version), Some(1));
        // Another record in the route, or a new one: nothing carries over.
        let other = Uuid::from_u128(9);
        let (none, fresh) = first_seen(Some(other), Some((seen.clone(), first.clone())), None);
        assert!(none.is_none() && !fresh);
        assert!(first_seen(None, Some((seen, first)), None).0.is_none());
    }

    #[test]
    fn a_new_record_sends_every_field_and_every_set() {
        let Some(Change::Put { fields, sets }) =
            change_between(RecordKind::GroupSession, None, &session(&[]))
        else {
            panic!("a new session is a put")
        };
        assert!(fields.contains_key("duration_minutes") && !fields.contains_key("id"));
        assert!(!fields.contains_key("children"), "sets travel as deltas");
        assert_eq!(sets["children"], SetDelta::default());
        assert_eq!(sets["companions"].add, BTreeSet::from([Uuid::from_u128(3).to_string()]));
    }

    #[test]
    fn an_edit_sends_the_changed_fields_and_the_members_added_and_removed() {
        let before = session(&[10, 11]);
        let mut after = session(&[11, 12]);
        after.note = "Streit geschlichtet".into();
        let Some(Change::Put { fields, sets }) =
            change_between(RecordKind::GroupSession, Some(&before), &after)
        else {
            panic!("an edit is a put")
        };
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["note"]);
        assert_eq!(sets.keys().collect::<Vec<_>>(), ["children"]);
        assert_eq!(sets["children"].add, BTreeSet::from([Uuid::from_u128(12).to_string()]));
        assert_eq!(sets["children"].remove, BTreeSet::from([Uuid::from_u128(10).to_string()]));
        assert_eq!(change_between(RecordKind::GroupSession, Some(&before), &before), None);
    }

    #[test]
    fn a_stored_state_decodes_back_into_the_record() {
        let made = session(&[10]);
        let state = RecordState::first_version(RecordKind::GroupSession, made.id.0, &made).unwrap();
        assert_eq!(state.decode::<GroupSession>(), Some(made));
    }
}
