use std::path::Path;
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

use crate::{new_epoch, StoreError};

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// PostgreSQL, for providers that outgrow one machine. Migrations take an advisory lock, so several
/// server instances may start against the same database at once.
pub struct PostgresStore {
    pool: PgPool,
    /// For `pg_dump`, which connects on its own.
    url: String,
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
        Ok(PostgresStore { pool, url: url.to_owned() })
    }

    async fn backup_into(&self, target: &Path) -> Result<(), StoreError> {
        let mut command = tool("pg_dump", &self.url);
        // pg_dump writes into the file as it finds it: made owner-only first.
        crate::owner_only_file(target)?;
        run_tool(command.args(["--format=custom", "--no-owner", "--file"]).arg(target)).await
    }

    /// `pg_restore` into a database that has no tables yet; refuses a database in use.
    pub(crate) async fn restore(backup: &Path, url: &str) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new().max_connections(1).connect(url).await?;
        let (in_use,): (bool,) =
            sqlx::query_as("SELECT to_regclass('public.server_meta') IS NOT NULL").fetch_one(&pool).await?;
        pool.close().await;
        if in_use {
            return Err(StoreError::Backup(
                "the target database is not empty: restore only into a new database".into(),
            ));
        }
        let mut command = tool("pg_restore", url);
        run_tool(command.args(["--no-owner", "--exit-on-error"]).arg(backup)).await?;
        PostgresStore::connect(url).await
    }
}

/// A PostgreSQL client tool connected to `url`. The password travels in `PGPASSWORD`, not on the command
/// line, where every user of the machine could read it in the process list.
fn tool(program: &str, url: &str) -> tokio::process::Command {
    let (url, password) = split_password(url);
    let mut command = tokio::process::Command::new(program);
    command.arg("--dbname").arg(url);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    command
}

/// `postgres://user:secret@host/db` → (`postgres://user@host/db`, `secret`), the password
/// percent-decoded.
fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else { return (url.to_owned(), None) };
    let Some((credentials, host_and_path)) = rest.split_once('@') else { return (url.to_owned(), None) };
    let Some((user, password)) = credentials.split_once(':') else { return (url.to_owned(), None) };
    (format!("{scheme}://{user}@{host_and_path}"), Some(percent_decode(password)))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// Runs a PostgreSQL client tool and turns a failure into an error with what it printed.
async fn run_tool(command: &mut tokio::process::Command) -> Result<(), StoreError> {
    let program = command.as_std().get_program().to_string_lossy().into_owned();
    let output =
        command.output().await.map_err(|e| StoreError::Backup(format!("cannot run {program}: {e}")))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(StoreError::Backup(String::from_utf8_lossy(&output.stderr).trim().to_owned()))
    }
}

crate::sql::impl_store!(PostgresStore, crate::Backend::Postgres);
crate::records_sql::impl_records!(PostgresStore, sqlx::Postgres, "BEGIN", " FOR UPDATE", true);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url() {
        assert_eq!(
            split_password("postgres://app:s%40cret%3A1@db.example:5432/begleitbuch?sslmode=require"),
            (
                "postgres://app@db.example:5432/begleitbuch?sslmode=require".to_owned(),
                Some("s@cret:1".to_owned())
            )
        );
        assert_eq!(
            split_password("postgres://app@db/begleitbuch"),
            ("postgres://app@db/begleitbuch".to_owned(), None)
        );
        assert_eq!(split_password("postgres:///begleitbuch"), ("postgres:///begleitbuch".to_owned(), None));
    }
}
