//! Records deleted before tombstones were stripped lose their text at the server's next start (the
//! `strip_tombstones` task the migration leaves), on SQLite and PostgreSQL; the task runs once.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use begleitbuch_domain::ids::{InstitutionId, PoolId, ProviderId, UserId};
use begleitbuch_domain::org::{Institution, InstitutionKind};
use begleitbuch_domain::people::Role;
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::record::RecordState;
use begleitbuch_store::{open, Store, UserRecord};
use serde_json::json;
use uuid::Uuid;

async fn old_tombstones_are_stripped(store: Arc<dyn Store>) {
    let provider = ProviderId(Uuid::now_v7());
    store.create_provider(provider, "Träger", 1).await.unwrap();
    let admin = UserRecord {
        id: UserId(Uuid::now_v7()),
        provider,
        login: "admin".into(),
        display_name: "Admin".into(),
        role: Role::Admin,
        password_hash: "$argon2id$x".into(),
        must_change_password: false,
        disabled: false,
    };
    store.create_user(&admin, 1).await.unwrap();
    let school = Institution {
        id: InstitutionId(Uuid::now_v7()),
        provider,
        name: "Schule".into(),
        kind: InstitutionKind::School,
        region: "Nord".into(),
        year_levels: vec![1, 2, 3, 4],
        groups: vec![],
        fte: Default::default(),
    };
    store.create_institution(&school, 1).await.unwrap();
    let pool = PoolId(Uuid::now_v7());
    store.create_pool(pool, provider, school.id, 2026, 1).await.unwrap();
    let fields: BTreeMap<_, _> = json!({"pool": pool, "child": Uuid::now_v7(), "author": admin.id,
        "date": "2026-11-20", "goal": null, "text": "Hat heute geweint.", "visibility": "internal"})
    .as_object()
    .unwrap()
    .clone()
    .into_iter()
    .collect();
    let id = Uuid::now_v7();
    let deleted = RecordState {
        kind: RecordKind::Observation,
        id,
        version: 2,
        field_versions: fields.keys().map(|k| (k.clone(), 1)).collect(),
        fields,
        sets: [("domains".to_owned(), ["social_emotional".to_owned()].into())].into(),
        field_sources: BTreeMap::new(),
        deleted: true,
        lost: Vec::new(),
    };
    store.import_records(provider, admin.id, &[deleted], 2).await.unwrap();

    assert_eq!(store.run_pending_tasks().await.unwrap(), ["strip_tombstones"]);
    let kept = store.record(id).await.unwrap().unwrap().state;
    assert!(kept.deleted && !kept.fields.contains_key("text") && kept.sets.is_empty(), "{kept:?}");
    assert_eq!(kept.fields["author"], json!(admin.id), "whom it concerned stays");
    assert!(store.run_pending_tasks().await.unwrap().is_empty(), "once");
}

#[tokio::test]
async fn old_tombstones_are_stripped_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    old_tombstones_are_stripped(open(None, dir.path()).await.unwrap()).await;
}

#[tokio::test]
async fn old_tombstones_are_stripped_on_postgres() {
    let url = common::fresh_postgres_database().await;
    old_tombstones_are_stripped(open(Some(&url), std::path::Path::new(".")).await.unwrap()).await;
}
