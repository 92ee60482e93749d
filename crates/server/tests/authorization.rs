//! Walks every record kind, operation, role and relation against the running server, on SQLite and
//! on PostgreSQL: for each cell a record with exactly that relation is read (GET), created, updated or
//! deleted (push) through the API, and the server's answer must match [`ALLOWED`], an allow-list
//! written out by hand from the product's rules — not derived from `domain::access`, so a wrong cell in
//! the table fails here. Everything not on the list must be refused. Team leads and admins walk every
//! cell a second time through the office (listed online, written online without a device), which must
//! answer as a push does — except that the office writes no audit event.

mod common;

use begleitbuch_domain::access::{decide, reachable, relation, Answer, Operation, Relation};
use begleitbuch_domain::facts::facts;
use begleitbuch_domain::ids::{ChildId, PoolId, ProviderId, UserId};
use begleitbuch_domain::people::Role;
use begleitbuch_domain::record::RecordKind as K;
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::{Change, RecordState};
use common::world::{child_fields, state, World};
use common::Database;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;
use Relation::{OtherPool, Own, OwnChild, SamePool};

/// Users (by their name in the world), kinds, operations, relations: every combination is allowed.
type Allowed = (&'static [&'static str], &'static [RecordKind], &'static str, &'static [Relation]);

/// Who may do what, by hand: (users, kinds, operations as letters R C U D, relations). In words (see
/// docs/DESIGN.md, *Authority per field*): a companion works on their own records in their pools and reads what the
/// pool works with; team leads and admins manage their provider's pools; parents see their own child
/// and declare consent; consents and audit events are never changed; nothing crosses providers.
const ALLOWED: &[Allowed] = &[
    // Everyone's own work, until the week is approved; the week they hand in (deciding it is not theirs).
    (
        &["companion", "lead", "admin"],
        &[K::TimeEntry, K::GroupSession, K::Observation, K::Absence],
        "RCUD",
        &[Own],
    ),
    (&["companion", "lead", "admin"], &[K::WeekReview], "RCU", &[Own]),
    (&["companion", "lead", "admin", "parent"], &[K::AuditEvent], "C", &[Own]),
    // What a companion's pool works with, and the cover granted to them.
    (&["companion"], &[K::Child, K::Goal, K::Consent, K::GroupSession, K::Observation], "R", &[SamePool]),
    (&["companion"], &[K::CoverGrant], "R", &[Own]),
    // Team leads and admins: the provider's pools.
    (&["lead", "admin"], &RecordKind::ALL, "R", &[OtherPool]),
    (&["lead", "admin"], POOLED, "R", &[SamePool]),
    (&["lead", "admin"], &[K::Child, K::Goal, K::Absence, K::CoverGrant], "RCUD", &[SamePool, OtherPool]),
    // A guardian stays on record while declarations name them (unlinked, never deleted); only the
    // office knows guardians.
    (&["lead", "admin"], &[K::Guardian], "RCU", &[OtherPool]),
    (&["lead", "admin"], &[K::Consent], "C", &[SamePool, OtherPool]),
    (&["lead", "admin"], &[K::WeekReview], "CU", &[SamePool, OtherPool]),
    (&["admin"], &[K::AuditEvent], "R", &[Own]),
    // Parents: their own child, shareable observations, and their own declarations.
    (&["parent"], &[K::Child, K::Goal, K::Observation], "R", &[OwnChild]),
    (&["parent"], &[K::Consent], "RC", &[OwnChild]),
    (&["parent"], &[K::AuditEvent], "C", &[OwnChild]),
];

/// Every kind but guardians, who belong to no pool.
const POOLED: &[RecordKind] = &[
    K::TimeEntry,
    K::GroupSession,
    K::Observation,
    K::Child,
    K::Goal,
    K::WeekReview,
    K::Absence,
    K::CoverGrant,
    K::Consent,
    K::AuditEvent,
];

fn on_the_list(user: &str, kind: RecordKind, operation: Operation, relation: Relation) -> bool {
    let letter = match operation {
        Operation::Read => 'R',
        Operation::Create => 'C',
        Operation::Update => 'U',
        Operation::Delete => 'D',
    };
    ALLOWED.iter().any(|(users, kinds, operations, relations)| {
        users.contains(&user)
            && kinds.contains(&kind)
            && operations.contains(letter)
            && relations.contains(&relation)
    })
}

/// A guardian on record who signed paper consent forms and has no account (see [`paper_guardian`]).
const PAPER_CUSTODIAN: UserId = UserId(Uuid::from_u128(0xC0_5E47));

/// The guardian record of [`PAPER_CUSTODIAN`], with custody of the provider's children the walk
/// declares consents for.
fn paper_guardian(world: &World) -> RecordState {
    let children = [world.pool_child, world.p2_child].map(|child| child.to_string()).to_vec();
    state(
        K::Guardian,
        PAPER_CUSTODIAN.0,
        json!({"name": "Petra Sommer", "contact": ""}),
        &[("children", children)],
    )
}

/// Where a fixture record lives and whom it concerns, for one relation.
struct Placement {
    provider: ProviderId,
    pool: PoolId,
    owner: UserId,
    child: ChildId,
    /// Who declares a consent: the parent for themselves, anyone else from a paper form.
    custodian: UserId,
    /// The child an audit event is about: none for a parent's own event that concerns no child (one
    /// about a child is about their own child or another's, never merely "their own").
    audit_child: Option<ChildId>,
}

fn placement(world: &World, user: &str, relation: Relation) -> Placement {
    let colleague = world.member("colleague").id;
    let (provider, pool, owner, child) = match relation {
        Relation::Own => (world.provider, world.p1, world.member(user).id, world.pool_child),
        Relation::SamePool | Relation::OtherChild => (world.provider, world.p1, colleague, world.pool_child),
        // Made by the parent where it names anyone (their declaration, their audit event).
        Relation::OwnChild => (world.provider, world.p1, world.member(user).id, world.own_child),
        Relation::OtherPool => (world.provider, world.p2, world.member("neighbour").id, world.p2_child),
        Relation::OtherProvider => {
            (world.other_provider, world.q1, world.member("foreign").id, world.q1_child)
        }
    };
    let custodian = if user == "parent" { world.member(user).id } else { PAPER_CUSTODIAN };
    let audit_child = (!(user == "parent" && relation == Relation::Own)).then_some(child);
    Placement { provider, pool, owner, child, custodian, audit_child }
}

/// A valid record of `kind` with this placement, the field an update changes, and its new value.
/// Child records are about themselves, so a child fixture is a new child (linked to the parent when the
/// relation is "own child").
fn fixture(kind: RecordKind, id: Uuid, at: &Placement) -> (RecordState, &'static str, Value) {
    let (pool, owner, child, custodian) = (at.pool, at.owner, at.child, at.custodian);
    let date = "2026-11-24";
    let (fields, sets, field, value): (Value, Vec<(&str, Vec<String>)>, _, _) = match kind {
        RecordKind::TimeEntry => (
            json!({"pool": pool, "companion": owner, "date": date, "start": "08:00:00", "end": "09:00:00",
                   "category": {"type": "indirect", "kind": "preparation"}, "note": ""}),
            vec![],
            "note",
            json!("geändert"),
        ),
        RecordKind::GroupSession => (
            json!({"pool": pool, "date": date, "start": "09:00:00", "duration_minutes": 45,
                   "kind": "conflict_resolution", "group": "2b", "unnamed_participants": 3, "note": ""}),
            vec![("companions", vec![owner.to_string()])],
            "note",
            json!("geändert"),
        ),
        RecordKind::Observation => (
            json!({"pool": pool, "child": child, "author": owner, "date": date, "goal": null,
                   "text": "Hat in der Pause einen Streit selbst geschlichtet.", "visibility": "shareable"}),
            vec![("domains", vec!["social_emotional".to_string()])],
            "text",
            json!("Hat in der Pause geholfen."),
        ),
        RecordKind::Child => (child_fields(pool), vec![], "group", json!("3a")),
        RecordKind::Goal => (
            json!({"child": child, "title": "Konflikte in Worten lösen", "active": true}),
            vec![],
            "title",
            json!("Konflikte selbst lösen"),
        ),
        RecordKind::WeekReview => (
            json!({"pool": pool, "companion": owner, "week": {"year": 2026, "number": 48},
                   "status": "submitted", "comment": "", "decided": null}),
            vec![],
            "comment",
            json!("Bitte prüfen"),
        ),
        RecordKind::Absence => (
            json!({"pool": pool, "companion": owner, "from": "2026-11-30", "until": "2026-12-02", "reason": "sick"}),
            vec![],
            "reason",
            json!("training"),
        ),
        RecordKind::CoverGrant => (
            json!({"pool": pool, "companion": owner, "from": "2026-11-30", "until": "2026-12-02", "absence": null}),
            vec![],
            "until",
            json!("2026-12-03"),
        ),
        RecordKind::Consent => {
            let mut fields = json!({"child": child, "purpose": "documentation", "text_version": "2026-08 (Entwurf)",
                   "state": "granted", "custodian": custodian, "at": "2026-11-02T08:00:00Z"});
            // Recorded from the signed form, unless the parent declares for themselves.
            if custodian == PAPER_CUSTODIAN {
                fields["form"] = json!({"reference": "EV-2026-001", "signed_on": "2026-11-01"});
            }
            (fields, vec![], "state", json!("withdrawn"))
        }
        RecordKind::Guardian => (
            json!({"name": "Petra Sommer", "contact": ""}),
            vec![("children", vec![child.to_string()])],
            "contact",
            json!("0421 555 0101"),
        ),
        RecordKind::AuditEvent => (
            json!({"actor": owner, "device": Uuid::from_u128(7), "at": "2026-11-24T08:00:00Z",
                   "action": "view_child", "child": at.audit_child}),
            vec![],
            "action",
            json!("view_observations"),
        ),
    };
    (state(kind, id, fields, &sets), field, value)
}

/// Whether a fixture of `kind` can have `relation` for `role`: child records, goals, consents and
/// guardians have no owner, so "own" cannot arise for them; time entries, sessions, reviews, absences,
/// cover grants and guardians are about no single child, so "own child" cannot; a guardian belongs to
/// no pool, so "same pool" cannot.
fn constructible(kind: RecordKind, role: Role, relation: Relation) -> bool {
    let ownerless = matches!(kind, K::Child | K::Goal | K::Consent | K::Guardian);
    let poolless = kind == K::Guardian;
    let about_a_child = matches!(
        kind,
        RecordKind::Observation
            | RecordKind::Child
            | RecordKind::Goal
            | RecordKind::Consent
            | RecordKind::AuditEvent
    );
    // A parent's own record about a child is about their child or another's (see `access::relation`).
    let parents_own_about_a_child =
        role == Role::Parent && relation == Relation::Own && kind == RecordKind::Observation;
    let cannot_arise = (ownerless && relation == Relation::Own)
        || parents_own_about_a_child
        || (poolless && relation == Relation::SamePool)
        || (!about_a_child && relation == Relation::OwnChild);
    reachable(role, relation) && !cannot_arise
}

/// The way a cell is tried: a tablet's push and online read, or the office's online list and write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    Tablet,
    Office,
}

struct Cell {
    way: Way,
    user: &'static str,
    kind: RecordKind,
    operation: Operation,
    relation: Relation,
    record: RecordState,
    field: &'static str,
    value: Value,
}

async fn walk(database: Database) {
    let world = World::build(&database).await;
    world.import(world.provider, &[paper_guardian(&world)]).await;
    let users = [
        ("companion", Role::Companion),
        ("lead", Role::TeamLead),
        ("admin", Role::Admin),
        ("parent", Role::Parent),
    ];

    // Every cell gets its own record, stored up front (except for creations).
    let mut cells = Vec::new();
    for (user, role) in users {
        for relation in Relation::ALL {
            for kind in RecordKind::ALL {
                if !constructible(kind, role, relation) {
                    for operation in Operation::ALL {
                        assert_eq!(decide(kind, operation, role, relation), Answer::Deny, "{kind:?} {operation:?} {role:?} {relation:?} cannot be tried, so it must be denied");
                        assert!(
                            !on_the_list(user, kind, operation, relation),
                            "{kind:?} {operation:?} {user} {relation:?} cannot be tried"
                        );
                    }
                    continue;
                }
                let ways: &[Way] = if matches!(role, Role::TeamLead | Role::Admin) {
                    &[Way::Tablet, Way::Office]
                } else {
                    &[Way::Tablet]
                };
                for (&way, operation) in ways.iter().flat_map(|way| Operation::ALL.map(|op| (way, op))) {
                    let at = placement(&world, user, relation);
                    let id = Uuid::now_v7();
                    let (record, field, value) = fixture(kind, id, &at);
                    if kind == RecordKind::Child && relation == Relation::OwnChild {
                        world.store.link_parent(world.member(user).id, ChildId(id), 0).await.unwrap();
                    }
                    if operation != Operation::Create {
                        world.import(at.provider, std::slice::from_ref(&record)).await;
                    }
                    cells.push(Cell { way, user, kind, operation, relation, record, field, value });
                }
            }
        }
    }

    let offices = [
        ("lead", world.office(world.member("lead")).await),
        ("admin", world.office(world.member("admin")).await),
    ];
    let office_of =
        |user: &str| &offices.iter().find(|(name, _)| *name == user).expect("an office sign-in").1;
    let mut checked = 0;
    let mut checked_in_office = 0;
    for cell in cells.iter().filter(|cell| cell.way == Way::Office) {
        let office = office_of(cell.user);
        let record = &cell.record;
        let expected = on_the_list(cell.user, cell.kind, cell.operation, cell.relation)
            && !(cell.kind == K::AuditEvent && cell.operation != Operation::Read);
        let allowed = match cell.operation {
            Operation::Read => world.office_records(office, cell.kind).await.contains(&record.id),
            Operation::Create => {
                let sets = record
                    .sets
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            begleitbuch_domain::record::SetDelta {
                                add: v.clone(),
                                remove: Default::default(),
                            },
                        )
                    })
                    .collect();
                let change = Change::Put { fields: record.fields.clone(), sets };
                office_applied(&world.office_write(office, cell.kind, record.id, 0, change).await)
            }
            Operation::Update => {
                let fields = [(cell.field.to_owned(), cell.value.clone())].into();
                let change = Change::Put { fields, sets: Default::default() };
                office_applied(
                    &world.office_write(office, cell.kind, record.id, record.version, change).await,
                )
            }
            Operation::Delete => office_applied(
                &world.office_write(office, cell.kind, record.id, record.version, Change::Delete).await,
            ),
        };
        assert_eq!(
            allowed,
            expected,
            "{} in the office {:?} {:?} ({:?}) on {}",
            cell.user,
            cell.operation,
            cell.kind,
            cell.relation,
            database.name()
        );
        checked_in_office += 1;
    }
    // Team leads and admins: 4 relations × 11 kinds × 4 operations, less "own" for the four ownerless
    // kinds and "same pool" for guardians.
    assert_eq!(checked_in_office, 2 * (4 * 11 * 4 - 4 * 4 - 4));
    for cell in cells.iter().filter(|cell| cell.way == Way::Tablet) {
        let member = world.member(cell.user);
        // The test itself must put each record in the relation it claims.
        let scope =
            world.store.scope(&user_record(&world, cell.user).await, common::test_today()).await.unwrap();
        let mut record_facts = facts(&cell.record);
        // The server fills in a child's pool for what is about the child; a guardian has none.
        if cell.kind != K::Guardian {
            record_facts.pool = record_facts.pool.or(Some(placement(&world, cell.user, cell.relation).pool));
        }
        let provider = placement(&world, cell.user, cell.relation).provider;
        assert_eq!(
            relation(&scope, provider, &record_facts),
            cell.relation,
            "fixture of {:?} for {}",
            cell.kind,
            cell.user
        );

        // Fixture observations are shareable; internal ones are checked below.
        let expected = on_the_list(cell.user, cell.kind, cell.operation, cell.relation);
        let record = &cell.record;
        let allowed = match cell.operation {
            Operation::Read => {
                let status = world.read(member, record.id).await;
                assert!(matches!(status, StatusCode::OK | StatusCode::NOT_FOUND), "{status}");
                status == StatusCode::OK
            }
            Operation::Create => {
                let fields = Value::Object(record.fields.clone().into_iter().collect());
                let sets: Vec<(&str, Vec<String>)> =
                    record.sets.iter().map(|(k, v)| (k.as_str(), v.iter().cloned().collect())).collect();
                let mutation = world.put(member, cell.kind, record.id, 0, fields, &sets);
                applied(&world.push(member, &[mutation]).await)
            }
            Operation::Update => {
                let mutation = world.put(
                    member,
                    cell.kind,
                    record.id,
                    record.version,
                    json!({cell.field: cell.value}),
                    &[],
                );
                applied(&world.push(member, &[mutation]).await)
            }
            Operation::Delete => {
                let mutation = world.mutation(member, cell.kind, record.id, record.version, Change::Delete);
                applied(&world.push(member, &[mutation]).await)
            }
        };
        assert_eq!(
            allowed,
            expected,
            "{} {:?} {:?} as {:?} ({:?}) on {}",
            cell.user,
            cell.operation,
            cell.kind,
            member.role,
            cell.relation,
            database.name()
        );
        checked += 1;
    }
    // 4 roles × 4 relations × 11 kinds × 4 operations, less "own" for the four ownerless kinds, less
    // "own child" for the parent and the six kinds about no single child, less a parent's "own"
    // observation, less "same pool" of a guardian for the three roles that have pools.
    assert_eq!(checked, 4 * 4 * 11 * 4 - 4 * 4 * 4 - 6 * 4 - 4 - 3 * 4);

    // Parents see shareable observations of their child only: an internal one stays hidden.
    let at = placement(&world, "parent", Relation::OwnChild);
    let (mut internal, _, _) = fixture(RecordKind::Observation, Uuid::now_v7(), &at);
    internal.fields.insert("visibility".into(), json!("internal"));
    world.import(at.provider, std::slice::from_ref(&internal)).await;
    assert_eq!(world.read(world.member("parent"), internal.id).await, StatusCode::NOT_FOUND);
    assert_eq!(world.read(world.member("companion"), internal.id).await, StatusCode::OK);
}

/// Whether a write was applied; a refusal must be "forbidden", or, for a guardian linked to another
/// provider's child (a creation is always the caller's provider's, so the link is what is refused),
/// the rule that a guardian's children are the provider's.
fn office_applied(outcome: &Value) -> bool {
    match outcome["outcome"].as_str() {
        Some("applied") => true,
        Some("rejected") if outcome["reason"] == "forbidden" => false,
        Some("rejected") if outcome["rule"] == "provider_child" => false,
        _ => panic!("neither applied nor forbidden: {outcome}"),
    }
}

fn applied(answer: &Value) -> bool {
    let outcome = &answer["results"][0];
    match outcome["outcome"].as_str() {
        Some("applied") => true,
        Some("rejected") if outcome["reason"] == "forbidden" => false,
        Some("rejected") if outcome["rule"] == "provider_child" => false,
        _ => panic!("neither applied nor forbidden: {answer}"),
    }
}

async fn user_record(world: &World, name: &str) -> begleitbuch_store::UserRecord {
    world.store.user(world.member(name).id).await.unwrap().unwrap()
}

#[tokio::test]
async fn the_authorization_table_holds_on_sqlite() {
    walk(Database::sqlite()).await;
}

#[tokio::test]
async fn the_authorization_table_holds_on_postgres() {
    walk(Database::postgres().await).await;
}
