//! Request extractors that answer in the API's error format: a JSON body, and the signed-in user.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum::Json;
use begleitbuch_domain::account::WayIn;
use begleitbuch_domain::people::Role;
use begleitbuch_store::{DeviceRecord, Holder, UserRecord};
use serde::de::DeserializeOwned;

use super::ApiError;
use crate::auth::{csrf_token, token_hash, BROWSER_COOKIE, BROWSER_IDLE_MILLIS};
use crate::AppState;

/// The largest request body the API reads (1 MiB); larger ones get 413 `body_too_large`.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// A path parameter (a record's, user's or device's id). One that does not parse is answered 400
/// `invalid_path` in the API's JSON shape, never axum's plain text.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(ApiPath(value)),
            Err(rejection) => {
                Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_path", rejection.body_text()))
            }
        }
    }
}

/// A JSON body. Malformed JSON, unknown fields, wrong types and oversize bodies become 4xx answers
/// with a code, never axum's plain-text rejections.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(match rejection {
                JsonRejection::JsonDataError(error) => {
                    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_body", error.body_text())
                }
                JsonRejection::JsonSyntaxError(error) => {
                    ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", error.body_text())
                }
                JsonRejection::MissingJsonContentType(_) => ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "json_required",
                    "send the body as application/json",
                ),
                other if other.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    format!("the body is larger than {MAX_BODY_BYTES} bytes"),
                ),
                other => ApiError::new(StatusCode::BAD_REQUEST, "unreadable_body", other.body_text()),
            }),
        }
    }
}

/// The signed-in user behind a request, and how they came: a tablet with a bearer token, or a browser
/// (the office, the parents' pages) with its sign-in cookie. Every `/api/v1` handler that touches data
/// takes this; roles and relations come from the store, never from the request.
pub struct Authenticated {
    pub user: UserRecord,
    pub via: Via,
}

pub enum Via {
    Tablet(DeviceRecord),
    Browser {
        way: WayIn,
        /// The hash of the cookie's token: the sign-in's key in the store.
        token_hash: String,
        /// The token the page must send with changes (see [`crate::auth::csrf_token`]).
        csrf_token: String,
        ends_at: i64,
    },
}

impl Authenticated {
    /// Team leads and admins manage their provider's accounts and devices.
    pub fn require_manager(&self) -> Result<(), ApiError> {
        match self.user.role {
            Role::TeamLead | Role::Admin => Ok(()),
            Role::Companion | Role::Parent => Err(ApiError::forbidden()),
        }
    }

    /// The tablet the request came from. Only tablets push and pull: a browser keeps no copy.
    /// The request comes from the office: a team lead's or admin's browser sign-in there.
    pub fn office(&self) -> Result<(), ApiError> {
        self.require_manager()?;
        match &self.via {
            Via::Browser { way: WayIn::Office, .. } => Ok(()),
            _ => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "office_only",
                "only the office writes and reads online",
            )),
        }
    }

    pub fn device(&self) -> Result<&DeviceRecord, ApiError> {
        match &self.via {
            Via::Tablet(device) => Ok(device),
            Via::Browser { .. } => Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "tablet_only",
                "only a signed-in tablet may do this; a browser sign-in keeps no data",
            )),
        }
    }

    pub fn holder(&self) -> Holder<'_> {
        match &self.via {
            Via::Tablet(device) => Holder::Device(device.id),
            Via::Browser { token_hash, .. } => Holder::Browser(token_hash),
        }
    }
}

/// What a user whose password must change may call (paths inside the `/api` router).
const ALLOWED_BEFORE_PASSWORD_CHANGE: [&str; 4] =
    ["/v1/me", "/v1/me/password", "/v1/auth/browser", "/v1/auth/browser/sign-out"];

/// How often a device's or browser's "last seen" is written at most: once a minute is precise enough
/// for the team lead's overview and the idle limit, and keeps reads from becoming writes.
const TOUCH_INTERVAL_MILLIS: i64 = 60 * 1000;

fn unauthenticated() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
        "sign in: a tablet sends a bearer token, a browser its sign-in cookie",
    )
}

/// The value of the browser's sign-in cookie, if the request carries one.
fn sign_in_cookie(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == BROWSER_COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty());
        let now = state.clock.now_millis();
        let authenticated = match (bearer, sign_in_cookie(&parts.headers)) {
            (Some(token), _) => tablet(state, token, now).await?,
            (None, Some(token)) => browser(state, parts, token, now).await?,
            (None, None) => return Err(unauthenticated()),
        };
        // A first (or reset) password was chosen by someone else: until the user has changed it, they
        // may read who they are and change it, nothing more.
        if authenticated.user.must_change_password
            && !ALLOWED_BEFORE_PASSWORD_CHANGE.contains(&parts.uri.path())
        {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "password_change_required",
                "change the first password (POST /api/v1/me/password) before anything else",
            ));
        }
        Ok(authenticated)
    }
}

async fn tablet(state: &AppState, token: &str, now: i64) -> Result<Authenticated, ApiError> {
    let invalid = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "token_invalid",
            "the token is unknown or expired; refresh it",
        )
    };
    let grant = state
        .store
        .access_token(&token_hash(token))
        .await?
        .filter(|g| g.expires_at > now)
        .ok_or_else(invalid)?;
    let device = state.store.device(grant.device).await?.ok_or_else(invalid)?;
    if device.revoked {
        return Err(ApiError::device_revoked());
    }
    let user = state.store.user(grant.user).await?.filter(|u| !u.disabled).ok_or_else(invalid)?;
    if now - device.last_seen_at > TOUCH_INTERVAL_MILLIS {
        state.store.touch_device(device.id, now).await?;
        state.store.touch_user(user.id, now).await?;
    }
    Ok(Authenticated { user, via: Via::Tablet(device) })
}

/// A browser's sign-in: valid while used within the idle limit and before its end. A request that
/// changes something must carry the CSRF token: the cookie is `SameSite=Strict` already, and the token
/// also holds where a browser or a same-site page would send the cookie anyway.
async fn browser(state: &AppState, parts: &Parts, token: &str, now: i64) -> Result<Authenticated, ApiError> {
    let expired = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "signed_out",
            "the sign-in ended or is unknown; sign in again",
        )
    };
    let hash = token_hash(token);
    let sign_in = state
        .store
        .browser_sign_in(&hash)
        .await?
        .filter(|s| now < s.ends_at && now - s.last_seen_at < BROWSER_IDLE_MILLIS)
        .ok_or_else(expired)?;
    let user = state
        .store
        .user(sign_in.user)
        .await?
        .filter(|u| !u.disabled && sign_in.way.admits(u.role))
        .ok_or_else(expired)?;
    let csrf_token = csrf_token(token);
    let changes_something = !matches!(parts.method, Method::GET | Method::HEAD);
    if changes_something {
        let sent = parts.headers.get(CSRF_HEADER).and_then(|value| value.to_str().ok()).unwrap_or_default();
        // Compared as digests: equal digests mean equal tokens, and how long the comparison takes says
        // nothing about the token.
        if token_hash(sent) != token_hash(&csrf_token) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "csrf_token_invalid",
                "send the sign-in's CSRF token in X-CSRF-Token",
            ));
        }
    }
    if now - sign_in.last_seen_at > TOUCH_INTERVAL_MILLIS {
        state.store.touch_browser_sign_in(&hash, now).await?;
        state.store.touch_user(user.id, now).await?;
    }
    Ok(Authenticated {
        user,
        via: Via::Browser { way: sign_in.way, token_hash: hash, csrf_token, ends_at: sign_in.ends_at },
    })
}

/// The header a browser's page sends its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
