//! Which version of a record a form edits while syncs arrive underneath it. The change the outbox
//! carries is made by `Change::between` in the domain crate, which the office's online writes share.

use begleitbuch_domain::record::RecordState;

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
    use begleitbuch_domain::record::RecordKind;
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
    fn a_stored_state_decodes_back_into_the_record() {
        let made = session(&[10]);
        let state = RecordState::first_version(RecordKind::GroupSession, made.id.0, &made).unwrap();
        assert_eq!(state.decode::<GroupSession>(), Some(made));
    }
}
