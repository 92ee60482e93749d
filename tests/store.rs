//! The local store inside a real IndexedDB and WebCrypto (wasm-bindgen-test in headless Chromium).
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use begleitbuch::features::today::entry_form::TimeEntryDraft;
use begleitbuch::io::store::envelope::{OutboxEnvelope, RecordEnvelope, UserEnvelope};
use begleitbuch::io::store::{new_id, schema, LocalStore, StoreError, Vault};
use begleitbuch_domain::calendar::Week;
use begleitbuch_domain::ids::{PoolId, TimeEntryId, UserId};
use begleitbuch_domain::protocol::PulledRecord;
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::{Change, RecordState};
use begleitbuch_domain::work::TimeEntry;
use chrono::NaiveDate;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use js_sys::{Array, Object, Uint8Array};
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Every test works in its own database, so tests cannot see each other's data.
fn fresh_name() -> String {
    format!("begleitbuch-test-{}", new_id().unwrap())
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// Whose partition a test writes in: a user as the server names them at sign-in (made up here) and a
/// pool of theirs. Nothing is recorded on a tablet without an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
struct Profile {
    user: UserId,
    pool: PoolId,
}

/// The partition sign-in opens for a new user: their data key made and unlocked.
async fn signed_in(store: &LocalStore) -> (Profile, Vault) {
    let profile = Profile { user: UserId(new_id().unwrap()), pool: PoolId(new_id().unwrap()) };
    (profile, store.unlock(profile.user).await.unwrap())
}

fn entry(profile: &Profile, start: &str, end: &str, note: &str) -> TimeEntry {
    let draft = TimeEntryDraft {
        start: start.into(),
        end: end.into(),
        category: "individual".into(),
        note: note.into(),
    };
    draft.to_entry(TimeEntryId(new_id().unwrap()), profile.pool, profile.user, day(), &[]).unwrap()
}

fn put_of(entry: &TimeEntry) -> Change {
    Change::between(None, entry).unwrap()
}

/// True if `needle` appears anywhere in `value`: strings, bytes (read as UTF-8), arrays and objects.
fn contains_text(value: &JsValue, needle: &str) -> bool {
    if let Some(text) = value.as_string() {
        return text.contains(needle);
    }
    if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        return String::from_utf8_lossy(&bytes.to_vec()).contains(needle);
    }
    if let Some(array) = value.dyn_ref::<Array>() {
        return array.iter().any(|item| contains_text(&item, needle));
    }
    if value.is_object() && !value.is_function() {
        return Object::values(value.unchecked_ref()).iter().any(|item| contains_text(&item, needle));
    }
    false
}

/// Every key and value of every object store of database `name`.
async fn everything_stored(name: &str) -> Vec<JsValue> {
    let db = schema::open(name, schema::SCHEMA_VERSION).await.unwrap();
    let mut found = Vec::new();
    for store_name in db.object_store_names() {
        let transaction = db.transaction(store_name.as_str()).build().unwrap();
        let store = transaction.object_store(&store_name).unwrap();
        for value in store.get_all::<JsValue>().primitive().unwrap().await.unwrap() {
            found.push(value.unwrap());
        }
        for key in store.get_all_keys::<JsValue>().primitive().unwrap().await.unwrap() {
            found.push(key.unwrap());
        }
    }
    db.close();
    found
}

#[wasm_bindgen_test]
async fn a_saved_entry_is_readable_waits_in_the_outbox_and_is_stored_encrypted() {
    let name = fresh_name();
    let store = LocalStore::open_database(&name, schema::SCHEMA_VERSION).await.unwrap();
    let (profile, vault) = signed_in(&store).await;
    let secret = "Lina hat heute zum ersten Mal mitgespielt";
    let made = entry(&profile, "08:00", "09:30", secret);

    store.write(&vault, RecordKind::TimeEntry, made.id.0, None, put_of(&made)).await.unwrap();

    let read = store.read(&vault, RecordKind::TimeEntry, made.id.0).await.unwrap().unwrap();
    assert_eq!(read.decode::<TimeEntry>(), Some(made.clone()));
    let on_the_day = store.records_between(&vault, RecordKind::TimeEntry, day(), day()).await.unwrap();
    assert_eq!(on_the_day.len(), 1);
    let in_the_week = store.records_in_week(&vault, Week::of(day())).await.unwrap();
    assert_eq!(in_the_week.len(), 1);

    let pending = store.pending(&vault).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].record, made.id.0);
    assert_eq!(pending[0].base_version, 0);
    assert_eq!(pending[0].device, store.device());
    assert!(pending[0].id.is_some(), "a change made now goes out with its id (protocol 2)");
    assert_eq!(store.pending_count(vault.user).await.unwrap(), 1);

    let stored = everything_stored(&name).await;
    assert!(stored.len() > 5, "the scan must see the stored values");
    assert!(stored.iter().any(|value| contains_text(value, &made.id.0.to_string())), "the scan reads keys");
    for fragment in [secret, "Lina", "individual"] {
        assert!(
            !stored.iter().any(|value| contains_text(value, fragment)),
            "{fragment:?} is stored in plain text"
        );
    }
}

#[wasm_bindgen_test]
async fn an_edit_and_a_delete_queue_one_change_each_and_the_view_follows() {
    let store = LocalStore::open_database(&fresh_name(), schema::SCHEMA_VERSION).await.unwrap();
    let (profile, vault) = signed_in(&store).await;
    let made = entry(&profile, "08:00", "09:00", "");
    store.write(&vault, RecordKind::TimeEntry, made.id.0, None, put_of(&made)).await.unwrap();

    let mut edited = made.clone();
    edited.end = chrono::NaiveTime::from_hms_opt(9, 45, 0).unwrap();
    let seen = store.read(&vault, RecordKind::TimeEntry, made.id.0).await.unwrap().unwrap();
    store
        .write(
            &vault,
            RecordKind::TimeEntry,
            made.id.0,
            Some(&seen),
            Change::between(Some(&made), &edited).unwrap(),
        )
        .await
        .unwrap();
    let read = store.read(&vault, RecordKind::TimeEntry, made.id.0).await.unwrap().unwrap();
    assert_eq!(read.decode::<TimeEntry>(), Some(edited));

    let seen = store.read(&vault, RecordKind::TimeEntry, made.id.0).await.unwrap().unwrap();
    store.write(&vault, RecordKind::TimeEntry, made.id.0, Some(&seen), Change::Delete).await.unwrap();
    assert!(store.records_between(&vault, RecordKind::TimeEntry, day(), day()).await.unwrap().is_empty());
    let pending = store.pending(&vault).await.unwrap();
    assert_eq!(pending.len(), 3, "create, edit and delete all wait for the server");
    assert!(pending.windows(2).all(|pair| pair[0].number < pair[1].number), "numbers increase");
    let Change::Put { fields, .. } = &pending[1].change else { panic!("the edit is a put") };
    assert_eq!(fields.keys().collect::<Vec<_>>(), vec!["end"], "only the changed field travels");
    assert_eq!(pending[2].change, Change::Delete);
}

#[wasm_bindgen_test]
async fn a_failing_second_put_leaves_neither_the_record_nor_the_outbox_entry() {
    let store = LocalStore::open_database(&fresh_name(), schema::SCHEMA_VERSION).await.unwrap();
    let (profile, vault) = signed_in(&store).await;
    let mutation = new_id().unwrap();
    let first = entry(&profile, "08:00", "09:00", "");
    let second = entry(&profile, "10:00", "11:00", "");
    store
        .write_with_mutation_id(&vault, RecordKind::TimeEntry, first.id.0, None, put_of(&first), mutation)
        .await
        .unwrap();

    // The record put succeeds inside the transaction; the outbox put then violates the unique index on
    // the change id. The whole transaction must be rolled back.
    let refused = store
        .write_with_mutation_id(&vault, RecordKind::TimeEntry, second.id.0, None, put_of(&second), mutation)
        .await;
    assert_eq!(refused, Err(StoreError::Duplicate));
    assert_eq!(store.read(&vault, RecordKind::TimeEntry, second.id.0).await.unwrap(), None);
    assert_eq!(store.pending_count(vault.user).await.unwrap(), 1);
    assert!(store.read(&vault, RecordKind::TimeEntry, first.id.0).await.unwrap().is_some());
    assert!(store.has_mutation(mutation).await.unwrap());
}

#[wasm_bindgen_test]
async fn partitions_keep_users_apart() {
    let store = LocalStore::open_database(&fresh_name(), schema::SCHEMA_VERSION).await.unwrap();
    let (profile, vault) = signed_in(&store).await;
    let other = store.unlock(begleitbuch_domain::ids::UserId(new_id().unwrap())).await.unwrap();
    let made = entry(&profile, "08:00", "09:00", "");
    store.write(&vault, RecordKind::TimeEntry, made.id.0, None, put_of(&made)).await.unwrap();

    assert!(store.records_between(&other, RecordKind::TimeEntry, day(), day()).await.unwrap().is_empty());
    assert_eq!(store.pending_count(other.user).await.unwrap(), 0);
    assert!(store.pending(&other).await.unwrap().is_empty());
    // What the tablet reports holding is per person too: the oldest waiting change's time.
    assert_eq!(store.oldest_pending_at(other.user).await.unwrap(), None);
    let oldest = store.oldest_pending_at(vault.user).await.unwrap().expect("one change waits");
    let now = js_sys::Date::now() as i64;
    assert!((now - 60_000..=now).contains(&oldest), "{oldest} is when the change was made");
    // The same profile and key come back after reopening.
    store.close();
}

#[wasm_bindgen_test]
async fn the_profile_its_key_and_the_device_secret_survive_reopening() {
    let name = fresh_name();
    let store = LocalStore::open_database(&name, schema::SCHEMA_VERSION).await.unwrap();
    let (profile, vault) = signed_in(&store).await;
    let made = entry(&profile, "08:00", "09:00", "Notiz");
    store.write(&vault, RecordKind::TimeEntry, made.id.0, None, put_of(&made)).await.unwrap();
    let device = store.device();
    let secret = store.device_secret().to_owned();
    assert_eq!(secret.len(), 64);
    store.close();

    let reopened = LocalStore::open_database(&name, schema::SCHEMA_VERSION).await.unwrap();
    let vault_again = reopened.unlock(profile.user).await.unwrap();
    assert_eq!(reopened.device(), device);
    assert_eq!(reopened.device_secret(), secret, "the tablet proves its id with the same secret");
    let read = reopened.read(&vault_again, RecordKind::TimeEntry, made.id.0).await.unwrap().unwrap();
    assert_eq!(read.decode::<TimeEntry>(), Some(made));
}

#[wasm_bindgen_test]
async fn an_open_tab_closes_its_connection_when_another_upgrades_the_schema() {
    let name = fresh_name();
    let old_tab = LocalStore::open_database(&name, 1).await.unwrap();
    let (profile, vault) = signed_in(&old_tab).await;
    let asked_to_reload = Rc::new(Cell::new(false));
    let flag = Rc::clone(&asked_to_reload);
    old_tab.watch_version_changes(move || flag.set(true)).unwrap();

    // Without the old tab closing, this open would be blocked forever.
    let new_tab = schema::open(&name, 2).await.unwrap();
    assert_eq!(new_tab.version() as u32, 2);
    assert!(asked_to_reload.get());
    let made = entry(&profile, "08:00", "09:00", "");
    let refused = old_tab.write(&vault, RecordKind::TimeEntry, made.id.0, None, put_of(&made)).await;
    assert_eq!(refused, Err(StoreError::Outdated));
}

/// A record as the server sends it in a pull page: its first version, as `entry` has it.
fn pulled(entry: &TimeEntry, change: u64) -> PulledRecord {
    let state = RecordState::first_version(RecordKind::TimeEntry, entry.id.0, entry).unwrap();
    PulledRecord {
        pool: entry.pool,
        change,
        kind: RecordKind::TimeEntry,
        id: entry.id.0,
        version: state.version,
        deleted: false,
        fields: state.fields,
        sets: state.sets,
    }
}

#[wasm_bindgen_test]
async fn a_pulled_page_keeps_pending_changes_on_top_and_stores_the_rest_as_the_server_has_it() {
    let name = fresh_name();
    let store = LocalStore::open_database(&name, schema::SCHEMA_VERSION).await.unwrap();
    let (profile, vault) = signed_in(&store).await;
    let mine = entry(&profile, "08:00", "09:00", "auf dem Tablet");
    store.write(&vault, RecordKind::TimeEntry, mine.id.0, None, put_of(&mine)).await.unwrap();
    let mut on_the_server = mine.clone();
    on_the_server.note = "auf dem Server".into();
    let other = entry(&profile, "10:00", "11:00", "nur auf dem Server");
    let gone = entry(&profile, "12:00", "13:00", "");

    assert!(store.apply_pulled(&vault, &[pulled(&gone, 1)]).await.unwrap());
    assert!(store.read(&vault, RecordKind::TimeEntry, gone.id.0).await.unwrap().is_some());
    let mut tombstone = pulled(&gone, 4);
    tombstone.deleted = true;
    let page = [pulled(&on_the_server, 2), pulled(&other, 3), tombstone];
    assert!(store.apply_pulled(&vault, &page).await.unwrap());

    // The pending change still shows over the server's copy; the others are what the server sent.
    let read = |id| store.read(&vault, RecordKind::TimeEntry, id);
    assert_eq!(read(mine.id.0).await.unwrap().unwrap().decode::<TimeEntry>(), Some(mine));
    let copy = read(other.id.0).await.unwrap().unwrap();
    assert_eq!((copy.decode::<TimeEntry>(), copy.version), (Some(other), 1));
    assert_eq!(read(gone.id.0).await.unwrap(), None);
    assert_eq!(store.records_between(&vault, RecordKind::TimeEntry, day(), day()).await.unwrap().len(), 2);
    assert_eq!(store.pending_count(vault.user).await.unwrap(), 1);

    let stored = everything_stored(&name).await;
    for fragment in ["auf dem Server", "nur auf dem Server"] {
        assert!(
            !stored.iter().any(|value| contains_text(value, fragment)),
            "{fragment:?} is stored in plain text"
        );
    }
}

#[derive(Deserialize)]
struct OutboxRow {
    number: u32,
    value: OutboxEnvelope,
}

#[derive(Deserialize)]
struct FixtureV1 {
    schema_version: u32,
    device_key_raw: Vec<u8>,
    device_id: String,
    /// Version 1 kept the partition's user (and a pool) under `local_profile`.
    local_profile: Profile,
    users: Vec<UserEnvelope>,
    records: Vec<RecordEnvelope>,
    outbox: Vec<OutboxRow>,
    expected_notes: Vec<String>,
}

fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    value.serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true)).unwrap()
}

async fn import_device_key(raw: &[u8]) -> JsValue {
    let subtle = web_sys::window().unwrap().crypto().unwrap().subtle();
    let usages: Array = ["wrapKey", "unwrapKey"].iter().map(|u| JsValue::from_str(u)).collect();
    let promise =
        subtle.import_key_with_str("raw", &Uint8Array::from(raw), "AES-GCM", false, &usages).unwrap();
    JsFuture::from(promise).await.unwrap()
}

/// Writes the committed fixture into a database at schema version 1, byte for byte as version 1 stored it.
async fn load_fixture_v1(name: &str, fixture: &FixtureV1) {
    let db = schema::open(name, fixture.schema_version).await.unwrap();
    let device_key = import_device_key(&fixture.device_key_raw).await;
    let stores = [schema::KEYS, schema::USERS, schema::RECORDS, schema::OUTBOX];
    let transaction = db.transaction(stores).with_mode(TransactionMode::Readwrite).build().unwrap();
    let keys = transaction.object_store(schema::KEYS).unwrap();
    keys.put(device_key).with_key("device_key").primitive().unwrap().await.unwrap();
    keys.put(JsValue::from_str(&fixture.device_id)).with_key("device_id").primitive().unwrap().await.unwrap();
    keys.put(to_js(&fixture.local_profile)).with_key("local_profile").primitive().unwrap().await.unwrap();
    for user in &fixture.users {
        transaction.object_store(schema::USERS).unwrap().put(to_js(user)).primitive().unwrap().await.unwrap();
    }
    for record in &fixture.records {
        assert!(record.week.is_empty(), "version 1 had no week field");
        transaction
            .object_store(schema::RECORDS)
            .unwrap()
            .put(to_js(record))
            .primitive()
            .unwrap()
            .await
            .unwrap();
    }
    for row in &fixture.outbox {
        let outbox = transaction.object_store(schema::OUTBOX).unwrap();
        outbox.put(to_js(&row.value)).with_key(row.number).primitive().unwrap().await.unwrap();
    }
    transaction.commit().await.unwrap();
    db.close();
}

#[wasm_bindgen_test]
async fn a_version_1_database_with_pending_changes_upgrades_without_loss() {
    let fixture: FixtureV1 = serde_json::from_str(include_str!("fixtures/store-v1.json")).unwrap();
    let name = fresh_name();
    load_fixture_v1(&name, &fixture).await;

    let store = LocalStore::open_database(&name, schema::SCHEMA_VERSION).await.unwrap();
    // The version-1 partition opens for its user, as it does when they sign in.
    let profile = fixture.local_profile;
    let vault = store.unlock(profile.user).await.unwrap();

    let pending = store.pending(&vault).await.unwrap();
    assert_eq!(pending.iter().map(|m| m.number).collect::<Vec<_>>(), vec![1, 2]);
    // Recorded under protocol 1, they go out exactly as they may have gone out before the update: the
    // server compares a retry with what it logged, so adding the id now would make it a different one.
    assert!(pending.iter().all(|m| m.payload_version == 1 && m.id.is_none()));
    let notes: Vec<String> = pending
        .iter()
        .map(|m| match &m.change {
            Change::Put { fields, .. } => fields["note"].as_str().unwrap().to_owned(),
            Change::Delete => panic!("the fixture holds two creations"),
        })
        .collect();
    assert_eq!(notes, fixture.expected_notes);

    // The new week index finds the upgraded records: the upgrade derived `week` from `date`.
    let week = store.records_in_week(&vault, Week::of(day())).await.unwrap();
    let mut read: Vec<String> =
        week.iter().filter_map(RecordState::decode::<TimeEntry>).map(|e| e.note).collect();
    read.sort();
    assert_eq!(read, fixture.expected_notes);

    // New changes continue the device's numbering after the fixture's.
    let made = entry(&profile, "11:00", "12:00", "");
    store.write(&vault, RecordKind::TimeEntry, made.id.0, None, put_of(&made)).await.unwrap();
    let numbers: Vec<u64> = store.pending(&vault).await.unwrap().iter().map(|m| m.number).collect();
    assert_eq!(numbers, vec![1, 2, 3]);
}
