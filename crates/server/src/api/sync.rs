//! Sync: push a device's mutations, pull the changes of the user's pools, and read one record online.
//! Every decision about a record is the store's, made from the server's own tables (the user's scope);
//! nothing the client claims about roles or pools is believed.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use begleitbuch_domain::access::{permits, Operation, Scope};
use begleitbuch_domain::org::PoolDirectory;
use begleitbuch_domain::protocol::{
    PullPage, PullRequest, PushRequest, PushResponse, RecordView, OLDEST_ACCEPTED_PROTOCOL, PROTOCOL_VERSION,
};
use begleitbuch_store::Writer;
use uuid::Uuid;

use super::extract::{ApiJson, ApiPath, Authenticated};
use super::ApiError;
use crate::AppState;

/// The most mutations one push may carry; a device with more sends them in several batches.
pub const MAX_PUSH_MUTATIONS: usize = 500;

fn check_protocol(protocol: u16) -> Result<(), ApiError> {
    if protocol > PROTOCOL_VERSION {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "protocol_too_new",
            format!("this server speaks sync protocol {OLDEST_ACCEPTED_PROTOCOL} to {PROTOCOL_VERSION}"),
        ));
    }
    // Older protocols are answered mutation by mutation (`apply` refuses what it cannot read), so that an
    // old tablet is never kept from handing over what it holds.
    Ok(())
}

pub(super) async fn scope(state: &AppState, caller: &Authenticated) -> Result<Scope, ApiError> {
    Ok(state.store.scope(&caller.user, state.clock.today()).await?)
}

/// `POST /api/v1/sync/push`: one answer per mutation, in order. Fewer answers than mutations means the
/// server stopped early (a database error); the device sends the unanswered ones again.
pub async fn push(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiJson(request): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    check_protocol(request.protocol)?;
    let device = caller.device()?;
    if request.device != device.id {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "device_mismatch",
            "push from the device the token was issued to",
        ));
    }
    if request.mutations.len() > MAX_PUSH_MUTATIONS {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_mutations",
            format!("at most {MAX_PUSH_MUTATIONS} mutations per push"),
        ));
    }
    let scope = scope(&state, &caller).await?;
    let results = state
        .store
        .push(&scope, Writer::Tablet(device.id), &request.mutations, state.clock.now_millis())
        .await?;
    Ok(Json(PushResponse { results }))
}

/// `POST /api/v1/sync/pull`: the next page of changes in the user's pools.
pub async fn pull(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiJson(request): ApiJson<PullRequest>,
) -> Result<Json<PullPage>, ApiError> {
    check_protocol(request.protocol)?;
    let device = caller.device()?;
    if let Some(holding) = &request.holding {
        if !holding.is_valid() {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_holding",
                "holding: counts with the oldest change's time (none when both are 0) and a one-line app version",
            ));
        }
        state.store.report_holding(device.id, caller.user.id, holding, state.clock.now_millis()).await?;
    }
    let scope = scope(&state, &caller).await?;
    Ok(Json(state.store.pull(&scope, &request.cursors, request.limit).await?))
}

/// `GET /api/v1/pools`: the pools the user's devices keep, with the institution's name and the people
/// in each, so that a tablet can offer co-companions and show names offline.
pub async fn pools(
    State(state): State<AppState>,
    caller: Authenticated,
) -> Result<Json<Vec<PoolDirectory>>, ApiError> {
    let scope = scope(&state, &caller).await?;
    Ok(Json(state.store.pool_directory(&scope.pools, state.clock.today()).await?))
}

/// `GET /api/v1/records/{id}`: one record, if the user may read it. A record the user may not read
/// answers 404 like one that does not exist, so that ids reveal nothing.
pub async fn record(
    State(state): State<AppState>,
    caller: Authenticated,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<RecordView>, ApiError> {
    let scope = scope(&state, &caller).await?;
    let not_found = || ApiError::new(StatusCode::NOT_FOUND, "record_not_found", "no such record");
    let stored = state.store.record(id).await?.ok_or_else(not_found)?;
    if stored.state.deleted
        || !permits(&scope, stored.state.kind, Operation::Read, stored.provider, &stored.facts())
    {
        return Err(not_found());
    }
    Ok(Json(RecordView::of(stored.state, stored.pool)))
}
