//! Whatever a client sends, deciding it never panics: random mutations of every record kind — known
//! and unknown fields, dates at the calendar's limits, huge numbers, long texts, deep nesting — go
//! through what the server does with a push (`authority::stamp`, `apply`, `facts`, the weeks a record
//! touches, `authority::check`), on a new record and on top of a stored one.
//!
//! CI runs 1,000 cases per property; `bench/run.sh` runs 50,000 (`PROPTEST_CASES`).

use std::collections::{BTreeMap, BTreeSet};

use begleitbuch_domain::authority::{self, Caller};
use begleitbuch_domain::facts::facts;
use begleitbuch_domain::ids::{DeviceId, UserId};
use begleitbuch_domain::merge::{apply, ApplyContext};
use begleitbuch_domain::people::Role;
use begleitbuch_domain::protocol::{Mutation, PROTOCOL_VERSION};
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::{Change, SetDelta};
use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use serde_json::{json, Value};
use uuid::Uuid;

/// Names the record kinds use, and some they do not.
const NAMES: &[&str] = &[
    "pool",
    "companion",
    "date",
    "start",
    "end",
    "category",
    "note",
    "duration_minutes",
    "kind",
    "group",
    "unnamed_participants",
    "child",
    "author",
    "domains",
    "goal",
    "text",
    "visibility",
    "display_name",
    "legal_basis",
    "approved_minutes_per_week",
    "status",
    "since",
    "until",
    "title",
    "active",
    "week",
    "comment",
    "decided",
    "from",
    "reason",
    "absence",
    "purpose",
    "text_version",
    "state",
    "custodian",
    "at",
    "recorded_by",
    "actor",
    "device",
    "action",
    "companions",
    "children",
    "pad",
    "",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        // Dates and times, well-formed and at the calendar's edges.
        Just("2026-11-27".to_owned()),
        Just("+262142-12-31".to_owned()),
        Just("-262143-01-01".to_owned()),
        Just("0000-01-01".to_owned()),
        Just("2100-12-31".to_owned()),
        Just("2026-11-27T08:00:00Z".to_owned()),
        Just("+262142-12-31T23:59:59Z".to_owned()),
        Just("08:00:00".to_owned()),
        Just("23:59:59.999999999".to_owned()),
        Just(Uuid::from_u128(1).to_string()),
        // Codes the kinds use.
        prop::sample::select(vec![
            "approved",
            "submitted",
            "granted",
            "withdrawn",
            "shareable",
            "sick",
            "direct",
            "indirect"
        ])
        .prop_map(str::to_owned),
        ".{0,40}",
        Just("x".repeat(30_000)),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            prop::collection::btree_map(prop::sample::select(NAMES), inner, 0..6).prop_map(|fields| {
                Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
            // A week, sometimes one that does not exist.
            (any::<i32>(), any::<u32>()).prop_map(|(year, number)| json!({"year": year, "number": number})),
        ]
    })
}

fn change() -> impl Strategy<Value = Change> {
    let fields =
        prop::collection::btree_map(prop::sample::select(NAMES).prop_map(str::to_owned), value(), 0..14);
    let members =
        prop::collection::btree_set(prop_oneof![text(), Just(Uuid::from_u128(7).to_string())], 0..4);
    let sets = prop::collection::btree_map(
        prop::sample::select(vec!["children", "companions", "domains", "pad"]).prop_map(str::to_owned),
        (members.clone(), members).prop_map(|(add, remove)| SetDelta { add, remove }),
        0..3,
    );
    prop_oneof![
        8 => (fields, sets).prop_map(|(fields, sets)| Change::Put { fields, sets }),
        1 => Just(Change::Delete),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    (prop::sample::select(RecordKind::ALL.to_vec()), change(), any::<u64>(), 0u64..4).prop_map(
        |(kind, change, number, base_version)| Mutation {
            device: DeviceId(Uuid::from_u128(9)),
            number,
            user: UserId(Uuid::from_u128(1)),
            kind,
            record: Uuid::from_u128(77),
            base_version,
            change,
            payload_version: PROTOCOL_VERSION,
            id: Some(Uuid::from_u128(5)),
        },
    )
}

/// What the server does with one mutation, on `current`; returns the stored result if any.
fn decide(
    current: Option<&begleitbuch_domain::record::RecordState>,
    sent: &Mutation,
    role: Role,
) -> Option<begleitbuch_domain::record::RecordState> {
    let caller = Caller { user: sent.user, role, device: Some(sent.device) };
    let now = Utc.with_ymd_and_hms(2026, 11, 27, 8, 30, 0).unwrap();
    let mut mutation = sent.clone();
    authority::stamp(caller, mutation.kind, current, &mut mutation.change, now);
    let provisional = begleitbuch_domain::merge::replay(current, std::slice::from_ref(&mutation));
    let mut weeks: BTreeSet<_> = current.map(|c| facts(c).weeks()).unwrap_or_default();
    weeks.extend(provisional.iter().flat_map(|p| facts(p).weeks()));
    assert!(weeks.len() <= 60, "a record touches at most a school year's weeks, not {}", weeks.len());
    let context = ApplyContext { locked_weeks: BTreeSet::new(), today: Some(now.date_naive()) };
    let (_, next) = apply(current, &mutation, &context);
    let next = next?;
    let _ = facts(&next).weeks();
    let _ = authority::check(caller, current, &next);
    Some(next)
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(1000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_hostile_mutation_is_decided_without_panicking(sent in mutation(), role in prop::sample::select(Role::ALL.to_vec())) {
        decide(None, &sent, role);
    }

    #[test]
    fn a_hostile_change_to_a_stored_record_is_decided_without_panicking(
        first in mutation(),
        second in mutation(),
        role in prop::sample::select(Role::ALL.to_vec()),
    ) {
        if let Some(stored) = decide(None, &first, role) {
            let second = Mutation { kind: first.kind, number: first.number.wrapping_add(1), ..second };
            decide(Some(&stored), &second, role);
        }
    }
}

/// The shapes found by hand before the fuzzer existed, kept as named cases.
#[test]
fn dates_at_the_calendars_limits_are_refused_not_panicked_on() {
    let mut fields: BTreeMap<String, Value> = serde_json::from_value(json!({
        "pool": Uuid::from_u128(2), "companion": Uuid::from_u128(1), "from": "2026-12-01", "until": "+262142-12-31",
        "reason": "sick",
    }))
    .unwrap();
    let absence = Mutation {
        device: DeviceId(Uuid::from_u128(9)),
        number: 1,
        user: UserId(Uuid::from_u128(1)),
        kind: RecordKind::Absence,
        record: Uuid::from_u128(77),
        base_version: 0,
        change: Change::Put { fields: fields.clone(), sets: BTreeMap::new() },
        payload_version: PROTOCOL_VERSION,
        id: Some(Uuid::from_u128(5)),
    };
    assert_eq!(decide(None, &absence, Role::Parent), None);
    for day in ["0000-01-01", "-0001-06-30", "12345-01-01", "1999-12-31", "2101-01-01"] {
        fields.insert("until".into(), json!(day));
        fields.insert("from".into(), json!(day));
        let absence = Mutation {
            change: Change::Put { fields: fields.clone(), sets: BTreeMap::new() },
            ..absence.clone()
        };
        assert_eq!(decide(None, &absence, Role::Companion), None, "{day}");
    }
}
