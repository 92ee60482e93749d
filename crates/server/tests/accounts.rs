//! Accounts, devices and tokens through the real binary, on SQLite and on PostgreSQL: the first admin
//! from the CLI, sign-in from two devices, refresh, revocation with the wipe signal, password reset and
//! change, the sign-in rate limit, and bad input answered with codes.

mod common;

use common::{Database, Server};
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

const ADMIN_PASSWORD: &str = "admin-passwort-lang";

async fn code_of(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    (status, body["error"].clone())
}

async fn sign_in(client: &Client, server: &Server, login: &str, password: &str, device: Uuid) -> Response {
    client
        .post(server.api("/auth/sign-in"))
        .json(&json!({ "login": login, "password": password, "device": { "id": device, "label": "Tablet 2b", "secret": common::device_secret(device) } }))
        .send()
        .await
        .unwrap()
}

async fn signed_in_tablet(
    client: &Client,
    server: &Server,
    login: &str,
    password: &str,
    device: Uuid,
) -> Value {
    let response = sign_in(client, server, login, password, device).await;
    assert_eq!(response.status(), StatusCode::OK, "sign-in of {login}");
    response.json().await.unwrap()
}

/// GET `path` as `signed_in` (a tablet's or a browser's).
async fn get_as(client: &Client, server: &Server, signed_in: &Value, path: &str) -> Response {
    common::authenticated(client.get(server.api(path)), signed_in).send().await.unwrap()
}

/// POST `body` to `path` as `signed_in`.
async fn post_as(client: &Client, server: &Server, signed_in: &Value, path: &str, body: Value) -> Response {
    common::authenticated(client.post(server.api(path)), signed_in).json(&body).send().await.unwrap()
}

async fn accounts_devices_and_tokens(database: Database) {
    let created = database.create_admin("Beispiel-Träger gGmbH", "Admin", ADMIN_PASSWORD);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    assert!(String::from_utf8_lossy(&created.stdout).contains("angelegt"));
    let short = database.create_admin("Beispiel-Träger gGmbH", "zweiter", "kurz");
    assert!(!short.status.success(), "a short password is refused");

    let server = Server::start(&database);
    let client = Client::new();
    let tablet_a = Uuid::now_v7();

    let (status, error) =
        code_of(sign_in(&client, &server, "admin", "falsches-passwort", tablet_a).await).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_credentials")));
    // The admin works in the office: a tablet's sign-in sends them there, after the password matched.
    let (status, error) = code_of(sign_in(&client, &server, " ADMIN ", ADMIN_PASSWORD, tablet_a).await).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::FORBIDDEN, Some("use_office")));
    let admin = common::signed_in_browser(&client, &server, " ADMIN ", ADMIN_PASSWORD, "office").await;
    assert_eq!(admin["user"]["role"], "admin");
    assert!(admin.get("password_hash").is_none() && admin["user"].get("password_hash").is_none());

    let me: Value = get_as(&client, &server, &admin, "/me").await.json().await.unwrap();
    assert_eq!(me["user"]["login"], "admin");
    assert!(me.get("device").is_none(), "a browser is no device: {me}");

    // The admin creates a companion, who signs in from two tablets: two devices.
    // Its first password is made by the server and answered once.
    let created = post_as(
        &client,
        &server,
        &admin,
        "/users",
        json!({ "login": "lena", "display_name": "Lena (Demo)", "role": "companion" }),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    let first = created["one_time_password"].as_str().unwrap().to_owned();
    assert_eq!(first.len(), 19, "{first}");
    let taken = post_as(
        &client,
        &server,
        &admin,
        "/users",
        json!({ "login": "Lena", "display_name": "Andere", "role": "companion" }),
    )
    .await;
    assert_eq!(code_of(taken).await.1["code"], "login_taken");
    let chosen = post_as(&client, &server, &admin, "/users", json!({ "login": "karl", "display_name": "Karl", "role": "companion", "password": "selbst-gewaehlt" })).await;
    assert_eq!(
        chosen.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a manager does not choose the first password"
    );

    let (tablet_b, tablet_c) = (Uuid::now_v7(), Uuid::now_v7());
    let lena_b = signed_in_tablet(&client, &server, "lena", &first, tablet_b).await;
    let lena_c = signed_in_tablet(&client, &server, "lena", &first, tablet_c).await;
    assert_eq!(lena_b["user"]["must_change_password"], true);
    let devices: Value = get_as(&client, &server, &admin, "/devices").await.json().await.unwrap();
    let ids: Vec<&str> = devices.as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 2, "the office's browser is not among the tablets: {devices}");
    for tablet in [tablet_b, tablet_c] {
        assert!(ids.contains(&tablet.to_string().as_str()));
    }
    // A first password chosen by the admin must be changed before anything else: sync, records and
    // everything but "who am I" and the change itself are refused with a code.
    for path in ["/devices", "/pools", "/institutions"] {
        let (status, error) = code_of(get_as(&client, &server, &lena_b, path).await).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::FORBIDDEN, Some("password_change_required")),
            "{path}"
        );
    }
    let pull =
        post_as(&client, &server, &lena_b, "/sync/pull", json!({"protocol": 1, "cursors": [], "limit": 10}))
            .await;
    assert_eq!(code_of(pull).await.1["code"], "password_change_required");
    assert_eq!(get_as(&client, &server, &lena_b, "/me").await.status(), StatusCode::OK);
    let changed = post_as(
        &client,
        &server,
        &lena_b,
        "/me/password",
        json!({ "current_password": first, "new_password": "lenas-eigenes-passwort" }),
    )
    .await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    let pull =
        post_as(&client, &server, &lena_b, "/sync/pull", json!({"protocol": 1, "cursors": [], "limit": 10}))
            .await;
    assert_eq!(pull.status(), StatusCode::OK, "changed: the same sign-in may sync");
    // Whoever knew the first password is signed out on every other device.
    let (status, error) = code_of(get_as(&client, &server, &lena_c, "/me").await).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("token_invalid")));
    let lena_c = signed_in_tablet(&client, &server, "lena", "lenas-eigenes-passwort", tablet_c).await;
    let forbidden = get_as(&client, &server, &lena_b, "/devices").await;
    assert_eq!(
        code_of(forbidden).await,
        (StatusCode::FORBIDDEN, json!({ "code": "forbidden", "message": "your role may not do this" }))
    );

    // A refresh token buys a new access token.
    let refreshed: Value = client
        .post(server.api("/auth/token"))
        .json(&json!({ "refresh_token": lena_b["refresh_token"] }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_ne!(refreshed["access_token"], lena_b["access_token"]);
    let me = get_as(&client, &server, &refreshed, "/me").await;
    assert_eq!(me.status(), StatusCode::OK);

    // Revoking tablet B: its tokens stop working and it is told to wipe; tablet C is unaffected.
    let revoked = post_as(&client, &server, &admin, &format!("/devices/{tablet_b}/revoke"), json!({})).await;
    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    let (status, error) = code_of(
        client
            .post(server.api("/auth/token"))
            .json(&json!({ "refresh_token": lena_b["refresh_token"] }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, &error["code"], &error["wipe"]),
        (StatusCode::FORBIDDEN, &json!("device_revoked"), &json!(true))
    );
    let (status, error) =
        code_of(sign_in(&client, &server, "lena", "lenas-eigenes-passwort", tablet_b).await).await;
    assert_eq!((status, error["wipe"].as_bool()), (StatusCode::FORBIDDEN, Some(true)));
    let still = get_as(&client, &server, &lena_c, "/me").await;
    assert_eq!(still.status(), StatusCode::OK);

    // A reset signs the user out everywhere; the new password must be changed.
    let lena_id = lena_c["user"]["id"].as_str().unwrap().to_owned();
    let reset = post_as(&client, &server, &admin, &format!("/users/{lena_id}/password"), json!({})).await;
    assert_eq!(reset.status(), StatusCode::OK);
    let reset: Value = reset.json().await.unwrap();
    let reset = reset["one_time_password"].as_str().unwrap().to_owned();
    assert_ne!(reset, first);
    let (status, error) = code_of(get_as(&client, &server, &lena_c, "/me").await).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("token_invalid")));
    let lena = signed_in_tablet(&client, &server, "lena", &reset, tablet_c).await;
    assert_eq!(lena["user"]["must_change_password"], true);
    let wrong_current = post_as(
        &client,
        &server,
        &lena,
        "/me/password",
        json!({ "current_password": "falsch-falsch", "new_password": "mein-eigenes-passwort" }),
    )
    .await;
    assert_eq!(code_of(wrong_current).await.1["code"], "wrong_current_password");
    let changed = post_as(
        &client,
        &server,
        &lena,
        "/me/password",
        json!({ "current_password": reset, "new_password": "mein-eigenes-passwort" }),
    )
    .await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    let lena = signed_in_tablet(&client, &server, "lena", "mein-eigenes-passwort", tablet_c).await;
    assert_eq!(lena["user"]["must_change_password"], false);

    // A companion may not manage accounts, not even their own role's.
    let (status, _) = code_of(
        post_as(&client, &server, &lena, &format!("/users/{lena_id}/revoke-tokens"), json!({})).await,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Five wrong passwords lock the account's sign-in, even for the right password afterwards.
    for _ in 0..5 {
        let (status, _) =
            code_of(sign_in(&client, &server, "lena", "falsches-passwort", tablet_c).await).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, error) =
        code_of(sign_in(&client, &server, "lena", "mein-eigenes-passwort", tablet_c).await).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("too_many_attempts")));
}

#[tokio::test]
async fn sqlite_accounts_devices_and_tokens() {
    accounts_devices_and_tokens(Database::sqlite()).await;
}

#[tokio::test]
async fn postgres_accounts_devices_and_tokens() {
    accounts_devices_and_tokens(Database::postgres().await).await;
}

/// Refresh tokens rotate: each use answers a successor. The replaced token still works within the
/// grace window (the answer may have been lost on the way), and its own replacement then is the one
/// that counts; presented after the window, it ends the tablet's session for the user — a copy is in
/// someone else's hands. The server is restarted with its clock 31 minutes on to pass the window.
async fn refresh_tokens_rotate_with_a_grace_window(database: Database) {
    let (server, _) = Server::start_reading(&database, &["--demo"], 5);
    let client = Client::new();
    let tablet = Uuid::now_v7();
    let first = signed_in_tablet(&client, &server, "begleitung01", "demo-begleitbuch", tablet).await;
    let refresh = async |server: &Server, token: &Value| {
        client.post(server.api("/auth/token")).json(&json!({ "refresh_token": token })).send().await.unwrap()
    };
    let successor = async |response: Response| {
        assert_eq!(response.status(), StatusCode::OK);
        let answer: Value = response.json().await.unwrap();
        answer["refresh_token"].clone()
    };
    let r0 = first["refresh_token"].clone();
    let r1 = successor(refresh(&server, &r0).await).await;
    assert!(r1.is_string() && r1 != r0);
    // The answer with r1 was lost: r0 again, within the window, answers r2 and r1 is void.
    let r2 = successor(refresh(&server, &r0).await).await;
    assert!(r2 != r1 && r2 != r0);
    let (status, error) = code_of(refresh(&server, &r1).await).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("refresh_token_invalid")));
    let r3 = successor(refresh(&server, &r2).await).await;
    let access = refresh(&server, &r3).await;
    let access: Value = access.json().await.unwrap();
    let r4 = access["refresh_token"].clone();
    assert_eq!(get_as(&client, &server, &access, "/me").await.status(), StatusCode::OK);
    drop(server);

    // 31 minutes on, r3 (replaced by r4) comes back: the session ends, r4 and the access token too.
    let later =
        chrono::DateTime::parse_from_rfc3339(common::TEST_NOW).unwrap() + chrono::Duration::minutes(31);
    let (server, _) = Server::start_reading(&database, &["--clock-start", &later.to_rfc3339()], 0);
    let (status, error) = code_of(refresh(&server, &r3).await).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("refresh_token_invalid")));
    let (status, _) = code_of(refresh(&server, &r4).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the session is over");
    assert_eq!(get_as(&client, &server, &access, "/me").await.status(), StatusCode::UNAUTHORIZED);
    // Signing in online again starts a new session on the same tablet.
    let again = signed_in_tablet(&client, &server, "begleitung01", "demo-begleitbuch", tablet).await;
    assert!(successor(refresh(&server, &again["refresh_token"]).await).await.is_string());
}

#[tokio::test]
async fn sqlite_refresh_tokens_rotate_with_a_grace_window() {
    refresh_tokens_rotate_with_a_grace_window(Database::sqlite()).await;
}

#[tokio::test]
async fn postgres_refresh_tokens_rotate_with_a_grace_window() {
    refresh_tokens_rotate_with_a_grace_window(Database::postgres().await).await;
}

#[tokio::test]
async fn bad_input_gets_a_code_never_a_500() {
    let database = Database::sqlite();
    let server = Server::start(&database);
    let client = Client::new();
    let sign_in_url = server.api("/auth/sign-in");

    let cases: Vec<(reqwest::RequestBuilder, StatusCode, &str)> = vec![
        (
            client.post(&sign_in_url).header("content-type", "application/json").body("{ not json"),
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            client.post(&sign_in_url).json(&json!({ "login": "a", "password": "b", "device": { "id": Uuid::now_v7(), "label": "x" }, "role": "admin" })),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            client.post(&sign_in_url).json(&json!({ "login": "a", "password": "b", "device": { "id": "not-a-uuid", "label": "x" } })),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_body",
        ),
        (
            client.post(&sign_in_url).json(&json!({ "login": "a", "password": "b", "device": { "id": Uuid::now_v7(), "label": "  " } })),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_device_label",
        ),
        (client.post(&sign_in_url).body("login=a"), StatusCode::UNSUPPORTED_MEDIA_TYPE, "json_required"),
        (
            client.post(&sign_in_url).header("content-type", "application/json").body(vec![b' '; (1 << 20) + 1]),
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
        ),
        (client.get(server.api("/me")), StatusCode::UNAUTHORIZED, "unauthenticated"),
        (client.get(server.api("/me")).header("authorization", "Bearer nonsense"), StatusCode::UNAUTHORIZED, "token_invalid"),
        (
            client.post(server.api("/auth/token")).json(&json!({ "refresh_token": "nonsense" })),
            StatusCode::UNAUTHORIZED,
            "refresh_token_invalid",
        ),
        (client.post(server.api("/devices/not-a-uuid/revoke")), StatusCode::UNAUTHORIZED, "unauthenticated"),
        (client.delete(server.api("/me")), StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
        (client.get(server.api("/nothing-here")), StatusCode::NOT_FOUND, "not_found"),
    ];
    for (request, status, code) in cases {
        let response = request.send().await.unwrap();
        let (actual_status, error) = code_of(response).await;
        assert_eq!((actual_status, error["code"].as_str()), (status, Some(code)), "{error}");
        assert!(!error["message"].as_str().unwrap().is_empty());
    }
}

/// Behind a trusted reverse proxy, failures count per client address from `X-Forwarded-For`: one client
/// guessing does not lock out the others who come through the same proxy.
#[tokio::test]
async fn the_address_limit_counts_clients_behind_a_trusted_proxy_apart() {
    let database = Database::sqlite();
    let (server, _) = Server::start_reading(&database, &["--trusted-proxies", "127.0.0.1"], 0);
    let client = Client::new();
    let attempt = |login: String, forwarded_for: &'static str| {
        client
            .post(server.api("/auth/sign-in"))
            .header("x-forwarded-for", forwarded_for)
            .json(&json!({ "login": login, "password": "falsches-passwort", "device": { "id": Uuid::now_v7(), "label": "x" } }))
            .send()
    };
    // As many failures as one address may have, spread over logins so that no account is locked.
    for n in 0..begleitbuch_server::auth::MAX_FAILURES_PER_ADDRESS {
        let (status, _) = code_of(attempt(format!("unbekannt{n}"), "203.0.113.7").await.unwrap()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, error) = code_of(attempt("noch-einer".into(), "203.0.113.7").await.unwrap()).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("too_many_attempts")));
    let (status, error) = code_of(attempt("noch-einer".into(), "198.51.100.4").await.unwrap()).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_credentials")));
}

/// Parallel guesses are limited exactly like guesses one after another: of 30 wrong passwords sent at
/// once for one account, 5 are checked and the rest refused unchecked; the right password is then
/// refused too until the window passes. On SQLite and PostgreSQL.
async fn parallel_guesses(database: Database) {
    let created = database.create_admin("Träger", "ziel", ADMIN_PASSWORD);
    assert!(created.status.success());
    let server = Server::start(&database);
    let client = Client::new();
    let mut guesses = tokio::task::JoinSet::new();
    for n in 0..30 {
        let client = client.clone();
        let url = server.api("/auth/sign-in");
        guesses.spawn(async move {
            let device = Uuid::now_v7();
            let body = json!({ "login": "ziel", "password": format!("geraten-{n}-lang"), "device": { "id": device, "label": "x", "secret": common::device_secret(device) } });
            client.post(url).json(&body).send().await.unwrap().status()
        });
    }
    let answers = guesses.join_all().await;
    let checked = answers.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let refused = answers.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!(
        (checked, refused),
        (begleitbuch_server::auth::MAX_FAILURES_PER_ACCOUNT as usize, 30 - 5),
        "{answers:?}"
    );
    let (status, error) =
        code_of(sign_in(&client, &server, "ziel", ADMIN_PASSWORD, Uuid::now_v7()).await).await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("too_many_attempts")));
}

#[tokio::test]
async fn parallel_guesses_are_limited_like_sequential_ones_on_sqlite() {
    parallel_guesses(Database::sqlite()).await;
}

#[tokio::test]
async fn parallel_guesses_are_limited_like_sequential_ones_on_postgres() {
    parallel_guesses(Database::postgres().await).await;
}
