//! Demo mode through the real binary: the 42 Bremen schools with their FTE, a login for every role,
//! and a second start that finds the demo in place instead of seeding it twice.

mod common;

use common::{Database, Server};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

async fn demo_mode(database: Database) {
    let (server, printed) = Server::start_reading(&database, &["--demo"], 5);
    assert!(printed[0].contains("Passwort für alle Demo-Zugänge: demo-begleitbuch"), "{printed:?}");
    let logins: Vec<String> = printed[1..]
        .iter()
        .flat_map(|line| {
            line.split_whitespace().skip(1).map(|w| w.trim_end_matches(',').to_owned()).collect::<Vec<_>>()
        })
        .collect();
    assert!(logins.contains(&"admin".to_owned()) && logins.contains(&"eltern01".to_owned()), "{logins:?}");

    let client = Client::new();
    let mut roles = Vec::new();
    for login in &logins {
        // Each signs in on their own way in: parents on their pages, the admin and the team lead in the
        // office, companions on a tablet.
        let response = match login.as_str() {
            "eltern01" => common::browser_sign_in(&client, &server, login, "demo-begleitbuch", "parents").await,
            "admin" | "teamleitung" => {
                common::browser_sign_in(&client, &server, login, "demo-begleitbuch", "office").await
            }
            _ => {
                client
                    .post(server.api("/auth/sign-in"))
                    .json(&json!({ "login": login, "password": "demo-begleitbuch", "device": { "id": Uuid::now_v7(), "label": "Demo", "secret": common::device_secret(Uuid::now_v7()) } }))
                    .send()
                    .await
                    .unwrap()
            }
        };
        assert_eq!(response.status(), StatusCode::OK, "{login}");
        let signed_in: Value = response.json().await.unwrap();
        roles.push(signed_in["user"]["role"].as_str().unwrap().to_owned());
        if login == "eltern01" {
            // The parent's first page: their own child, with the consents that hold; nothing of the work.
            let family: Value = common::authenticated(
                client.get(server.api("/family")),
                &common::signed_in_browser(&client, &server, login, "demo-begleitbuch", "parents").await,
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
            let family = family.as_array().unwrap();
            assert_eq!(family.len(), 1, "{family:?}");
            assert_eq!(family[0]["consents"].as_array().unwrap().len(), 3, "every purpose: {family:?}");
            assert!(
                family[0]["consents"].as_array().unwrap().iter().any(|c| c["granted"] == true),
                "{family:?}"
            );
            assert!(!family[0]["institution"].as_str().unwrap().is_empty());
        }
        if login == "begleitung01" {
            let page: Value = client
                .post(server.api("/sync/pull"))
                .bearer_auth(signed_in["access_token"].as_str().unwrap())
                .json(&json!({"protocol": 1, "cursors": [], "limit": 1000}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let visible = |kind: &str| {
                page["records"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|r| r["kind"] == kind && r["deleted"] == false)
                    .count()
            };
            // The pool's four children, their goals and consents, and the companion's own weeks.
            assert_eq!(visible("child"), 4, "{login}");
            assert!(visible("time_entry") >= 40, "three weeks of entries");
            assert!(visible("group_session") >= 10);
        }
        if login == "teamleitung" {
            let office =
                common::signed_in_browser(&client, &server, login, "demo-begleitbuch", "office").await;
            let institutions: Value = common::authenticated(client.get(server.api("/institutions")), &office)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let institutions = institutions.as_array().unwrap();
            assert_eq!(institutions.len(), 42);
            let total: u64 = institutions.iter().map(|i| i["fte"]["2026"].as_u64().unwrap()).sum();
            assert_eq!(total, 7333, "73.33 FTE in hundredths");
            assert!(institutions.iter().any(|i| i["name"] == "Schule am Wasser" && i["region"] == "Nord"));
        }
    }
    for role in ["admin", "team_lead", "companion", "parent"] {
        assert!(roles.iter().any(|r| r == role), "{role} in {roles:?}");
    }
    drop(server);

    // A restart with --demo keeps the data and prints the same logins.
    let (_again, printed_again) = Server::start_reading(&database, &["--demo"], 5);
    assert_eq!(printed_again, printed);
}

#[tokio::test]
async fn sqlite_demo_mode() {
    demo_mode(Database::sqlite()).await;
}

#[tokio::test]
async fn postgres_demo_mode() {
    demo_mode(Database::postgres().await).await;
}
