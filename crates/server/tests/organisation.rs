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

/// Entering and correcting institutions by hand: admins of the provider only, in the office; every
/// refusal with its code; another provider's institution is unknown.
async fn institutions_by_hand(database: Database) {
    let world = World::build(&database).await;
    let kita = json!({"name": "Kita Regenbogen", "kind": "day_care", "region": "Ost",
                      "year_levels": [], "groups": ["Sonnen", "Sterne"]});
    // Who may create: the admin in the office; the team lead (office or tablet), a companion and a
    // parent are refused. Q's admin creates in Q.
    for name in ["lead", "lead_on_tablet", "companion", "parent"] {
        let (status, _) =
            post(&world, &world.signed_in_as(name).await, "/office/institutions", kita.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}");
    }
    let admin = world.signed_in_as("admin").await;
    let (status, created) = post(&world, &admin, "/office/institutions", kita.clone()).await;
    assert_eq!(
        (status, &created["groups"], &created["fte"]),
        (StatusCode::CREATED, &json!(["Sonnen", "Sterne"]), &json!({}))
    );
    let (status, body) = post(&world, &admin, "/office/institutions", kita.clone()).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("institution_exists")));
    let refusals = [
        (
            json!({"name": " ", "kind": "school", "region": "Ost", "year_levels": [], "groups": []}),
            "invalid_institution_name",
        ),
        (
            json!({"name": "S", "kind": "school", "region": "", "year_levels": [], "groups": []}),
            "invalid_region",
        ),
        (
            json!({"name": "S", "kind": "school", "region": "Ost", "year_levels": [14], "groups": []}),
            "invalid_year_levels",
        ),
        (
            json!({"name": "S", "kind": "day_care", "region": "Ost", "year_levels": [1], "groups": []}),
            "invalid_year_levels",
        ),
        (
            json!({"name": "S", "kind": "school", "region": "Ost", "year_levels": [], "groups": ["A"]}),
            "invalid_groups",
        ),
        (
            json!({"name": "S", "kind": "day_care", "region": "Ost", "year_levels": [], "groups": ["A", "A"]}),
            "invalid_groups",
        ),
    ];
    for (details, code) in refusals {
        let (status, body) = post(&world, &admin, "/office/institutions", details.clone()).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(code)),
            "{details}"
        );
    }
    let mut unknown = kita.clone();
    unknown["fte"] = json!({"2026": 100});
    assert_eq!(
        post(&world, &admin, "/office/institutions", unknown).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // Corrected: an Oberschule's one level is year 5. The list's count keeps it at the next import.
    let (_, listed) = world.get_as(&admin, "/institutions").await;
    let schule = listed.as_array().unwrap().iter().find(|i| i["name"] == "Schule Eins").unwrap().clone();
    let path = format!("/office/institutions/{}", schule["id"].as_str().unwrap());
    let corrected = json!({"name": "Oberschule Eins", "kind": "school", "region": "Ost OS", "year_levels": [5], "groups": []});
    let put = async |signed_in: &Value, body: Value| {
        let request = common::authenticated(world.client.put(world.server.api(&path)), signed_in);
        let response = request.json(&body).send().await.unwrap();
        (response.status(), response.json::<Value>().await.unwrap_or(Value::Null))
    };
    for name in ["lead", "companion"] {
        assert_eq!(
            put(&world.signed_in_as(name).await, corrected.clone()).await.0,
            StatusCode::FORBIDDEN,
            "{name}"
        );
    }
    let foreign = world.signed_in_as("foreign_admin").await;
    let (status, body) = put(&foreign, corrected.clone()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("institution_not_found"))
    );
    let (status, body) = put(&admin, json!({"name": "Kita Regenbogen", "kind": "school", "region": "Ost", "year_levels": [5], "groups": []})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("institution_exists")));
    let (status, changed) = put(&admin, corrected).await;
    assert_eq!(
        (status, &changed["name"], &changed["year_levels"], &changed["id"]),
        (StatusCode::OK, &json!("Oberschule Eins"), &json!([5]), &schule["id"])
    );
    let list = format!("{}\nOst OS,Oberschule Eins,1,1.5\n", begleitbuch_domain::org::ALLOCATION_HEADER);
    let (status, _) =
        post(&world, &admin, "/office/allocation", json!({"school_year": 2026, "csv": list})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, listed) = world.get_as(&admin, "/institutions").await;
    let oberschule = listed.as_array().unwrap().iter().find(|i| i["id"] == schule["id"]).unwrap();
    assert_eq!((&oberschule["year_levels"], &oberschule["fte"]), (&json!([5]), &json!({"2026": 150})));
    let (_, theirs) = world.get_as(&foreign, "/institutions").await;
    assert!(theirs
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["name"] != "Kita Regenbogen" && i["name"] != "Oberschule Eins"));
}

#[tokio::test]
async fn sqlite_institutions_by_hand() {
    institutions_by_hand(Database::sqlite()).await;
}

#[tokio::test]
async fn postgres_institutions_by_hand() {
    institutions_by_hand(Database::postgres().await).await;
}
