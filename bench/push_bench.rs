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

async fn measure(database: Database) {
    let name = database.name();
    let world = World::build(&database).await;
    let companion = world.member("companion");
    let mutations: Vec<_> = (0..MUTATIONS)
        .map(|i| {
            let day = chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap() + chrono::Duration::days((i / 20) as i64);
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
    let started = Instant::now();
    for batch in mutations.chunks(BATCH) {
        let answer = world.push(companion, batch).await;
        assert_eq!(answer["results"].as_array().unwrap().len(), batch.len());
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "BENCH push {name}: {MUTATIONS} new time entries in batches of {BATCH}: {seconds:.2} s, {:.0} mutations/s",
        MUTATIONS as f64 / seconds
    );
}

#[tokio::test]
async fn push_throughput() {
    measure(Database::sqlite()).await;
    measure(Database::postgres().await).await;
}
