//! The real server binary for integration tests: on port 0, with a temporary SQLite file or a fresh
//! PostgreSQL database (from the server `scripts/test.sh` starts; its admin URL in
//! `BEGLEITBUCH_TEST_POSTGRES_URL`). PostgreSQL tests never skip.
#![allow(dead_code)] // Each test file uses a different part of this module.

pub mod world;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

use sqlx::{Connection, Executor, PgConnection};

pub const POSTGRES_URL_VAR: &str = "BEGLEITBUCH_TEST_POSTGRES_URL";

/// Every test server's clock starts here (`--clock-start`): Friday of week 48 of the school year
/// 2026/27, the day the fixtures' dates are chosen around. So a test answers the same on whatever
/// day it runs — on the first of a month, too.
pub const TEST_NOW: &str = "2026-11-27T09:30:00+01:00";

/// The day of [`TEST_NOW`] in Europe/Berlin.
pub fn test_today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

/// Where a test server keeps its data.
pub enum Database {
    Sqlite(tempfile::TempDir),
    Postgres(String),
}

impl Database {
    pub fn sqlite() -> Self {
        Database::Sqlite(tempfile::tempdir().unwrap())
    }

    /// A fresh, empty PostgreSQL database with a unique name.
    pub async fn postgres() -> Self {
        let admin_url = std::env::var(POSTGRES_URL_VAR).unwrap_or_else(|_| {
            panic!(
                "{POSTGRES_URL_VAR} is not set: run scripts/test.sh, which starts PostgreSQL for the tests"
            )
        });
        let name = format!("begleitbuch_test_{}", uuid::Uuid::now_v7().simple());
        let mut admin =
            PgConnection::connect(&admin_url).await.expect("connect to the test PostgreSQL server");
        admin.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create test database");
        let (base, _) = admin_url.rsplit_once('/').expect("URL ends in /database");
        Database::Postgres(format!("{base}/{name}"))
    }

    pub fn name(&self) -> &'static str {
        match self {
            Database::Sqlite(_) => "sqlite",
            Database::Postgres(_) => "postgres",
        }
    }

    /// The server's command with this database chosen.
    pub fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_begleitbuch-server"));
        command.env_remove("DATABASE_URL").env("RUST_LOG", "warn").env("BEGLEITBUCH_CLOCK_START", TEST_NOW);
        match self {
            Database::Sqlite(dir) => command.arg("--data-dir").arg(dir.path()),
            Database::Postgres(url) => command.env("DATABASE_URL", url),
        };
        command
    }

    pub fn sqlite_file(&self) -> Option<std::path::PathBuf> {
        match self {
            Database::Sqlite(dir) => Some(dir.path().join("begleitbuch.sqlite3")),
            Database::Postgres(_) => None,
        }
    }

    /// Runs `create-admin` with the password on standard input, as an operator would.
    pub fn create_admin(&self, provider: &str, login: &str, password: &str) -> std::process::Output {
        let mut child = self
            .command()
            .args(["create-admin", "--provider", provider, "--login", login, "--display-name", "Admin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    }
}

pub struct Server {
    child: Child,
    pub url: String,
    _assets: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn assets_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<!doctype html><title>Begleitbuch</title>").unwrap();
    for (app, title) in [("buero", "Büro"), ("eltern", "Eltern")] {
        std::fs::create_dir(dir.path().join(app)).unwrap();
        std::fs::write(
            dir.path().join(app).join("index.html"),
            format!("<!doctype html><title>{title}</title>"),
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("app-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
    dir
}

impl Server {
    /// Starts the binary on a free port and waits for the line with its URL.
    pub fn start(database: &Database) -> Server {
        Server::start_reading(database, &[], 0).0
    }

    /// Like [`Server::start`] with extra arguments; also returns the `after_url_lines` lines the server
    /// printed after the URL line.
    pub fn start_reading(
        database: &Database,
        args: &[&str],
        after_url_lines: usize,
    ) -> (Server, Vec<String>) {
        let assets = assets_dir();
        let mut child = database
            .command()
            .args(["--listen", "127.0.0.1:0", "--assets-dir"])
            .arg(assets.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("server binary starts");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let url =
            line.split_whitespace().find(|w| w.starts_with("http://")).expect("URL on stdout").to_string();
        let printed = (0..after_url_lines)
            .map(|_| {
                let mut line = String::new();
                stdout.read_line(&mut line).unwrap();
                line.trim_end().to_owned()
            })
            .collect();
        (Server { child, url: url.trim_end_matches('/').to_string(), _assets: assets }, printed)
    }

    /// Kills the process with SIGKILL: no graceful shutdown, as in a crash or a power cut.
    pub fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    pub fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }
}

/// The secret a test device presents at sign-in (64 hex characters, like a tablet's), fixed per id so
/// that a test can sign in on the same device again.
pub fn device_secret(device: uuid::Uuid) -> String {
    format!("{:032x}{:032x}", device.as_u128(), !device.as_u128())
}

/// Signs in from a browser (the office or the parents' pages) and returns the answer with the sign-in
/// cookie added under `"cookie"` (`name=value`), as a browser would keep it.
pub async fn browser_sign_in(
    client: &reqwest::Client,
    server: &Server,
    login: &str,
    password: &str,
    way: &str,
) -> reqwest::Response {
    client
        .post(server.api("/auth/browser/sign-in"))
        .json(&serde_json::json!({ "login": login, "password": password, "way": way }))
        .send()
        .await
        .unwrap()
}

/// A browser's signed-in state: the answer of [`browser_sign_in`] with the cookie under `"cookie"`.
pub async fn signed_in_browser(
    client: &reqwest::Client,
    server: &Server,
    login: &str,
    password: &str,
    way: &str,
) -> serde_json::Value {
    let response = browser_sign_in(client, server, login, password, way).await;
    assert_eq!(response.status(), reqwest::StatusCode::OK, "browser sign-in of {login}");
    let cookie = response
        .headers()
        .get(reqwest::header::SET_COOKIE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .expect("a sign-in cookie")
        .to_owned();
    let mut answer: serde_json::Value = response.json().await.unwrap();
    answer["cookie"] = serde_json::Value::from(cookie);
    answer
}

/// Adds what authenticates `signed_in` to a request: a tablet's bearer token, or a browser's cookie and
/// CSRF token.
pub fn authenticated(
    request: reqwest::RequestBuilder,
    signed_in: &serde_json::Value,
) -> reqwest::RequestBuilder {
    match signed_in.get("cookie").and_then(serde_json::Value::as_str) {
        Some(cookie) => request
            .header(reqwest::header::COOKIE, cookie)
            .header("x-csrf-token", signed_in["csrf_token"].as_str().unwrap()),
        None => request.bearer_auth(signed_in["access_token"].as_str().unwrap()),
    }
}
