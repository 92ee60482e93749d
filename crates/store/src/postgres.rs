use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;
use uuid::Uuid;

use crate::{new_epoch, parse_epoch, Backend, Store, StoreError};

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

#[async_trait]
impl Store for PostgresStore {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    async fn epoch(&self) -> Result<Uuid, StoreError> {
        let (epoch,): (String,) =
            sqlx::query_as("SELECT epoch FROM server_meta WHERE id = 1").fetch_one(&self.pool).await?;
        parse_epoch(&epoch)
    }
}
