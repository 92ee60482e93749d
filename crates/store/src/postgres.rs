use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

use crate::{new_epoch, StoreError};

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// PostgreSQL, for providers that outgrow one machine. Migrations take an advisory lock, so several
/// server instances may start against the same database at once.
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await?;
        MIGRATIONS.run(&pool).await?;
        let (epoch, created_at) = new_epoch();
        sqlx::query(
            "INSERT INTO server_meta (id, epoch, created_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING",
        )
        .bind(epoch)
        .bind(created_at)
        .execute(&pool)
        .await?;
        Ok(PostgresStore { pool })
    }
}

crate::sql::impl_store!(PostgresStore, crate::Backend::Postgres);
