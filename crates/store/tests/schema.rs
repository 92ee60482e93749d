//! The SQLite and PostgreSQL migrations produce the same schema: the same tables, columns (type family
//! and nullability) and explicit indices. A migration added to one backend only fails here.

mod common;

use std::collections::BTreeSet;

use begleitbuch_store::{PostgresStore, SqliteStore};
use sqlx::{Connection, PgConnection, SqliteConnection};

/// (table, column, type family, nullable)
type Column = (String, String, &'static str, bool);

fn family(declared: &str) -> &'static str {
    match declared.to_ascii_lowercase().as_str() {
        "text" => "text",
        // Declared widths must agree too: SQLite stores both in 64 bits, but PostgreSQL's INTEGER is
        // 32 bits, and a BIGINT read into i64 on one backend must not meet an INT4 on the other.
        "integer" | "int4" => "integer",
        "bigint" | "int8" => "bigint",
        "boolean" | "bool" => "boolean",
        other => panic!("column type {other:?} has no family yet: add it here for both backends"),
    }
}

async fn sqlite_schema(path: &std::path::Path) -> (BTreeSet<Column>, BTreeSet<String>) {
    let mut conn = SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let mut columns = BTreeSet::new();
    for (table,) in tables {
        let info: Vec<(i64, String, String, i64, Option<String>, i64)> =
            sqlx::query_as(&format!("PRAGMA table_info({table})")).fetch_all(&mut conn).await.unwrap();
        for (_, name, declared, not_null, _, primary_key) in info {
            columns.insert((table.clone(), name, family(&declared), not_null == 0 && primary_key == 0));
        }
    }
    let indices: Vec<(String,)> =
        sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    (columns, indices.into_iter().map(|(name,)| name).collect())
}

async fn postgres_schema(url: &str) -> (BTreeSet<Column>, BTreeSet<String>) {
    let mut conn = PgConnection::connect(url).await.unwrap();
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let columns = rows
        .into_iter()
        .map(|(table, name, declared, nullable)| (table, name, family(&declared), nullable == "YES"))
        .collect();
    // Primary keys and UNIQUE constraints make indices of their own in PostgreSQL; only explicit ones count.
    let indices: Vec<(String,)> = sqlx::query_as(
        "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' \
         AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    (columns, indices.into_iter().map(|(name,)| name).collect())
}

#[tokio::test]
async fn both_backends_migrate_to_the_same_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema.sqlite3");
    SqliteStore::open(&path).await.unwrap();
    let url = common::fresh_postgres_database().await;
    PostgresStore::connect(&url).await.unwrap();

    let (sqlite_columns, sqlite_indices) = sqlite_schema(&path).await;
    let (postgres_columns, postgres_indices) = postgres_schema(&url).await;
    assert!(sqlite_columns.iter().any(|(table, ..)| table == "users"), "the scan sees the tables");
    let only_sqlite: Vec<_> = sqlite_columns.difference(&postgres_columns).collect();
    let only_postgres: Vec<_> = postgres_columns.difference(&sqlite_columns).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "SQLite only: {only_sqlite:?}\nPostgreSQL only: {only_postgres:?}"
    );
    assert_eq!(sqlite_indices, postgres_indices);
}
