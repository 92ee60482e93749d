//! The office writes and reads online. A write is one mutation through the store's push — the same
//! authorization, field rules, week locks, consent checks and pool counters as a tablet's — logged
//! without a device, so the tablets receive it at their next pull. Reads list the provider's records of
//! the kinds a screen needs, as the user may read them; nothing is kept in the browser.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use std::collections::BTreeMap;

use begleitbuch_domain::access::{permits, Operation};
use begleitbuch_domain::ids::ChildId;
use begleitbuch_domain::org::PoolDirectory;
use begleitbuch_domain::protocol::{OfficeWrite, Outcome, RecordView};
use begleitbuch_domain::record::RecordKind;
use begleitbuch_domain::work::GroupSession;
use begleitbuch_domain::worktime::{self, Delivered};
use begleitbuch_store::Writer;
use serde::Deserialize;

use super::extract::{ApiJson, Authenticated};
use super::sync::scope;
use super::ApiError;
use crate::AppState;

/// `POST /api/v1/office/records`: the outcome of one change, as a push would answer it.
pub async fn write(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiJson(request): ApiJson<OfficeWrite>,
) -> Result<Json<Outcome>, ApiError> {
    caller.office()?;
    let scope = scope(&state, &caller).await?;
    let mutation = request.into_mutation(caller.user.id);
    let mut results = state.store.push(&scope, Writer::Office, &[mutation], state.clock.now_millis()).await?;
    // One mutation is answered or the push fails with a database error (above).
    let result = results.pop().ok_or_else(|| ApiError::internal("an office write got no answer".into()))?;
    Ok(Json(result.outcome))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kinds {
    /// Record kinds by code, comma-separated (`absence,cover_grant,child`).
    kinds: String,
}

/// `GET /api/v1/office/records?kinds=…`: the provider's current records of these kinds that the user
/// may read.
pub async fn records(
    State(state): State<AppState>,
    caller: Authenticated,
    query: Result<Query<Kinds>, QueryRejection>,
) -> Result<Json<Vec<RecordView>>, ApiError> {
    caller.office()?;
    let Query(query) = query.map_err(|rejection| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", rejection.body_text())
    })?;
    let kinds = query
        .kinds
        .split(',')
        .map(|code| {
            RecordKind::from_code(code.trim()).ok_or_else(|| {
                ApiError::new(StatusCode::BAD_REQUEST, "unknown_kind", format!("no record kind {code:?}"))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let scope = scope(&state, &caller).await?;
    let stored = state.store.provider_records(caller.user.provider, &kinds, None).await?;
    Ok(Json(
        stored
            .into_iter()
            .filter(|record| {
                permits(&scope, record.state.kind, Operation::Read, record.provider, &record.facts())
            })
            .map(|record| RecordView::of(record.state, record.pool))
            .collect(),
    ))
}

/// `GET /api/v1/office/delivered`: per child, the minutes the group sessions that name them gave them
/// this week and this calendar month (the server's today), by the domain's split rule — what the
/// office shows against the approved hours. Only sessions the user may read count.
pub async fn delivered(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<BTreeMap<ChildId, Delivered>>, ApiError> {
    caller.office()?;
    let scope = scope(&state, &caller).await?;
    let today = state.clock.today();
    let kinds = [RecordKind::GroupSession];
    let stored = state
        .store
        .provider_records(caller.user.provider, &kinds, Some(worktime::first_day_needed(today)))
        .await?;
    let sessions: Vec<GroupSession> = stored
        .into_iter()
        .filter(|record| {
            permits(&scope, record.state.kind, Operation::Read, record.provider, &record.facts())
        })
        .filter_map(|record| record.state.decode())
        .collect();
    Ok(Json(worktime::delivered(&sessions, today)))
}

/// `GET /api/v1/office/pools`: every pool of the provider with its institution and people (cover
/// usually comes from another pool).
pub async fn pools(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<Vec<PoolDirectory>>, ApiError> {
    caller.office()?;
    let scope = scope(&state, &caller).await?;
    Ok(Json(state.store.pool_directory(&scope.provider_pools, state.clock.today()).await?))
}
