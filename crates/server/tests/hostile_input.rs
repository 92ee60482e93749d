//! Bad input costs nothing, on SQLite and PostgreSQL: dates at the calendar's limits and records of
//! the wrong shape are refused with a code while the rest of their batch is answered; a deleted record
//! keeps no text; pulls do not mention records the reader could never see; a parent cannot write about
//! another child; a team lead cannot wipe an admin's tablet; a bad id in a path gets the API's JSON.

mod common;

use begleitbuch_domain::record::RecordKind;
use common::world::{entry_fields, observation_fields, Member, World};
use common::Database;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

fn entry(world: &World, member: &Member, note: &str) -> Value {
    entry_fields(world.p1, member.id, note)
}

fn reason(answer: &Value) -> (&str, &str) {
    (answer["outcome"].as_str().unwrap_or_default(), answer["reason"].as_str().unwrap_or_default())
}

async fn a_hostile_batch_is_answered_mutation_by_mutation(world: &World) {
    let companion = world.member("companion");
    let absence = |from: &str, until: &str| {
        world.put(companion, RecordKind::Absence, Uuid::now_v7(), 0,
            json!({"pool": world.p1, "companion": companion.id, "from": from, "until": until, "reason": "sick"}), &[])
    };
    let good = Uuid::now_v7();
    let mut nested = json!("tief");
    for _ in 0..10 {
        nested = json!({"kind": nested});
    }
    let mut padded = entry(world, companion, "");
    padded["pad"] = json!("x".repeat(1000));
    let mut deep = entry(world, companion, "");
    deep["category"] = nested;
    let batch = [
        absence("2026-12-01", "+262142-12-31"),
        absence("0000-01-01", "0000-01-02"),
        absence("2026-12-01", "2031-12-01"),
        world.put(companion, RecordKind::TimeEntry, Uuid::now_v7(), 0, padded, &[]),
        world.put(companion, RecordKind::TimeEntry, Uuid::now_v7(), 0, deep, &[]),
        world.put(
            companion,
            RecordKind::TimeEntry,
            Uuid::now_v7(),
            0,
            entry(world, companion, &"ä".repeat(3000)),
            &[],
        ),
        world.put(companion, RecordKind::TimeEntry, good, 0, entry(world, companion, "gut"), &[]),
    ];
    let answer = world.push(companion, &batch).await;
    let results: Vec<(&str, &str)> = answer["results"].as_array().unwrap().iter().map(reason).collect();
    assert_eq!(
        results,
        [
            ("rejected", "invalid"),
            ("rejected", "invalid"),
            ("rejected", "invalid"),
            ("rejected", "bad_payload"),
            ("rejected", "bad_payload"),
            ("rejected", "invalid"),
            ("applied", ""),
        ],
        "{answer}"
    );
    assert_eq!(answer["results"][0]["error"]["code"], "date_out_of_range");
    assert_eq!(answer["results"][1]["error"]["code"], "date_out_of_range");
    assert_eq!(answer["results"][2]["error"]["code"], "range_too_long");
    assert_eq!(answer["results"][5]["error"]["code"], "text_too_long");
    assert!(world.store.record(good).await.unwrap().is_some());
}

async fn a_deleted_record_keeps_no_text(world: &World) {
    let companion = world.member("companion");
    let id = Uuid::now_v7();
    let observation = observation_fields(world.p1, world.pool_child, companion.id, "Hat heute geweint.");
    let created = world.put(
        companion,
        RecordKind::Observation,
        id,
        0,
        observation,
        &[("domains", vec!["social_emotional".into()])],
    );
    assert_eq!(world.push(companion, &[created]).await["results"][0]["outcome"], "applied");
    let delete =
        world.mutation(companion, RecordKind::Observation, id, 1, begleitbuch_domain::record::Change::Delete);
    assert_eq!(world.push(companion, &[delete]).await["results"][0]["outcome"], "applied");
    let tombstone = world.store.record(id).await.unwrap().unwrap().state;
    assert!(tombstone.deleted);
    let stored = serde_json::to_string(&tombstone).unwrap();
    assert!(!stored.contains("geweint") && !stored.contains("social_emotional"), "{stored}");
}

/// Every record id a member's full pull mentions.
async fn pulled_ids(world: &World, member: &Member) -> Vec<String> {
    let mut cursors = json!([]);
    let mut ids = Vec::new();
    loop {
        let page = world.pull(member, &cursors, 500).await;
        ids.extend(page["records"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()));
        cursors = page["cursors"].clone();
        if page["has_more"] != true {
            return ids;
        }
    }
}

async fn a_pull_does_not_mention_what_the_reader_could_never_see(world: &World) {
    let (companion, colleague) = (world.member("companion"), world.member("colleague"));
    let (kept, deleted) = (Uuid::now_v7(), Uuid::now_v7());
    for id in [kept, deleted] {
        let put =
            world.put(colleague, RecordKind::TimeEntry, id, 0, entry(world, colleague, "Kollegin"), &[]);
        assert_eq!(world.push(colleague, &[put]).await["results"][0]["outcome"], "applied");
    }
    let delete = world.mutation(
        colleague,
        RecordKind::TimeEntry,
        deleted,
        1,
        begleitbuch_domain::record::Change::Delete,
    );
    assert_eq!(world.push(colleague, &[delete]).await["results"][0]["outcome"], "applied");
    let seen = pulled_ids(world, companion).await;
    assert!(!seen.contains(&kept.to_string()) && !seen.contains(&deleted.to_string()));
    let own = pulled_ids(world, colleague).await;
    assert!(own.contains(&kept.to_string()) && own.contains(&deleted.to_string()), "the owner hears of both");
}

async fn a_parent_writes_only_about_their_own_child(world: &World) {
    let parent = world.member("parent");
    let event = |child| json!({"actor": parent.id, "device": parent.device, "at": "2026-11-27T08:00:00Z", "action": "view_child", "child": child});
    let other = world.put(parent, RecordKind::AuditEvent, Uuid::now_v7(), 0, event(world.pool_child), &[]);
    assert_eq!(reason(&world.push(parent, &[other]).await["results"][0]), ("rejected", "forbidden"));
    let own = world.put(parent, RecordKind::AuditEvent, Uuid::now_v7(), 0, event(world.own_child), &[]);
    assert_eq!(world.push(parent, &[own]).await["results"][0]["outcome"], "applied");
}

async fn a_team_lead_cannot_wipe_an_admins_tablet(world: &World) {
    let (lead, admin) = (world.member("lead"), world.member("admin"));
    let revoke = |member: &Member, device: Uuid| {
        world
            .client
            .post(world.server.api(&format!("/devices/{device}/revoke")))
            .bearer_auth(&member.token)
            .send()
    };
    let refused = revoke(lead, admin.device.0).await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(!world.store.device(admin.device).await.unwrap().unwrap().revoked);
    // A path that is not an id gets the API's JSON error.
    let response = world
        .client
        .post(world.server.api("/devices/kein-uuid/revoke"))
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_path");
}

/// The logged payloads of `record`, read from the database itself.
async fn logged(database: &Database, record: Uuid) -> Vec<String> {
    use sqlx::Connection;
    let query = "SELECT mutation FROM applied_mutations WHERE record_id = $1";
    match database {
        Database::Sqlite(dir) => {
            let path = dir.path().join(begleitbuch_store::SQLITE_FILE);
            let mut conn =
                sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
            sqlx::query_scalar(query).bind(record.to_string()).fetch_all(&mut conn).await.unwrap()
        }
        Database::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query_scalar(query).bind(record.to_string()).fetch_all(&mut conn).await.unwrap()
        }
    }
}

async fn the_answer_log_forgets_payloads_but_still_tells_a_retry_from_a_forgery(
    world: &World,
    database: &Database,
) {
    let companion = world.member("companion");
    let id = Uuid::now_v7();
    let sent = world.put(
        companion,
        RecordKind::TimeEntry,
        id,
        0,
        entry(world, companion, "Elterngespräch Frau K."),
        &[],
    );
    assert_eq!(world.push(companion, std::slice::from_ref(&sent)).await["results"][0]["outcome"], "applied");
    // Everything logged so far is past its retention.
    assert!(logged(database, id).await.concat().contains("Frau K."));
    while world.store.redact_answer_log(i64::MAX, 100).await.unwrap() > 0 {}
    let kept = logged(database, id).await.concat();
    assert!(
        !kept.contains("Frau K.") && kept.contains("\"note\""),
        "what changed stays, not the value: {kept}"
    );
    assert_eq!(
        world.push(companion, std::slice::from_ref(&sent)).await["results"][0]["outcome"],
        "applied",
        "a retry"
    );
    let mut forged = sent;
    forged.record = Uuid::now_v7();
    assert_eq!(reason(&world.push(companion, &[forged]).await["results"][0]), ("rejected", "number_reused"));
}

/// Found by the API fuzzer: a NUL in a display name reached PostgreSQL, which cannot store it, and the
/// answer was 503. Control characters are refused where they are typed, on both databases.
async fn a_control_character_is_refused_not_a_database_error(world: &World) {
    let admin = world.member("admin");
    let post = |path: &str, body: Value, token: Option<&str>| {
        let request = world.client.post(world.server.api(path)).json(&body);
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
        .send()
    };
    let code = |body: Value| body["error"]["code"].as_str().unwrap_or_default().to_owned();
    let office = world.office(admin).await;
    let body = json!({"login": "neu", "display_name": "Frau\u{0}K.", "role": "parent"});
    let request = common::authenticated(world.client.post(world.server.api("/users")), &office);
    let created = request.json(&body).send().await.unwrap();
    assert_eq!(created.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code(created.json().await.unwrap()), "invalid_display_name");
    let device = Uuid::now_v7();
    let sign_in = |login: &str, label: &str| json!({"login": login, "password": "irgendein-passwort", "device": {"id": device, "label": label, "secret": common::device_secret(device)}});
    let wrong = post("/auth/sign-in", sign_in("admin\u{0}", "Tablet"), None).await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let label = post("/auth/sign-in", sign_in("admin", "Tablet\n2b"), None).await.unwrap();
    assert_eq!(code(label.json().await.unwrap()), "invalid_device_label");
    let companion = world.member("companion");
    let note = world.put(
        companion,
        RecordKind::TimeEntry,
        Uuid::now_v7(),
        0,
        entry(world, companion, "a\u{0}b"),
        &[],
    );
    assert_eq!(reason(&world.push(companion, &[note]).await["results"][0]), ("rejected", "bad_payload"));
    let lines = world.put(
        companion,
        RecordKind::TimeEntry,
        Uuid::now_v7(),
        0,
        entry(world, companion, "Zeile 1\nZeile 2"),
        &[],
    );
    assert_eq!(
        world.push(companion, &[lines]).await["results"][0]["outcome"],
        "applied",
        "a note may have lines"
    );
}

/// A child's name was unbounded until `Child::check`: a name of any length (or, by the rule for every
/// text, with a line break), and approved hours that do not fit the legal basis, are refused; a proper
/// child is recorded.
async fn a_childs_name_is_short_and_hours_follow_the_legal_basis(world: &World) {
    let office = world.office(world.member("lead")).await;
    let child = |name: &str, basis: &str, minutes: Option<u32>| {
        json!({"pool": world.p1, "display_name": name, "group": "3a", "legal_basis": basis,
               "approved_minutes_per_week": minutes, "status": "supported", "since": "2026-09-01", "until": null})
    };
    let put = |fields: Value| begleitbuch_domain::record::Change::Put {
        fields: fields.as_object().unwrap().clone().into_iter().collect(),
        sets: Default::default(),
    };
    for (fields, why, refused) in [
        (child(&"K".repeat(61), "systemic_only", None), "a name of 61 characters", "invalid"),
        (child("Kind\nZwei", "systemic_only", None), "a line break in a name", "bad_payload"),
        (child("Kind B.", "systemic_only", Some(300)), "hours without an individual entitlement", "invalid"),
        (child("Kind B.", "sgb8_section35a", None), "an entitlement without its hours", "invalid"),
        (child("Kind B.", "sgb8_section35a", Some(41 * 60)), "more than 40 hours", "invalid"),
    ] {
        let answer = world.office_write(&office, RecordKind::Child, Uuid::now_v7(), 0, put(fields)).await;
        assert_eq!(reason(&answer), ("rejected", refused), "{why}: {answer}");
    }
    let answer = world
        .office_write(
            &office,
            RecordKind::Child,
            Uuid::now_v7(),
            0,
            put(child("Kind B.", "sgb8_section35a", Some(450))),
        )
        .await;
    assert_eq!(answer["outcome"], "applied", "{answer}");
}

async fn hostile(database: Database) {
    let world = World::build(&database).await;
    a_hostile_batch_is_answered_mutation_by_mutation(&world).await;
    a_deleted_record_keeps_no_text(&world).await;
    a_pull_does_not_mention_what_the_reader_could_never_see(&world).await;
    a_parent_writes_only_about_their_own_child(&world).await;
    a_team_lead_cannot_wipe_an_admins_tablet(&world).await;
    the_answer_log_forgets_payloads_but_still_tells_a_retry_from_a_forgery(&world, &database).await;
    a_control_character_is_refused_not_a_database_error(&world).await;
    a_childs_name_is_short_and_hours_follow_the_legal_basis(&world).await;
}

#[tokio::test]
async fn hostile_input_is_refused_and_costs_nothing_on_sqlite() {
    hostile(Database::sqlite()).await;
}

#[tokio::test]
async fn hostile_input_is_refused_and_costs_nothing_on_postgres() {
    hostile(Database::postgres().await).await;
}
