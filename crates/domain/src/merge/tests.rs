use super::*;
use crate::ids::DeviceId;
use crate::record::SetDelta;
use chrono::NaiveDate;
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;
use uuid::Uuid;

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
        id: None,
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
        id: None,
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
fn two_office_edits_on_a_stale_base_conflict_although_both_carry_no_device() {
    // Two team leads change the same field in the office, both on version 1; the office writes with
    // the nil device and random numbers, so the second is not taken as made on top of the first.
    let office = DeviceId(Uuid::nil());
    let created = applied(None, &new_entry());
    let first = applied(Some(&created), &put(office, 2, 1, json!({"note": "Teamleitung A"})));
    let (outcome, _) =
        apply(Some(&first), &put(office, 3, 1, json!({"note": "Teamleitung B"})), &ApplyContext::default());
    assert!(matches!(outcome, Outcome::Conflict { .. }), "{outcome:?}");
}

#[test]
fn a_group_session_dated_in_2030_is_refused_and_work_up_to_today_is_taken() {
    let on = |today: (i32, u32, u32)| ApplyContext {
        today: NaiveDate::from_ymd_opt(today.0, today.1, today.2),
        ..ApplyContext::default()
    };
    // The entry is dated Monday 23 November 2026.
    let (outcome, _) = apply(None, &new_entry(), &on((2026, 11, 23)));
    assert!(matches!(outcome, Outcome::Applied { .. }), "today is fine: {outcome:?}");
    let (outcome, state) = apply(None, &new_entry(), &on((2026, 11, 22)));
    assert_eq!(outcome, Outcome::Rejected(RejectReason::Invalid { error: ValidationError::InFuture }));
    assert_eq!(state, None);
    // Moving a recorded entry into the future is refused too.
    let created = applied(None, &new_entry());
    let (outcome, _) =
        apply(Some(&created), &put(TABLET_A, 2, 1, json!({"date": "2030-01-01"})), &on((2026, 11, 23)));
    assert_eq!(outcome, Outcome::Rejected(RejectReason::Invalid { error: ValidationError::InFuture }));
    // A session dated in 2030.
    let mut session = put(
        TABLET_A,
        3,
        0,
        json!({"pool": "00000000-0000-0000-0000-0000000000aa", "date": "2030-01-01", "start": "10:00:00",
               "duration_minutes": 45, "kind": "social_emotional_learning", "group": "1a",
               "unnamed_participants": 3, "note": ""}),
    );
    session.kind = RecordKind::GroupSession;
    session.record = Uuid::from_u128(0x43);
    if let Change::Put { sets, .. } = &mut session.change {
        sets.insert(
            "companions".into(),
            SetDelta { add: BTreeSet::from([ANNA.to_owned()]), remove: BTreeSet::new() },
        );
    }
    let (outcome, _) = apply(None, &session, &on((2026, 11, 23)));
    assert_eq!(outcome, Outcome::Rejected(RejectReason::Invalid { error: ValidationError::InFuture }));
}

#[test]
fn approved_weeks_are_locked_both_ways() {
    let created = applied(None, &new_entry());
    let locked = ApplyContext {
        locked_weeks: BTreeSet::from([(
            UserId(ANNA.parse().unwrap()),
            Week::of(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()),
        )]),
        today: None,
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
fn a_deleted_record_keeps_no_text_in_its_tombstone() {
    let created = applied(None, &new_entry());
    let edited = applied(Some(&created), &put(TABLET_B, 1, 1, json!({"note": "Gespräch mit der Mutter"})));
    let delete = Mutation { base_version: 2, change: Change::Delete, ..put(TABLET_A, 2, 2, json!({})) };
    let tombstone = applied(Some(&edited), &delete);
    assert!(tombstone.deleted);
    assert!(!tombstone.fields.contains_key("note") && !tombstone.field_versions.contains_key("note"));
    // What its facts are read from stays: whose entry, which day.
    assert_eq!(tombstone.fields.get("companion"), created.fields.get("companion"));
    assert_eq!(tombstone.fields.get("date"), created.fields.get("date"));
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

/// A model of the whole protocol around the pure functions: K devices with an outbox (the view is
/// `replay(server copy, outbox)`), a network that reorders, duplicates and loses requests and answers,
/// devices that resend what has no answer, and a server that dedupes on (device, number) before `apply`
/// — the rules `crates/store/src/records_sql.rs` runs in SQL, exercised here at a size the real-server
/// runs (`crates/server/tests/sync_faults.rs`) cannot afford.
mod model {
    use super::*;

    #[derive(Default)]
    struct Server {
        records: BTreeMap<Uuid, RecordState>,
        /// The change number of each record's last write, from one counter (one pool).
        changes: BTreeMap<Uuid, u64>,
        last_change: u64,
        answers: BTreeMap<(DeviceId, u64), Outcome>,
        /// How often `apply` ran for each mutation: never more than once.
        applied: BTreeMap<(DeviceId, u64), u32>,
    }

    impl Server {
        fn push(&mut self, batch: &[Mutation]) -> Vec<(u64, Outcome)> {
            batch
                .iter()
                .map(|mutation| {
                    let key = (mutation.device, mutation.number);
                    if let Some(answer) = self.answers.get(&key) {
                        return (mutation.number, answer.clone());
                    }
                    *self.applied.entry(key).or_default() += 1;
                    let (outcome, next) =
                        apply(self.records.get(&mutation.record), mutation, &ApplyContext::default());
                    if let Some(next) = next {
                        self.records.insert(mutation.record, next);
                        self.last_change += 1;
                        self.changes.insert(mutation.record, self.last_change);
                    }
                    self.answers.insert(key, outcome.clone());
                    (mutation.number, outcome)
                })
                .collect()
        }

        /// Up to `limit` records changed after `cursor`, in change order, and the cursor after them.
        fn pull(&self, cursor: u64, limit: usize) -> (Vec<RecordState>, u64) {
            let mut changed: Vec<(u64, Uuid)> = self
                .changes
                .iter()
                .filter(|(_, change)| **change > cursor)
                .map(|(id, change)| (*change, *id))
                .collect();
            changed.sort();
            changed.truncate(limit);
            let next_cursor = changed.last().map_or(cursor, |(change, _)| *change);
            (changed.iter().map(|(_, id)| self.records[id].clone()).collect(), next_cursor)
        }
    }

    struct Device {
        id: DeviceId,
        next_number: u64,
        copy: BTreeMap<Uuid, RecordState>,
        cursor: u64,
        outbox: Vec<Mutation>,
        /// Conflicts and refusals the user sees under "Zu klären".
        attention: BTreeSet<u64>,
    }

    impl Device {
        fn view(&self, record: Uuid) -> Option<RecordState> {
            let pending: Vec<Mutation> = self.outbox.iter().filter(|m| m.record == record).cloned().collect();
            replay(self.copy.get(&record), &pending)
        }

        fn known_records(&self) -> Vec<Uuid> {
            let ids: BTreeSet<Uuid> =
                self.copy.keys().chain(self.outbox.iter().map(|m| &m.record)).copied().collect();
            ids.into_iter().collect()
        }

        fn write(&mut self, record: Uuid, change: Change) {
            self.next_number += 1;
            let base_version = self.copy.get(&record).map_or(0, |state| state.version);
            self.outbox.push(Mutation {
                device: self.id,
                number: self.next_number,
                user: UserId(Uuid::from_u128(1)),
                kind: RecordKind::TimeEntry,
                record,
                base_version,
                change,
                payload_version: PROTOCOL_VERSION,
                id: None,
            });
        }

        /// Pulls one page; returns whether there is more.
        fn pull_page(&mut self, server: &Server, limit: usize) -> bool {
            let (records, cursor) = server.pull(self.cursor, limit);
            for record in &records {
                self.copy.insert(record.id, record.clone());
            }
            self.cursor = cursor;
            records.len() == limit
        }

        /// Whatever a pull brought, the view shows the device's own pending values on top.
        fn pending_values_visible(&self) -> bool {
            self.outbox.iter().all(|pending| {
                let Change::Put { fields, .. } = &pending.change else { return true };
                let later = |field: &String| {
                    self.outbox.iter().any(|m| {
                        m.record == pending.record
                            && m.number > pending.number
                            && match &m.change {
                                Change::Put { fields, .. } => fields.contains_key(field),
                                Change::Delete => true,
                            }
                    })
                };
                let view = self.view(pending.record);
                fields
                    .iter()
                    .filter(|(field, _)| !later(field))
                    .all(|(field, value)| view.as_ref().is_some_and(|v| v.fields.get(field) == Some(value)))
            })
        }

        fn acknowledge(&mut self, answers: &[(u64, Outcome)]) {
            for (number, outcome) in answers {
                if !matches!(outcome, Outcome::Applied { .. }) {
                    self.attention.insert(*number);
                }
                self.outbox.retain(|m| m.number != *number);
            }
        }
    }

    fn entry_fields(n: u16) -> BTreeMap<String, Value> {
        let object = json!({
            "pool": "00000000-0000-0000-0000-0000000000aa",
            "companion": ANNA,
            "date": "2026-11-23",
            "start": format!("{:02}:00:00", 7 + n % 3),
            "end": format!("{:02}:30:00", 10 + n % 3),
            "category": {"type": "indirect", "kind": "preparation"},
            "note": format!("Notiz {n}"),
        });
        object.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    fn edit(n: u16) -> BTreeMap<String, Value> {
        let (field, value) = match n % 3 {
            0 => ("note", json!(format!("Notiz {n}"))),
            1 => ("end", json!(format!("{:02}:{:02}:00", 10 + n % 5, n % 60))),
            // Some starts lie after the end: the server refuses those, and the device shows it.
            _ => ("start", json!(format!("{:02}:{:02}:00", 7 + n % 8, n % 60))),
        };
        BTreeMap::from([(field.to_string(), value)])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
        #[test]
        fn replicas_converge_without_losing_or_repeating_a_mutation(
            steps in prop::collection::vec((0u8..9, 0usize..4, any::<u16>()), 1..300),
        ) {
            let mut server = Server::default();
            let mut devices: Vec<Device> = (0..4u128)
                .map(|d| Device { id: DeviceId(Uuid::from_u128(0xD0 + d)), next_number: 0, copy: BTreeMap::new(),
                    cursor: 0,
                    outbox: Vec::new(), attention: BTreeSet::new() })
                .collect();
            let mut requests: Vec<(usize, Vec<Mutation>)> = Vec::new();
            let mut answers: Vec<(usize, Vec<(u64, Outcome)>)> = Vec::new();
            let mut records_made = 0u128;
            for (action, d, n) in steps {
                let pick = |len: usize| usize::from(n) % len.max(1);
                match action {
                    0 => {
                        records_made += 1;
                        let fields = entry_fields(n);
                        devices[d].write(Uuid::from_u128(0x1000 + records_made), Change::Put { fields, sets: BTreeMap::new() });
                    }
                    1 | 2 => {
                        let known = devices[d].known_records();
                        if let Some(record) = known.get(pick(known.len())).copied() {
                            let change = if n % 29 == 0 { Change::Delete } else { Change::Put { fields: edit(n), sets: BTreeMap::new() } };
                            devices[d].write(record, change);
                        }
                    }
                    // Send (or resend) what has no answer yet.
                    3 => {
                        let batch: Vec<Mutation> = devices[d].outbox.iter().take(1 + pick(6)).cloned().collect();
                        if !batch.is_empty() {
                            requests.push((d, batch));
                        }
                    }
                    // The network delivers any request; sometimes it delivers it again later (kept), and
                    // sometimes the answer never arrives.
                    4 | 5 if !requests.is_empty() => {
                        let index = pick(requests.len());
                        let (device, batch) = if n % 5 == 0 { requests[index].clone() } else { requests.remove(index) };
                        let answer = server.push(&batch);
                        if n % 4 != 0 {
                            answers.push((device, answer));
                        }
                    }
                    6 if !requests.is_empty() => {
                        requests.remove(pick(requests.len()));
                    }
                    7 if !answers.is_empty() => {
                        let (device, answer) = answers.remove(pick(answers.len()));
                        devices[device].acknowledge(&answer);
                    }
                    8 => {
                        devices[d].pull_page(&server, 1 + pick(4));
                        prop_assert!(devices[d].pending_values_visible(), "a pull hid a pending change");
                    }
                    _ => {}
                }
            }
            // The network settles: each device sends what has no answer until it has all answers;
            // then every device pulls.
            for device in &mut devices {
                while !device.outbox.is_empty() {
                    let batch: Vec<Mutation> = device.outbox.clone();
                    let answer = server.push(&batch);
                    device.acknowledge(&answer);
                }
            }
            for device in &mut devices {
                while device.pull_page(&server, 3) {}
            }
            for device in &devices {
                for record in server.records.keys() {
                    let view = device.view(*record);
                    prop_assert_eq!(view.as_ref(), server.records.get(record), "the device equals the server");
                }
                for number in 1..=device.next_number {
                    let answer = server.answers.get(&(device.id, number));
                    prop_assert!(answer.is_some(), "mutation {} of a device never reached the server", number);
                    let needs_attention = !matches!(answer, Some(Outcome::Applied { .. }));
                    prop_assert_eq!(device.attention.contains(&number), needs_attention, "conflicts and refusals are shown");
                }
            }
            prop_assert!(server.applied.values().all(|times| *times == 1), "no mutation applied twice");
        }
    }
}
