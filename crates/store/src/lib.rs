//! Server-side storage: the [`Store`] trait and its two implementations, SQLite (one file, the default
//! for a single provider) and PostgreSQL (when one machine is outgrown; several server instances can
//! share it). Both run forward-only migrations from `migrations/<backend>/` on open.
#![forbid(unsafe_code)]

mod postgres;
mod sqlite;

use std::path::Path;
use std::sync::Arc;

use async_trait::async_trait;
use uuid::Uuid;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("stored value is invalid: {0}")]
    Corrupt(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[async_trait]
pub trait Store: Send + Sync {
    fn backend(&self) -> Backend;

    /// Answers once the database accepts queries.
    async fn ping(&self) -> Result<(), StoreError>;

    /// The identity of this copy of the data; see `migrations/*/0001_server_meta.sql`.
    async fn epoch(&self) -> Result<Uuid, StoreError>;
}

/// Where the data lives: a `postgres://` URL, or else an SQLite file in the data directory.
pub async fn open(database_url: Option<&str>, data_dir: &Path) -> Result<Arc<dyn Store>, StoreError> {
    match database_url {
        Some(url) => Ok(Arc::new(PostgresStore::connect(url).await?)),
        None => Ok(Arc::new(SqliteStore::open(&data_dir.join("begleitbuch.sqlite3")).await?)),
    }
}

fn parse_epoch(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|e| StoreError::Corrupt(format!("epoch {text:?}: {e}")))
}

fn new_epoch() -> (String, String) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    (Uuid::now_v7().to_string(), now.to_string())
}
