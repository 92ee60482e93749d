use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::{new_epoch, StoreError};

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// One SQLite file in WAL mode with `synchronous=NORMAL`: a committed transaction survives a crash of
/// the server process; a power cut may lose the last moments, which devices re-push from their outbox.
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    pub async fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| StoreError::Corrupt(format!("cannot create {}: {e}", parent.display())))?;
        }
        // Health data about children: the database file is its owner's alone. SQLite gives its WAL
        // and shared-memory files the database file's permissions.
        crate::owner_only_file(path)?;
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
        MIGRATIONS.run(&pool).await?;
        let (epoch, created_at) = new_epoch();
        sqlx::query(
            "INSERT INTO server_meta (id, epoch, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING",
        )
        .bind(epoch)
        .bind(created_at)
        .execute(&pool)
        .await?;
        Ok(SqliteStore { pool })
    }
}

impl SqliteStore {
    /// `VACUUM INTO` writes a consistent, compacted copy while the server keeps running.
    async fn backup_into(&self, target: &Path) -> Result<(), StoreError> {
        let target =
            target.to_str().ok_or_else(|| StoreError::Backup("the backup path is not UTF-8".into()))?;
        // VACUUM INTO writes into an empty file that exists: made owner-only first.
        crate::owner_only_file(Path::new(target))?;
        sqlx::query("VACUUM INTO $1").bind(target).execute(&self.pool).await?;
        Ok(())
    }

    /// Copies the backup file into place; refuses to overwrite an existing database.
    pub(crate) async fn restore(backup: &Path, path: &Path) -> Result<Self, StoreError> {
        if path.exists() {
            return Err(StoreError::Backup(format!(
                "{} exists: restore only into an empty data directory",
                path.display()
            )));
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| StoreError::Backup(format!("{}: {e}", parent.display())))?;
        }
        crate::owner_only_file(path)?;
        std::fs::copy(backup, path)
            .map_err(|e| StoreError::Backup(format!("copying {}: {e}", backup.display())))?;
        SqliteStore::open(path).await
    }
}

crate::sql::impl_store!(SqliteStore, crate::Backend::Sqlite);
crate::records_sql::impl_records!(SqliteStore, sqlx::Sqlite, "BEGIN IMMEDIATE", "", false);
