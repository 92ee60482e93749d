//! Sign-in from a device, token refresh, and the signed-in user's own account.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::http::{header, HeaderName};
use axum::response::AppendHeaders;
use axum::Json;
use begleitbuch_domain::account::{
    AccessView, BrowserSignInRequest, BrowserSignInView, ChangePasswordRequest, DeviceView, RefreshRequest,
    SignInRequest, SignedInView, UserView, WayIn,
};
use begleitbuch_domain::ids::{DeviceId, UserId};
use begleitbuch_store::{BrowserSignIn, DeviceRecord, Rotation, TokenGrant, UserRecord};
use serde::Serialize;

use super::extract::{ApiJson, Authenticated, Via};
use super::ApiError;
use crate::auth::{self, token_hash};
use crate::AppState;

const MAX_DEVICE_LABEL_CHARS: usize = 80;

/// The views of accounts and devices are the domain's protocol types, made from the store's records.
pub fn user_view(user: &UserRecord) -> UserView {
    UserView {
        id: user.id,
        provider: user.provider,
        login: user.login.clone(),
        display_name: user.display_name.clone(),
        role: user.role,
        must_change_password: user.must_change_password,
    }
}

pub fn device_view(device: &DeviceRecord) -> DeviceView {
    DeviceView {
        id: device.id,
        label: device.label.clone(),
        last_seen_at: device.last_seen_at,
        revoked: device.revoked,
    }
}

fn too_many_attempts() -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "too_many_attempts",
        "too many failed sign-ins; wait 15 minutes or ask the team lead to reset the password",
    )
}

fn invalid_credentials() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", "login or password is wrong")
}

/// Checks a password as every password check runs: a few at a time ([`crate::passwords`]),
/// and counted against each of `limits` — (subject, most failed attempts in the window), the account's
/// first — *before* the check, so that parallel guesses are limited exactly like sequential ones.
/// Subjects are kept as SHA-256 hashes only. A match forgives the account's earlier failures.
async fn check_password(
    state: &AppState,
    limits: &[(String, u32)],
    password: String,
    stored_hash: String,
) -> Result<bool, ApiError> {
    let _turn = state
        .passwords
        .turns
        .acquire()
        .await
        .map_err(|e| ApiError::internal(format!("password checks closed: {e}")))?;
    let now = state.clock.now_millis();
    let subjects: Vec<String> = limits.iter().map(|(subject, _)| token_hash(subject)).collect();
    let subject_refs: Vec<&str> = subjects.iter().map(String::as_str).collect();
    let attempt = uuid::Uuid::now_v7();
    let counts = state
        .store
        .begin_sign_in_attempt(attempt, &subject_refs, now, now - auth::FAILURE_WINDOW_MILLIS)
        .await?;
    if counts.iter().zip(limits).any(|(count, (_, most))| count > most) {
        // Refused unchecked: it does not count, so a locked account unlocks when the window passes.
        state.store.forget_sign_in_attempt(attempt).await?;
        return Err(too_many_attempts());
    }
    let matches = state
        .passwords
        .run(move || auth::verify_password(&password, &stored_hash))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?;
    if matches {
        state.store.forget_sign_in_attempt(attempt).await?;
        if let Some(account) = subject_refs.first() {
            state.store.clear_sign_in_failures(account).await?;
        }
    }
    Ok(matches)
}

/// Logs a failed sign-in. The login is what someone typed: Debug formatting escapes its control
/// characters, so a line break in it cannot forge a line of the text log.
fn log_failed_sign_in(login: &str, address: std::net::IpAddr) {
    tracing::info!(login = ?login, %address, "failed sign-in");
}

/// Hashes a new password on the password threads.
pub async fn hash_in_turn(state: &AppState, password: String) -> Result<String, ApiError> {
    state
        .passwords
        .run(move || auth::hash_password(&password))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))
}

/// Someone presents a registered device's id without its secret: another client posing as the tablet.
fn device_not_yours(device: DeviceId) -> ApiError {
    tracing::warn!(%device, "sign-in with a registered device id but the wrong secret");
    ApiError::new(StatusCode::CONFLICT, "device_not_yours", "this device id belongs to another device")
}

/// The account behind a login and password, checked as every sign-in is: rate-limited per account and
/// per address, an unknown login as slow as a wrong password. Then the way in: a role signing in where
/// it does not belong is refused with the code that names its own way in — only after the password
/// matched, so that nobody learns an account's role by guessing.
async fn authenticate(
    state: &AppState,
    peer: SocketAddr,
    headers: &axum::http::HeaderMap,
    login: &str,
    password: String,
    way: WayIn,
) -> Result<UserRecord, ApiError> {
    let login = auth::normalise_login(login);
    let address = state.client_address(peer.ip(), headers);
    // A login no account can have (control characters) is not looked up: it fails like a wrong one.
    let user = if begleitbuch_domain::validate::is_one_plain_line(&login) {
        state.store.user_by_login(&login).await?.filter(|user| !user.disabled)
    } else {
        None
    };
    let stored_hash =
        user.as_ref().map_or_else(|| auth::decoy_hash().to_owned(), |u| u.password_hash.clone());
    let limits = [
        (format!("login:{login}"), auth::MAX_FAILURES_PER_ACCOUNT),
        (format!("address:{address}"), auth::MAX_FAILURES_PER_ADDRESS),
    ];
    let matches = check_password(state, &limits, password, stored_hash).await?;
    let Some(user) = user.filter(|_| matches) else {
        log_failed_sign_in(&login, address);
        return Err(invalid_credentials());
    };
    if !way.admits(user.role) {
        let own = WayIn::of(user.role);
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            own.refusal_code(),
            format!("this account signs in at {}", own.path()),
        ));
    }
    Ok(user)
}

/// `POST /api/v1/auth/sign-in`: a tablet signs in. Checks the password, registers the device, returns a
/// refresh token for (user, device) and a first access token.
pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    ApiJson(request): ApiJson<SignInRequest>,
) -> Result<Json<SignedInView>, ApiError> {
    let label = request.device.label.trim().to_owned();
    if label.is_empty()
        || label.chars().count() > MAX_DEVICE_LABEL_CHARS
        || !begleitbuch_domain::validate::is_one_plain_line(&label)
    {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_device_label",
            format!("the device label must be one line of 1 to {MAX_DEVICE_LABEL_CHARS} characters"),
        ));
    }
    let user = authenticate(&state, peer, &headers, &request.login, request.password, WayIn::Tablet).await?;
    let now = state.clock.now_millis();

    let device_id = DeviceId(request.device.id);
    if !begleitbuch_domain::account::DEVICE_SECRET_CHARS.contains(&request.device.secret.len()) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "device_secret_missing",
            "the device must present its secret (an app older than the server?)",
        ));
    }
    let secret_hash = token_hash(&request.device.secret);
    if let Some(known) = state.store.device(device_id).await? {
        if known.secret_hash.as_ref().is_some_and(|kept| *kept != secret_hash) {
            return Err(device_not_yours(device_id));
        }
        if known.revoked {
            return Err(ApiError::device_revoked());
        }
        if known.provider != user.provider {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "device_of_other_provider",
                "this device is registered with another provider",
            ));
        }
    }
    let device = state.store.register_device(device_id, user.provider, &label, &secret_hash, now).await?;
    // Two first sign-ins with the same new id at once: the secret registered first is kept.
    if device.secret_hash.as_ref() != Some(&secret_hash) {
        return Err(device_not_yours(device_id));
    }
    let refresh_token = auth::new_token();
    let grant = TokenGrant { user: user.id, device: device.id, expires_at: now + auth::REFRESH_TOKEN_MILLIS };
    state.store.store_refresh_token(grant, &token_hash(&refresh_token), now).await?;
    state.store.touch_user(user.id, now).await?;
    let access = issue_access_token(&state, user.id, device.id, now).await?;
    tracing::info!(user = %user.id, device = %device.id, "signed in");
    Ok(Json(SignedInView {
        user: user_view(&user),
        device: device_view(&device),
        refresh_token,
        access_token: access.access_token,
        access_expires_at: access.access_expires_at,
    }))
}

async fn issue_access_token(
    state: &AppState,
    user: UserId,
    device: DeviceId,
    now: i64,
) -> Result<AccessView, ApiError> {
    let access_token = auth::new_token();
    let grant = TokenGrant { user, device, expires_at: now + auth::ACCESS_TOKEN_MILLIS };
    state.store.store_access_token(grant, &token_hash(&access_token), now).await?;
    Ok(AccessView { access_token, access_expires_at: grant.expires_at, refresh_token: None })
}

/// `POST /api/v1/auth/token`: a new access token and a new refresh token for a valid refresh token,
/// which is replaced. The replaced one still works within [`auth::REFRESH_GRACE_MILLIS`] (the answer
/// may have been lost); after that it ends the tablet's session for the user, since someone else may
/// hold a copy. A revoked device is told to wipe its data.
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<RefreshRequest>,
) -> Result<Json<AccessView>, ApiError> {
    let now = state.clock.now_millis();
    let invalid = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "refresh_token_invalid",
            "the refresh token is unknown or expired; sign in again",
        )
    };
    let refresh_token = auth::new_token();
    let rotation = state
        .store
        .rotate_refresh_token(
            &token_hash(&request.refresh_token),
            &token_hash(&refresh_token),
            now,
            now + auth::REFRESH_GRACE_MILLIS,
            now + auth::REFRESH_TOKEN_MILLIS,
        )
        .await?;
    let grant = match rotation {
        Rotation::Rotated(grant) => grant,
        Rotation::Reused(grant) => {
            tracing::warn!(user = %grant.user, device = %grant.device, "a replaced refresh token came back: session ended");
            return Err(invalid());
        }
        Rotation::Unknown => return Err(invalid()),
    };
    let device = state.store.device(grant.device).await?.ok_or_else(invalid)?;
    if device.revoked {
        return Err(ApiError::device_revoked());
    }
    state.store.user(grant.user).await?.filter(|user| !user.disabled).ok_or_else(invalid)?;
    state.store.touch_device(device.id, now).await?;
    state.store.touch_user(grant.user, now).await?;
    let access = issue_access_token(&state, grant.user, grant.device, now).await?;
    Ok(Json(AccessView { refresh_token: Some(refresh_token), ..access }))
}

#[derive(Debug, Serialize)]
pub struct Me {
    user: UserView,
    /// The tablet the token belongs to; absent for a browser sign-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    device: Option<DeviceView>,
}

/// `GET /api/v1/me`: who the token or cookie belongs to.
pub async fn me(caller: Authenticated) -> Json<Me> {
    let device = match &caller.via {
        Via::Tablet(device) => Some(device_view(device)),
        Via::Browser { .. } => None,
    };
    Json(Me { user: user_view(&caller.user), device })
}

/// `POST /api/v1/auth/browser/sign-in`: the office or the parents' pages sign in. The browser gets an
/// HttpOnly cookie (not readable by the page's script) and, in the answer, the CSRF token for changes.
/// It is not registered as a device.
pub async fn browser_sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    ApiJson(request): ApiJson<BrowserSignInRequest>,
) -> Result<(AppendHeaders<[(HeaderName, String); 1]>, Json<BrowserSignInView>), ApiError> {
    if request.way == WayIn::Tablet {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_way",
            "a tablet signs in at /api/v1/auth/sign-in with its device",
        ));
    }
    let user = authenticate(&state, peer, &headers, &request.login, request.password, request.way).await?;
    let now = state.clock.now_millis();
    let token = auth::new_token();
    let sign_in = BrowserSignIn {
        user: user.id,
        way: request.way,
        last_seen_at: now,
        ends_at: now + auth::BROWSER_MAX_MILLIS,
    };
    state.store.store_browser_sign_in(&sign_in, &token_hash(&token), now).await?;
    state.store.touch_user(sign_in.user, now).await?;
    tracing::info!(user = %user.id, way = request.way.code(), "signed in from a browser");
    let cookie = browser_cookie(&token, auth::BROWSER_MAX_MILLIS / 1000);
    let view = BrowserSignInView {
        user: user_view(&user),
        way: request.way,
        csrf_token: auth::csrf_token(&token),
        expires_at: (now + auth::BROWSER_IDLE_MILLIS).min(sign_in.ends_at),
    };
    Ok((AppendHeaders([(header::SET_COOKIE, cookie)]), Json(view)))
}

/// `GET /api/v1/auth/browser`: the browser's sign-in, after a reload (the page kept its CSRF token in
/// memory only).
pub async fn current_browser_sign_in(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<BrowserSignInView>, ApiError> {
    let Via::Browser { way, csrf_token, ends_at, .. } = &caller.via else {
        return Err(not_a_browser());
    };
    let expires_at = (state.clock.now_millis() + auth::BROWSER_IDLE_MILLIS).min(*ends_at);
    Ok(Json(BrowserSignInView {
        user: user_view(&caller.user),
        way: *way,
        csrf_token: csrf_token.clone(),
        expires_at,
    }))
}

/// `POST /api/v1/auth/browser/sign-out`: ends the browser's sign-in and deletes its cookie.
pub async fn browser_sign_out(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<(StatusCode, AppendHeaders<[(HeaderName, String); 1]>), ApiError> {
    let Via::Browser { token_hash, .. } = &caller.via else {
        return Err(not_a_browser());
    };
    state.store.end_browser_sign_in(token_hash).await?;
    Ok((StatusCode::NO_CONTENT, AppendHeaders([(header::SET_COOKIE, browser_cookie("", 0))])))
}

fn not_a_browser() -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "browser_only", "this is for a browser's sign-in, not a tablet's")
}

/// The sign-in cookie: sent back only to this host, over HTTPS (browsers treat `localhost` and
/// `127.0.0.1` as secure), never to script, never with a request another site starts.
fn browser_cookie(token: &str, max_age_seconds: i64) -> String {
    format!(
        "{}={token}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={max_age_seconds}",
        auth::BROWSER_COOKIE
    )
}

/// `POST /api/v1/me/password`: the user changes their own password (required after a reset).
pub async fn change_password(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiJson(request): ApiJson<ChangePasswordRequest>,
) -> Result<StatusCode, ApiError> {
    auth::check_password_policy(&request.new_password).map_err(ApiError::password)?;
    // Guessing the current password with a stolen access token is limited like guessing at sign-in.
    let limits = [(format!("login:{}", caller.user.login), auth::MAX_FAILURES_PER_ACCOUNT)];
    let stored = caller.user.password_hash.clone();
    if !check_password(&state, &limits, request.current_password, stored).await? {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "wrong_current_password",
            "the current password is wrong",
        ));
    }
    let hash = hash_in_turn(&state, request.new_password).await?;
    state.store.set_password(caller.user.id, &hash, false, state.clock.now_millis()).await?;
    // Whoever knew the old password is signed out everywhere but here.
    state.store.revoke_user_tokens(caller.user.id, Some(caller.holder())).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_line_break_in_a_typed_login_does_not_forge_a_log_line() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber =
            tracing_subscriber::fmt().with_ansi(false).with_writer(move || writer.clone()).finish();
        tracing::subscriber::with_default(subscriber, || {
            log_failed_sign_in("lena\nINFO signed in user=admin", std::net::IpAddr::from([203, 0, 113, 7]));
        });
        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert_eq!(log.lines().count(), 1, "{log}");
        assert!(log.contains(r"lena\nINFO"), "{log}");
    }
}
