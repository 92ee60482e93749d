//! The real server binary on port 0, against a temporary SQLite file and against PostgreSQL.

mod common;

use std::path::Path;
use std::process::Command;

use common::{Database, Server};

async fn check_health_and_routing(server: &Server, database: &str) {
    let client = reqwest::Client::new();
    let health = client.get(format!("{}/api/v1/health", server.url)).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.headers()["cache-control"], "no-store");
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], database);

    let deep_link = client.get(format!("{}/woche", server.url)).send().await.unwrap();
    assert_eq!(deep_link.status(), 200);
    assert_eq!(deep_link.headers()["cache-control"], "no-cache");
    assert!(deep_link.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert!(deep_link.text().await.unwrap().contains("<title>Begleitbuch</title>"));
    // Each way in's routes get its own app.
    for (path, title) in [
        ("/buero", "Büro"),
        ("/buero/tablets", "Büro"),
        ("/eltern/", "Eltern"),
        ("/elternabend", "Begleitbuch"),
    ] {
        let page = client.get(format!("{}{path}", server.url)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{path}");
        assert!(page.text().await.unwrap().contains(&format!("<title>{title}</title>")), "{path}");
    }

    let wasm = client.get(format!("{}/app-0123456789abcdef_bg.wasm", server.url)).send().await.unwrap();
    assert_eq!(wasm.headers()["cache-control"], "public, max-age=31536000, immutable");

    let unknown = client.get(format!("{}/api/v1/nope", server.url)).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    let error: serde_json::Value = unknown.json().await.unwrap();
    assert_eq!(error["error"]["code"], "not_found");
}

#[tokio::test]
async fn serves_app_and_api_on_sqlite() {
    let database = Database::sqlite();
    let server = Server::start(&database);
    check_health_and_routing(&server, "sqlite").await;
    assert!(database.sqlite_file().unwrap().exists());
}

#[tokio::test]
async fn serves_app_and_api_on_postgres() {
    let database = Database::postgres().await;
    let server = Server::start(&database);
    check_health_and_routing(&server, "postgres").await;
}

#[test]
fn help_documents_every_flag_and_environment_variable() {
    let output = Command::new(env!("CARGO_BIN_EXE_begleitbuch-server")).arg("--help").output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "--listen",
        "BEGLEITBUCH_LISTEN",
        "--data-dir",
        "BEGLEITBUCH_DATA_DIR",
        "--database-url",
        "DATABASE_URL",
        "--assets-dir",
        "BEGLEITBUCH_ASSETS_DIR",
        "--log-format",
        "RUST_LOG",
        "create-admin",
        "backup",
        "restore",
        "--demo",
        "BEGLEITBUCH_DEMO",
        "--trusted-proxies",
        "BEGLEITBUCH_TRUSTED_PROXIES",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}:\n{help}");
    }
}

#[test]
fn refuses_to_start_without_the_built_app() {
    let data = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_begleitbuch-server"))
        .args(["--listen", "127.0.0.1:0", "--assets-dir", "/nonexistent/dist", "--data-dir"])
        .arg(data.path())
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("the built web app is missing in /nonexistent/dist"), "{stderr}");
    assert!(
        !Path::new(&data.path().join("begleitbuch.sqlite3")).exists(),
        "no database before the app is found"
    );
}

#[tokio::test]
async fn every_path_in_the_openapi_description_is_routed() {
    let database = Database::sqlite();
    let server = Server::start(&database);
    let client = reqwest::Client::new();
    let description: serde_json::Value =
        client.get(server.api("/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(description["openapi"], "3.1.0");
    let paths = description["paths"].as_object().unwrap();
    assert!(paths.len() >= 12, "{:?}", paths.keys());
    for (path, operations) in paths {
        let url = server.api(&path.replace("{id}", &uuid::Uuid::now_v7().to_string()));
        for (method, operation) in operations.as_object().unwrap() {
            // Regression: two operations named `{id}` in their path without declaring it, which
            // makes the description invalid for every client generator (the fuzzer refused them).
            if path.contains("{id}") {
                let declared = operation["parameters"].as_array().into_iter().flatten();
                assert!(
                    declared.into_iter().any(|p| p["name"] == "id" && p["in"] == "path"),
                    "{method} {path} does not declare its id"
                );
            }
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response =
                client.request(method.clone(), &url).json(&serde_json::json!({})).send().await.unwrap();
            let status = response.status();
            let body = response.text().await.unwrap();
            assert!(
                !(status == 404 && body.contains("\"not_found\"")) && status != 405,
                "{method} {path} is documented but not routed: {status} {body}"
            );
        }
    }
}
