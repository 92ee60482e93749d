//! What children received, counted by the server, on SQLite and PostgreSQL: a companion's group
//! session credits each participant their share (the split rule), this week and this month, in the
//! office of the child's provider only; another provider and a tablet's token get nothing of it.

mod common;

use begleitbuch_domain::record::RecordKind;
use common::world::World;
use common::Database;
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

async fn sessions_credit_their_children(database: Database) {
    let world = World::build(&database).await;
    let companion = world.member("companion");
    // 45 minutes with one companion, two named children and one counted: 15 minutes each.
    let fields = json!({"pool": world.p1, "date": common::test_today(), "start": "09:00:00", "duration_minutes": 45,
                        "kind": "class_support", "group": "2b", "unnamed_participants": 1, "note": ""});
    let children = vec![world.own_child.to_string(), world.pool_child.to_string()];
    let session = world.put(
        companion,
        RecordKind::GroupSession,
        Uuid::now_v7(),
        0,
        fields,
        &[("companions", vec![companion.id.to_string()]), ("children", children)],
    );
    let answer = world.push(companion, &[session]).await;
    assert_eq!(answer["results"][0]["outcome"], "applied", "{answer}");

    let lead = world.office(world.member("lead")).await;
    let (status, delivered) = world.get_as(&lead, "/office/delivered").await;
    assert_eq!(status, StatusCode::OK);
    let each = json!({"week_minutes": 15, "month_minutes": 15});
    assert_eq!(delivered, json!({world.own_child.to_string(): each, world.pool_child.to_string(): each}));

    let foreign = world.office(world.member("foreign_lead")).await;
    assert_eq!(world.get_as(&foreign, "/office/delivered").await, (StatusCode::OK, json!({})));
    let tablet = world.signed_in_as("companion").await;
    assert_eq!(world.get_as(&tablet, "/office/delivered").await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn sqlite_sessions_credit_their_children() {
    sessions_credit_their_children(Database::sqlite()).await;
}

#[tokio::test]
async fn postgres_sessions_credit_their_children() {
    sessions_credit_their_children(Database::postgres().await).await;
}
