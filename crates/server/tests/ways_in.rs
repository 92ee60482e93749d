//! The three ways in, through the real binary on SQLite and PostgreSQL: each role signs in on its own
//! (and is sent to it from the others), a browser's sign-in is an HttpOnly cookie with a CSRF token for
//! changes, it is no device, it ends by sign-out, by idling and by a password change elsewhere.

mod common;

use common::{browser_sign_in, signed_in_browser, Database, Server};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

const PASSWORD: &str = "demo-begleitbuch";

async fn code_of(response: Response) -> (StatusCode, String) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    (status, body["error"]["code"].as_str().unwrap_or_default().to_owned())
}

async fn tablet_sign_in(client: &Client, server: &Server, login: &str) -> Response {
    let device = Uuid::now_v7();
    client
        .post(server.api("/auth/sign-in"))
        .json(&json!({ "login": login, "password": PASSWORD, "device": { "id": device, "label": "Tablet", "secret": common::device_secret(device) } }))
        .send()
        .await
        .unwrap()
}

async fn ways_in(database: Database) {
    let (server, _) = Server::start_reading(&database, &["--demo"], 5);
    let client = Client::new();

    // Each role on another's way in is sent to its own, once the password matched; a wrong password
    // reveals nothing about the role.
    for (login, way, code) in [
        ("begleitung01", "office", "use_tablet"),
        ("begleitung01", "parents", "use_tablet"),
        ("eltern01", "office", "use_parents_pages"),
        ("teamleitung", "parents", "use_office"),
        ("admin", "parents", "use_office"),
    ] {
        let refused = code_of(browser_sign_in(&client, &server, login, PASSWORD, way).await).await;
        assert_eq!(refused, (StatusCode::FORBIDDEN, code.to_owned()), "{login} at {way}");
    }
    for (login, code) in [("eltern01", "use_parents_pages"), ("admin", "use_office")] {
        let refused = code_of(tablet_sign_in(&client, &server, login).await).await;
        assert_eq!(refused, (StatusCode::FORBIDDEN, code.to_owned()), "{login} on a tablet");
    }
    let wrong =
        code_of(browser_sign_in(&client, &server, "eltern01", "falsches-passwort", "office").await).await;
    assert_eq!(wrong, (StatusCode::UNAUTHORIZED, "invalid_credentials".to_owned()));
    let tablet_way =
        code_of(browser_sign_in(&client, &server, "begleitung01", PASSWORD, "tablet").await).await;
    assert_eq!(tablet_way, (StatusCode::UNPROCESSABLE_ENTITY, "invalid_way".to_owned()));

    // The office's sign-in: a cookie no script reads and no other site's request carries.
    let response = browser_sign_in(&client, &server, "teamleitung", PASSWORD, "office").await;
    assert_eq!(response.status(), StatusCode::OK);
    let set_cookie = response.headers()[reqwest::header::SET_COOKIE].to_str().unwrap().to_owned();
    for attribute in ["__Host-begleitbuch=", "Path=/", "Secure", "HttpOnly", "SameSite=Strict"] {
        assert!(set_cookie.contains(attribute), "{attribute} in {set_cookie}");
    }
    let devices_before: Value = {
        let lead = signed_in_browser(&client, &server, "teamleitung", PASSWORD, "office").await;
        common::authenticated(client.get(server.api("/devices")), &lead)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    };
    let office = signed_in_browser(&client, &server, "teamleitung", PASSWORD, "office").await;
    let cookie = office["cookie"].as_str().unwrap();
    let get = |path: &str| client.get(server.api(path)).header("cookie", cookie);
    let post = |path: &str| client.post(server.api(path)).header("cookie", cookie).json(&json!({}));

    // Reading needs the cookie only; the office lists the tablets, and browsers are not among them.
    let devices: Value = get("/devices").send().await.unwrap().json().await.unwrap();
    assert_eq!(devices, devices_before, "signing in from a browser registers no device");
    let tablet = tablet_sign_in(&client, &server, "begleitung02").await;
    assert_eq!(tablet.status(), StatusCode::OK);
    let devices: Value = get("/devices").send().await.unwrap().json().await.unwrap();
    assert_eq!(devices.as_array().unwrap().len(), devices_before.as_array().unwrap().len() + 1);
    let again: Value = get("/auth/browser").send().await.unwrap().json().await.unwrap();
    assert_eq!(again["csrf_token"], office["csrf_token"], "a reloaded page gets its CSRF token back");
    assert_eq!(
        (again["way"].as_str(), again["user"]["login"].as_str()),
        (Some("office"), Some("teamleitung"))
    );

    // Changing something needs the CSRF token too.
    let lead_id = office["user"]["id"].as_str().unwrap();
    for token in [None, Some("falsch")] {
        let mut request = post(&format!("/users/{lead_id}/revoke-tokens"));
        if let Some(token) = token {
            request = request.header("x-csrf-token", token);
        }
        assert_eq!(
            code_of(request.send().await.unwrap()).await,
            (StatusCode::FORBIDDEN, "csrf_token_invalid".to_owned())
        );
    }
    // A browser keeps no copy: it neither pushes nor pulls.
    let csrf = office["csrf_token"].as_str().unwrap();
    let pull = client
        .post(server.api("/sync/pull"))
        .header("cookie", cookie)
        .header("x-csrf-token", csrf)
        .json(&json!({"protocol": 2, "cursors": [], "limit": 10}))
        .send()
        .await
        .unwrap();
    assert_eq!(code_of(pull).await, (StatusCode::FORBIDDEN, "tablet_only".to_owned()));
    // The parents' page is the parents'.
    assert_eq!(
        code_of(get("/family").send().await.unwrap()).await,
        (StatusCode::FORBIDDEN, "forbidden".to_owned())
    );

    // A password changed in one browser ends the other browser's sign-in, not this one's.
    let other = signed_in_browser(&client, &server, "teamleitung", PASSWORD, "office").await;
    let changed = client
        .post(server.api("/me/password"))
        .header("cookie", cookie)
        .header("x-csrf-token", csrf)
        .json(&json!({"current_password": PASSWORD, "new_password": "neues-passwort-lang"}))
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    let ended = common::authenticated(client.get(server.api("/me")), &other).send().await.unwrap();
    assert_eq!(code_of(ended).await, (StatusCode::UNAUTHORIZED, "signed_out".to_owned()));
    assert_eq!(get("/me").send().await.unwrap().status(), StatusCode::OK);

    // Sign-out ends it and deletes the cookie; without the CSRF token it is refused (no forced sign-out).
    let forced = post("/auth/browser/sign-out").send().await.unwrap();
    assert_eq!(code_of(forced).await, (StatusCode::FORBIDDEN, "csrf_token_invalid".to_owned()));
    let signed_out = post("/auth/browser/sign-out").header("x-csrf-token", csrf).send().await.unwrap();
    assert_eq!(signed_out.status(), StatusCode::NO_CONTENT);
    let cleared = signed_out.headers()[reqwest::header::SET_COOKIE].to_str().unwrap();
    assert!(cleared.starts_with("__Host-begleitbuch=;") && cleared.contains("Max-Age=0"), "{cleared}");
    assert_eq!(
        code_of(get("/me").send().await.unwrap()).await,
        (StatusCode::UNAUTHORIZED, "signed_out".to_owned())
    );

    // A parent's first page: their child, read-only.
    let parent = signed_in_browser(&client, &server, "eltern01", PASSWORD, "parents").await;
    let family: Value = common::authenticated(client.get(server.api("/family")), &parent)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(family.as_array().unwrap().len(), 1, "{family}");
    let devices = common::authenticated(client.get(server.api("/devices")), &parent).send().await.unwrap();
    assert_eq!(code_of(devices).await, (StatusCode::FORBIDDEN, "forbidden".to_owned()));

    // A sign-in not used for half an hour has ended.
    let idle = signed_in_browser(&client, &server, "admin", PASSWORD, "office").await;
    let token = idle["cookie"].as_str().unwrap().split_once('=').unwrap().1;
    let store = match &database {
        Database::Sqlite(dir) => begleitbuch_store::open(None, dir.path()).await.unwrap(),
        Database::Postgres(url) => {
            begleitbuch_store::open(Some(url), std::path::Path::new(".")).await.unwrap()
        }
    };
    let hash = begleitbuch_server::auth::token_hash(token);
    let last_seen = store.browser_sign_in(&hash).await.unwrap().unwrap().last_seen_at;
    store
        .touch_browser_sign_in(&hash, last_seen - begleitbuch_server::auth::BROWSER_IDLE_MILLIS)
        .await
        .unwrap();
    let idled = common::authenticated(client.get(server.api("/me")), &idle).send().await.unwrap();
    assert_eq!(code_of(idled).await, (StatusCode::UNAUTHORIZED, "signed_out".to_owned()));
}

#[tokio::test]
async fn each_role_signs_in_on_its_own_way_on_sqlite() {
    ways_in(Database::sqlite()).await;
}

#[tokio::test]
async fn each_role_signs_in_on_its_own_way_on_postgres() {
    ways_in(Database::postgres().await).await;
}
