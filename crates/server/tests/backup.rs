//! The restore drill, on SQLite and PostgreSQL: back up a database in use, restore it into a fresh
//! one, and start the server on it: the accounts are there and the epoch is new. Restoring over a
//! database in use is refused.

mod common;

use common::{Database, Server};
use reqwest::{Client, StatusCode};
use serde_json::Value;

const PASSWORD: &str = "admin-passwort-lang";

async fn epoch(server: &Server) -> String {
    let health: Value = Client::new().get(server.api("/health")).send().await.unwrap().json().await.unwrap();
    health["epoch"].as_str().unwrap().to_owned()
}

fn run(database: &Database, args: &[&str]) -> std::process::Output {
    database.command().args(args).output().unwrap()
}

async fn restore_drill(original: Database, fresh: Database) {
    assert!(original.create_admin("Träger", "admin", PASSWORD).status.success());
    let server = Server::start(&original);
    let original_epoch = epoch(&server).await;

    // The backup is taken while the server runs.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("begleitbuch.backup");
    let file_arg = file.to_str().unwrap();
    let backup = run(&original, &["backup", "--to", file_arg]);
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    assert!(String::from_utf8_lossy(&backup.stdout).contains("Sicherung geschrieben"));
    let again = run(&original, &["backup", "--to", file_arg]);
    assert!(!again.status.success(), "an existing backup file is never overwritten");
    // The backup, and an SQLite database, are readable by their owner only.
    let mut private = vec![file.clone()];
    if let Database::Sqlite(data) = &original {
        private.push(data.path().join(begleitbuch_store::SQLITE_FILE));
    }
    for path in private {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", path.display());
    }
    drop(server);

    let refused = run(&original, &["restore", "--from", file_arg]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("restore only into"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );

    let restored = run(&fresh, &["restore", "--from", file_arg]);
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));
    let server = Server::start(&fresh);
    let restored_epoch = epoch(&server).await;
    assert_ne!(restored_epoch, original_epoch, "a restored copy has a new epoch");
    assert!(String::from_utf8_lossy(&restored.stdout).contains(&restored_epoch));

    let sign_in = common::browser_sign_in(&Client::new(), &server, "admin", PASSWORD, "office").await;
    assert_eq!(sign_in.status(), StatusCode::OK, "the account came back with the restore");
}

#[tokio::test]
async fn sqlite_restore_drill() {
    restore_drill(Database::sqlite(), Database::sqlite()).await;
}

#[tokio::test]
async fn postgres_restore_drill() {
    restore_drill(Database::postgres().await, Database::postgres().await).await;
}
