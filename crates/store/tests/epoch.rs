//! The database epoch is created once and survives reopening, on both backends.

mod common;

use begleitbuch_store::{open, Backend, PostgresStore, SqliteStore, Store};

#[tokio::test]
async fn sqlite_epoch_survives_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let first = open(None, dir.path()).await.unwrap();
    assert_eq!(first.backend(), Backend::Sqlite);
    first.ping().await.unwrap();
    let epoch = first.epoch().await.unwrap();
    drop(first);

    let again = SqliteStore::open(&dir.path().join("begleitbuch.sqlite3")).await.unwrap();
    assert_eq!(again.epoch().await.unwrap(), epoch);
    assert!(dir.path().join("begleitbuch.sqlite3").exists());
}

#[tokio::test]
async fn postgres_epoch_survives_reconnect() {
    let url = common::fresh_postgres_database().await;
    let first = open(Some(&url), std::path::Path::new("/nonexistent")).await.unwrap();
    assert_eq!(first.backend(), Backend::Postgres);
    first.ping().await.unwrap();
    let epoch = first.epoch().await.unwrap();

    let again = PostgresStore::connect(&url).await.unwrap();
    assert_eq!(again.epoch().await.unwrap(), epoch);
}

#[tokio::test]
async fn two_databases_get_different_epochs() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let a = open(None, a.path()).await.unwrap().epoch().await.unwrap();
    let b = open(None, b.path()).await.unwrap().epoch().await.unwrap();
    assert_ne!(a, b);
}
