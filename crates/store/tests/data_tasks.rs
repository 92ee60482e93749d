//! The one-time data tasks migrations leave for the server's next start, on SQLite and PostgreSQL,
//! each run once: records deleted before tombstones were stripped lose their text
//! (`strip_tombstones`); every custodian named before guardians were records becomes one
//! (`adopt_custodians`).

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

/// A provider with an admin and one pool.
async fn provider_with_a_pool(store: &dyn Store) -> (ProviderId, UserRecord, PoolId) {
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
    (provider, admin, pool)
}

async fn old_tombstones_are_stripped(store: Arc<dyn Store>) {
    let (provider, admin, pool) = provider_with_a_pool(store.as_ref()).await;
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

    assert_eq!(store.run_pending_tasks(3).await.unwrap(), ["adopt_custodians", "strip_tombstones"]);
    let kept = store.record(id).await.unwrap().unwrap().state;
    assert!(kept.deleted && !kept.fields.contains_key("text") && kept.sets.is_empty(), "{kept:?}");
    assert_eq!(kept.fields["author"], json!(admin.id), "whom it concerned stays");
    assert!(store.run_pending_tasks(4).await.unwrap().is_empty(), "once");
}

fn record(
    kind: RecordKind,
    id: Uuid,
    fields: serde_json::Value,
    sets: &[(&str, Vec<String>)],
) -> RecordState {
    let fields: BTreeMap<String, serde_json::Value> =
        fields.as_object().unwrap().clone().into_iter().collect();
    let sets: BTreeMap<String, std::collections::BTreeSet<String>> =
        sets.iter().map(|(name, members)| (name.to_string(), members.iter().cloned().collect())).collect();
    RecordState {
        kind,
        id,
        version: 1,
        field_versions: fields.keys().chain(sets.keys()).map(|k| (k.clone(), 1)).collect(),
        fields,
        sets,
        field_sources: BTreeMap::new(),
        deleted: false,
        lost: Vec::new(),
    }
}

/// Declarations made before guardians were records: one by a parent with an account, one recorded
/// from a paper form under an id of its own. Both custodians become guardian records with their ids
/// and custody of the child — the account's under its name, the form's under a placeholder for a team
/// lead to correct — and a later declaration naming them passes the guardian rule.
async fn custodians_named_before_become_guardians(store: Arc<dyn Store>) {
    let (provider, admin, pool) = provider_with_a_pool(store.as_ref()).await;
    let parent = UserRecord {
        id: UserId(Uuid::now_v7()),
        login: "eltern".into(),
        display_name: "Petra Sommer".into(),
        role: Role::Parent,
        ..admin.clone()
    };
    store.create_user(&parent, 1).await.unwrap();
    let child = Uuid::now_v7();
    let child_fields = json!({"pool": pool, "display_name": "Kind A.", "group": "2b", "legal_basis": "systemic_only",
        "approved_minutes_per_week": null, "status": "supported", "since": "2026-08-20", "until": null});
    let paper = Uuid::now_v7();
    let declaration = |custodian: Uuid| {
        record(
            RecordKind::Consent,
            Uuid::now_v7(),
            json!({"child": child, "purpose": "documentation", "text_version": "2026-08", "state": "granted",
                   "custodian": custodian, "at": "2026-09-01T08:00:00Z"}),
            &[],
        )
    };
    let records =
        [record(RecordKind::Child, child, child_fields, &[]), declaration(parent.id.0), declaration(paper)];
    store.import_records(provider, admin.id, &records, 2).await.unwrap();

    assert!(store.run_pending_tasks(3).await.unwrap().contains(&"adopt_custodians".to_owned()));
    for (id, name) in [(parent.id.0, "Petra Sommer"), (paper, "Sorgeberechtigte Person (übernommen)")] {
        let guardian = store.record(id).await.unwrap().expect("a guardian record").state;
        assert_eq!(guardian.kind, RecordKind::Guardian);
        assert_eq!(guardian.fields["name"], json!(name));
        assert_eq!(guardian.sets["children"], [child.to_string()].into());
    }
    // The parent's custody holds for the parents' pages too.
    let scope = store.scope(&parent, chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()).await.unwrap();
    assert_eq!(scope.children, [begleitbuch_domain::ids::ChildId(child)].into());
    assert!(store.run_pending_tasks(4).await.unwrap().is_empty(), "once");
}

#[tokio::test]
async fn custodians_named_before_become_guardians_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    custodians_named_before_become_guardians(open(None, dir.path()).await.unwrap()).await;
}

#[tokio::test]
async fn custodians_named_before_become_guardians_on_postgres() {
    let url = common::fresh_postgres_database().await;
    custodians_named_before_become_guardians(open(Some(&url), std::path::Path::new(".")).await.unwrap())
        .await;
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
