//! `/api/v1`: JSON in, JSON out. Errors carry a stable machine-readable `code` that clients translate,
//! and an English `message` for logs and developers.

mod accounts;
mod auth;
pub mod extract;
mod family;
mod health;
mod office;
mod organisation;
mod sync;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Serialize;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1/health", get(health::health))
        .route("/v1/auth/sign-in", post(auth::sign_in))
        .route("/v1/auth/token", post(auth::refresh))
        .route("/v1/auth/browser/sign-in", post(auth::browser_sign_in))
        .route("/v1/auth/browser", get(auth::current_browser_sign_in))
        .route("/v1/auth/browser/sign-out", post(auth::browser_sign_out))
        .route("/v1/me", get(auth::me))
        .route("/v1/me/password", post(auth::change_password))
        .route("/v1/users", get(accounts::people).post(accounts::create_user))
        .route("/v1/users/{id}/password", post(accounts::reset_password))
        .route("/v1/users/{id}/revoke-tokens", post(accounts::revoke_user_tokens))
        .route("/v1/users/{id}/deactivate", post(accounts::deactivate))
        .route("/v1/users/{id}/activate", post(accounts::activate))
        .route("/v1/devices", get(accounts::devices))
        .route("/v1/devices/{id}/revoke", post(accounts::revoke_device))
        .route("/v1/institutions", get(accounts::institutions))
        .route("/v1/office/records", get(office::records).post(office::write))
        .route("/v1/office/institutions", post(organisation::create_institution))
        .route("/v1/office/institutions/{id}", put(organisation::update_institution))
        .route("/v1/office/pools", get(office::pools).post(organisation::create_pool))
        .route("/v1/office/delivered", get(office::delivered))
        .route("/v1/office/memberships", get(organisation::memberships).post(organisation::add_membership))
        .route("/v1/office/memberships/{id}/end", post(organisation::end_membership))
        .route("/v1/office/allocation", post(organisation::import))
        .route("/v1/office/allocation/preview", post(organisation::preview))
        .route("/v1/sync/push", post(sync::push))
        .route("/v1/sync/pull", post(sync::pull))
        .route("/v1/records/{id}", get(sync::record))
        .route("/v1/pools", get(sync::pools))
        .route("/v1/family", get(family::family))
        .route("/v1/openapi.json", get(openapi))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(extract::MAX_BODY_BYTES))
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    /// Tells a revoked device to delete its local data.
    wipe: bool,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into(), wipe: false }
    }

    pub fn forbidden() -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", "your role may not do this")
    }

    /// The device was revoked by a team lead: it must wipe its local data.
    pub fn device_revoked() -> Self {
        ApiError {
            wipe: true,
            ..ApiError::new(StatusCode::FORBIDDEN, "device_revoked", "this device was revoked")
        }
    }

    pub fn password(error: crate::auth::PasswordError) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, error.code(), error.to_string())
    }

    /// A fault of the server itself (never of the request); logged with its cause.
    pub fn internal(detail: String) -> Self {
        tracing::error!(%detail, "internal error");
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the server failed; try again")
    }
}

impl From<begleitbuch_store::StoreError> for ApiError {
    fn from(error: begleitbuch_store::StoreError) -> Self {
        tracing::error!(%error, "database error");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "database_unavailable",
            "the database does not answer; try again",
        )
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    wipe: bool,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body =
            ErrorBody { error: ErrorDetail { code: self.code, message: &self.message, wipe: self.wipe } };
        (self.status, Json(body)).into_response()
    }
}

/// The OpenAPI description of this API (`crates/server/openapi.json`; a test checks that every
/// documented path is routed).
async fn openapi() -> impl IntoResponse {
    ([(axum::http::header::CONTENT_TYPE, "application/json")], include_str!("../../openapi.json"))
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this endpoint does not take this method",
    )
}

async fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such API endpoint")
}
