use super::*;
use crate::ids::DeviceId;
use chrono::NaiveDate;
use proptest::prelude::*;
use serde_json::json;

const RECORD: Uuid = Uuid::from_u128(0x42);
const TABLET_A: DeviceId = DeviceId(Uuid::from_u128(0xA));
const TABLET_B: DeviceId = DeviceId(Uuid::from_u128(0xB));
const ANNA: &str = "00000000-0000-0000-0000-000000000001";

fn put(device: DeviceId, number: u64, base: u64, fields: Value) -> Mutation {
    let fields = fields.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    Mutation {
        device,
        number,
        user: UserId(Uuid::from_u128(1)),
        kind: RecordKind::TimeEntry,
        record: RECORD,
        base_version: base,
        change: Change::Put { fields, sets: BTreeMap::new() },
        payload_version: PROTOCOL_VERSION,
    }
}

fn new_entry() -> Mutation {
    put(
        TABLET_A,
        1,
        0,
        json!({
            "pool": "00000000-0000-0000-0000-0000000000aa",
            "companion": ANNA,
            "date": "2026-11-23",
            "start": "08:00:00",
            "end": "09:30:00",
            "category": {"type": "indirect", "kind": "preparation"},
            "note": ""
        }),
    )
}

fn applied(current: Option<&RecordState>, mutation: &Mutation) -> RecordState {
    let (outcome, state) = apply(current, mutation, &ApplyContext::default());
    assert!(matches!(outcome, Outcome::Applied { .. }), "{outcome:?}");
    state.expect("a change")
}

#[test]
fn creating_and_changing_a_record_bumps_its_version() {
    let created = applied(None, &new_entry());
    assert_eq!(created.version, 1);
    assert_eq!(created.fields["end"], json!("09:30:00"));
    let changed = applied(Some(&created), &put(TABLET_A, 2, 1, json!({"end": "10:00:00"})));
    assert_eq!(changed.version, 2);
    assert_eq!(changed.field_versions["end"], 2);
    assert_eq!(changed.field_versions["start"], 1);
}

#[test]
fn the_same_field_changed_differently_is_a_conflict_and_the_loser_is_kept() {
    let created = applied(None, &new_entry());
    let first = applied(Some(&created), &put(TABLET_A, 2, 1, json!({"note": "Elterngespräch"})));
    let (outcome, state) =
        apply(Some(&first), &put(TABLET_B, 7, 1, json!({"note": "Teamsitzung"})), &ApplyContext::default());
    assert_eq!(
        outcome,
        Outcome::Conflict {
            version: 2,
            conflicts: vec![FieldConflict {
                field: "note".into(),
                kept: json!("Elterngespräch"),
                yours: json!("Teamsitzung")
            }]
        }
    );
    let state = state.unwrap();
    assert_eq!(state.fields["note"], json!("Elterngespräch"));
    assert_eq!(state.lost.len(), 1);
    assert_eq!((state.lost[0].device, state.lost[0].number), (TABLET_B, 7));
    assert_eq!(state.lost[0].value, json!("Teamsitzung"));
}

#[test]
fn different_fields_from_the_same_base_merge() {
    let created = applied(None, &new_entry());
    let a = applied(Some(&created), &put(TABLET_A, 2, 1, json!({"note": "Vorbereitung Gruppe"})));
    let b = applied(Some(&a), &put(TABLET_B, 1, 1, json!({"end": "09:45:00"})));
    assert_eq!(b.fields["note"], json!("Vorbereitung Gruppe"));
    assert_eq!(b.fields["end"], json!("09:45:00"));
    assert_eq!(b.version, 3);
}

#[test]
fn the_same_value_from_two_devices_is_no_conflict_and_no_new_version() {
    let created = applied(None, &new_entry());
    let a = applied(Some(&created), &put(TABLET_A, 2, 1, json!({"note": "x"})));
    let (outcome, state) =
        apply(Some(&a), &put(TABLET_B, 1, 1, json!({"note": "x"})), &ApplyContext::default());
    assert_eq!(outcome, Outcome::Applied { version: 2 });
    assert_eq!(state, None);
}

#[test]
fn participants_added_on_two_tablets_are_both_kept() {
    let child = |n: u128| Uuid::from_u128(n).to_string();
    let session = |device, number, base, sets: BTreeMap<String, SetDelta>, fields: Value| Mutation {
        device,
        number,
        user: UserId(Uuid::from_u128(1)),
        kind: RecordKind::GroupSession,
        record: RECORD,
        base_version: base,
        change: Change::Put {
            fields: fields.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            sets,
        },
        payload_version: PROTOCOL_VERSION,
    };
    let delta = |field: &str, add: &[String], remove: &[String]| {
        BTreeMap::from([(
            field.to_string(),
            SetDelta { add: add.iter().cloned().collect(), remove: remove.iter().cloned().collect() },
        )])
    };
    let mut sets = delta("children", &[child(1)], &[]);
    sets.extend(delta("companions", &[ANNA.to_string()], &[]));
    let created = applied(
        None,
        &session(
            TABLET_A,
            1,
            0,
            sets,
            json!({"pool": "00000000-0000-0000-0000-0000000000aa", "date": "2026-11-23", "start": "09:00:00",
                   "duration_minutes": 45, "kind": "social_emotional_learning", "group": "2b",
                   "unnamed_participants": 0, "note": ""}),
        ),
    );
    let a = applied(Some(&created), &session(TABLET_A, 2, 1, delta("children", &[child(2)], &[]), json!({})));
    let b =
        applied(Some(&a), &session(TABLET_B, 1, 1, delta("children", &[child(3)], &[child(1)]), json!({})));
    assert_eq!(b.sets["children"], BTreeSet::from([child(2), child(3)]));

    // A set field cannot be overwritten as a whole: that is how additions get lost.
    let (outcome, _) = apply(
        Some(&b),
        &session(TABLET_B, 2, 3, BTreeMap::new(), json!({"children": []})),
        &ApplyContext::default(),
    );
    assert!(matches!(outcome, Outcome::Rejected(RejectReason::BadPayload { .. })), "{outcome:?}");
}

#[test]
fn a_devices_second_offline_edit_of_a_field_is_not_a_conflict_with_its_first() {
    // Two edits of the note made offline on one tablet, both on version 1 (the tablet cannot know the
    // version its first edit will get), arrive in order: the second was made on top of the first.
    let created = applied(None, &new_entry());
    let first = applied(Some(&created), &put(TABLET_A, 2, 1, json!({"note": "Entwurf"})));
    let (outcome, state) =
        apply(Some(&first), &put(TABLET_A, 3, 1, json!({"note": "Endfassung"})), &ApplyContext::default());
    assert_eq!(outcome, Outcome::Applied { version: 3 });
    assert_eq!(state.unwrap().fields["note"], json!("Endfassung"));
    // Another tablet's edit on the same base still conflicts.
    let (outcome, _) =
        apply(Some(&first), &put(TABLET_B, 3, 1, json!({"note": "Anders"})), &ApplyContext::default());
    assert!(matches!(outcome, Outcome::Conflict { .. }), "{outcome:?}");
}

#[test]
fn approved_weeks_are_locked_both_ways() {
    let created = applied(None, &new_entry());
    let locked = ApplyContext {
        locked_weeks: BTreeSet::from([(
            UserId(ANNA.parse().unwrap()),
            Week::of(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()),
        )]),
    };
    let (outcome, state) = apply(Some(&created), &put(TABLET_A, 2, 1, json!({"note": "spät"})), &locked);
    assert_eq!(outcome, Outcome::Rejected(RejectReason::WeekLocked));
    assert_eq!(state, None);
    // Creating in, or moving into, a locked week is refused too.
    let (outcome, _) = apply(None, &new_entry(), &locked);
    assert_eq!(outcome, Outcome::Rejected(RejectReason::WeekLocked));
    let elsewhere = applied(
        None,
        &put(TABLET_A, 1, 0, {
            let mut fields = serde_json::to_value(match new_entry().change {
                Change::Put { fields, .. } => fields,
                Change::Delete => unreachable!(),
            })
            .unwrap();
            fields["date"] = json!("2026-11-30");
            fields
        }),
    );
    let (outcome, _) = apply(Some(&elsewhere), &put(TABLET_A, 2, 1, json!({"date": "2026-11-24"})), &locked);
    assert_eq!(outcome, Outcome::Rejected(RejectReason::WeekLocked));
}

#[test]
fn invalid_results_are_rejected_with_the_domain_error() {
    let created = applied(None, &new_entry());
    let (outcome, state) =
        apply(Some(&created), &put(TABLET_A, 2, 1, json!({"end": "07:00:00"})), &ApplyContext::default());
    assert_eq!(
        outcome,
        Outcome::Rejected(RejectReason::Invalid { error: ValidationError::EndNotAfterStart })
    );
    assert_eq!(state, None);
    let (outcome, _) =
        apply(Some(&created), &put(TABLET_A, 3, 1, json!({"end": 7})), &ApplyContext::default());
    assert!(matches!(outcome, Outcome::Rejected(RejectReason::BadPayload { .. })), "{outcome:?}");
}

#[test]
fn deletes_never_discard_a_change_the_deleter_has_not_seen() {
    let created = applied(None, &new_entry());
    let edited = applied(Some(&created), &put(TABLET_B, 1, 1, json!({"note": "wichtig"})));
    let delete =
        |base| Mutation { base_version: base, change: Change::Delete, ..put(TABLET_A, 2, base, json!({})) };
    let (outcome, state) = apply(Some(&edited), &delete(1), &ApplyContext::default());
    assert!(matches!(outcome, Outcome::Conflict { version: 2, .. }), "{outcome:?}");
    assert_eq!(state, None);
    let deleted = applied(Some(&edited), &delete(2));
    assert!(deleted.deleted);
    assert_eq!(deleted.version, 3);
    let (outcome, _) =
        apply(Some(&deleted), &put(TABLET_B, 2, 2, json!({"note": "x"})), &ApplyContext::default());
    assert_eq!(outcome, Outcome::Rejected(RejectReason::RecordDeleted));
    let (outcome, _) = apply(Some(&deleted), &delete(3), &ApplyContext::default());
    assert_eq!(outcome, Outcome::Applied { version: 3 });
}

#[test]
fn unknown_records_and_unsupported_versions_are_rejected() {
    let (outcome, _) = apply(None, &put(TABLET_A, 1, 4, json!({"note": "x"})), &ApplyContext::default());
    assert_eq!(outcome, Outcome::Rejected(RejectReason::UnknownRecord));
    let future = Mutation { payload_version: PROTOCOL_VERSION + 1, ..new_entry() };
    let (outcome, _) = apply(None, &future, &ApplyContext::default());
    assert!(matches!(outcome, Outcome::Rejected(RejectReason::UnsupportedPayloadVersion { .. })));
}

#[test]
fn pending_changes_show_on_top_of_server_state() {
    let server = applied(None, &new_entry());
    let pending =
        [put(TABLET_A, 2, 1, json!({"note": "offline"})), put(TABLET_A, 3, 1, json!({"end": "11:00:00"}))];
    let view = replay(Some(&server), &pending).unwrap();
    assert_eq!(view.fields["note"], json!("offline"));
    assert_eq!(view.fields["end"], json!("11:00:00"));
    assert_eq!(view.version, 1, "the view keeps the server version the pending changes are based on");
    assert_eq!(replay(None, &[new_entry()]).unwrap().fields["start"], json!("08:00:00"));
}

#[test]
fn mutations_round_trip_as_json_and_unknown_fields_are_refused() {
    let mutation = new_entry();
    let text = serde_json::to_string(&mutation).unwrap();
    assert_eq!(serde_json::from_str::<Mutation>(&text).unwrap(), mutation);
    let mut with_extra: Value = serde_json::from_str(&text).unwrap();
    with_extra["role"] = json!("admin");
    assert!(serde_json::from_value::<Mutation>(with_extra).is_err());
}

proptest! {
    /// Whatever order the edits of several tablets arrive in, no typed value disappears silently:
    /// after each mutation, each value it sent is the record's current value or kept in its history.
    #[test]
    fn no_value_is_lost_silently(edits in prop::collection::vec((0u8..3, 0u64..4, 0usize..3, 0u16..1000), 1..30)) {
        let fields = ["note", "end", "start"];
        let values = |field: &str, n: u16| match field {
            "note" => json!(format!("Notiz {n}")),
            "end" => json!(format!("{:02}:{:02}:00", 10 + n % 10, n % 60)),
            _ => json!(format!("{:02}:{:02}:00", n % 8, n % 60)),
        };
        let mut state = applied(None, &new_entry());
        for (number, (device, base_back, field_index, n)) in edits.into_iter().enumerate() {
            let field = fields[field_index];
            let base = state.version.saturating_sub(base_back);
            let mutation = put(DeviceId(Uuid::from_u128(u128::from(device))), number as u64 + 10, base, json!({ field: values(field, n) }));
            let (outcome, next) = apply(Some(&state), &mutation, &ApplyContext::default());
            if let Some(next) = next {
                state = next;
            }
            let sent = values(field, n);
            let kept = state.fields[field] == sent || state.lost.iter().any(|l| l.number == mutation.number && l.value == sent);
            let refused = matches!(outcome, Outcome::Rejected(_));
            prop_assert!(kept || refused, "{outcome:?}");
        }
    }
}
