//! The IndexedDB schema and its forward-only upgrades.
//!
//! | store     | key                        | indices                                              |
//! |-----------|----------------------------|------------------------------------------------------|
//! | `keys`    | out of line (`"device"`…)  | –                                                    |
//! | `users`   | `id`                       | –                                                    |
//! | `records` | `[partition, kind, id]`    | `by_date [partition, kind, date]`, v2: `by_week [partition, week]` |
//! | `server`  | `[partition, kind, id]`    | – (the server's copy; written only by sync)          |
//! | `outbox`  | auto-increment = mutation number | `by_partition`, `by_mutation` (unique), v2: `by_record [partition, record]` |
//! | `acked`   | v2: mutation number        | `by_partition` (acknowledged mutations, kept 30 days for re-push after a restore) |
//! | `attention` | v3: mutation number      | `by_partition` (changes the server refused or answered with a conflict, until the user resolves them) |
//!
//! An upgrade never deletes or rewrites a pending change: version 2 only adds a derived plaintext
//! field (`week`, computed from `date` without decrypting anything) and indices.

use indexed_db_futures::database::{Database, VersionChangeEvent};
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyPath;

use wasm_bindgen::JsValue;

use super::envelope::week_key;

pub const DB_NAME: &str = "begleitbuch";
pub const SCHEMA_VERSION: u32 = 3;

pub const KEYS: &str = "keys";
pub const USERS: &str = "users";
pub const RECORDS: &str = "records";
pub const SERVER: &str = "server";
pub const OUTBOX: &str = "outbox";
pub const ACKED: &str = "acked";
pub const ATTENTION: &str = "attention";

pub const BY_DATE: &str = "by_date";
pub const BY_WEEK: &str = "by_week";
pub const BY_PARTITION: &str = "by_partition";
pub const BY_MUTATION: &str = "by_mutation";
pub const BY_RECORD: &str = "by_record";

/// Opens (creating or upgrading) the database `name` at `version`. Tests open older versions to
/// prove that upgrades keep what was stored.
pub async fn open(name: &str, version: u32) -> indexed_db_futures::OpenDbResult<Database> {
    Database::open(name)
        .with_version(version)
        // Another tab still holds the old version open; it closes itself on `versionchange` (see
        // `LocalStore::watch_version_changes`), after which this open proceeds.
        .with_on_blocked(|_| Ok(()))
        .with_on_upgrade_needed_fut(move |event: VersionChangeEvent, db: Database| async move {
            let old = event.old_version() as u32;
            let new = event.new_version().map(|v| v as u32).unwrap_or(version);
            if old < 1 && new >= 1 {
                create_version_1(&db)?;
            }
            if old < 2 && new >= 2 {
                upgrade_to_version_2(&db).await?;
            }
            if old < 3 && new >= 3 {
                let attention = db.create_object_store(ATTENTION).build()?;
                attention.create_index(BY_PARTITION, KeyPath::from("partition")).build()?;
            }
            Ok(())
        })
        .await
}

fn create_version_1(db: &Database) -> indexed_db_futures::Result<()> {
    db.create_object_store(KEYS).build()?;
    db.create_object_store(USERS).with_key_path(KeyPath::from("id")).build()?;
    let records =
        db.create_object_store(RECORDS).with_key_path(KeyPath::from(["partition", "kind", "id"])).build()?;
    records.create_index(BY_DATE, KeyPath::from(["partition", "kind", "date"])).build()?;
    db.create_object_store(SERVER).with_key_path(KeyPath::from(["partition", "kind", "id"])).build()?;
    let outbox = db.create_object_store(OUTBOX).with_auto_increment(true).build()?;
    outbox.create_index(BY_PARTITION, KeyPath::from("partition")).build()?;
    outbox.create_index(BY_MUTATION, KeyPath::from("mutation")).with_unique(true).build()?;
    Ok(())
}

async fn upgrade_to_version_2(db: &Database) -> indexed_db_futures::Result<()> {
    // The new store gives access to the running versionchange transaction, in which the existing
    // stores are changed too: all or nothing.
    let acked = db.create_object_store(ACKED).build()?;
    acked.create_index(BY_PARTITION, KeyPath::from("partition")).build()?;
    let transaction = acked.transaction();

    let outbox = transaction.object_store(OUTBOX)?;
    outbox.create_index(BY_RECORD, KeyPath::from(["partition", "record"])).build()?;

    let records = transaction.object_store(RECORDS)?;
    records.create_index(BY_WEEK, KeyPath::from(["partition", "week"])).build()?;
    if let Some(mut cursor) = records.open_cursor().await? {
        while let Some(value) = cursor.next_record::<JsValue>().await? {
            // Only the plaintext `date` is read and `week` set: the sealed payload is not touched.
            let date =
                js_sys::Reflect::get(&value, &JsValue::from_str("date"))?.as_string().unwrap_or_default();
            js_sys::Reflect::set(&value, &JsValue::from_str("week"), &JsValue::from_str(&week_key(&date)))?;
            cursor.update(value).primitive()?.await?;
        }
    }
    Ok(())
}
