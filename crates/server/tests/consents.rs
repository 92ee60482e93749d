//! Guardians and paper consents through the running server, on SQLite and PostgreSQL: a team lead
//! records a guardian and the forms they signed in the office; the pool's tablets receive the
//! declarations at their next pull, never the guardian; a guardian is linked only to the provider's
//! children, is never deleted, and is unknown to another provider.

mod common;

use begleitbuch_domain::ids::UserId;
use begleitbuch_domain::record::{Change, RecordKind, SetDelta};
use common::world::{paper_consent_fields, World};
use common::Database;
use serde_json::{json, Value};
use uuid::Uuid;

fn put(fields: Value, children: &[String]) -> Change {
    let sets = if children.is_empty() {
        Default::default()
    } else {
        [(
            "children".to_owned(),
            SetDelta { add: children.iter().cloned().collect(), remove: Default::default() },
        )]
        .into()
    };
    Change::Put { fields: fields.as_object().unwrap().clone().into_iter().collect(), sets }
}

/// Every record id a pull from nothing gives `name`'s tablet.
async fn pulled(world: &World, name: &str) -> Vec<String> {
    let page = world.pull(world.member(name), &json!([]), 1000).await;
    assert_eq!(page["has_more"], false);
    page["records"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect()
}

async fn guardians_and_paper_consents(database: Database) {
    let world = World::build(&database).await;
    let lead = world.office(world.member("lead")).await;
    let child = world.pool_child.to_string();

    // A guardian of the pool's child, and their signed form refusing naming.
    let guardian = Uuid::now_v7();
    let recorded = world
        .office_write(
            &lead,
            RecordKind::Guardian,
            guardian,
            0,
            put(json!({"name": "Jan Adler", "contact": "0421 555 0102"}), std::slice::from_ref(&child)),
        )
        .await;
    assert_eq!(recorded["outcome"], "applied", "{recorded}");
    let declaration = Uuid::now_v7();
    let fields = paper_consent_fields(
        world.pool_child,
        "naming",
        "withdrawn",
        UserId(guardian),
        "2026-11-20T08:00:00Z",
    );
    let answer = world.office_write(&lead, RecordKind::Consent, declaration, 0, put(fields, &[])).await;
    assert_eq!(answer["outcome"], "applied", "{answer}");
    let stored = world.store.record(declaration).await.unwrap().unwrap();
    assert_eq!(stored.state.fields["recorded_by"], json!(world.member("lead").id));
    assert_eq!(stored.state.fields["form"]["reference"], "EV-2026-001");

    // The pool's tablet learns the declaration, never the guardian (a name and a phone number the
    // tablet has no use for); the office lists both.
    let seen = pulled(&world, "companion").await;
    assert!(seen.contains(&declaration.to_string()));
    assert!(!seen.contains(&guardian.to_string()));
    assert!(world.office_records(&lead, RecordKind::Guardian).await.contains(&guardian));

    // A guardian may be linked to the provider's children only, and stays on record.
    let foreign_child = world.q1_child.to_string();
    let link = Change::Put {
        fields: Default::default(),
        sets: [("children".to_owned(), SetDelta { add: [foreign_child].into(), remove: Default::default() })]
            .into(),
    };
    let refused = world.office_write(&lead, RecordKind::Guardian, guardian, 1, link).await;
    assert_eq!(
        (refused["reason"].as_str(), refused["rule"].as_str()),
        (Some("field_refused"), Some("provider_child")),
        "{refused}"
    );
    let deleted = world.office_write(&lead, RecordKind::Guardian, guardian, 1, Change::Delete).await;
    assert_eq!(deleted["reason"], "forbidden", "{deleted}");
    // A sibling in the other pool: linked, and the guardian's forms for them are taken.
    let sibling = world.p2_child.to_string();
    let linked =
        world.office_write(&lead, RecordKind::Guardian, guardian, 1, put(json!({}), &[sibling])).await;
    assert_eq!(linked["outcome"], "applied", "{linked}");
    let for_sibling = paper_consent_fields(
        world.p2_child,
        "documentation",
        "granted",
        UserId(guardian),
        "2026-11-20T08:00:00Z",
    );
    let answer =
        world.office_write(&lead, RecordKind::Consent, Uuid::now_v7(), 0, put(for_sibling, &[])).await;
    assert_eq!(answer["outcome"], "applied", "{answer}");

    // Another provider knows nothing of the guardian and cannot name them for its own child.
    let foreign = world.office(world.member("foreign_lead")).await;
    assert!(!world.office_records(&foreign, RecordKind::Guardian).await.contains(&guardian));
    let rename =
        world.office_write(&foreign, RecordKind::Guardian, guardian, 2, put(json!({"name": "X"}), &[])).await;
    assert_eq!(rename["reason"], "forbidden", "{rename}");
    let theirs =
        paper_consent_fields(world.q1_child, "naming", "granted", UserId(guardian), "2026-11-20T08:00:00Z");
    let answer = world.office_write(&foreign, RecordKind::Consent, Uuid::now_v7(), 0, put(theirs, &[])).await;
    assert_eq!(
        (answer["reason"].as_str(), answer["rule"].as_str()),
        (Some("field_refused"), Some("guardian")),
        "{answer}"
    );
    // Nor does a companion of this provider read or write guardians.
    assert_eq!(world.read(world.member("companion"), guardian).await, reqwest::StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn sqlite_guardians_and_paper_consents() {
    guardians_and_paper_consents(Database::sqlite()).await;
}

#[tokio::test]
async fn postgres_guardians_and_paper_consents() {
    guardians_and_paper_consents(Database::postgres().await).await;
}
