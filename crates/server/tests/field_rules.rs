//! What may be written *into* a record, tried as an attacker would against the running server, on
//! SQLite and on PostgreSQL: a companion approving their own week, a rewritten or backdated consent,
//! writing into a pool after the cover ended, a forged author, and a mutation answered "applied" from
//! the log while it was never stored (another client presenting a tablet's device id). Every attempt
//! must be refused with a coded reason, and nothing refused may be stored.

mod common;

use begleitbuch_domain::ids::{DeviceId, UserId};
use begleitbuch_domain::record::RecordKind;
use common::world::{
    consent_fields, entry_fields, observation_fields, paper_consent_fields, Member, World, PASSWORD,
};
use common::{test_today, Database};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

/// The single answer to a push of one mutation.
async fn push_one(world: &World, member: &Member, mutation: begleitbuch_domain::protocol::Mutation) -> Value {
    world.push(member, &[mutation]).await["results"][0].clone()
}

fn refused(answer: &Value, reason: &str) {
    assert_eq!(
        (answer["outcome"].as_str(), answer["reason"].as_str()),
        (Some("rejected"), Some(reason)),
        "{answer}"
    );
}

fn field_refused(answer: &Value, field: &str, rule: &str) {
    refused(answer, "field_refused");
    assert_eq!((answer["field"].as_str(), answer["rule"].as_str()), (Some(field), Some(rule)), "{answer}");
}

fn applied(answer: &Value) {
    assert_eq!(answer["outcome"], "applied", "{answer}");
}

async fn stored(world: &World, id: Uuid) -> Option<begleitbuch_domain::record::RecordState> {
    world.store.record(id).await.unwrap().map(|record| record.state)
}

fn review_fields(world: &World, companion: UserId, status: &str, decided: Value) -> Value {
    json!({"pool": world.p1, "companion": companion, "week": {"year": 2026, "number": 48},
           "status": status, "comment": "", "decided": decided})
}

async fn a_week_is_decided_by_someone_else(world: &World) {
    let (companion, lead) = (world.member("companion"), world.member("lead"));
    let forged = json!({"by": lead.id, "at": "2026-11-20T08:00:00Z"});
    let week = Uuid::now_v7();

    // Created as approved, or handed in with the team lead's name in `decided`: neither is the companion's.
    let created = world.put(
        companion,
        RecordKind::WeekReview,
        week,
        0,
        review_fields(world, companion.id, "approved", forged.clone()),
        &[],
    );
    field_refused(&push_one(world, companion, created).await, "status", "decision");
    assert_eq!(stored(world, week).await, None);
    let handed_in = world.put(
        companion,
        RecordKind::WeekReview,
        week,
        0,
        review_fields(world, companion.id, "submitted", forged.clone()),
        &[],
    );
    applied(&push_one(world, companion, handed_in).await);
    assert_eq!(
        stored(world, week).await.unwrap().fields["decided"],
        Value::Null,
        "the server decides who decided"
    );

    let approve_own =
        world.put(companion, RecordKind::WeekReview, week, 1, json!({"status": "approved"}), &[]);
    field_refused(&push_one(world, companion, approve_own).await, "status", "decision");

    // The team lead approves; the stamp is theirs and the server's time, whatever was sent.
    let approve = world.put(
        lead,
        RecordKind::WeekReview,
        week,
        1,
        json!({"status": "approved", "decided": forged.clone()}),
        &[],
    );
    applied(&push_one(world, lead, approve).await);
    let decided = stored(world, week).await.unwrap().fields["decided"].clone();
    assert_eq!(decided["by"], json!(lead.id));
    assert_ne!(decided["at"], forged["at"]);

    // Back to "submitted" to edit the locked week, or the stamp rewritten with a comment: refused / kept.
    let reopen = world.put(companion, RecordKind::WeekReview, week, 2, json!({"status": "submitted"}), &[]);
    field_refused(&push_one(world, companion, reopen).await, "status", "decision");
    let restamp = world.put(
        companion,
        RecordKind::WeekReview,
        week,
        2,
        json!({"comment": "passt", "decided": forged}),
        &[],
    );
    applied(&push_one(world, companion, restamp).await);
    assert_eq!(stored(world, week).await.unwrap().fields["decided"], decided);

    // A returned week is handed in again.
    let give_back = world.put(
        lead,
        RecordKind::WeekReview,
        week,
        3,
        json!({"status": "returned", "comment": "Mittwoch fehlt"}),
        &[],
    );
    applied(&push_one(world, lead, give_back).await);
    let again = world.put(companion, RecordKind::WeekReview, week, 4, json!({"status": "submitted"}), &[]);
    applied(&push_one(world, companion, again).await);

    // A team lead does not approve their own week either.
    let own = Uuid::now_v7();
    let handed_in = world.put(
        lead,
        RecordKind::WeekReview,
        own,
        0,
        review_fields(world, lead.id, "submitted", Value::Null),
        &[],
    );
    applied(&push_one(world, lead, handed_in).await);
    let self_approval = world.put(lead, RecordKind::WeekReview, own, 1, json!({"status": "approved"}), &[]);
    field_refused(&push_one(world, lead, self_approval).await, "status", "decision");
}

async fn a_consent_declaration_is_never_rewritten(world: &World) {
    let (parent, lead, colleague) = (world.member("parent"), world.member("lead"), world.member("colleague"));
    let backdated = "2026-01-01T08:00:00Z";
    // The parent's withdrawal: dated by the server, recorded as theirs.
    let withdrawal = Uuid::now_v7();
    let fields = consent_fields(world.own_child, "documentation", "withdrawn", parent.id, backdated);
    applied(
        &push_one(world, parent, world.put(parent, RecordKind::Consent, withdrawal, 0, fields, &[])).await,
    );
    let kept = stored(world, withdrawal).await.unwrap();
    assert_ne!(kept.fields["at"], json!(backdated), "the server's receive time, not the sent one");
    assert_eq!(kept.fields["recorded_by"], json!(parent.id));

    // Turned back into a grant by an update: neither the parent nor the team lead may.
    for member in [parent, lead] {
        let grant = world.put(
            member,
            RecordKind::Consent,
            withdrawal,
            kept.version,
            json!({"state": "granted"}),
            &[],
        );
        refused(&push_one(world, member, grant).await, "forbidden");
    }
    assert_eq!(stored(world, withdrawal).await.unwrap().fields["state"], "withdrawn");

    // A declaration in someone else's name: the parent only declares for themselves; the team lead
    // records the signed form of a guardian on record for the child, never a colleague's account.
    let other = consent_fields(world.own_child, "naming", "granted", colleague.id, backdated);
    field_refused(
        &push_one(
            world,
            parent,
            world.put(parent, RecordKind::Consent, Uuid::now_v7(), 0, other.clone(), &[]),
        )
        .await,
        "custodian",
        "caller",
    );
    let other_on_paper = paper_consent_fields(world.own_child, "naming", "granted", colleague.id, backdated);
    field_refused(
        &push_one(world, lead, world.put(lead, RecordKind::Consent, Uuid::now_v7(), 0, other_on_paper, &[]))
            .await,
        "custodian",
        "guardian",
    );
    // A guardian on record, but of another child.
    let elsewhere = world.guardian(world.provider, &[world.pool_child]).await;
    let not_theirs = paper_consent_fields(world.own_child, "naming", "granted", elsewhere, backdated);
    field_refused(
        &push_one(world, lead, world.put(lead, RecordKind::Consent, Uuid::now_v7(), 0, not_theirs, &[]))
            .await,
        "custodian",
        "guardian",
    );
    // A team lead records from a signed form; a parent declares for themselves, from none.
    let without_form = consent_fields(world.own_child, "naming", "granted", parent.id, backdated);
    field_refused(
        &push_one(world, lead, world.put(lead, RecordKind::Consent, Uuid::now_v7(), 0, without_form, &[]))
            .await,
        "form",
        "form",
    );
    let parents_form = paper_consent_fields(world.own_child, "naming", "granted", parent.id, backdated);
    field_refused(
        &push_one(
            world,
            parent,
            world.put(parent, RecordKind::Consent, Uuid::now_v7(), 0, parents_form, &[]),
        )
        .await,
        "form",
        "form",
    );
    let for_parent = paper_consent_fields(world.own_child, "naming", "granted", parent.id, backdated);
    let paper = Uuid::now_v7();
    applied(&push_one(world, lead, world.put(lead, RecordKind::Consent, paper, 0, for_parent, &[])).await);
    assert_eq!(stored(world, paper).await.unwrap().fields["recorded_by"], json!(lead.id));
}

async fn a_pool_is_written_only_while_one_belongs_to_it(world: &World) {
    let (companion, lead) = (world.member("companion"), world.member("lead"));
    let cover = |from: i64, until: i64| {
        let day = |offset| test_today() + chrono::Duration::days(offset);
        json!({"pool": world.p2, "companion": companion.id, "from": day(from), "until": day(until), "absence": null})
    };
    // A cover that ended yesterday: the companion's own entry in that pool is refused.
    applied(
        &push_one(
            world,
            lead,
            world.put(lead, RecordKind::CoverGrant, Uuid::now_v7(), 0, cover(-10, -1), &[]),
        )
        .await,
    );
    let late = Uuid::now_v7();
    let entry =
        world.put(companion, RecordKind::TimeEntry, late, 0, entry_fields(world.p2, companion.id, ""), &[]);
    refused(&push_one(world, companion, entry).await, "forbidden");
    assert_eq!(stored(world, late).await, None);
    // A cover in force today: it is theirs to write.
    applied(
        &push_one(world, lead, world.put(lead, RecordKind::CoverGrant, Uuid::now_v7(), 0, cover(-1, 1), &[]))
            .await,
    );
    let entry =
        world.put(companion, RecordKind::TimeEntry, late, 0, entry_fields(world.p2, companion.id, ""), &[]);
    applied(&push_one(world, companion, entry).await);
}

async fn an_author_is_the_caller(world: &World) {
    let (companion, colleague) = (world.member("companion"), world.member("colleague"));
    let forged = Uuid::now_v7();
    let observation = observation_fields(world.p1, world.pool_child, colleague.id, "Im Namen der Kollegin.");
    let created = world.put(
        companion,
        RecordKind::Observation,
        forged,
        0,
        observation,
        &[("domains", vec!["social_emotional".into()])],
    );
    refused(&push_one(world, companion, created).await, "forbidden");
    assert_eq!(stored(world, forged).await, None);
    // A group session only of colleagues, or a time entry in a colleague's name.
    let session = json!({"pool": world.p1, "date": test_today(), "start": "09:00:00", "duration_minutes": 45,
                         "kind": "conflict_resolution", "group": "2b", "unnamed_participants": 3, "note": ""});
    let only_colleague = world.put(
        companion,
        RecordKind::GroupSession,
        Uuid::now_v7(),
        0,
        session,
        &[("companions", vec![colleague.id.to_string()])],
    );
    refused(&push_one(world, companion, only_colleague).await, "forbidden");
    let entry = world.put(
        companion,
        RecordKind::TimeEntry,
        Uuid::now_v7(),
        0,
        entry_fields(world.p1, colleague.id, ""),
        &[],
    );
    refused(&push_one(world, companion, entry).await, "forbidden");
}

/// Signs in as `member` on `device` presenting `secret`; the status and the answer.
async fn sign_in_on(world: &World, member: &Member, device: DeviceId, secret: &str) -> (StatusCode, Value) {
    let login = world.store.user(member.id).await.unwrap().unwrap().login;
    let response = world
        .client
        .post(world.server.api("/auth/sign-in"))
        .json(&json!({"login": login, "password": PASSWORD, "device": {"id": device, "label": "Tablet", "secret": secret}}))
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

async fn push_as(world: &World, token: &str, body: &Value) -> Value {
    let response =
        world.client.post(world.server.api("/sync/push")).bearer_auth(token).json(body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn no_mutation_is_answered_applied_without_being_stored(world: &World) {
    let (companion, colleague) = (world.member("companion"), world.member("colleague"));
    let tablet = DeviceId(Uuid::now_v7());
    let secret = common::device_secret(tablet.0);
    let (status, _) = sign_in_on(world, companion, tablet, &secret).await;
    assert_eq!(status, StatusCode::OK);

    // Another client presenting the tablet's id cannot sign in as that tablet, with or without a secret.
    let (status, answer) = sign_in_on(world, colleague, tablet, &common::device_secret(Uuid::now_v7())).await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("device_not_yours")),
        "{answer}"
    );
    let (status, answer) = sign_in_on(world, colleague, tablet, "").await;
    assert_eq!(
        (status, answer["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("device_secret_missing"))
    );

    // Colleagues on the same shared tablet keep working, each with their own sign-in.
    let (status, first) = sign_in_on(world, companion, tablet, &secret).await;
    assert_eq!(status, StatusCode::OK);
    let (status, second) = sign_in_on(world, colleague, tablet, &secret).await;
    assert_eq!(status, StatusCode::OK);
    let token = |signed_in: &Value| signed_in["access_token"].as_str().unwrap().to_owned();

    // The same (device, number) with a different mutation is refused, never answered from the log.
    let mutation = |user: UserId, record: Uuid| {
        json!({"device": tablet, "number": 1, "user": user, "kind": "time_entry", "record": record, "base_version": 0,
               "payload_version": 2, "id": Uuid::now_v7(),
               "change": {"op": "put", "sets": {}, "fields": entry_fields(world.p1, user, "")}})
    };
    let theirs = mutation(colleague.id, Uuid::now_v7());
    let body = |m: &Value| json!({"protocol": 2, "device": tablet, "mutations": [m]});
    assert_eq!(push_as(world, &token(&second), &body(&theirs)).await["results"][0]["outcome"], "applied");
    let mine_record = Uuid::now_v7();
    let mine = mutation(companion.id, mine_record);
    refused(&push_as(world, &token(&first), &body(&mine)).await["results"][0], "number_reused");
    assert_eq!(stored(world, mine_record).await, None);
    // The very same mutation sent again is a retry: the logged answer, applied once.
    assert_eq!(push_as(world, &token(&second), &body(&theirs)).await["results"][0]["outcome"], "applied");
    // Protocol 2 mutations carry their id.
    let mut anonymous = mutation(companion.id, Uuid::now_v7());
    anonymous["number"] = json!(2);
    anonymous.as_object_mut().unwrap().remove("id");
    refused(&push_as(world, &token(&first), &body(&anonymous)).await["results"][0], "bad_payload");
}

async fn attack(database: Database) {
    let world = World::build(&database).await;
    a_week_is_decided_by_someone_else(&world).await;
    a_consent_declaration_is_never_rewritten(&world).await;
    a_pool_is_written_only_while_one_belongs_to_it(&world).await;
    an_author_is_the_caller(&world).await;
    no_mutation_is_answered_applied_without_being_stored(&world).await;
}

#[tokio::test]
async fn field_rules_hold_against_an_attacker_on_sqlite() {
    attack(Database::sqlite()).await;
}

#[tokio::test]
async fn field_rules_hold_against_an_attacker_on_postgres() {
    attack(Database::postgres().await).await;
}
