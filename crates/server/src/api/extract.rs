//! Request extractors that answer in the API's error format: a JSON body, and the signed-in user.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::Json;
use begleitbuch_domain::people::Role;
use begleitbuch_store::{DeviceRecord, UserRecord};
use serde::de::DeserializeOwned;

use super::ApiError;
use crate::auth::token_hash;
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

/// The user and device behind a valid bearer token. Every `/api/v1` handler that touches data takes
/// this; roles and relations come from the store, never from the request.
pub struct Authenticated {
    pub user: UserRecord,
    pub device: DeviceRecord,
}

impl Authenticated {
    /// Team leads and admins manage their provider's accounts and devices.
    pub fn require_manager(&self) -> Result<(), ApiError> {
        match self.user.role {
            Role::TeamLead | Role::Admin => Ok(()),
            Role::Companion | Role::Parent => Err(ApiError::forbidden()),
        }
    }
}

/// What a user whose password must change may call (paths inside the `/api` router).
const ALLOWED_BEFORE_PASSWORD_CHANGE: [&str; 2] = ["/v1/me", "/v1/me/password"];

/// How often a device's "last seen" is written at most: once a minute is precise enough for the team
/// lead's overview and keeps reads from becoming writes.
const TOUCH_INTERVAL_MILLIS: i64 = 60 * 1000;

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or_else(|| {
                ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "sign in and send a bearer token")
            })?;
        let invalid = || {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "token_invalid",
                "the token is unknown or expired; refresh it",
            )
        };
        let now = state.clock.now_millis();
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
        // A first (or reset) password was chosen by someone else: until the user has changed it, they
        // may read who they are and change it, nothing more.
        if user.must_change_password && !ALLOWED_BEFORE_PASSWORD_CHANGE.contains(&parts.uri.path()) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "password_change_required",
                "change the first password (POST /api/v1/me/password) before anything else",
            ));
        }
        if now - device.last_seen_at > TOUCH_INTERVAL_MILLIS {
            state.store.touch_device(device.id, now).await?;
        }
        Ok(Authenticated { user, device })
    }
}
