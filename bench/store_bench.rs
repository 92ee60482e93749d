//! Benchmarks of the local store against raw IndexedDB in the same run, in headless Chromium:
//!
//! - one save (encrypt + record envelope + outbox entry in one transaction) against a raw put of an
//!   envelope of the same size into a plain object store;
//! - the week view over 50,000 local records against a raw index query of the same week.
//!
//! Run by `bench/run.sh` (`--features bench`); prints `BENCH {json}` lines. Not part of the tests:
//! timings are only measured here, never asserted.
#![cfg(target_arch = "wasm32")]

use begleitbuch::features::today::entry_form::TimeEntryDraft;
use begleitbuch::io::store::envelope::RecordEnvelope;
use begleitbuch::io::store::{new_id, schema, LocalStore};
use begleitbuch_domain::calendar::Week;
use begleitbuch_domain::ids::{PoolId, TimeEntryId, UserId};
use begleitbuch_domain::record::{Change, RecordKind};
use chrono::{Days, NaiveDate};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use indexed_db_futures::KeyPath;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(|a, b| a.total_cmp(b));
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

fn report(name: &str, ours: &mut [f64], raw: &mut [f64]) {
    let (ours_p50, ours_p95) = (percentile(ours, 0.5), percentile(ours, 0.95));
    let (raw_p50, raw_p95) = (percentile(raw, 0.5), percentile(raw, 0.95));
    console_log!(
        "BENCH {}",
        serde_json::json!({
            "bench": name, "samples": ours.len(),
            "ours_ms": { "p50": ours_p50, "p95": ours_p95 },
            "raw_ms": { "p50": raw_p50, "p95": raw_p95 },
            "ratio_p50": ours_p50 / raw_p50, "ratio_p95": ours_p95 / raw_p95,
        })
    );
}

fn draft(minute_of_day: u32) -> TimeEntryDraft {
    let start = minute_of_day % (23 * 60);
    TimeEntryDraft {
        start: format!("{:02}:{:02}", start / 60, start % 60),
        end: format!("{:02}:{:02}", (start + 30) / 60, (start + 30) % 60),
        category: "individual".into(),
        note: "Begleitung in der Pause, Streit geschlichtet, danach ruhig weitergearbeitet.".into(),
    }
}

/// A plain database with one store keyed like `records`, for the raw baseline.
async fn raw_database(name: &str) -> Database {
    Database::open(name)
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            let store = db
                .create_object_store("raw")
                .with_key_path(KeyPath::from(["partition", "kind", "id"]))
                .build()?;
            store.create_index("by_week", KeyPath::from(["partition", "week"])).build()?;
            Ok(())
        })
        .await
        .unwrap()
}

fn to_js(envelope: &RecordEnvelope) -> JsValue {
    serde::Serialize::serialize(
        envelope,
        &serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true),
    )
    .unwrap()
}

/// The partition sign-in opens for a user (the ids made up here): records are written only in one.
struct Profile {
    user: UserId,
    pool: PoolId,
}

async fn signed_in(store: &LocalStore) -> (Profile, begleitbuch::io::store::Vault) {
    let profile = Profile { user: UserId(new_id().unwrap()), pool: PoolId(new_id().unwrap()) };
    let vault = store.unlock(profile.user).await.unwrap();
    (profile, vault)
}

#[wasm_bindgen_test]
async fn save_against_a_raw_put() {
    const SAMPLES: usize = 300;
    let name = format!("bench-save-{}", new_id().unwrap());
    let store = LocalStore::open_database(&name, schema::SCHEMA_VERSION).await.unwrap();
    let (profile, vault) = signed_in(&store).await;
    let raw = raw_database(&format!("{name}-raw")).await;
    let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();

    // The raw put stores an envelope exactly as large as the ones the store writes.
    let first =
        draft(0).to_entry(TimeEntryId(new_id().unwrap()), profile.pool, profile.user, day, &[]).unwrap();
    let view = store
        .write(&vault, RecordKind::TimeEntry, first.id.0, None, Change::between(None, &first).unwrap())
        .await
        .unwrap()
        .unwrap();
    let sealed_len = serde_json::to_vec(&view).unwrap().len() + 12 + 16;

    let (mut ours, mut baseline) = (Vec::with_capacity(SAMPLES), Vec::with_capacity(SAMPLES));
    for i in 0..SAMPLES {
        let entry =
            draft(i as u32).to_entry(TimeEntryId(new_id().unwrap()), profile.pool, profile.user, day, &[]);
        let entry = entry.unwrap();
        let change = Change::between(None, &entry).unwrap();
        let started = now();
        store.write(&vault, RecordKind::TimeEntry, entry.id.0, None, change).await.unwrap();
        ours.push(now() - started);

        let envelope = RecordEnvelope {
            partition: vault.user.to_string(),
            kind: "time_entry".into(),
            id: new_id().unwrap().to_string(),
            date: "2026-11-23".into(),
            week: "2026-W48".into(),
            version: 0,
            pending: 1,
            data: vec![7; sealed_len],
        };
        let started = now();
        let transaction = raw.transaction("raw").with_mode(TransactionMode::Readwrite).build().unwrap();
        transaction.object_store("raw").unwrap().put(to_js(&envelope)).primitive().unwrap().await.unwrap();
        transaction.commit().await.unwrap();
        baseline.push(now() - started);
    }
    report("save_vs_raw_put", &mut ours, &mut baseline);
}

#[wasm_bindgen_test]
async fn week_view_over_50000_records_against_a_raw_index_query() {
    const RECORDS: usize = 50_000;
    const WEEKS: usize = 100;
    const RUNS: usize = 20;
    let name = format!("bench-week-{}", new_id().unwrap());
    let store = LocalStore::open_database(&name, schema::SCHEMA_VERSION).await.unwrap();
    let (profile, vault) = signed_in(&store).await;
    let first_monday = NaiveDate::from_ymd_opt(2025, 1, 6).unwrap();

    // 50,000 time entries spread evenly over 100 weeks (500 a week, 100 a weekday), written through the
    // real save path in concurrent batches.
    let seeding = now();
    for batch in 0..RECORDS / 100 {
        let writes = (0..100).map(|i| {
            let n = batch * 100 + i;
            let week = n % WEEKS;
            let weekday = (n / WEEKS) % 5;
            let day = first_monday + Days::new((week * 7 + weekday) as u64);
            let entry = draft(((n / (WEEKS * 5)) * 7) as u32)
                .to_entry(TimeEntryId(new_id().unwrap()), profile.pool, profile.user, day, &[])
                .unwrap();
            let change = Change::between(None, &entry).unwrap();
            let (store, vault) = (&store, &vault);
            async move { store.write(vault, RecordKind::TimeEntry, entry.id.0, None, change).await }
        });
        futures::future::try_join_all(writes).await.unwrap();
    }
    console_log!("BENCH {}", serde_json::json!({ "bench": "seed_50000_saves", "ms": now() - seeding }));

    let week = Week::of(first_monday + Days::new(7 * 42));
    let partition = vault.user.to_string();
    let week_key = week.key();
    let raw = schema::open(&name, schema::SCHEMA_VERSION).await.unwrap();
    let (mut ours, mut baseline) = (Vec::new(), Vec::new());
    let mut counts = (0, 0);
    for _ in 0..RUNS {
        let started = now();
        let records = store.records_in_week(&vault, week).await.unwrap();
        ours.push(now() - started);
        counts.0 = records.len();

        let started = now();
        let transaction = raw.transaction(schema::RECORDS).build().unwrap();
        let records = transaction.object_store(schema::RECORDS).unwrap();
        let index = records.index(schema::BY_WEEK).unwrap();
        let values = index
            .get_all::<JsValue>()
            .with_query([partition.as_str(), week_key.as_str()])
            .primitive()
            .unwrap()
            .await
            .unwrap();
        counts.1 = values.count();
        baseline.push(now() - started);
    }
    assert_eq!(counts.0, counts.1, "both read the same week");
    console_log!("BENCH {}", serde_json::json!({ "bench": "week_records", "records_in_week": counts.0 }));
    report("week_view_vs_raw_index_query", &mut ours, &mut baseline);
}
