//! Pushed mutations per second through the real server binary (HTTP, JSON, authorization, dedupe,
//! `apply`, one transaction per batch of 500 with a savepoint per mutation), on SQLite (WAL,
//! `synchronous=NORMAL`) and on PostgreSQL. Run by bench/run.sh in release mode; prints BENCH lines.
//! Not a test: nothing here asserts a time.

#[path = "../crates/server/tests/common/mod.rs"]
mod common;

use std::time::Instant;

use begleitbuch_domain::record::RecordKind;
use common::world::World;
use common::Database;
use serde_json::json;
use uuid::Uuid;

const MUTATIONS: usize = 20_000;
const BATCH: usize = 500;

/// Pushes `mutations` in batches and prints the rate.
async fn push_all(
    world: &World,
    what: &str,
    name: &str,
    mutations: &[begleitbuch_domain::protocol::Mutation],
) {
    let companion = world.member("companion");
    let started = Instant::now();
    for batch in mutations.chunks(BATCH) {
        let answer = world.push(companion, batch).await;
        let results = answer["results"].as_array().unwrap();
        assert_eq!(results.len(), batch.len());
        assert!(results.iter().all(|r| r["outcome"] == "applied"), "{}", results[0]);
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "BENCH push {name}: {} {what} in batches of {BATCH}: {seconds:.2} s, {:.0} mutations/s",
        mutations.len(),
        mutations.len() as f64 / seconds
    );
}

async fn measure(database: Database) {
    let name = database.name();
    let world = World::build(&database).await;
    let companion = world.member("companion");
    // Twenty a day, back from the server's day: work is never dated after it (the server refuses that).
    let last_day = common::test_today();
    let mutations: Vec<_> = (0..MUTATIONS)
        .map(|i| {
            let day = last_day - chrono::Duration::days((i / 20) as i64);
            let start = chrono::NaiveTime::from_hms_opt(7 + (i % 20 / 2) as u32, 30 * (i % 2) as u32, 0).unwrap();
            let end = start + chrono::Duration::minutes(25);
            world.put(
                companion,
                RecordKind::TimeEntry,
                Uuid::now_v7(),
                0,
                json!({"pool": world.p1, "companion": companion.id, "date": day, "start": start, "end": end,
                       "category": {"type": "direct", "kind": "individual"}, "note": "Begleitung im Unterricht, Klasse 2b"}),
                &[],
            )
        })
        .collect();
    push_all(&world, "new time entries", name, &mutations).await;

    // Observations: each needs the child's documentation consent, read in the writing transaction.
    let observations: Vec<_> = (0..MUTATIONS)
        .map(|i| {
            let day = last_day - chrono::Duration::days((i / 20) as i64);
            world.put(
                companion,
                RecordKind::Observation,
                Uuid::now_v7(),
                0,
                json!({"pool": world.p1, "child": world.pool_child, "author": companion.id, "date": day, "goal": null,
                       "text": "Hat in der Pause einen Streit mit Worten gelöst und sich danach wieder dem Spiel zugewandt.",
                       "visibility": "internal"}),
                &[("domains", vec!["social_emotional".to_string()])],
            )
        })
        .collect();
    push_all(&world, "new observations (consent checked)", name, &observations).await;
}

#[tokio::test]
async fn push_throughput() {
    measure(Database::sqlite()).await;
    measure(Database::postgres().await).await;
}
