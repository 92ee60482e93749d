//! The allocation list through the running server, on SQLite and PostgreSQL: only a provider's admin
//! imports it, in the office; a broken copy is refused with every bad line and changes nothing; the
//! list imports all or nothing, a second time changes nothing, and the next school year's list adds
//! that year's FTE; another provider sees none of it.

mod common;

use common::world::World;
use common::Database;
use reqwest::StatusCode;
use serde_json::{json, Value};

const LIST: &str = include_str!("../demo/bremen-systemic-schools-2026.csv");

async fn post(world: &World, signed_in: &Value, path: &str, body: Value) -> (StatusCode, Value) {
    world.send_as(signed_in, path, Some(body)).await
}

async fn institutions(world: &World, signed_in: &Value) -> Vec<Value> {
    let (status, listed) = world.get_as(signed_in, "/institutions").await;
    assert_eq!(status, StatusCode::OK);
    serde_json::from_value(listed).unwrap()
}

/// Each line's change by name: `"new"`, `"unchanged"` or the key of `{"changed": …}`.
fn changes(plan: &Value) -> Vec<String> {
    let name = |change: &Value| match change.as_str() {
        Some(unit) => unit.to_owned(),
        None => change.as_object().unwrap().keys().next().unwrap().clone(),
    };
    plan["lines"].as_array().unwrap().iter().map(|line| name(&line["change"])).collect()
}

async fn allocation_list(database: Database) {
    let world = World::build(&database).await;
    let admin = world.office(world.member("admin")).await;
    let lead = world.office(world.member("lead")).await;
    let companion = json!({"access_token": world.member("companion").token});
    let upload = |school_year: i32, csv: &str| json!({"school_year": school_year, "csv": csv});
    let before = institutions(&world, &admin).await.len();

    // Only the admin, and only in the office.
    for (who, signed_in) in [("lead", &lead), ("companion", &companion)] {
        for path in ["/office/allocation/preview", "/office/allocation"] {
            let (status, _) = post(&world, signed_in, path, upload(2026, LIST)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{who} {path}");
        }
    }
    let (status, body) = post(&world, &admin, "/office/allocation/preview", upload(1999, LIST)).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("invalid_school_year"))
    );

    // A broken copy: every bad line with its number and reason, and nothing imported.
    let broken = LIST.replacen("Nord,Schule am Wasser,4,3.3", "Nord,Schule am Wasser,4,drei", 1).replacen(
        "Nord,Tami-Oelfken-Schule,4,3.5",
        "Nord,Tami-Oelfken-Schule,4",
        1,
    );
    let (status, plan) = post(&world, &admin, "/office/allocation/preview", upload(2026, &broken)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        plan["errors"],
        json!([
            {"import_fte": {"line": 2, "value": "drei"}},
            {"import_field_count": {"line": 3, "found": 3}},
        ])
    );
    // A control character in a name is a bad line, not a database error (PostgreSQL keeps no NUL).
    let header = begleitbuch_domain::org::ALLOCATION_HEADER;
    let (status, plan) = post(
        &world,
        &admin,
        "/office/allocation",
        upload(2026, &format!("{header}\nNord,Schule\u{0}X,4,1\n")),
    )
    .await;
    assert_eq!(
        (status, plan["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("import_invalid"))
    );
    let (status, body) = post(&world, &admin, "/office/allocation", upload(2026, &broken)).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("import_invalid"))
    );
    assert_eq!(institutions(&world, &admin).await.len(), before, "a refused list changes nothing");

    // The list: 42 new schools, with their FTE for 2026/27.
    let (status, preview) = post(&world, &admin, "/office/allocation/preview", upload(2026, LIST)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(changes(&preview), vec!["new"; 42]);
    assert_eq!(institutions(&world, &admin).await.len(), before, "a preview changes nothing");
    let (status, imported) = post(&world, &admin, "/office/allocation", upload(2026, LIST)).await;
    assert_eq!((status, changes(&imported)), (StatusCode::OK, vec!["new".to_owned(); 42]));
    let listed = institutions(&world, &admin).await;
    assert_eq!(listed.len(), before + 42);
    let wasser = listed.iter().find(|i| i["name"] == "Schule am Wasser").unwrap();
    assert_eq!((&wasser["region"], &wasser["fte"]), (&json!("Nord"), &json!({"2026": 330})));
    assert_eq!(institutions(&world, &lead).await.len(), before + 42, "the team lead sees them");

    // Again: nothing changes. The next year's list adds its FTE.
    let (_, again) = post(&world, &admin, "/office/allocation", upload(2026, LIST)).await;
    assert_eq!(changes(&again), vec!["unchanged"; 42]);
    assert_eq!(institutions(&world, &admin).await, listed);
    let (_, next) = post(&world, &admin, "/office/allocation", upload(2027, LIST)).await;
    assert!(next["lines"]
        .as_array()
        .unwrap()
        .iter()
        .all(|line| line["change"] == json!({"changed": {"fte_before": null, "details_changed": false}})));
    let listed = institutions(&world, &admin).await;
    let wasser = listed.iter().find(|i| i["name"] == "Schule am Wasser").unwrap();
    assert_eq!(wasser["fte"], json!({"2026": 330, "2027": 330}));

    // Another provider's admin: none of P's schools, and an import of their own touches nothing of P.
    let foreign = world.office(world.member("foreign_admin")).await;
    assert!(institutions(&world, &foreign).await.iter().all(|i| i["name"] != "Schule am Wasser"));
    let (status, plan) = post(&world, &foreign, "/office/allocation", upload(2026, LIST)).await;
    assert_eq!((status, changes(&plan).iter().filter(|c| *c == "new").count()), (StatusCode::OK, 42));
    assert_eq!(institutions(&world, &admin).await, listed);
}

#[tokio::test]
async fn sqlite_allocation_list() {
    allocation_list(Database::sqlite()).await;
}

#[tokio::test]
async fn postgres_allocation_list() {
    allocation_list(Database::postgres().await).await;
}
