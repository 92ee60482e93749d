//! Push and pull through the real binary, on SQLite and PostgreSQL: a retried push is answered from the
//! log and applied once; the same field changed on two tablets is a visible conflict with the loser
//! kept; an approved week refuses changes; pages follow per-pool cursors without skipping; a cover
//! grant brings a pool and its end takes it away; a cursor of another epoch asks for a full resync;
//! observations and named session participants need their parents' consent.

mod common;

use begleitbuch_domain::ids::ChildId;
use begleitbuch_domain::record::Change;
use begleitbuch_domain::record::RecordKind;
use common::world::{child_fields, paper_consent_fields, state, World};
use common::Database;
use serde_json::{json, Value};
use uuid::Uuid;

fn entry_fields(world: &World, companion: &str, date: &str, start: &str, end: &str) -> Value {
    json!({"pool": world.p1, "companion": world.member(companion).id, "date": date, "start": start, "end": end,
           "category": {"type": "direct", "kind": "individual"}, "note": ""})
}

fn outcome(answer: &Value, index: usize) -> &Value {
    &answer["results"][index]
}

async fn push_and_pull(database: Database) {
    let world = World::build(&database).await;
    let companion = world.member("companion");

    // A retried batch (the answer got lost on the way back) is answered from the log, not applied again.
    let record = Uuid::now_v7();
    let create = world.put(
        companion,
        RecordKind::TimeEntry,
        record,
        0,
        entry_fields(&world, "companion", "2026-11-24", "08:00:00", "09:00:00"),
        &[],
    );
    let first = world.push(companion, std::slice::from_ref(&create)).await;
    assert_eq!(outcome(&first, 0)["outcome"], "applied");
    assert_eq!(outcome(&first, 0)["version"], 1);
    let retried = world.push(companion, std::slice::from_ref(&create)).await;
    assert_eq!(retried, first);

    // The same mutation twice in one batch is applied once, and both get the same answer.
    let twice = world.put(
        companion,
        RecordKind::TimeEntry,
        Uuid::now_v7(),
        0,
        entry_fields(&world, "companion", "2026-11-24", "10:00:00", "11:00:00"),
        &[],
    );
    let answer = world.push(companion, &[twice.clone(), twice]).await;
    assert_eq!(outcome(&answer, 0)["outcome"], "applied");
    assert_eq!(outcome(&answer, 0), outcome(&answer, 1));

    // Two companions of one group session change its note on their tablets, both from version 1: the
    // second is a conflict, keeps the first value, and its own value stays in the record's history.
    // (One tablet's own successive edits do not conflict: see the domain's sync tests.)
    let colleague = world.member("colleague");
    let session = Uuid::now_v7();
    let companions = vec![companion.id.to_string(), colleague.id.to_string()];
    let fields = json!({"pool": world.p1, "date": "2026-11-24", "start": "09:00:00", "duration_minutes": 45,
                        "kind": "conflict_resolution", "group": "2b", "unnamed_participants": 3, "note": ""});
    let created =
        world.put(companion, RecordKind::GroupSession, session, 0, fields, &[("companions", companions)]);
    assert_eq!(outcome(&world.push(companion, &[created]).await, 0)["outcome"], "applied");
    let edit =
        world.put(companion, RecordKind::GroupSession, session, 1, json!({"note": "Elterngespräch"}), &[]);
    assert_eq!(outcome(&world.push(companion, &[edit]).await, 0)["outcome"], "applied");
    let other_tablet =
        world.put(colleague, RecordKind::GroupSession, session, 1, json!({"note": "Teamsitzung"}), &[]);
    let answer = world.push(colleague, &[other_tablet]).await;
    assert_eq!(outcome(&answer, 0)["outcome"], "conflict");
    assert_eq!(outcome(&answer, 0)["conflicts"][0]["kept"], "Elterngespräch");
    let stored = world.store.record(session).await.unwrap().unwrap();
    assert_eq!(stored.state.fields["note"], "Elterngespräch");
    assert_eq!(stored.state.lost[0].value, "Teamsitzung");

    // The team lead approves week 48: the companion's changes to it are refused, other weeks go on.
    let lead = world.member("lead");
    let review = world.put(
        lead,
        RecordKind::WeekReview,
        Uuid::now_v7(),
        0,
        json!({"pool": world.p1, "companion": companion.id, "week": {"year": 2026, "number": 48},
               "status": "approved", "comment": "", "decided": null}),
        &[],
    );
    assert_eq!(outcome(&world.push(lead, &[review]).await, 0)["outcome"], "applied");
    let late = world.put(companion, RecordKind::TimeEntry, record, 1, json!({"end": "09:30:00"}), &[]);
    let answer = world.push(companion, &[late]).await;
    assert_eq!(
        (outcome(&answer, 0)["outcome"].as_str(), outcome(&answer, 0)["reason"].as_str()),
        (Some("rejected"), Some("week_locked"))
    );
    let week_before = world.put(
        companion,
        RecordKind::TimeEntry,
        Uuid::now_v7(),
        0,
        entry_fields(&world, "companion", "2026-11-17", "08:00:00", "09:00:00"),
        &[],
    );
    assert_eq!(outcome(&world.push(companion, &[week_before]).await, 0)["outcome"], "applied");
    // Work is recorded for days that have been: next Monday (the server's clock says Friday
    // 27 November) is refused with the reason, and so is 2030.
    for day in ["2026-11-30", "2030-01-01"] {
        let ahead = world.put(
            companion,
            RecordKind::TimeEntry,
            Uuid::now_v7(),
            0,
            entry_fields(&world, "companion", day, "08:00:00", "09:00:00"),
            &[],
        );
        let answer = world.push(companion, &[ahead]).await;
        assert_eq!(outcome(&answer, 0)["outcome"], "rejected", "{day}: {answer}");
        assert_eq!(outcome(&answer, 0)["reason"], "invalid", "{day}: {answer}");
        assert_eq!(outcome(&answer, 0)["error"]["code"], "in_future", "{day}: {answer}");
    }

    // A push from another device than the token's is refused as a whole.
    let response = world
        .client
        .post(world.server.api("/sync/push"))
        .bearer_auth(&companion.token)
        .json(&json!({"protocol": 1, "device": Uuid::now_v7(), "mutations": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::FORBIDDEN);

    // Pulling in pages of 2 reaches everything exactly once and then stops.
    let mut seen = Vec::new();
    let mut cursors = json!([]);
    loop {
        let page = world.pull(companion, &cursors, 2).await;
        assert_eq!(page["full_resync"], false);
        seen.extend(page["records"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()));
        cursors = page["cursors"].clone();
        if page["has_more"] == false {
            break;
        }
    }
    let unique: std::collections::BTreeSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no record twice in one walk through unchanged data");
    assert!(unique.contains(&record.to_string()));
    // P1's two children (the parent's and another) with two consents each, the session, the review,
    // and the three entries.
    assert_eq!(seen.len(), 2 * 3 + 1 + 1 + 3);
    let again = world.pull(companion, &cursors, 100).await;
    assert_eq!(again["records"], json!([]), "nothing new");

    // Deleting is a change too: the approved week keeps the entry.
    let delete = world.mutation(companion, RecordKind::TimeEntry, record, 1, Change::Delete);
    let answer = world.push(companion, &[delete]).await;
    assert_eq!(outcome(&answer, 0)["reason"], "week_locked");

    // A cover grant for P2 today brings P2's records; the lost pool is listed once the grant ends.
    let colleague = world.member("colleague");
    let today = common::test_today();
    let grant_id = Uuid::now_v7();
    let grant = world.put(
        lead,
        RecordKind::CoverGrant,
        grant_id,
        0,
        json!({"pool": world.p2, "companion": colleague.id, "from": today, "until": today, "absence": null}),
        &[],
    );
    assert_eq!(outcome(&world.push(lead, &[grant]).await, 0)["outcome"], "applied");
    let page = world.pull(colleague, &json!([]), 100).await;
    let pools: Vec<&str> =
        page["cursors"].as_array().unwrap().iter().map(|c| c["pool"].as_str().unwrap()).collect();
    assert!(pools.contains(&world.p2.to_string().as_str()), "cover brings P2: {pools:?}");
    assert!(page["records"].as_array().unwrap().iter().any(|r| r["id"] == json!(world.p2_child)));
    let ended = world.put(
        lead,
        RecordKind::CoverGrant,
        grant_id,
        1,
        json!({"until": today.pred_opt().unwrap(), "from": today.pred_opt().unwrap()}),
        &[],
    );
    assert_eq!(outcome(&world.push(lead, &[ended]).await, 0)["outcome"], "applied");
    let after = world.pull(colleague, &page["cursors"], 100).await;
    assert_eq!(after["removed_pools"], json!([world.p2]));

    // A cursor from another copy of the data (a restored backup) asks for a full resync.
    let mut stale = page["cursors"].clone();
    stale[0]["epoch"] = json!(Uuid::now_v7());
    let resync = world.pull(colleague, &stale, 100).await;
    assert_eq!(resync["full_resync"], true);
    assert!(!resync["records"].as_array().unwrap().is_empty(), "from zero again");
}

#[tokio::test]
async fn push_and_pull_on_sqlite() {
    push_and_pull(Database::sqlite()).await;
}

#[tokio::test]
async fn push_and_pull_on_postgres() {
    push_and_pull(Database::postgres().await).await;
}

/// Observations need documentation consent and named session participants naming consent, decided by
/// the time the server receives the change; a withdrawal stops new processing, not what came before.
async fn consent_is_enforced(database: Database) {
    let world = World::build(&database).await;
    let companion = world.member("companion");
    let lead = world.member("lead");
    let child = ChildId(Uuid::now_v7());
    world.import(world.provider, &[state(RecordKind::Child, child.0, child_fields(world.p1), &[])]).await;
    let observation_fields = |text: &str| {
        json!({"pool": world.p1, "child": child, "author": companion.id, "date": "2026-11-24", "goal": null,
               "text": text, "visibility": "internal"})
    };
    let domains = [("domains", vec!["motor".to_string()])];
    let observation = Uuid::now_v7();
    let refused = world.put(
        companion,
        RecordKind::Observation,
        observation,
        0,
        observation_fields("Schreibt sicherer."),
        &domains,
    );
    let answer = world.push(companion, &[refused]).await;
    assert_eq!(outcome(&answer, 0)["reason"], "consent_missing", "{answer}");

    // Without naming consent the child may only be counted.
    let session_fields = |unnamed: u16| {
        json!({"pool": world.p1, "date": "2026-11-24", "start": "09:00:00", "duration_minutes": 45,
               "kind": "class_support", "group": "2b", "unnamed_participants": unnamed, "note": ""})
    };
    let companions = ("companions", vec![companion.id.to_string()]);
    let named = world.put(
        companion,
        RecordKind::GroupSession,
        Uuid::now_v7(),
        0,
        session_fields(2),
        &[companions.clone(), ("children", vec![child.to_string()])],
    );
    let counted = world.put(
        companion,
        RecordKind::GroupSession,
        Uuid::now_v7(),
        0,
        session_fields(3),
        std::slice::from_ref(&companions),
    );
    let answer = world.push(companion, &[named, counted]).await;
    assert_eq!(outcome(&answer, 0)["reason"], "consent_missing", "{answer}");
    assert_eq!(outcome(&answer, 1)["outcome"], "applied", "{answer}");

    // The team lead records the paper consent; now the observation is taken.
    let custodian = world.guardian(world.provider, &[child]).await;
    let granted = paper_consent_fields(child, "documentation", "granted", custodian, "2026-09-01T08:00:00Z");
    let answer =
        world.push(lead, &[world.put(lead, RecordKind::Consent, Uuid::now_v7(), 0, granted, &[])]).await;
    assert_eq!(outcome(&answer, 0)["outcome"], "applied", "{answer}");
    let accepted = world.put(
        companion,
        RecordKind::Observation,
        observation,
        0,
        observation_fields("Schreibt sicherer."),
        &domains,
    );
    let answer = world.push(companion, &[accepted]).await;
    assert_eq!(outcome(&answer, 0)["outcome"], "applied", "{answer}");

    // The other custodian withdraws: the observation can no longer be changed, but it can be deleted.
    let other_custodian = world.guardian(world.provider, &[child]).await;
    let withdrawn =
        paper_consent_fields(child, "documentation", "withdrawn", other_custodian, "2026-11-01T08:00:00Z");
    let answer =
        world.push(lead, &[world.put(lead, RecordKind::Consent, Uuid::now_v7(), 0, withdrawn, &[])]).await;
    assert_eq!(outcome(&answer, 0)["outcome"], "applied", "{answer}");
    let edit = world.put(
        companion,
        RecordKind::Observation,
        observation,
        1,
        json!({"text": "Schreibt schon flüssig."}),
        &[],
    );
    let delete = world.mutation(companion, RecordKind::Observation, observation, 1, Change::Delete);
    let answer = world.push(companion, &[edit, delete]).await;
    assert_eq!(outcome(&answer, 0)["reason"], "consent_missing", "{answer}");
    assert_eq!(outcome(&answer, 1)["outcome"], "applied", "{answer}");

    // Within one batch a consent counts from the mutation that records it: before it an observation is
    // refused, after it one is taken (what the batch knows of consents is read again after the write).
    let late = ChildId(Uuid::now_v7());
    world.import(world.provider, &[state(RecordKind::Child, late.0, child_fields(world.p1), &[])]).await;
    let lead_observation = || {
        let fields = json!({"pool": world.p1, "child": late, "author": lead.id, "date": "2026-11-24", "goal": null,
                            "text": "Kommt gut im neuen Klassenraum an.", "visibility": "internal"});
        world.put(lead, RecordKind::Observation, Uuid::now_v7(), 0, fields, &domains)
    };
    let late_custodian = world.guardian(world.provider, &[late]).await;
    let paper =
        paper_consent_fields(late, "documentation", "granted", late_custodian, "2026-09-01T08:00:00Z");
    let batch = [
        lead_observation(),
        world.put(lead, RecordKind::Consent, Uuid::now_v7(), 0, paper, &[]),
        lead_observation(),
    ];
    let answer = world.push(lead, &batch).await;
    assert_eq!(outcome(&answer, 0)["reason"], "consent_missing", "{answer}");
    assert_eq!(outcome(&answer, 1)["outcome"], "applied", "{answer}");
    assert_eq!(outcome(&answer, 2)["outcome"], "applied", "{answer}");

    // A session that named a child before its naming consent was withdrawn stays editable.
    let session = Uuid::now_v7();
    let create = world.put(
        companion,
        RecordKind::GroupSession,
        session,
        0,
        session_fields(1),
        &[companions, ("children", vec![world.pool_child.to_string()])],
    );
    assert_eq!(outcome(&world.push(companion, &[create]).await, 0)["outcome"], "applied");
    let pool_custodian = world.guardian(world.provider, &[world.pool_child]).await;
    let naming_withdrawn =
        paper_consent_fields(world.pool_child, "naming", "withdrawn", pool_custodian, "2026-11-02T08:00:00Z");
    let withdrawal = world.put(lead, RecordKind::Consent, Uuid::now_v7(), 0, naming_withdrawn, &[]);
    assert_eq!(outcome(&world.push(lead, &[withdrawal]).await, 0)["outcome"], "applied");
    let note =
        world.put(companion, RecordKind::GroupSession, session, 1, json!({"note": "Pause verlängert"}), &[]);
    assert_eq!(outcome(&world.push(companion, &[note]).await, 0)["outcome"], "applied");
}

#[tokio::test]
async fn consent_is_enforced_on_sqlite() {
    consent_is_enforced(Database::sqlite()).await;
}

#[tokio::test]
async fn consent_is_enforced_on_postgres() {
    consent_is_enforced(Database::postgres().await).await;
}

/// A tablet learns the names of the people in its pools (for co-companions), and of no other pool; a
/// team lead's keeps every pool of the provider, records and names.
async fn pool_directory(database: Database) {
    let world = World::build(&database).await;
    let companion = world.member("companion");
    let response =
        world.client.get(world.server.api("/pools")).bearer_auth(&companion.token).send().await.unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let pools: Value = response.json().await.unwrap();
    let pools = pools.as_array().unwrap();
    assert_eq!(pools.len(), 1, "only P1: {pools:?}");
    assert_eq!(pools[0]["id"], json!(world.p1));
    assert_eq!(pools[0]["institution"], "Schule Eins");
    let names: Vec<&str> =
        pools[0]["people"].as_array().unwrap().iter().map(|p| p["display_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["admin", "colleague", "companion", "lead"]);
    // The team lead arranges cover across the provider in the office: every pool of P, none of Q.
    let lead = world.member("lead");
    let office = world.office(lead).await;
    let response = common::authenticated(world.client.get(world.server.api("/office/pools")), &office)
        .send()
        .await
        .unwrap();
    let pools: Value = response.json().await.unwrap();
    let ids: std::collections::BTreeSet<String> =
        pools.as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids, [world.p1.to_string(), world.p2.to_string()].into());
    // A team lead's device, if one existed, would keep only the pools they belong to: no device holds
    // every pool's observations.
    let page = world.pull(lead, &json!([]), 100).await;
    let pulled: Vec<&str> =
        page["records"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(pulled.contains(&world.pool_child.to_string().as_str()), "P1's child");
    assert!(!pulled.contains(&world.p2_child.to_string().as_str()), "not P2's");
    // The office's lists are the office's: a tablet's token does not read them.
    let from_tablet =
        world.client.get(world.server.api("/office/pools")).bearer_auth(&lead.token).send().await.unwrap();
    assert_eq!(from_tablet.status(), reqwest::StatusCode::FORBIDDEN);
    let anonymous = world.client.get(world.server.api("/pools")).send().await.unwrap();
    assert_eq!(anonymous.status(), reqwest::StatusCode::UNAUTHORIZED);
}

/// The office writes online; the change reaches the tablets of the pool at their next pull, once
/// however often the office retries it, and the log keeps it without a device.
async fn office_writes(database: Database) {
    let world = World::build(&database).await;
    let office = world.office(world.member("lead")).await;
    let companion = world.member("companion");
    let before = world.pull(companion, &json!([]), 1000).await;
    let child = Uuid::now_v7();
    let write = json!({"id": Uuid::now_v7(), "kind": "child", "record": child, "base_version": 0,
                       "change": {"op": "put", "fields": child_fields(world.p1), "sets": {}}});
    let send = || async {
        let request = common::authenticated(world.client.post(world.server.api("/office/records")), &office);
        let response = request.json(&write).send().await.unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        response.json::<Value>().await.unwrap()
    };
    let first = send().await;
    assert_eq!(first["outcome"], "applied", "{first}");
    assert_eq!(send().await, first, "a retry is answered from the log");
    let after = world.pull(companion, &before["cursors"], 1000).await;
    let arrived: Vec<&Value> =
        after["records"].as_array().unwrap().iter().filter(|r| r["id"] == json!(child)).collect();
    assert_eq!(arrived.len(), 1, "the tablet receives the office's child once: {after}");
    assert_eq!(arrived[0]["version"], 1);

    // The same rules as a push: a change on a stale version of a field changed since is a conflict.
    let rename = |base: u64, group: &str| {
        json!({"id": Uuid::now_v7(), "kind": "child", "record": child,
        "base_version": base, "change": {"op": "put", "fields": {"group": group}, "sets": {}}})
    };
    let (world, office) = (&world, &office);
    let post = |body: Value| async move {
        let request = common::authenticated(world.client.post(world.server.api("/office/records")), office);
        request.json(&body).send().await.unwrap().json::<Value>().await.unwrap()
    };
    assert_eq!(post(rename(1, "4a")).await["outcome"], "applied");
    assert_eq!(post(rename(1, "4b")).await["outcome"], "conflict");
    // A companion cannot sign in to the office, and a tablet cannot write there.
    let from_tablet = world
        .client
        .post(world.server.api("/office/records"))
        .bearer_auth(&world.member("lead").token)
        .json(&rename(2, "4c"))
        .send()
        .await
        .unwrap();
    assert_eq!(from_tablet.status(), reqwest::StatusCode::FORBIDDEN);
    // Bad input answers in the API's words.
    let unknown =
        common::authenticated(world.client.get(world.server.api("/office/records?kinds=child,poem")), office)
            .send()
            .await
            .unwrap();
    assert_eq!(unknown.status(), reqwest::StatusCode::BAD_REQUEST);
    assert_eq!(unknown.json::<Value>().await.unwrap()["error"]["code"], "unknown_kind");
}

#[tokio::test]
async fn office_writes_on_sqlite() {
    office_writes(Database::sqlite()).await;
}

#[tokio::test]
async fn office_writes_on_postgres() {
    office_writes(Database::postgres().await).await;
}

#[tokio::test]
async fn pool_directory_on_sqlite() {
    pool_directory(Database::sqlite()).await;
}

#[tokio::test]
async fn pool_directory_on_postgres() {
    pool_directory(Database::postgres().await).await;
}
