use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use super::ApiError;
use crate::AppState;

#[derive(Serialize)]
pub struct Health {
    status: &'static str,
    version: &'static str,
    database: &'static str,
    epoch: String,
}

/// For load balancers, monitoring and the client's connectivity check. Answers 503 when the database
/// does not.
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let unavailable = |error: begleitbuch_store::StoreError| {
        tracing::error!(%error, "health check: database unavailable");
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "database_unavailable", "the database does not answer")
    };
    state.store.ping().await.map_err(unavailable)?;
    let epoch = state.store.epoch().await.map_err(unavailable)?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        database: state.store.backend().name(),
        epoch: epoch.to_string(),
    }))
}
