//! Who may manage which accounts and tablets, walked against the running server on SQLite and
//! PostgreSQL: every operation of the office's People and Tablets rooms, by every caller, on an
//! account of every role — each cell on an account of its own, so that one cell's deactivation or
//! reset cannot decide another's answer. The expectations are written by hand below, not derived from
//! the server's rule (`Role::may_manage`), so that a change of the rule has to change this list too.

mod common;

use begleitbuch_domain::people::Role;
use common::world::{World, NOW, PASSWORD};
use common::Database;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Create,
    Reset,
    Deactivate,
    Activate,
    RevokeTokens,
    RevokeTablet,
}

const OPS: [Op; 6] =
    [Op::Create, Op::Reset, Op::Deactivate, Op::Activate, Op::RevokeTokens, Op::RevokeTablet];

/// (callers, operations, roles of the account concerned) that succeed; everything else is refused.
/// A tablet is revoked "on" the role of the person signed in on it.
const ALLOWED: &[(&[&str], &[Op], &[Role])] = &[
    (&["admin"], &OPS, &[Role::Companion, Role::TeamLead, Role::Admin, Role::Parent]),
    (&["lead"], &OPS, &[Role::Companion]),
];

/// How each caller comes in: managers through the office, the rest (and a team lead's leftover
/// tablet sign-in) with a tablet's token.
const CALLERS: [&str; 6] = ["companion", "parent", "lead", "lead_on_tablet", "admin", "foreign_lead"];

struct Caller {
    signed_in: Value,
    /// Whether the caller signed in to the office as a manager of provider P.
    office_of_p: bool,
}

async fn caller(world: &World, name: &'static str) -> Caller {
    Caller { signed_in: world.signed_in_as(name).await, office_of_p: matches!(name, "lead" | "admin") }
}

async fn send(world: &World, caller: &Caller, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    world.send_as(&caller.signed_in, path, body).await
}

async fn list(world: &World, caller: &Caller, path: &str) -> (StatusCode, Value) {
    world.get_as(&caller.signed_in, path).await
}

async fn walk(database: Database) {
    let world = World::build(&database).await;
    let hash = begleitbuch_server::auth::hash_password(PASSWORD);
    let mut tried = 0;
    for name in CALLERS {
        let caller = caller(&world, name).await;
        for op in OPS {
            for role in Role::ALL {
                // The account concerned is in P: a caller of Q must not even learn it exists.
                let (target, tablet) = world.account(world.provider, role, &hash).await;
                if op == Op::Activate {
                    world.store.set_disabled(target, true).await.unwrap();
                }
                let (status, body) = match op {
                    Op::Create => {
                        let login = format!("neu-{}", Uuid::now_v7().simple());
                        let body = json!({"login": login, "display_name": "Neue Person", "role": role});
                        send(&world, &caller, "/users", Some(body)).await
                    }
                    Op::Reset => send(&world, &caller, &format!("/users/{target}/password"), None).await,
                    Op::Deactivate => {
                        send(&world, &caller, &format!("/users/{target}/deactivate"), None).await
                    }
                    Op::Activate => send(&world, &caller, &format!("/users/{target}/activate"), None).await,
                    Op::RevokeTokens => {
                        send(&world, &caller, &format!("/users/{target}/revoke-tokens"), None).await
                    }
                    Op::RevokeTablet => {
                        send(&world, &caller, &format!("/devices/{tablet}/revoke"), None).await
                    }
                };
                let allowed = ALLOWED.iter().any(|(callers, ops, roles)| {
                    callers.contains(&name) && ops.contains(&op) && roles.contains(&role)
                });
                let cell = format!("{name} {op:?} on a {role:?}: {status} {body}");
                if name == "foreign_lead" {
                    // Another provider's manager: a creation lands in their own provider (checked
                    // below); an account or tablet of P is unknown to them.
                    let expected = match op {
                        Op::Create => StatusCode::CREATED,
                        _ => StatusCode::NOT_FOUND,
                    };
                    let expected = if op == Op::Create && role != Role::Companion {
                        StatusCode::FORBIDDEN
                    } else {
                        expected
                    };
                    assert_eq!(status, expected, "{cell}");
                } else if allowed {
                    assert!(status.is_success(), "{cell}");
                    assert!(caller.office_of_p, "{cell}: only the office manages");
                } else {
                    let code = body["error"]["code"].as_str().unwrap_or_default();
                    assert_eq!(status, StatusCode::FORBIDDEN, "{cell}");
                    assert!(["forbidden", "office_only"].contains(&code), "{cell}");
                }
                // What the answer did, from the store (never from the answer alone).
                let after = world.store.user(target).await.unwrap().unwrap();
                let signed_in = !world.store.signed_in_on(tablet).await.unwrap().is_empty();
                let revoked = world.store.device(tablet).await.unwrap().unwrap().revoked;
                let done = allowed && name != "foreign_lead";
                match op {
                    Op::Create => {}
                    Op::Reset => assert_eq!((after.must_change_password, signed_in), (done, !done), "{cell}"),
                    Op::Deactivate => assert_eq!((after.disabled, signed_in), (done, !done), "{cell}"),
                    Op::Activate => assert_eq!(after.disabled, !done, "{cell}"),
                    Op::RevokeTokens => assert_eq!(signed_in, !done, "{cell}"),
                    Op::RevokeTablet => assert_eq!(revoked, done, "{cell}"),
                }
                tried += 1;
            }
        }
    }
    assert_eq!(tried, CALLERS.len() * OPS.len() * Role::ALL.len());

    // The lists: P's managers see P's people (team leads not the parents' accounts) and tablets;
    // Q's team lead sees none of P's; everyone else is refused.
    let p_people: Vec<String> =
        world.store.people(world.provider).await.unwrap().iter().map(|p| p.user.id.to_string()).collect();
    for name in CALLERS {
        let caller = caller(&world, name).await;
        let (people_status, people) = list(&world, &caller, "/users").await;
        let (tablets_status, tablets) = list(&world, &caller, "/devices").await;
        match name {
            "lead" | "admin" | "foreign_lead" => {
                assert_eq!((people_status, tablets_status), (StatusCode::OK, StatusCode::OK), "{name}");
                let people = people.as_array().unwrap();
                let in_p = people.iter().filter(|p| p_people.contains(&p["id"].as_str().unwrap().to_owned()));
                let roles: Vec<&str> = in_p.map(|p| p["role"].as_str().unwrap()).collect();
                match name {
                    "admin" => assert!(roles.contains(&"parent") && roles.contains(&"admin"), "{roles:?}"),
                    "lead" => {
                        assert!(!roles.contains(&"parent") && roles.contains(&"admin"), "{roles:?}");
                        for person in people {
                            let manageable = person["role"] == "companion";
                            assert_eq!(person["manageable"], manageable, "{person}");
                        }
                    }
                    _ => {
                        assert!(roles.is_empty(), "Q's team lead sees P's people: {roles:?}");
                        assert!(
                            people.iter().any(|p| p["display_name"] == "Neue Person"),
                            "their own creations"
                        );
                    }
                }
                let p_tablets = world.store.devices(world.provider).await.unwrap();
                let listed: Vec<&str> =
                    tablets.as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
                let of_p = p_tablets.iter().filter(|t| listed.contains(&t.id.to_string().as_str())).count();
                assert_eq!(of_p, if name == "foreign_lead" { 0 } else { p_tablets.len() }, "{name}");
            }
            _ => assert_eq!(
                (people_status, tablets_status),
                (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN),
                "{name}"
            ),
        }
    }

    // Nobody deactivates themselves; a deactivated person cannot sign in, and can again once active.
    let admin = caller(&world, "admin").await;
    let own = world.member("admin").id;
    let (status, body) = send(&world, &admin, &format!("/users/{own}/deactivate"), None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("cannot_deactivate_self"))
    );
    let companion = world.member("colleague");
    let sign_in = |way: &'static str| {
        common::browser_sign_in(&world.client, &world.server, &companion.login, PASSWORD, way)
    };
    assert_eq!(
        send(&world, &admin, &format!("/users/{}/deactivate", companion.id), None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        sign_in("office").await.status(),
        StatusCode::UNAUTHORIZED,
        "deactivated: like a wrong password"
    );
    assert_eq!(
        send(&world, &admin, &format!("/users/{}/activate", companion.id), None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(sign_in("office").await.status(), StatusCode::FORBIDDEN, "active again: sent to the tablet");
}

#[tokio::test]
async fn sqlite_who_manages_which_accounts_and_tablets() {
    walk(Database::sqlite()).await;
}

#[tokio::test]
async fn postgres_who_manages_which_accounts_and_tablets() {
    walk(Database::postgres().await).await;
}

/// A tablet's pull carries what it still holds for its user; the office's tablet list shows it per
/// person, and another provider's team lead sees nothing of it. A malformed report is refused with a
/// code and stores nothing.
async fn tablets_report_what_they_hold(database: Database) {
    let world = World::build(&database).await;
    let companion = world.member("companion");
    let pull = |holding: Value| {
        let body = json!({"protocol": begleitbuch_domain::protocol::PROTOCOL_VERSION, "cursors": [], "limit": 10, "holding": holding});
        world.client.post(world.server.api("/sync/pull")).bearer_auth(&companion.token).json(&body).send()
    };
    for bad in [
        json!({"unsent": 3, "unresolved": 0, "oldest_at": null, "app_version": "0.1.0"}),
        json!({"unsent": 0, "unresolved": 0, "oldest_at": 5, "app_version": "0.1.0"}),
        json!({"unsent": 1, "unresolved": 0, "oldest_at": 5, "app_version": "0.1\n0"}),
        json!({"unsent": 1, "unresolved": 0, "oldest_at": 5, "app_version": "x".repeat(41)}),
        json!({"unsent": -1, "unresolved": 0, "oldest_at": 5, "app_version": "0.1.0"}),
    ] {
        let response = pull(bad.clone()).await.unwrap();
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let lead = caller(&world, "lead").await;
    let holding_of = async |who: &Caller| {
        let (status, tablets) = list(&world, who, "/devices").await;
        assert_eq!(status, StatusCode::OK);
        let tablet = tablets.as_array().unwrap().iter().find(|t| t["id"] == json!(companion.device)).cloned();
        tablet.map(|t| {
            t["people"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["user"] == json!(companion.id))
                .cloned()
                .unwrap()
        })
    };
    let before = holding_of(&lead).await.expect("the companion's tablet is listed");
    assert_eq!(
        (before["signed_in"].as_bool(), &before["holding"]),
        (Some(true), &Value::Null),
        "nothing reported yet"
    );

    let reported =
        json!({"unsent": 41, "unresolved": 1, "oldest_at": NOW - 86_400_000, "app_version": "0.1.0"});
    assert_eq!(pull(reported.clone()).await.unwrap().status(), StatusCode::OK);
    let after = holding_of(&lead).await.unwrap();
    assert_eq!(after["holding"], reported);
    assert!(after["reported_at"].as_i64().is_some());
    // A later pull replaces the report; a pull without one keeps the last.
    let drained =
        json!({"unsent": 0, "unresolved": 1, "oldest_at": NOW - 86_400_000, "app_version": "0.1.0"});
    assert_eq!(pull(drained.clone()).await.unwrap().status(), StatusCode::OK);
    let plain =
        json!({"protocol": begleitbuch_domain::protocol::PROTOCOL_VERSION, "cursors": [], "limit": 10});
    let response = world
        .client
        .post(world.server.api("/sync/pull"))
        .bearer_auth(&companion.token)
        .json(&plain)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(holding_of(&lead).await.unwrap()["holding"], drained);

    let foreign = caller(&world, "foreign_lead").await;
    assert!(holding_of(&foreign).await.is_none(), "another provider's team lead sees none of P's tablets");
}

#[tokio::test]
async fn sqlite_tablets_report_what_they_hold() {
    tablets_report_what_they_hold(Database::sqlite()).await;
}

#[tokio::test]
async fn postgres_tablets_report_what_they_hold() {
    tablets_report_what_they_hold(Database::postgres().await).await;
}
