//! Pools and their members through the running server, on SQLite and PostgreSQL: who may create a
//! pool, list, add and end memberships (every caller against every operation, each cell on targets of
//! its own, the expectations written by hand); what the rules refuse; and what a membership means to a
//! tablet: it gains the pool at its next sync once the person joins and loses it once the membership
//! has ended, while what the person recorded stays in the pool where it was recorded.

mod common;

use begleitbuch_domain::ids::{InstitutionId, MembershipId, PoolId, ProviderId, UserId};
use begleitbuch_domain::org::{Institution, InstitutionKind, NewMembership};
use begleitbuch_domain::people::Role;
use begleitbuch_domain::record::RecordKind;
use common::world::{entry_fields, World, NOW, PASSWORD};
use common::Database;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    ListMemberships,
    CreatePool,
    AddMembership,
    EndMembership,
}

const OPS: [Op; 4] = [Op::ListMemberships, Op::CreatePool, Op::AddMembership, Op::EndMembership];

const CALLERS: [&str; 7] =
    ["companion", "parent", "lead", "lead_on_tablet", "admin", "foreign_lead", "foreign_admin"];

/// What each caller gets for every operation on provider P's pools, people and memberships: P's
/// managers in the office do it; Q's managers in the office are told P's things do not exist (and list
/// only Q's memberships); everyone else, a team lead's tablet sign-in too, is refused.
fn expected(caller: &str, op: Op) -> StatusCode {
    match (caller, op) {
        ("lead" | "admin", Op::ListMemberships | Op::EndMembership) => StatusCode::OK,
        ("lead" | "admin", Op::CreatePool | Op::AddMembership) => StatusCode::CREATED,
        ("foreign_lead" | "foreign_admin", Op::ListMemberships) => StatusCode::OK,
        ("foreign_lead" | "foreign_admin", _) => StatusCode::NOT_FOUND,
        _ => StatusCode::FORBIDDEN,
    }
}

async fn school(world: &World, provider: ProviderId, name: &str) -> InstitutionId {
    let institution = Institution {
        id: InstitutionId(Uuid::now_v7()),
        provider,
        name: name.into(),
        kind: InstitutionKind::School,
        region: "Süd".into(),
        year_levels: vec![1, 2, 3, 4],
        groups: vec![],
        fte: Default::default(),
    };
    world.store.create_institution(&institution, NOW).await.unwrap();
    institution.id
}

/// A fresh companion of P in pool P1 since the school year's first day; the membership's id.
async fn member_of_p1(world: &World, hash: &str) -> (UserId, MembershipId) {
    let (person, _) = world.account(world.provider, Role::Companion, hash).await;
    let id = MembershipId(Uuid::now_v7());
    let joins = NewMembership {
        pool: world.p1,
        person,
        contract_minutes_per_week: 1200,
        first_day: "2026-08-01".parse().unwrap(),
    };
    world.store.add_membership(id, &joins, NOW).await.unwrap();
    (person, id)
}

fn code(body: &Value) -> Option<&str> {
    body["error"]["code"].as_str()
}

async fn who_manages_pools(database: Database) {
    let world = World::build(&database).await;
    let hash = begleitbuch_server::auth::hash_password(PASSWORD);
    let mut tried = 0;
    for name in CALLERS {
        let signed_in = world.signed_in_as(name).await;
        for op in OPS {
            let (status, body) = match op {
                Op::ListMemberships => world.get_as(&signed_in, "/office/memberships").await,
                Op::CreatePool => {
                    let institution = school(&world, world.provider, &format!("Schule {name}")).await;
                    let body = json!({"institution": institution, "school_year": 2026});
                    world.send_as(&signed_in, "/office/pools", Some(body)).await
                }
                Op::AddMembership => {
                    let (person, _) = world.account(world.provider, Role::Companion, &hash).await;
                    let body = json!({"pool": world.p1, "person": person, "contract_minutes_per_week": 1170,
                                      "first_day": "2026-09-14"});
                    world.send_as(&signed_in, "/office/memberships", Some(body)).await
                }
                Op::EndMembership => {
                    let (_, membership) = member_of_p1(&world, &hash).await;
                    let path = format!("/office/memberships/{membership}/end");
                    world.send_as(&signed_in, &path, Some(json!({"last_day": "2027-01-31"}))).await
                }
            };
            let cell = format!("{name} {op:?}: {status} {body}");
            assert_eq!(status, expected(name, op), "{cell}");
            match status {
                StatusCode::FORBIDDEN => {
                    assert!(["forbidden", "office_only"].contains(&code(&body).unwrap_or_default()), "{cell}")
                }
                StatusCode::NOT_FOUND => {
                    assert!(code(&body).is_some_and(|c| c.ends_with("_not_found")), "{cell}")
                }
                _ => {}
            }
            tried += 1;
        }
    }
    assert_eq!(tried, CALLERS.len() * OPS.len());

    // What the walk left, from the store: P1 gained the two people P's managers added and lost the
    // two memberships they ended; Q's managers changed nothing of P, and the pools P's managers
    // created are P's.
    let memberships = world.store.memberships(world.provider).await.unwrap();
    let joined = memberships.iter().filter(|m| m.first_day.to_string() == "2026-09-14").count();
    let ended: Vec<_> = memberships.iter().filter_map(|m| m.last_day).map(|d| d.to_string()).collect();
    assert_eq!((joined, ended), (2, vec!["2027-01-31".to_owned(); 2]));
    let (_, pools) = world.get_as(&world.signed_in_as("admin").await, "/office/pools").await;
    for name in CALLERS {
        let at =
            pools.as_array().unwrap().iter().filter(|p| p["institution"] == format!("Schule {name}")).count();
        assert_eq!(at, usize::from(matches!(name, "lead" | "admin")), "{name}: {pools}");
    }

    // The list: P's managers see all of P's memberships, Q's see none of them.
    let of_p: Vec<String> = memberships.iter().map(|m| m.id.to_string()).collect();
    for name in ["lead", "admin", "foreign_lead", "foreign_admin"] {
        let (_, listed) = world.get_as(&world.signed_in_as(name).await, "/office/memberships").await;
        let listed: Vec<String> =
            listed.as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_owned()).collect();
        let seen = of_p.iter().filter(|id| listed.contains(id)).count();
        let expected = if name.starts_with("foreign") { 0 } else { of_p.len() };
        assert_eq!(seen, expected, "{name}");
    }
}

#[tokio::test]
async fn sqlite_who_manages_pools() {
    who_manages_pools(Database::sqlite()).await;
}

#[tokio::test]
async fn postgres_who_manages_pools() {
    who_manages_pools(Database::postgres().await).await;
}

async fn what_the_rules_refuse(database: Database) {
    let world = World::build(&database).await;
    let hash = begleitbuch_server::auth::hash_password(PASSWORD);
    let lead = world.signed_in_as("lead").await;
    let add = async |person: UserId, pool: PoolId, minutes: u32, first_day: &str| {
        let body = json!({"pool": pool, "person": person, "contract_minutes_per_week": minutes, "first_day": first_day});
        world.send_as(&lead, "/office/memberships", Some(body)).await
    };
    let refused = |answer: (StatusCode, Value)| (answer.0, code(&answer.1).map(str::to_owned));
    let unprocessable = |code: &str| (StatusCode::UNPROCESSABLE_ENTITY, Some(code.to_owned()));

    let (person, _) = world.account(world.provider, Role::Companion, &hash).await;
    let (parent, _) = world.account(world.provider, Role::Parent, &hash).await;
    let (admin, _) = world.account(world.provider, Role::Admin, &hash).await;
    let (foreigner, _) = world.account(world.other_provider, Role::Companion, &hash).await;
    let (gone, _) = world.account(world.provider, Role::Companion, &hash).await;
    world.store.set_disabled(gone, true).await.unwrap();

    assert_eq!(refused(add(parent, world.p1, 600, "2026-09-01").await), unprocessable("not_pool_work"));
    assert_eq!(refused(add(admin, world.p1, 600, "2026-09-01").await), unprocessable("not_pool_work"));
    assert_eq!(refused(add(person, world.p1, 0, "2026-09-01").await), unprocessable("contract_hours"));
    assert_eq!(
        refused(add(person, world.p1, 48 * 60 + 1, "2026-09-01").await),
        unprocessable("contract_hours")
    );
    assert_eq!(refused(add(person, world.p1, 600, "2027-08-01").await), unprocessable("outside_school_year"));
    assert_eq!(refused(add(person, world.p1, 600, "2026-07-31").await), unprocessable("outside_school_year"));
    assert_eq!(refused(add(gone, world.p1, 600, "2026-09-01").await), unprocessable("user_disabled"));
    assert_eq!(
        refused(add(foreigner, world.p1, 600, "2026-09-01").await),
        (StatusCode::NOT_FOUND, Some("user_not_found".to_owned()))
    );
    assert_eq!(
        refused(add(person, world.q1, 600, "2026-09-01").await),
        (StatusCode::NOT_FOUND, Some("pool_not_found".to_owned()))
    );
    let unknown = json!({"pool": world.p1, "person": person, "contract_minutes_per_week": 600,
                         "first_day": "2026-09-01", "role": "admin"});
    let (status, _) = world.send_as(&lead, "/office/memberships", Some(unknown)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an unknown field is refused, not ignored");

    // One membership at a time per person and pool; after it has ended, a later one.
    let (status, first) = add(person, world.p1, 600, "2026-09-01").await;
    assert_eq!(
        (status, &first["last_day"], &first["contract_minutes_per_week"]),
        (StatusCode::CREATED, &Value::Null, &json!(600))
    );
    assert_eq!(refused(add(person, world.p1, 900, "2026-10-01").await), unprocessable("membership_overlaps"));
    let end = async |membership: &Value, last_day: &str| {
        let path = format!("/office/memberships/{}/end", membership["id"].as_str().unwrap());
        world.send_as(&lead, &path, Some(json!({"last_day": last_day}))).await
    };
    assert_eq!(refused(end(&first, "2026-08-31").await), unprocessable("ends_before_start"));
    assert_eq!(refused(end(&first, "2027-08-01").await), unprocessable("outside_school_year"));
    let (status, ended) = end(&first, "2026-10-31").await;
    assert_eq!((status, &ended["last_day"]), (StatusCode::OK, &json!("2026-10-31")));
    assert_eq!(refused(end(&first, "2026-11-30").await), unprocessable("membership_ended"));
    assert_eq!(refused(add(person, world.p1, 900, "2026-10-31").await), unprocessable("membership_overlaps"));
    let (status, later) = add(person, world.p1, 900, "2026-11-02").await;
    assert_eq!((status, &later["contract_minutes_per_week"]), (StatusCode::CREATED, &json!(900)));
    let path = format!("/office/memberships/{}/end", Uuid::now_v7());
    let (status, body) = world.send_as(&lead, &path, Some(json!({"last_day": "2026-12-01"}))).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, Some("membership_not_found")));

    // Pools: one per institution and school year, at the provider's own institutions, in the
    // school years the office works with.
    let institution = school(&world, world.provider, "Schule Neu").await;
    let create = async |institution: InstitutionId, school_year: i32| {
        let body = json!({"institution": institution, "school_year": school_year});
        world.send_as(&lead, "/office/pools", Some(body)).await
    };
    let (status, created) = create(institution, 2026).await;
    assert_eq!(
        (status, &created["institution"], &created["people"]),
        (StatusCode::CREATED, &json!("Schule Neu"), &json!([]))
    );
    assert_eq!(
        refused(create(institution, 2026).await),
        (StatusCode::CONFLICT, Some("pool_exists".to_owned()))
    );
    assert_eq!(create(institution, 2027).await.0, StatusCode::CREATED, "the next school year's pool");
    assert_eq!(refused(create(institution, 1999).await), unprocessable("invalid_school_year"));
    let foreign_school = school(&world, world.other_provider, "Schule Q2").await;
    assert_eq!(
        refused(create(foreign_school, 2026).await),
        (StatusCode::NOT_FOUND, Some("institution_not_found".to_owned()))
    );
}

#[tokio::test]
async fn sqlite_what_the_pool_rules_refuse() {
    what_the_rules_refuse(Database::sqlite()).await;
}

#[tokio::test]
async fn postgres_what_the_pool_rules_refuse() {
    what_the_rules_refuse(Database::postgres().await).await;
}

fn cursor_pools(page: &Value) -> Vec<String> {
    page["cursors"].as_array().unwrap().iter().map(|c| c["pool"].as_str().unwrap().to_owned()).collect()
}

async fn tablets_follow_memberships(database: Database) {
    let world = World::build(&database).await;
    let lead = world.signed_in_as("lead").await;
    let neighbour = world.member("neighbour");
    let p1 = world.p1.to_string();

    // The neighbour works in P2; P1 is not on their tablet.
    let before = world.pull(neighbour, &json!([]), 100).await;
    assert!(!cursor_pools(&before).contains(&p1));

    // Joining P1 from September on: the next sync brings P1 and its records.
    let body = json!({"pool": world.p1, "person": neighbour.id, "contract_minutes_per_week": 900,
                      "first_day": "2026-09-01"});
    let (status, membership) = world.send_as(&lead, "/office/memberships", Some(body)).await;
    assert_eq!((status, &membership["display_name"]), (StatusCode::CREATED, &json!("neighbour")));
    let joined = world.pull(neighbour, &before["cursors"], 100).await;
    assert!(cursor_pools(&joined).contains(&p1), "the tablet gains P1");
    assert!(joined["records"].as_array().unwrap().iter().any(|r| r["id"] == json!(world.own_child)));
    let (_, pools) = world.get_as(&json!({"access_token": neighbour.token}), "/pools").await;
    assert!(pools.as_array().unwrap().iter().any(|p| p["id"] == json!(world.p1)), "{pools}");

    // They record an hour in P1.
    let entry = Uuid::now_v7();
    let put = world.put(
        neighbour,
        RecordKind::TimeEntry,
        entry,
        0,
        entry_fields(world.p1, neighbour.id, "Vorbereitung"),
        &[],
    );
    let answer = world.push(neighbour, &[put]).await;
    assert_eq!(answer["results"][0]["outcome"], "applied", "{answer}");

    // The membership ends yesterday: the next sync takes P1 off the tablet, P2 stays.
    let path = format!("/office/memberships/{}/end", membership["id"].as_str().unwrap());
    let yesterday = common::test_today().pred_opt().unwrap();
    let (status, _) = world.send_as(&lead, &path, Some(json!({"last_day": yesterday}))).await;
    assert_eq!(status, StatusCode::OK);
    let left = world.pull(neighbour, &joined["cursors"], 100).await;
    assert_eq!(left["removed_pools"], json!([world.p1]));
    assert!(!cursor_pools(&left).contains(&p1) && cursor_pools(&left).contains(&world.p2.to_string()));
    let (_, pools) = world.get_as(&json!({"access_token": neighbour.token}), "/pools").await;
    assert!(pools.as_array().unwrap().iter().all(|p| p["id"] != json!(world.p1)), "{pools}");

    // What they recorded stays in P1, for the office; P1's directory no longer lists them.
    let office = world.office(world.member("lead")).await;
    assert!(world.office_records(&office, RecordKind::TimeEntry).await.contains(&entry));
    let stored = world.store.record(entry).await.unwrap().unwrap();
    assert_eq!(stored.pool, Some(world.p1));
    let (_, directory) = world.get_as(&office, "/office/pools").await;
    let p1_people =
        &directory.as_array().unwrap().iter().find(|p| p["id"] == json!(world.p1)).unwrap()["people"];
    assert!(p1_people.as_array().unwrap().iter().all(|p| p["id"] != json!(neighbour.id)), "{p1_people}");
    let (_, listed) = world.get_as(&office, "/office/memberships").await;
    let kept = listed.as_array().unwrap().iter().find(|m| m["id"] == membership["id"]).unwrap();
    assert_eq!(kept["last_day"], json!(yesterday), "an ended membership stays on record");
}

#[tokio::test]
async fn sqlite_tablets_follow_memberships() {
    tablets_follow_memberships(Database::sqlite()).await;
}

#[tokio::test]
async fn postgres_tablets_follow_memberships() {
    tablets_follow_memberships(Database::postgres().await).await;
}
