//! Real databases for tests: a temporary SQLite file, and a fresh database on the PostgreSQL server that
//! `scripts/test.sh` starts (its admin URL in `BEGLEITBUCH_TEST_POSTGRES_URL`).

use sqlx::{Connection, Executor, PgConnection};

pub const POSTGRES_URL_VAR: &str = "BEGLEITBUCH_TEST_POSTGRES_URL";

/// Creates an empty database with a unique name and returns its URL. PostgreSQL tests never skip:
/// without the server they fail and say how to get one.
pub async fn fresh_postgres_database() -> String {
    let admin_url = std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| {
        panic!("{POSTGRES_URL_VAR} is not set: run scripts/test.sh, which starts PostgreSQL for the tests")
    });
    let name = format!("begleitbuch_test_{}", uuid::Uuid::now_v7().simple());
    let mut admin = PgConnection::connect(&admin_url).await.expect("connect to the test PostgreSQL server");
    admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create test database");
    let (base, _) = admin_url.rsplit_once('/').expect("URL ends in /database");
    format!("{base}/{name}")
}
